"""`sitegen check`: duplicate titles, topics, bidi controls, feeds."""

from __future__ import annotations

from sitegen.check import check_site
from sitegen.check.feeds import check_feeds
from tests.conftest import article

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <id>https://example.org/</id><title>t</title><updated>2022-01-07T09:30:00+03:00</updated>
  <author><name>a</name></author>
  <link href="https://example.org/" rel="alternate"/>
  <entry><id>https://example.org/a/</id><title>a</title><updated>2022-01-07T09:30:00Z</updated>
    <link href="https://example.org/a/"/></entry>
</feed>"""
RSS = b"""<rss version="2.0"><channel><title>t</title><link>https://example.org/</link>
<description>d</description><item><title>a</title><link>https://example.org/a/</link>
<pubDate>Fri, 07 Jan 2022 09:30:00 +0300</pubDate></item></channel></rss>"""


def formatted(site) -> list[str]:
    return [d.format() for d in check_site(site)]


def test_duplicate_titles_on_one_day_are_reported_on_both(make_site):
    site = make_site(
        {
            "content/a.md": article("قمةُ الرياض", topic="سياسة"),
            "content/b.md": article(
                "قمة  الرياض", date="2022-01-07T11:00:00+03:00", topic="سياسة", slug="قمة-2"
            ),
            "content/c.md": article("قمة الرياض", date="2022-01-06", topic="سياسة"),
        }
    )
    assert formatted(site) == [
        "content/a.md:2: warning: same title as content/b.md on 2022-01-07",
        "content/b.md:2: warning: same title as content/a.md on 2022-01-07",
    ]


def test_article_without_topic(make_site):
    site = make_site({"content/a.md": article("خبر")})
    assert formatted(site) == ["content/a.md:2: warning: article has no topic (add `topic:`)"]


def test_bidi_control_in_a_title(make_site):
    text = (
        '---\ntitle: "خبر\u200f عاجل"\ndate: 2022-01-07\ntopic: سياسة\nslug: "\u202bخبر"\n---\nنص\n'
    )
    site = make_site({"content/a.md": text})
    hint = (
        "(sitegen drops it, so remove it; the theme sets each title's direction with `dir` "
        "from the article's `lang:`/`dir:` and isolates names in <bdi>)"
    )
    assert formatted(site) == [
        f"content/a.md:2: warning: title contains the invisible bidi control U+200F {hint}",
        f"content/a.md:5: warning: slug contains the invisible bidi control U+202B {hint}",
    ]


def test_valid_feeds_pass_and_other_xml_is_ignored():
    files = {"feed.xml": ATOM, "rss.xml": RSS, "sitemap.xml": b"<urlset/>", "x.xml": b"<a/>"}
    assert check_feeds(files, "output") == []


def test_invalid_atom_names_each_problem():
    bad = (
        ATOM.replace(b"<id>https://example.org/</id>", b"")
        .replace(b"2022-01-07T09:30:00Z", b"7 January")
        .replace(b"<author><name>a</name></author>", b"")
        .replace(b'<link href="https://example.org/" rel="alternate"/>', b'<link href="/"/>')
    )
    assert [d.format() for d in check_feeds({"topics/x/feed.xml": bad}, "output")] == [
        "output/topics/x/feed.xml: invalid feed: feed has no <id>",
        "output/topics/x/feed.xml: invalid feed: entry 1 <updated> '7 January' is not an RFC 3339 date",
        "output/topics/x/feed.xml: invalid feed: entry 1 has no author (and the feed has none)",
        "output/topics/x/feed.xml: invalid feed: link '/' is not an absolute http(s) URL",
    ]


def test_invalid_rss_and_broken_xml():
    bad = RSS.replace(b"<description>d</description>", b"").replace(b"Fri, 07", b"Friday 07")
    found = [d.format() for d in check_feeds({"rss.xml": bad, "feed.xml": b"<feed>"}, "output")]
    assert found[0].startswith("output/feed.xml:1: feed is not well-formed XML: ")
    assert found[1:] == [
        "output/rss.xml: invalid feed: channel has no <description>",
        "output/rss.xml: invalid feed: item 1 <pubDate> 'Friday 07 Jan 2022 09:30:00 +0300' "
        "is not an RFC 822 date",
    ]


def test_built_feeds_are_checked(make_site):
    site = make_site(
        {"content/a.md": article("خبر", topic="سياسة"), "static/extra/feed.xml": RSS.decode()[:-10]}
    )
    (problem,) = formatted(site)
    assert problem.startswith("output/extra/feed.xml:3: feed is not well-formed XML")
