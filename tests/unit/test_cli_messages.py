"""What `sitegen build` says it did: counts of the right things, with English plurals."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from sitegen.cli import main
from sitegen.core.text import plural
from tests.conftest import MINIMAL_CONFIG, article, write_files


def build(root: Path, *options: str) -> str:
    result = CliRunner().invoke(main, ["build", "--source", str(root), "--jobs", "1", *options])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_plural() -> None:
    assert [plural(n, "file") for n in (0, 1, 2, 12389)] == [
        "0 files",
        "1 file",
        "2 files",
        "12,389 files",
    ]
    assert plural(1, "entry", "entries") == "1 entry"
    assert plural(3, "entry", "entries") == "3 entries"


def test_verbose_build_counts_source_files_not_articles(tmp_path: Path) -> None:
    root = write_files(
        tmp_path / "site",
        {
            "sitegen.yaml": MINIMAL_CONFIG,
            "content/a.md": article("خبر"),
            "content/draft.md": article("مسودة", draft="true"),  # a source file, not an article
        },
    )
    first = build(root, "-v")
    assert re.match(r"parsed 2 of 2 source files, rendered (\d+) of \1 pages, with 1 job\n", first)
    assert re.search(r"^built \d+ pages from 1 article in [\d.]+ s: ", first, re.M)
    again = build(root, "-v")
    assert re.match(
        r"parsed 0 of 2 source files \(2 cached\), rendered 0 of (\d+) pages \(\1 unchanged\), ",
        again,
    )
