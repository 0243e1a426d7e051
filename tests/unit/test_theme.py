import re
from pathlib import Path

from sitegen.build.theme import builtin_themes_dir, load_theme
from tests.conftest import MINIMAL_CONFIG, article, build_site, write_files


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


def test_a_theme_without_theme_yaml_is_a_theme_of_its_own(tmp_path: Path) -> None:
    """theme.yaml is optional: without it a theme extends nothing and draws the default card
    (it was an internal error)."""
    write_files(tmp_path, {"themes/plain/templates/base.html": "<p>{{ 1 }}</p>"})
    theme, problems = load_theme("plain", tmp_path / "themes", tmp_path)
    assert problems == [] and theme is not None
    assert [layer.name for layer in theme.layers] == ["plain"]
    assert theme.layers[0].card == {}
    assert theme.template_source("base.html") == (
        "<p>{{ 1 }}</p>",
        "themes/plain/templates/base.html",
    )


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


def build_with_theme(make_site, files: dict[str, str]) -> list[str]:  # type: ignore[no-untyped-def]
    site = make_site(
        {"content/a.md": article("خبر"), **files},
        MINIMAL_CONFIG + "theme: mine\n",
    )
    return build_site(site)


def test_child_static_file_replaces_the_parents_in_the_output(make_site) -> None:  # type: ignore[no-untyped-def]
    result = build_with_theme(
        make_site,
        {
            "themes/mine/theme.yaml": "extends: digest\n",
            "themes/mine/static/css/digest.css": "body { color: red; }\n",
            "themes/mine/static/css/extra.css": "p {}\n",
        },
    )
    assert result.ok
    css = {re.sub(r"\.[0-9a-f]{10}\.css$", ".css", n): d for n, d in result.files.items()}
    assert css["css/digest.css"] == b"body { color: red; }\n"  # fingerprinted name
    assert css["css/extra.css"] == b"p {}\n"


def test_child_template_extends_the_parent_explicitly(make_site) -> None:  # type: ignore[no-untyped-def]
    result = build_with_theme(
        make_site,
        {
            "themes/mine/theme.yaml": "extends: digest\n",
            "themes/mine/templates/article.html": (
                '{% extends "@digest/article.html" %}\n'
                "{% block title %}[{{ article.title }}]{% endblock %}\n"
            ),
        },
    )
    assert result.ok, [d.format() for d in result.diagnostics]
    page = next(
        v.decode() for k, v in result.files.items() if k.endswith("/index.html") and "خبر" in k
    )
    assert "<title>[خبر]</title>" in page
    assert '<article class="story">' in page  # the rest comes from the parent


def test_missing_template_is_a_clear_error_at_the_including_line(make_site) -> None:  # type: ignore[no-untyped-def]
    result = build_with_theme(
        make_site,
        {
            "themes/mine/theme.yaml": "extends: digest\n",
            "themes/mine/templates/article.html": (
                '{% extends "base.html" %}\n{% block main %}\n'
                '{% include "partials/nowhere.html" %}\n{% endblock %}\n'
            ),
        },
    )
    assert not result.ok
    messages = [d.format() for d in result.diagnostics]
    assert messages == [
        "themes/mine/templates/article.html:3: template not found: partials/nowhere.html"
    ]


def test_unknown_parent_layer_and_self_extension_are_clear_errors(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "themes/me/theme.yaml": "extends: me\n",
            "themes/orphan/theme.yaml": "extends: ghost\n",
        },
    )
    theme, problems = load_theme("me", tmp_path / "themes", tmp_path)
    assert theme is None and problems[0].message == "theme inheritance cycle: me → me"
    theme, problems = load_theme("orphan", tmp_path / "themes", tmp_path)
    assert theme is None
    assert problems[0].format() == (
        "themes/orphan/theme.yaml: theme 'ghost' not found in themes/ or built-ins"
    )
    digest, _ = load_theme("digest", tmp_path / "themes", tmp_path)
    assert digest is not None and digest.template_source("@ghost/base.html") is None


def test_child_catalog_overrides_single_messages(make_site) -> None:  # type: ignore[no-untyped-def]
    po = (
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
        'msgid "Skip to content"\nmsgstr "تخطَّ إلى الأخبار"\n'
    )
    result = build_with_theme(
        make_site,
        {
            "themes/mine/theme.yaml": "extends: digest\n",
            "themes/mine/locale/ar/LC_MESSAGES/messages.po": po,
        },
    )
    assert result.ok
    home = result.files["index.html"].decode()
    assert "تخطَّ إلى الأخبار" in home
    assert "الأقسام" in home  # every other message still comes from the parent catalog
