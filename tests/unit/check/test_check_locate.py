"""`sitegen check`: where problems are reported (article lines, repeats in templates)."""

from __future__ import annotations

import io

from PIL import Image

from sitegen.build.incremental import reuse  # the model stage runs through `Reuse.model`
from sitegen.check import check_site
from tests.conftest import MINIMAL_CONFIG, article

UNSAFE = MINIMAL_CONFIG + "markdown: {unsafe_html: true}\n"


def formatted(site) -> list[str]:
    return [d.format() for d in check_site(site)]


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (2, 2), "red").save(buffer, "PNG")
    return buffer.getvalue()


def test_each_repeat_of_a_problem_in_the_body_is_reported_at_its_own_line(make_site):
    body = "[أ](/missing/)\n\nنص.\n\n[ب](/missing/)\n\n<pre dir='rtl'>x</pre>\n\n"
    body += "<pre dir='rtl'>y</pre>\n"
    site = make_site({"content/a.md": article("خبر", body=body, topic="سياسة")}, config=UNSAFE)
    assert formatted(site) == [
        "content/a.md:6: broken link /missing/: nothing is built at /missing/",
        "content/a.md:10: broken link /missing/: nothing is built at /missing/",
        'content/a.md:12: warning: <pre> without dir="ltr": code reads backwards in RTL pages',
        'content/a.md:14: warning: <pre> without dir="ltr": code reads backwards in RTL pages',
    ]


def test_a_body_problem_the_html_spells_differently_points_at_the_article(make_site):
    body = "نص.\n\n[رابط](/nowhere/?q=1&amp;page=2)\n"
    site = make_site({"content/a.md": article("خبر", body=body, topic="سياسة")})
    assert formatted(site) == [
        "content/a.md:8: broken link /nowhere/?q=1&page=2: nothing is built at /nowhere/"
    ]


def test_body_images_without_alt_are_reported_once_by_the_build(make_site):
    body = 'نص.\n\n<img src="/p.png">\n\n<img src="https://cdn.example/x.png">\n'
    site = make_site(
        {"content/a.md": article("خبر", body=body, topic="سياسة"), "static/p.png": png()},
        config=UNSAFE,
    )
    found = formatted(site)
    assert not [line for line in found if line.startswith("output/")], found
    assert [line.split(": warning: ")[1] for line in found] == [
        "image '/p.png' has no alt text",
        'image https://cdn.example/x.png has no alt text (use alt="" for decoration)',
    ]
    assert found[1].startswith("content/a.md:10: ")


def test_repeats_on_one_page_are_not_counted_as_pages(make_site):
    page = '<img src="/a.png">\n' * 14
    site = make_site(
        {
            "content/a.md": article("خبر", topic="سياسة"),
            "themes/mine/theme.yaml": "extends: digest\n",
            "themes/mine/templates/404.html": '{% extends "@digest/404.html" %}{% block main %}'
            + page
            + "{% endblock %}\n",
            "themes/mine/static/a.png": "x",
        },
        config=MINIMAL_CONFIG + "theme: mine\n",
    )
    [found] = formatted(site)
    assert "has no alt text (and 13 more times on this page) (use" in found, found


def test_problems_are_located_in_the_source_as_loaded(make_site, monkeypatch):
    """`check` never reads an article again: a file gone after parsing keeps its lines."""
    body = "نص.\n\n[أ](/missing/)\n"
    site = make_site(
        {"content/a.md": article("خبر", body=body, slug="khabar\u200f", topic="سياسة")}
    )
    parsed_only = reuse.model_articles

    def model_after_deleting(*args, **kwargs):
        (site.root / "content" / "a.md").unlink()
        return parsed_only(*args, **kwargs)

    monkeypatch.setattr(reuse, "model_articles", model_after_deleting)
    assert formatted(site) == [
        "content/a.md:4: warning: slug contains the invisible bidi control U+200F (sitegen "
        "drops it, so remove it; the theme sets each title's direction with `dir` from the "
        "article's `lang:`/`dir:` and isolates names in <bdi>)",
        "content/a.md:9: broken link /missing/: nothing is built at /missing/",
    ]
