"""`sitegen build` options for speed: --clean, --jobs, --quiet, --verbose, cache warnings."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import MINIMAL_CONFIG, article, write_files
from tests.e2e.test_cli import run, snapshot


def make(tmp_path: Path) -> Path:
    return write_files(
        tmp_path,
        {
            "sitegen.yaml": MINIMAL_CONFIG,
            "content/a.md": article("خبر أول"),
            "content/b.md": article("خبر ثان", date="2022-01-06T08:00:00+03:00"),
        },
    )


def test_verbose_quiet_and_the_final_line(tmp_path: Path) -> None:
    make(tmp_path)
    first = run("build", "-v", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "parsed 2 of 2 source files, rendered" in first.stdout
    assert first.stdout.splitlines()[-1].startswith("built ")
    assert " pages from 2 articles in " in first.stdout
    quiet = run("build", "-q", cwd=tmp_path)
    assert quiet.returncode == 0 and quiet.stdout == "" and quiet.stderr == ""


def test_second_build_renders_nothing_and_clean_renders_everything(tmp_path: Path) -> None:
    make(tmp_path)
    assert run("build", cwd=tmp_path).returncode == 0
    before = snapshot(tmp_path / "output")
    again = run("build", "-v", cwd=tmp_path)
    assert "parsed 0 of 2" in again.stdout and "rendered 0 of" in again.stdout
    clean = run("build", "-v", "--clean", "--jobs", "1", cwd=tmp_path)
    assert "parsed 2 of 2" in clean.stdout and "rendered 0 of" not in clean.stdout
    assert " 0 written" in clean.stdout
    assert snapshot(tmp_path / "output") == before


def test_broken_cache_warns_but_never_fails_a_strict_build(tmp_path: Path) -> None:
    make(tmp_path)
    assert run("build", cwd=tmp_path).returncode == 0
    (tmp_path / ".sitegen" / "cache" / "pages.marshal").write_text("{", encoding="utf-8")
    result = run("build", "--strict", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert ".sitegen/cache: warning: ignoring unreadable cache file pages.marshal" in result.stderr
    assert "warnings" not in result.stderr  # no diagnostics summary: not a content problem
