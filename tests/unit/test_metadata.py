"""Page metadata: Open Graph, Twitter cards, JSON-LD, autodiscovery, hreflang (sitegen.build.syndication.metadata)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from urllib.parse import unquote

import pytest

from sitegen.core.config import Site
from tests.conftest import MINIMAL_CONFIG, article, build_site

SCRIPT = re.compile(rb'<script type="application/ld\+json">(.*?)</script>', re.S)
META = re.compile(r'<meta (?:property|name)="([^"]+)" content="([^"]*)">')


def jsonld(page: bytes) -> dict:
    [data] = SCRIPT.findall(page)
    return json.loads(data)


def meta(page: bytes) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for key, value in META.findall(page.decode()):
        found.setdefault(key, []).append(value)
    return found


FULL = article(
    "القمة تبدأ أعمالها",
    "2022-01-07T09:30:00+03:00",
    topic="سياسة",
    tags="[الأمن, أوروبا]",
    authors="[سارة علي, أحمد حسن]",
    summary="قادة الحلف يبحثون الأمن.",
    image="https://cdn.example.org/summit.jpg",
    image_alt="القادة",
    via="وكالة الأنباء العربية",
    source_url="https://agency.example.org/summit",
    updated="2022-01-07T12:00:00+03:00",
    corrections="[{date: '2022-01-07T13:00:00+03:00', note: صُحح عدد الدول.}]",
)


def built(
    make_site: Callable[..., Site], files: dict[str, str], extra: str = ""
) -> dict[str, bytes]:
    result = build_site(make_site(files, config=MINIMAL_CONFIG + extra))
    assert result.ok, [d.format() for d in result.diagnostics]
    return result.files


PAGE = "2022/01/07/القمة-تبدأ-أعمالها/index.html"


def test_news_article_json_ld_has_every_field(make_site: Callable[..., Site]) -> None:
    files = built(
        make_site,
        {"content/a.md": FULL},
        "metadata:\n  publisher: مؤسسة المرصد\n  logo: https://example.org/logo.png\n",
    )
    data = jsonld(files[PAGE])
    url = "https://example.org/2022/01/07/%D8%A7%D9%84%D9%82%D9%85%D8%A9-%D8%AA%D8%A8%D8%AF%D8%A3-%D8%A3%D8%B9%D9%85%D8%A7%D9%84%D9%87%D8%A7/"
    assert data == {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": "القمة تبدأ أعمالها",
        "description": "قادة الحلف يبحثون الأمن.",
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "datePublished": "2022-01-07T09:30:00+03:00",
        "dateModified": "2022-01-07T13:00:00+03:00",
        "author": [
            {"@type": "Person", "name": "سارة علي"},
            {"@type": "Person", "name": "أحمد حسن"},
        ],
        "publisher": {
            "@type": "Organization",
            "name": "مؤسسة المرصد",
            "url": "https://example.org/",
            "logo": {"@type": "ImageObject", "url": "https://example.org/logo.png"},
        },
        "image": ["https://cdn.example.org/summit.jpg"],
        "articleSection": "سياسة",
        "keywords": ["الأمن", "أوروبا"],
        "inLanguage": "ar",
        "isBasedOn": "https://agency.example.org/summit",
        "creditText": "وكالة الأنباء العربية",
        "correction": [
            {
                "@type": "CorrectionComment",
                "text": "صُحح عدد الدول.",
                "datePublished": "2022-01-07T13:00:00+03:00",
            }
        ],
    }


def test_open_graph_and_twitter_tags_of_an_article(make_site: Callable[..., Site]) -> None:
    files = built(make_site, {"content/a.md": FULL}, "metadata:\n  twitter: '@almarsad'\n")
    tags = meta(files[PAGE])
    assert tags["og:title"] == ["القمة تبدأ أعمالها"]
    assert tags["og:description"] == tags["description"] == ["قادة الحلف يبحثون الأمن."]
    assert tags["og:locale"] == ["ar_AR"] and tags["og:type"] == ["article"]
    assert tags["og:site_name"] == ["موقع تجريبي"]
    assert tags["og:image"] == ["https://cdn.example.org/summit.jpg"]
    assert tags["og:image:alt"] == ["القادة"]
    assert tags["article:published_time"] == ["2022-01-07T09:30:00+03:00"]
    assert tags["article:modified_time"] == ["2022-01-07T13:00:00+03:00"]
    assert tags["article:section"] == ["سياسة"] and tags["article:tag"] == ["الأمن", "أوروبا"]
    assert tags["twitter:card"] == ["summary_large_image"]
    assert tags["twitter:site"] == ["@almarsad"]


def test_without_authors_the_publisher_is_the_author(make_site: Callable[..., Site]) -> None:
    # without a share card (`card: false`), a page with no image has a summary card
    files = built(make_site, {"content/a.md": article("خبر بلا كاتب", lang="en")}, "card: false\n")
    data = jsonld(files["2022/01/07/خبر-بلا-كاتب/index.html"])
    assert data["author"] == [
        {"@type": "Organization", "name": "موقع تجريبي", "url": "https://example.org/"}
    ]
    assert data["inLanguage"] == "en" and "image" not in data
    tags = meta(files["2022/01/07/خبر-بلا-كاتب/index.html"])
    assert tags["og:locale"] == ["en_US"] and tags["twitter:card"] == ["summary"]


@pytest.mark.parametrize(
    "title",
    ["تحليل: </script><script>alert(1)</script>", "<!-- تعليق --> & </SCRIPT >", '«اقتباس» "قول"'],
)
def test_json_ld_is_safe_against_script_endings_in_titles(
    make_site: Callable[..., Site], title: str
) -> None:
    summary = json.dumps(title, ensure_ascii=False)
    files = built(make_site, {"content/a.md": article(title, slug="x", summary=summary)})
    page = files["2022/01/07/x/index.html"]
    [script] = SCRIPT.findall(page)
    assert b"<" not in script and b">" not in script
    assert json.loads(script)["headline"] == title
    assert page.count(b"<script") == 1


def test_digests_are_collection_pages_listing_their_articles(
    make_site: Callable[..., Site],
) -> None:
    files = built(
        make_site,
        {
            "content/a.md": article("أ", "2022-01-07T09:00:00+03:00", topic="سياسة"),
            "content/b.md": article("ب", "2022-01-07T10:00:00+03:00", topic="سياسة", pinned="true"),
            "content/c.md": article("ج", "2022-01-06T10:00:00+03:00", tags="[نفط]"),
        },
    )
    day = jsonld(files["2022/01/07/index.html"])
    assert day["@type"] == "CollectionPage" and "name" not in day
    assert day["isPartOf"] == {
        "@type": "WebSite",
        "name": "موقع تجريبي",
        "url": "https://example.org/",
    }
    items = day["mainEntity"]["itemListElement"]
    assert [(i["position"], unquote(i["url"])) for i in items] == [
        (1, "https://example.org/2022/01/07/ب/"),  # pinned first
        (2, "https://example.org/2022/01/07/أ/"),
    ]
    assert day["mainEntity"]["numberOfItems"] == 2
    topic = jsonld(files["topics/سياسة/index.html"])
    assert topic["name"] == "سياسة"
    assert topic["mainEntity"] == day["mainEntity"]
    assert jsonld(files["tags/نفط/index.html"])["name"] == "نفط"
    home = jsonld(files["index.html"])
    assert home["name"] == "موقع تجريبي" and home["url"] == "https://example.org/"
    assert "mainEntity" not in jsonld(files["tags/index.html"])
    assert meta(files["index.html"])["og:type"] == ["website"]


def test_autodiscovery_links_name_the_site_and_topic_feeds(make_site: Callable[..., Site]) -> None:
    files = built(make_site, {"content/a.md": article("أ", topic="سياسة", tags="[نفط]")})
    links = re.findall(
        r'<link rel="alternate" type="([^"]+)" href="([^"]+)" title="([^"]+)">',
        files["topics/سياسة/index.html"].decode(),
    )
    assert links == [
        ("application/atom+xml", "https://example.org/feed.xml", "موقع تجريبي"),
        ("application/rss+xml", "https://example.org/rss.xml", "موقع تجريبي (RSS)"),
        (
            "application/atom+xml",
            "https://example.org/topics/%D8%B3%D9%8A%D8%A7%D8%B3%D8%A9/feed.xml",
            "سياسة – موقع تجريبي",
        ),
        (
            "application/rss+xml",
            "https://example.org/topics/%D8%B3%D9%8A%D8%A7%D8%B3%D8%A9/rss.xml",
            "سياسة – موقع تجريبي (RSS)",
        ),
    ]
    assert b"tags/%D9%86%D9%81%D8%B7/feed.xml" in files["tags/نفط/index.html"]
    assert b"topics/%D8%B3%D9%8A%D8%A7%D8%B3%D8%A9/feed.xml" in files["2022/01/07/أ/index.html"]


def test_hreflang_links_translations_of_an_article(make_site: Callable[..., Site]) -> None:
    files = built(
        make_site,
        {
            "content/a.md": article("القمة", translation_key="summit"),
            "content/b.md": article("The summit", lang="en", translation_key="summit"),
            "content/c.md": article("وحيد", translation_key="alone"),
        },
    )
    expected = (
        '<link rel="alternate" hreflang="ar" href="https://example.org/2022/01/07/'
        '%D8%A7%D9%84%D9%82%D9%85%D8%A9/">\n'
        '<link rel="alternate" hreflang="en" href="https://example.org/2022/01/07/the-summit/">'
    )
    assert expected in files["2022/01/07/القمة/index.html"].decode()
    assert expected in files["2022/01/07/the-summit/index.html"].decode()
    assert b"hreflang" not in files["2022/01/07/وحيد/index.html"]


def test_not_found_page_is_noindex(make_site: Callable[..., Site]) -> None:
    files = built(make_site, {"content/a.md": article("خبر")})
    not_found = files["404.html"].decode()
    assert '<meta name="robots" content="noindex">' in not_found
    assert "<h1>الصفحة غير موجودة</h1>" in not_found and '<a href="/">' in not_found
    assert b'name="robots"' not in files["index.html"]
    assert "jsonld" not in files["404.html"].decode() and b"ld+json" not in files["404.html"]


def test_a_missing_default_image_is_a_warning(make_site: Callable[..., Site]) -> None:
    site = make_site(
        {"content/a.md": article("خبر")},
        config=MINIMAL_CONFIG + "metadata:\n  image: images/share.png\n",
    )
    result = build_site(site)
    assert [d.format() for d in result.diagnostics] == [
        "sitegen.yaml: warning: metadata.image: images/share.png is not a file of the site"
    ]
    files = built(
        make_site,
        {"content/a.md": article("خبر"), "static/images/share.png": "png"},
        "card: false\nmetadata:\n  image: /images/share.png\n",
    )
    assert meta(files["2022/01/07/خبر/index.html"])["og:image"] == [
        "https://example.org/images/share.png"
    ]
