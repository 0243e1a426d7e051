"""Whole sites built and compared with expected output trees (`pytest --update-golden`)."""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import pytest

from sitegen.core.config import load_site
from sitegen.core.diagnostics import diagnostic_order
from tests.conftest import build_site

HERE = Path(__file__).parent
SITES = sorted(p.name for p in (HERE / "sites").iterdir() if p.is_dir())
INVALID = sorted(p.name for p in (HERE / "invalid").iterdir() if p.is_dir())
DIAGNOSTICS_FILE = "expected-diagnostics.txt"


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def describe_difference(name: str, want: bytes, got: bytes) -> str:
    try:
        lines = difflib.unified_diff(
            want.decode().splitlines(),
            got.decode().splitlines(),
            f"expected/{name}",
            f"built/{name}",
            lineterm="",
        )
        return "\n".join(list(lines)[:60])
    except UnicodeDecodeError:
        return f"{name}: binary content differs"


@pytest.mark.parametrize("case", SITES)
def test_site_matches_expected_tree(case: str, request: pytest.FixtureRequest) -> None:
    site, problems = load_site(HERE / "sites" / case)
    assert site is not None, [p.format() for p in problems]
    drafts = (HERE / "sites" / case / "content" / ".drafts").exists()
    result = build_site(site, drafts=drafts)
    assert result.ok, [d.format() for d in result.diagnostics]
    expected_dir = HERE / "expected" / case
    if request.config.getoption("--update-golden"):
        shutil.rmtree(expected_dir, ignore_errors=True)
        for name, data in result.files.items():
            (expected_dir / name).parent.mkdir(parents=True, exist_ok=True)
            (expected_dir / name).write_bytes(data)
        return
    expected = tree(expected_dir)
    assert sorted(result.files) == sorted(expected), "file lists differ"
    diffs = [
        describe_difference(n, expected[n], result.files[n])
        for n in sorted(expected)
        if expected[n] != result.files[n]
    ]
    assert not diffs, "\n\n".join(diffs)


@pytest.mark.parametrize("case", INVALID)
def test_invalid_site_reports_expected_diagnostics(
    case: str, request: pytest.FixtureRequest
) -> None:
    root = HERE / "invalid" / case
    site, problems = load_site(root)
    if site is not None:
        problems = list(build_site(site).diagnostics)
    got = "".join(d.format() + "\n" for d in sorted(problems, key=diagnostic_order))
    expected_file = root / DIAGNOSTICS_FILE
    if request.config.getoption("--update-golden"):
        expected_file.write_text(got, encoding="utf-8")
        return
    assert got == expected_file.read_text(encoding="utf-8")
