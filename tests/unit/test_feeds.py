"""Feed data (sitegen.build.feeds) and the digest theme's Atom and RSS templates."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

import feedparser
from lxml import etree

from sitegen.build.feeds import absolute_html
from sitegen.core.config import Site
from tests.conftest import FIXED_NOW, MINIMAL_CONFIG, article, build_site
from tests.feedcheck import atom_problems, reader_problems, rss_problems

ATOM = "{http://www.w3.org/2005/Atom}"
BASE = "https://example.org/news/2022/01/07/خبر/"


def test_absolute_html_resolves_links_images_and_srcset_and_percent_encodes() -> None:
    html = (
        '<p><a href="/news/2022/01/06/أمس/">أمس</a> <a href="#فقرة">هنا</a> '
        "<a href='../../06/'>single</a> <a href=\"https://other.org/x\">x</a></p>"
        '<picture><source srcset="/news/images/a-360.webp 360w, /news/images/a-720.webp 720w">'
        '<img src="images/a.jpg" alt="صورة"></picture>'
    )
    out = absolute_html(html, "https://example.org/news/2022/01/07/%D8%AE%D8%A8%D8%B1/")
    assert 'href="https://example.org/news/2022/01/06/%D8%A3%D9%85%D8%B3/"' in out
    assert 'href="https://example.org/news/2022/01/07/%D8%AE%D8%A8%D8%B1/#%D9%81' in out
    assert 'href="https://example.org/news/2022/01/06/"' in out
    assert 'href="https://other.org/x"' in out
    assert (
        'srcset="https://example.org/news/images/a-360.webp 360w, '
        'https://example.org/news/images/a-720.webp 720w"'
    ) in out
    assert 'src="https://example.org/news/2022/01/07/%D8%AE%D8%A8%D8%B1/images/a.jpg"' in out
    assert ">أمس<" in out and 'alt="صورة"' in out


def test_absolute_html_leaves_markup_shown_as_text_alone() -> None:
    html = '<pre><code>&lt;a href="/x"&gt;</code></pre><p>href="/y" in text</p>'
    assert absolute_html(html, "https://example.org/") == html


def feed_site(make_site: Callable[..., Site], feeds: str = "", **files: str) -> dict[str, bytes]:
    config = MINIMAL_CONFIG + "description: موجز\nauthor: فريق التحرير\n" + feeds
    contents = {
        "content/politics/a.md": article(
            "القمة تبدأ & تنتهي <اليوم>",
            "2022-01-07T09:30:00+03:00",
            "نص [الرابط](/2022/01/06/ب/).\n\n![صورة](https://cdn.example.org/x.png)",
            topic="سياسة",
            tags="[الأمن, أوروبا]",
            via="وكالة الأنباء",
            corrections="[{date: '2022-01-07T13:00:00+03:00', note: تصحيح}]",
        ),
        "content/politics/b.md": article("ب", "2022-01-06T09:00:00+03:00", topic="سياسة"),
        "content/c.md": article(
            "Summit opens", "2022-01-05T09:00:00+03:00", "English text.", lang="en"
        ),
        **files,
    }
    result = build_site(make_site(contents, config=config))
    assert result.ok, [d.format() for d in result.diagnostics]
    return result.files


def test_site_topic_and_tag_feeds_validate(make_site: Callable[..., Site]) -> None:
    files = feed_site(make_site)
    atom = [n for n in files if n.endswith("feed.xml")]
    assert sorted(atom) == sorted(
        ["feed.xml", "topics/سياسة/feed.xml", "tags/الأمن/feed.xml", "tags/أوروبا/feed.xml"]
    )
    for name in atom:
        assert atom_problems(files[name]) + reader_problems(files[name]) == [], name
        rss = name.replace("feed.xml", "rss.xml")
        assert rss_problems(files[rss]) + reader_problems(files[rss]) == [], rss
    assert "feed.json" not in files  # JSON Feed is off by default


def test_atom_entries_carry_ids_dates_categories_and_escaped_text(
    make_site: Callable[..., Site],
) -> None:
    root = etree.fromstring(feed_site(make_site)["feed.xml"])
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "ar"
    first = root.find(f"{ATOM}entry")
    assert first is not None
    assert first.findtext(f"{ATOM}title") == "القمة تبدأ & تنتهي <اليوم>"
    url = first.find(f"{ATOM}link").get("href")  # type: ignore[union-attr]
    assert first.findtext(f"{ATOM}id") == url and url.isascii()
    assert first.findtext(f"{ATOM}published") == "2022-01-07T09:30:00+03:00"
    assert first.findtext(f"{ATOM}updated") == "2022-01-07T13:00:00+03:00"  # the correction
    assert root.findtext(f"{ATOM}updated") == "2022-01-07T13:00:00+03:00"
    terms = [c.get("term") for c in first.findall(f"{ATOM}category")]
    assert terms == ["سياسة", "الأمن", "أوروبا"]
    assert first.findtext(f"{ATOM}contributor/{ATOM}name") == "وكالة الأنباء"
    content = first.findtext(f"{ATOM}content") or ""
    assert content.startswith('<div dir="rtl">')
    assert 'href="https://example.org/2022/01/06/%D8%A8/"' in content
    assert 'src="https://cdn.example.org/x.png"' in content
    english = root.findall(f"{ATOM}entry")[-1]
    assert english.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    assert not (english.findtext(f"{ATOM}content") or "").startswith("<div")


def test_feed_reader_sees_arabic_titles_and_categories(make_site: Callable[..., Site]) -> None:
    files = feed_site(make_site)
    for name in ("feed.xml", "rss.xml"):
        parsed = feedparser.parse(files[name])
        assert not parsed.bozo
        assert [e.title for e in parsed.entries] == [
            "القمة تبدأ & تنتهي <اليوم>",
            "ب",
            "Summit opens",
        ]
        assert [t.term for t in parsed.entries[0].tags] == ["سياسة", "الأمن", "أوروبا"]


def test_limit_summary_mode_tag_ids_and_json_feed(make_site: Callable[..., Site]) -> None:
    files = feed_site(
        make_site,
        "feeds:\n  limit: 2\n  content: summary\n  ids: tag\n  json: true\n  tags: false\n",
    )
    assert not any(n.startswith("tags/") and n.endswith(".xml") for n in files)
    root = etree.fromstring(files["feed.xml"])
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 2
    assert all(e.find(f"{ATOM}content") is None for e in entries)
    assert entries[1].findtext(f"{ATOM}id") == "tag:example.org,2022-01-06:2022/01/06/%D8%A8/"
    assert atom_problems(files["feed.xml"]) == []
    rss = etree.fromstring(files["rss.xml"])
    guid = rss.find("channel/item/guid")
    assert guid is not None and guid.get("isPermaLink") == "false"
    assert rss.find("channel/item/{http://purl.org/rss/1.0/modules/content/}encoded") is None
    assert rss_problems(files["rss.xml"]) == []

    data = json.loads(files["feed.json"])
    assert data["version"] == "https://jsonfeed.org/version/1.1"
    assert data["feed_url"] == "https://example.org/feed.json"
    assert data["language"] == "ar" and data["authors"] == [{"name": "فريق التحرير"}]
    first = data["items"][0]
    assert first["content_text"] == first["summary"] and "content_html" not in first
    assert first["tags"] == ["سياسة", "الأمن", "أوروبا"]
    assert first["date_modified"] == "2022-01-07T13:00:00+03:00"
    assert "topics/سياسة/feed.json" in files


def test_feeds_can_be_switched_off(make_site: Callable[..., Site]) -> None:
    files = feed_site(make_site, "feeds:\n  atom: false\n  rss: false\n")
    assert not [n for n in files if n.endswith(("feed.xml", "rss.xml", "feed.json"))]
    assert b'type="application/atom+xml"' not in files["index.html"]


def test_no_feeds_or_sitemaps_without_a_full_base_url(make_site: Callable[..., Site]) -> None:
    site = make_site({"content/a.md": article("خبر")}, config="title: موقع\nbase_url: /news/\n")
    result = build_site(site)
    assert result.ok and not result.diagnostics
    made = [
        n
        for n in result.files
        if n.endswith((".xml", ".json", "robots.txt")) and not n.startswith("pagefind/")
    ]
    assert made == []


def test_empty_site_feed_is_valid_and_dated_at_build_time(make_site: Callable[..., Site]) -> None:
    result = build_site(make_site({}))
    feed = result.files["feed.xml"]
    assert atom_problems(feed) == [] and rss_problems(result.files["rss.xml"]) == []
    updated = etree.fromstring(feed).findtext(f"{ATOM}updated")
    assert dt.datetime.fromisoformat(updated or "") == FIXED_NOW


def test_a_child_theme_overrides_the_feed_template(make_site: Callable[..., Site]) -> None:
    site = make_site(
        {
            "content/a.md": article("خبر"),
            "themes/mine/theme.yaml": "extends: digest\n",
            "themes/mine/templates/feed.xml": ('{% extends "@digest/feed.xml" %}\n'),
            "themes/mine/templates/rss.xml": (
                '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
                "<title>{{ feed.title }}</title><link>{{ feed.url }}</link>"
                "<description>مخصص</description></channel></rss>\n"
            ),
        },
        config=MINIMAL_CONFIG + "theme: mine\n",
    )
    files = build_site(site).files
    assert atom_problems(files["feed.xml"]) == []
    assert b"<description>\xd9\x85\xd8\xae\xd8\xb5\xd8\xb5</description>" in files["rss.xml"]
