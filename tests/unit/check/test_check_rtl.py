"""`sitegen check`: the RTL lint."""

from __future__ import annotations

from click.testing import CliRunner

from sitegen.build import theme as theme_module
from sitegen.check import check_site
from sitegen.check.css import lint_css
from sitegen.check.rtl import is_directional
from sitegen.cli import main
from tests.conftest import MINIMAL_CONFIG, article

UNSAFE_KEY = "markdown: {unsafe_html: true}\n"
UNSAFE = MINIMAL_CONFIG + UNSAFE_KEY
CHILD = MINIMAL_CONFIG + "theme: mine\n"


def formatted(site) -> list[str]:
    return [d.format() for d in check_site(site)]


def child_theme(**templates: str) -> dict[str, str]:
    files = {
        "themes/mine/theme.yaml": "extends: digest\n",
        "content/a.md": article("خبر", topic="سياسة"),
    }
    files.update({f"themes/mine/{name}": text for name, text in templates.items()})
    return files


def test_the_builtin_theme_and_markdown_code_blocks_are_clean(make_site):
    body = "```\nfind / -name x\n```\n\n    indented code\n"
    site = make_site({"content/a.md": article("خبر", body=body, topic="سياسة")})
    assert formatted(site) == []


def test_pages_without_lang_or_dir(make_site):
    site = make_site(
        child_theme(**{"templates/404.html": '<!DOCTYPE html>\n<html lang="ar"><p>x</p></html>\n'}),
        config=CHILD,
    )
    assert formatted(site) == ["output/404.html:1: <html> has no dir"]


def test_raw_pre_and_inline_physical_styles_in_content(make_site):
    body = '<pre>ls -la</pre>\n\n<p style="margin-left: 2em; text-align: right">نص</p>\n'
    site = make_site({"content/a.md": article("خبر", body=body, topic="سياسة")}, config=UNSAFE)
    assert not [p for p in formatted(site) if "<pre>" in p]  # the renderer adds dir="ltr"
    site = make_site(
        {
            "content/a.md": article(
                "خبر", body=body.replace("<pre>", '<pre dir="rtl">'), topic="سياسة"
            )
        },
        config=UNSAFE,
    )
    assert formatted(site) == [
        'content/a.md:6: warning: <pre> without dir="ltr": code reads backwards in RTL pages',
        "content/a.md:8: warning: 'margin-left' is physical; use 'margin-inline-end'",
        "content/a.md:8: warning: 'text-align: right' is physical; use 'text-align: start'",
    ]


def test_physical_css_in_theme_and_site_stylesheets(make_site):
    files = child_theme(
        **{"static/css/mine.css": ".a {\n  float: left;\n}\n[dir=ltr] .b { left: 0 }\n"}
    )
    files["static/css/site.css"] = ".c { margin: 0 1em 0 0; left: 0; right: 0 }\n"
    site = make_site(files, config=CHILD)
    assert formatted(site) == [
        "static/css/site.css:1: warning: 'margin: 0 1em 0 0' sets left and right apart; use 'margin-inline'",
        "themes/mine/static/css/mine.css:2: warning: 'float: left' is physical; use 'float: inline-end'",
    ]


def test_logical_replacements_keep_the_layout_of_the_sites_direction():
    css = (
        ".a { margin-left: 1em; float: right; border-top-left-radius: 2px; right: 0 }\n"
        "[dir=ltr] { .b { margin-left: 1em } }\n"
        ".c { &:dir(rtl) { padding-right: 0 } }\n"
    )
    assert lint_css(css, "rtl") == [
        (1, "'margin-left' is physical; use 'margin-inline-end'"),
        (1, "'float: right' is physical; use 'float: inline-start'"),
        (1, "'border-top-left-radius' is physical; use 'border-start-end-radius'"),
        (1, "'right' is physical; use 'inset-inline-start'"),
    ]
    assert lint_css(css, "ltr") == [
        (1, "'margin-left' is physical; use 'margin-inline-start'"),
        (1, "'float: right' is physical; use 'float: inline-end'"),
        (1, "'border-top-left-radius' is physical; use 'border-start-start-radius'"),
        (1, "'right' is physical; use 'inset-inline-end'"),
    ]


def test_an_ltr_site_gets_ltr_replacements(make_site):
    body = '<p style="margin-left: 2em">text</p>\n'
    files = child_theme(**{"static/css/mine.css": ".a { float: left }\n"})
    files["content/a.md"] = article("News", body=body, topic="x")
    site = make_site(files, config=CHILD.replace("language: ar", "language: en") + UNSAFE_KEY)
    assert formatted(site) == [
        "content/a.md:6: warning: 'margin-left' is physical; use 'margin-inline-start'",
        "themes/mine/static/css/mine.css:1: warning: 'float: left' is physical; use 'float: inline-start'",
    ]


def test_arrows_and_icons_that_do_not_mirror(make_site):
    site = make_site(
        child_theme(
            **{
                "templates/404.html": (
                    '{% extends "@digest/404.html" %}\n'
                    '{% block main %}<a href="/">→ back</a>\n'
                    '<span class="arrow">→</span>\n'
                    '<img src="/icons/chevron-left.svg" alt="">\n'
                    "« fine »{% endblock %}\n"
                ),
                "static/icons/chevron-left.svg": "<svg/>",
            }
        ),
        config=CHILD,
    )
    hint = "(flip it with a :dir() rule (transform: scaleX(-1)) on its class, or use ‹ ›)"
    assert formatted(site) == [
        f"themes/mine/templates/404.html:2: warning: arrow → (U+2192) does not mirror in RTL {hint}",
        f"themes/mine/templates/404.html:4: warning: icon 'chevron-left' points one way in both directions {hint}",
    ]


def test_the_arrow_lint_reads_the_theme_the_build_used(make_site, monkeypatch):
    """`check` lints the templates of the build's theme: theme files are read once."""
    site = make_site(
        child_theme(**{"templates/404.html": '{% extends "@digest/404.html" %}\n'}), config=CHILD
    )
    read = []
    real = theme_module._read_layer
    monkeypatch.setattr(theme_module, "_read_layer", lambda *a: read.append(a[0]) or real(*a))
    assert formatted(site) == []
    assert read == ["mine", "digest"]


def test_directional_characters():
    assert all(is_directional(c) for c in "→←⇒▶◀➜")
    assert not any(is_directional(c) for c in "↑↓↔‹›«»()>a")


def test_cli_exit_codes_and_external(make_site):
    site = make_site({"content/a.md": article("خبر", topic="سياسة", body="[x](/nope/)")})
    runner = CliRunner()
    broken = runner.invoke(main, ["check", "--source", str(site.root), "--external"])
    assert broken.exit_code == 1
    assert "--external is out of scope" in broken.stderr
    assert "content/a.md:6: broken link /nope/" in broken.stderr
    (site.root / "content/a.md").write_text(article("خبر", topic="سياسة"), encoding="utf-8")
    clean = runner.invoke(main, ["check", "--source", str(site.root)])
    assert (clean.exit_code, clean.stdout) == (0, "no problems found\n")
