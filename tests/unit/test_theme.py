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
