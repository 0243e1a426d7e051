from pathlib import Path

from sitegen.theme import builtin_themes_dir, load_theme
from tests.conftest import write_files


def test_builtin_digest_theme_has_every_page_template() -> None:
    theme, problems = load_theme("digest", Path("/nonexistent"), Path("/"))
    assert problems == [] and theme is not None
    for name in (
        "base.html",
        "index.html",
        "day.html",
        "month.html",
        "year.html",
        "topics.html",
        "topic.html",
        "tags.html",
        "tag.html",
        "article.html",
        "404.html",
    ):
        assert theme.template_source(name) is not None, name
    assert theme.translations("ar-EG").ngettext("%(num)s minute", "%(num)s minutes", 2) == "دقيقتان"
    assert (builtin_themes_dir() / "digest" / "theme.yaml").is_file()


def test_child_overrides_and_parent_stays_reachable(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "themes/mine/theme.yaml": "name: mine\nextends: digest\n",
            "themes/mine/templates/404.html": "{% extends '@digest/404.html' %}",
            "themes/mine/static/css/digest.css": "body{}",
        },
    )
    theme, problems = load_theme("mine", tmp_path / "themes", tmp_path)
    assert problems == [] and theme is not None
    assert theme.template_source("404.html")[0].startswith("{% extends '@digest/")
    assert "Page not found" in theme.template_source("@digest/404.html")[0]
    css = {f.url_path: f.data for f in theme.static_files()}
    assert css["css/digest.css"] == b"body{}"


def test_cycle_and_missing_theme_are_clear_errors(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "themes/a/theme.yaml": "extends: b\n",
            "themes/b/theme.yaml": "extends: a\n",
        },
    )
    theme, problems = load_theme("a", tmp_path / "themes", tmp_path)
    assert theme is None and "theme inheritance cycle: a → b → a" in problems[0].message
    theme, problems = load_theme("nope", tmp_path / "themes", tmp_path)
    assert theme is None and "theme 'nope' not found" in problems[0].message


def test_reading_time_uses_all_six_arabic_plural_forms() -> None:
    theme, _ = load_theme("digest", Path("/nonexistent"), Path("/"))
    assert theme is not None
    ar = theme.translations("ar")
    shown = {
        n: ar.ngettext("%(num)s minute", "%(num)s minutes", n) % {"num": n}
        for n in (0, 1, 2, 3, 10, 11, 99, 100, 102, 103, 111)
    }
    assert shown == {
        0: "أقل من دقيقة",
        1: "دقيقة واحدة",
        2: "دقيقتان",
        3: "3 دقائق",
        10: "10 دقائق",
        11: "11 دقيقة",
        99: "99 دقيقة",
        100: "100 دقيقة",
        102: "102 دقيقة",
        103: "103 دقائق",
        111: "111 دقيقة",
    }
    en = theme.translations("en")
    assert en.ngettext("%(num)s minute", "%(num)s minutes", 1) % {"num": 1} == "1 minute"
    assert en.ngettext("%(num)s minute", "%(num)s minutes", 3) % {"num": 3} == "3 minutes"
