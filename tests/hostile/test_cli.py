"""No traceback reaches the user: every CLI command over the whole bad-input corpus."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from sitegen import cli
from sitegen.cli import main
from tests.conftest import FIXED_NOW, MINIMAL_CONFIG, article, write_files
from tests.hostile.corpus import CASES, CONFIG_CASES, Case, write_case

REPO = Path(__file__).resolve().parents[2]


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=True)


def assert_no_traceback(result: Result) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output and "Traceback" not in result.stderr
    assert "internal error" not in result.stderr


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_build_prints_every_diagnostic_and_no_traceback(case: Case, tmp_path: Path) -> None:
    root = write_case(case, tmp_path / "site")
    result = invoke("build", "--source", str(root))
    assert_no_traceback(result)
    errors = any(": warning: " not in line for line in case.expected)
    assert result.exit_code == (1 if errors else 0), result.stderr
    for line in case.expected:
        assert line in result.stderr


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_import_of_every_corpus_file_prints_no_traceback(case: Case, tmp_path: Path) -> None:
    root = write_case(case, tmp_path / "site")
    names = [name for name in [*case.files, *case.symlinks] if name.startswith("content/")]
    files = [str(root / name) for name in names if not (root / name).is_dir()]
    result = invoke("import", "--source", str(root), "--out", str(tmp_path / "out"), *files)
    assert_no_traceback(result)
    if case.config == MINIMAL_CONFIG:
        assert result.exit_code in (0, 1), result.stderr


@pytest.mark.parametrize("name,config,expected", CONFIG_CASES, ids=[c[0] for c in CONFIG_CASES])
def test_bad_config_exits_2_with_its_diagnostics(
    name: str, config: str, expected: tuple[str, ...], tmp_path: Path
) -> None:
    write_files(tmp_path, {"sitegen.yaml": config})
    for command in (["build"], ["import", str(tmp_path / "x.txt")]):
        result = invoke(*command, "--source", str(tmp_path))
        assert_no_traceback(result)
        assert result.exit_code == 2
        assert all(line in result.stderr for line in expected)


def test_the_whole_corpus_in_one_real_process(tmp_path: Path) -> None:
    """One site holding every content file of the corpus, built by `python -m sitegen`."""
    root = tmp_path / "site"
    write_files(root, {"sitegen.yaml": MINIMAL_CONFIG})
    for case in CASES:
        folder = root / "content" / case.name
        for name, data in case.files.items():
            if name.startswith("content/"):
                write_files(folder, {name.removeprefix("content/"): data})
        for link, target in case.symlinks.items():
            (folder / link.removeprefix("content/")).symlink_to(target)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env["SOURCE_DATE_EPOCH"] = str(int(FIXED_NOW.timestamp()))
    done = subprocess.run(
        [sys.executable, "-m", "sitegen", "build", "--source", str(root)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr + done.stdout
    assert "build failed; output/ left untouched" in done.stderr
    reported = {
        line.split("/")[1] for line in done.stderr.splitlines() if line.startswith("content/")
    }
    failing = {c.name for c in CASES if c.config == MINIMAL_CONFIG and c.check is None}
    # a warning only, and a collision, alias and image errors found after the stages that
    # stop this build
    late = {"only-front-matter", "same-url-twice", "unsafe-aliases", "unsafe-image-references"}
    assert failing - late <= reported
    assert not (root / "output").exists()


def test_a_bug_is_one_line_not_a_traceback(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    write_files(tmp_path, {"sitegen.yaml": MINIMAL_CONFIG, "content/a.md": article("خبر")})

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(cli, "build", broken)
    result = invoke("build", "--source", str(tmp_path))
    assert result.exit_code == cli.EXIT_INTERNAL
    assert result.stderr.splitlines()[0] == "sitegen: internal error: RuntimeError: boom"
    assert "Traceback" not in result.stderr
    monkeypatch.setenv("SITEGEN_DEBUG", "1")
    assert isinstance(invoke("build", "--source", str(tmp_path)).exception, RuntimeError)


def test_interrupt_exits_130(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    write_files(tmp_path, {"sitegen.yaml": MINIMAL_CONFIG, "content/a.md": article("خبر")})

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "build", interrupted)
    result = invoke("build", "--source", str(tmp_path))
    assert (result.exit_code, result.stderr) == (130, "interrupted\n")


def test_unwritable_output_is_a_diagnostic(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {"sitegen.yaml": MINIMAL_CONFIG, "content/a.md": article("خبر"), "output": "a file"},
    )
    result = invoke("build", "--source", str(tmp_path))
    assert_no_traceback(result)
    assert result.exit_code == 1
    assert result.stderr.startswith("output: cannot write: File exists")


def test_bad_base_url_option_exits_2(tmp_path: Path) -> None:
    write_files(tmp_path, {"sitegen.yaml": MINIMAL_CONFIG, "content/a.md": article("خبر")})
    result = invoke("build", "--source", str(tmp_path), "--base-url", "javascript:alert(1)")
    assert result.exit_code == 2
    assert "'base_url' must be an http(s) URL or a path" in result.stderr


def test_source_that_is_a_file_or_missing_exits_2(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    for source in (tmp_path / "file", tmp_path / "missing"):
        result = invoke("build", "--source", str(source))
        assert_no_traceback(result)
        assert result.exit_code == 2


@pytest.mark.skipif(shutil.which("mkfifo") is None, reason="needs mkfifo")
def test_a_named_pipe_in_content_does_not_hang_the_build(tmp_path: Path) -> None:
    write_files(tmp_path, {"sitegen.yaml": MINIMAL_CONFIG, "content/a.md": article("خبر")})
    os.mkfifo(tmp_path / "content" / "pipe.md")
    result = invoke("build", "--source", str(tmp_path))
    assert result.exit_code == 1
    assert "content/pipe.md: not a regular file (a device, pipe or socket)" in result.stderr


def test_an_alias_with_backslashes_is_an_error_at_its_line(tmp_path: Path) -> None:
    """It was an internal error (exit 70) when the writer refused its file."""
    alias = r'["/ok/\\..\\w/"]'  # YAML for /ok/\..\w/
    write_files(
        tmp_path, {"sitegen.yaml": MINIMAL_CONFIG, "content/a.md": article("خبر", aliases=alias)}
    )
    result = invoke("build", "--source", str(tmp_path))
    assert_no_traceback(result)
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "content/a.md:4: alias '/ok/\\\\..\\\\w/' has a backslash or a control character"
    )
