"""`sitegen check`: internal links, anchors, files and alt text."""

from __future__ import annotations

import io

from PIL import Image

from sitegen.build.pipeline import BuildOptions
from sitegen.check import check_site
from sitegen.core.config import load_site
from sitegen.scaffold import new_site
from tests.conftest import FIXED_NOW, MINIMAL_CONFIG, article, build_site


def png() -> bytes:
    """A real 2×2 PNG (the build processes article images)."""
    buffer = io.BytesIO()
    Image.new("RGB", (2, 2), "red").save(buffer, "PNG")
    return buffer.getvalue()


TARGET = article(
    "الهدف", date="2022-01-06T10:00:00+03:00", body="## خلفية القرار\n\nنص.", topic="سياسة"
)
TARGET_URL = "/2022/01/06/الهدف/"
ENCODED_URL = "/2022/01/06/%D8%A7%D9%84%D9%87%D8%AF%D9%81/"


def problems(make_site, body: str, config: str = MINIMAL_CONFIG, **files: str) -> list[str]:
    site = make_site(
        {
            "content/target.md": TARGET,
            "content/a.md": article("خبر", body=body, topic="سياسة"),
            **files,
        },
        config=config,
    )
    return [d.format() for d in check_site(site)]


def test_good_links_in_every_spelling_pass(make_site):
    body = "\n\n".join(
        [
            f"[يونيكود]({TARGET_URL})",
            f"[مرمّز]({ENCODED_URL})",
            "[بلا شرطة](/2022/01/06/الهدف)",
            "[نسبي](../../06/الهدف/)",
            f"[مرساة]({TARGET_URL}#body-خلفية-القرار)",  # heading ids have the body- prefix
            f"[موقعنا](https://example.org{ENCODED_URL})",
            "[خارجي](https://other.example/x) [بريد](mailto:a@b.c)",
            "![شعار](/logo.png)",
        ]
    )
    assert problems(make_site, body, **{"static/logo.png": png()}) == []


def test_broken_link_is_reported_at_the_articles_line(make_site):
    body = "سطر أول.\n\nثم [رابط مكسور](/2022/01/06/غير-موجود/) هنا."
    assert problems(make_site, body) == [
        "content/a.md:8: broken link /2022/01/06/غير-موجود/: nothing is built at "
        "/2022/01/06/غير-موجود/"
    ]


def test_a_broken_link_is_located_in_the_body_not_the_front_matter(make_site):
    site = make_site(
        {
            "content/a.md": article(
                "خبر", summary="'/old/ moved'", topic="سياسة", body="سطر.\n\n[رابط](/old/)"
            )
        }
    )
    assert [d.format() for d in check_site(site)] == [
        "content/a.md:9: broken link /old/: nothing is built at /old/"
    ]


def test_broken_anchors_and_missing_file(make_site):
    body = f"[مرساة]({ENCODED_URL}#%D9%84%D8%A7)\n\n[ملف](/files/report.pdf)\n\n[هنا](#لا-يوجد)"
    found = problems(make_site, body)
    assert found == [
        f"content/a.md:6: broken anchor in {ENCODED_URL}#%D9%84%D8%A7: no id 'لا' on {TARGET_URL}",
        "content/a.md:8: broken link /files/report.pdf: nothing is built at /files/report.pdf",
        # Same-page links get the body- prefix of body ids; the line is still the source's.
        "content/a.md:10: broken anchor in #body-لا-يوجد: no id 'body-لا-يوجد' on /2022/01/07/خبر/",
    ]


def test_own_absolute_url_is_checked_too(make_site):
    found = problems(make_site, "[قديم](https://example.org/old/)")
    assert found == [
        "content/a.md:6: broken link https://example.org/old/: nothing is built at /old/"
    ]


def test_link_outside_the_base_path(make_site):
    config = MINIMAL_CONFIG.replace("https://example.org/", "https://example.org/news/")
    found = problems(make_site, "[خارج](/other/)", config=config)
    assert found == ["content/a.md:6: link /other/ leads outside the site (base path /news/)"]


def line_of(site, output: str, needle: str) -> int:
    """The line of the built page `output` that holds `needle` (the theme decides the layout)."""
    lines = build_site(site).files[output].decode().splitlines()
    return next(number for number, line in enumerate(lines, 1) if needle in line)


def test_template_images_missing_or_without_alt(make_site):
    page = '<img src="/img/masthead.png">\n<img src="/img/none.png" alt="">\n'
    site = make_site(
        {
            "content/target.md": TARGET,
            "content/a.md": article("خبر", body="نص.", topic="سياسة"),
            "themes/mine/theme.yaml": "extends: digest\n",
            "themes/mine/templates/404.html": '{% extends "@digest/404.html" %}{% block main %}'
            + page
            + "{% endblock %}\n",
            "themes/mine/static/img/masthead.png": "x",
        },
        config=MINIMAL_CONFIG + "theme: mine\n",
    )
    found = [d.format() for d in check_site(site)]
    masthead = line_of(site, "404.html", "/img/masthead.png")
    assert found == [
        f'output/404.html:{masthead}: warning: image /img/masthead.png has no alt text (use alt="" for decoration)',
        f"output/404.html:{masthead + 1}: missing image /img/none.png: nothing is built at /img/none.png",
    ]


def test_a_template_mistake_is_reported_once(make_site):
    site = make_site(
        {
            "content/target.md": TARGET,
            "content/a.md": article("خبر", body="نص.", topic="سياسة"),
            "themes/mine/theme.yaml": "extends: digest\n",
            "themes/mine/templates/base.html": (
                '{% extends "@digest/base.html" %}\n'
                '{% block head %}<link rel="icon" href="{{ site.url }}favicon.ico">{% endblock %}\n'
            ),
        },
        config=MINIMAL_CONFIG + "theme: mine\n",
    )
    found = [d.format() for d in check_site(site)]
    icon = line_of(site, "2022/01/06/index.html", "favicon.ico")
    assert len(found) == 1
    assert found[0].startswith(f"output/2022/01/06/index.html:{icon}: missing file /favicon.ico: ")
    assert found[0].endswith(" more pages)")


def test_empty_alt_marks_a_decorative_image_in_an_article(make_site):
    body = '![](/logo.png)\n\n<img src="/logo.png" alt="">\n\n<img src="https://cdn.example/x.png" alt="">\n'
    for config in (MINIMAL_CONFIG, MINIMAL_CONFIG + "markdown: {unsafe_html: true}\n"):
        site = make_site(
            {
                "content/a.md": article("خبر", body=body, topic="سياسة"),
                "static/logo.png": png(),
            },
            config=config,
        )
        assert [d.format() for d in build_site(site).diagnostics] == []
        assert [d.format() for d in check_site(site)] == []


def test_an_article_image_without_alt_attribute_is_warned_once(make_site):
    body = 'نص.\n\n<img src="/logo.png">\n'
    site = make_site(
        {"content/a.md": article("خبر", body=body, topic="سياسة"), "static/logo.png": png()},
        config=MINIMAL_CONFIG + "markdown: {unsafe_html: true}\n",
    )
    assert [d.format() for d in check_site(site)] == [
        "content/a.md:8: warning: image '/logo.png' has no alt text"
    ]


def test_the_bilingual_starter_passes_and_links_between_editions_are_checked(tmp_path):
    """`sitegen new site --languages ar,en`: every page of both editions (switcher, hreflang,
    /en/ feeds and search) links to something built; an English article's broken /en/ link
    is still found."""
    root = tmp_path / "news"
    new_site(root, "ar", None, FIXED_NOW, ("en",))
    site, _ = load_site(root)
    assert site is not None
    assert [d.format() for d in check_site(site, BuildOptions(now=FIXED_NOW))] == []
    english = next(root.glob("content/politics/*-city-council-*.md"))
    with english.open("a", encoding="utf-8") as handle:
        handle.write("\n[Markets](/en/topics/economy/) [Gone](/en/topics/sport/)\n")
    site, _ = load_site(root)
    assert site is not None
    found = [d.format() for d in check_site(site, BuildOptions(now=FIXED_NOW))]
    assert len(found) == 1 and found[0].startswith(f"content/politics/{english.name}:")
    assert found[0].endswith("broken link /en/topics/sport/: nothing is built at /en/topics/sport/")
