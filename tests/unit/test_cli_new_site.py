"""`sitegen new site --language / --languages`: language tags are case-insensitive (BCP 47),
and a wrong list is a usage error naming the languages on offer."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from sitegen.cli import main


def new_site(folder: Path, *options: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["new", "site", str(folder), *options])
    return result.exit_code, result.output


def test_language_tags_are_case_insensitive(tmp_path: Path) -> None:
    code, output = new_site(tmp_path / "one", "--language", "FA")
    assert code == 0, output
    assert "language: fa\n" in (tmp_path / "one" / "sitegen.yaml").read_text("utf-8")
    code, output = new_site(tmp_path / "two", "--languages", "AR, En")
    assert code == 0, output
    config = (tmp_path / "two" / "sitegen.yaml").read_text("utf-8")
    assert "language: ar\n" in config and "\nlanguages:\n  en:\n" in config


def test_a_wrong_language_list_is_a_usage_error(tmp_path: Path) -> None:
    for wrong in ("ar", "ar,xx", "ar,ar"):
        code, output = new_site(tmp_path / "s", "--languages", wrong)
        assert code == 2 and "--languages" in output and "two or more of" in output, output
        assert not (tmp_path / "s").exists()
