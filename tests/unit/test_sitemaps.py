"""Sitemaps, the sitemap index, the Google News sitemap and robots.txt (sitegen.build.syndication.sitemaps)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from lxml import etree

from sitegen.build.pipeline import BuildOptions, build
from sitegen.build.routes import Routes
from sitegen.build.syndication.sitemaps import (
    NewsEntry,
    SitemapEntry,
    news_sitemap,
    recent,
    robots_txt,
    sitemap_files,
    urlset,
)
from sitegen.core.config import Site, parse_config
from tests.conftest import FIXED_NOW, MINIMAL_CONFIG, article, build_site
from tests.feedcheck import sitemap_problems

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
CONFIG, _ = parse_config("title: x\nbase_url: https://example.org/news/\n")
assert CONFIG is not None
ROUTES = Routes(CONFIG)


def entries(count: int) -> list[SitemapEntry]:
    return [
        SitemapEntry(ROUTES.absolute(f"2022/01/{i:02d}/خبر-{i}/"), FIXED_NOW - dt.timedelta(days=i))
        for i in range(1, count + 1)
    ]


def test_urlset_percent_encodes_nothing_itself_but_escapes_xml() -> None:
    data = urlset([SitemapEntry("https://example.org/?a=1&b=2"), *entries(1)])
    assert b"<loc>https://example.org/?a=1&amp;b=2</loc>" in data
    assert b"%D8%AE%D8%A8%D8%B1-1/</loc><lastmod>2022-01-07T12:00:00+00:00</lastmod>" in data
    assert sitemap_problems(data) == []


def test_one_sitemap_up_to_the_limit() -> None:
    files = sitemap_files(entries(3), ROUTES, 3)
    assert list(files) == ["sitemap.xml"]
    assert len(etree.fromstring(files["sitemap.xml"]).xpath("//s:url", namespaces=NS)) == 3


def test_an_index_of_parts_past_the_limit() -> None:
    files = sitemap_files(entries(5), ROUTES, 2)
    assert sorted(files) == ["sitemap-1.xml", "sitemap-2.xml", "sitemap-3.xml", "sitemap.xml"]
    index = etree.fromstring(files["sitemap.xml"])
    assert index.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}sitemapindex"
    assert index.xpath("//s:loc/text()", namespaces=NS) == [
        f"https://example.org/news/sitemap-{n}.xml" for n in (1, 2, 3)
    ]
    # each part's lastmod is its newest page
    assert index.xpath("//s:lastmod/text()", namespaces=NS)[0] == "2022-01-07T12:00:00+00:00"
    for name, data in files.items():
        assert sitemap_problems(data) == [], name
    parts = [etree.fromstring(files[f"sitemap-{n}.xml"]) for n in (1, 2, 3)]
    assert [len(p.xpath("//s:url", namespaces=NS)) for p in parts] == [2, 2, 1]


def test_recent_keeps_the_window_newest_first() -> None:
    def at(hours: float) -> NewsEntry:
        return NewsEntry(
            f"https://example.org/{hours}/", "خبر", FIXED_NOW - dt.timedelta(hours=hours)
        )

    got = recent([at(49), at(1), at(48), at(-1), at(0), at(47.9)], FIXED_NOW, 48)
    assert [e.url for e in got] == [
        "https://example.org/0/",
        "https://example.org/1/",
        "https://example.org/47.9/",
        "https://example.org/48/",
    ]


def test_news_sitemap_validates_with_escaped_arabic_titles() -> None:
    entry = NewsEntry("https://example.org/a/", "الذهب <يرتفع> & النفط", FIXED_NOW)
    data = news_sitemap([entry], "المرصد & شركاه", "ar")
    assert sitemap_problems(data) == []
    text = data.decode()
    assert "<news:title>الذهب &lt;يرتفع&gt; &amp; النفط</news:title>" in text
    assert "<news:name>المرصد &amp; شركاه</news:name><news:language>ar</news:language>" in text
    assert "<news:publication_date>2022-01-08T12:00:00+00:00</news:publication_date>" in text


def test_robots_txt_names_every_sitemap() -> None:
    text = robots_txt(["https://example.org/sitemap.xml", "https://example.org/news-sitemap.xml"])
    assert text.decode().splitlines() == [
        "User-agent: *",
        "Disallow:",
        "",
        "Sitemap: https://example.org/sitemap.xml",
        "Sitemap: https://example.org/news-sitemap.xml",
    ]


def news_site(make_site: Callable[..., Site], extra: str = "") -> Site:
    return make_site(
        {
            "content/a.md": article("قبل ساعة", "2022-01-08T14:00:00+03:00"),
            "content/b.md": article("قبل يومين", "2022-01-06T14:00:00+03:00"),
            "content/c.md": article("قبل أسبوع", "2022-01-01T09:00:00+03:00"),
        },
        config=MINIMAL_CONFIG + extra,
    )


def news_titles(data: bytes) -> list[str]:
    ns = {"n": "http://www.google.com/schemas/sitemap-news/0.9"}
    return etree.fromstring(data).xpath("//n:title/text()", namespaces=ns)


def test_news_sitemap_follows_the_build_time(make_site: Callable[..., Site]) -> None:
    site = news_site(make_site)
    assert news_titles(build_site(site).files["news-sitemap.xml"]) == ["قبل ساعة"]
    later = build(site, BuildOptions(now=FIXED_NOW - dt.timedelta(days=1)))
    assert later.ok
    # a day earlier the first article does not exist yet and the second one is recent
    assert news_titles(later.files["news-sitemap.xml"]) == ["قبل يومين"]
    wider = build_site(news_site(make_site, "sitemap:\n  news_hours: 72\n"))
    assert news_titles(wider.files["news-sitemap.xml"]) == ["قبل ساعة", "قبل يومين"]


def test_source_date_epoch_sets_the_news_window(
    make_site: Callable[..., Site], monkeypatch: pytest.MonkeyPatch
) -> None:
    site = news_site(make_site)
    monkeypatch.setenv(
        "SOURCE_DATE_EPOCH", str(int(dt.datetime(2022, 1, 7, tzinfo=dt.UTC).timestamp()))
    )
    first = build(site, BuildOptions())
    second = build(site, BuildOptions())
    assert first.files == second.files
    assert news_titles(first.files["news-sitemap.xml"]) == ["قبل يومين"]


def test_without_recent_articles_there_is_no_news_sitemap(make_site: Callable[..., Site]) -> None:
    site = make_site({"content/a.md": article("قديم", "2021-12-01T09:00:00+03:00")})
    files = build_site(site).files
    assert "news-sitemap.xml" not in files
    assert b"news-sitemap" not in files["robots.txt"]


def test_sitemap_switches_and_a_small_limit(make_site: Callable[..., Site]) -> None:
    site = news_site(make_site, "sitemap:\n  max_urls: 4\n  news: false\n  robots: false\n")
    files = build_site(site).files
    assert "news-sitemap.xml" not in files and "robots.txt" not in files
    parts = sorted(n for n in files if n.startswith("sitemap-"))
    assert len(parts) >= 3 and etree.fromstring(files["sitemap.xml"]).tag.endswith("sitemapindex")
    for name in [*parts, "sitemap.xml"]:
        assert sitemap_problems(files[name]) == [], name
    listed = [
        loc
        for name in parts
        for loc in etree.fromstring(files[name]).xpath("//s:loc/text()", namespaces=NS)
    ]
    pages = [n for n in files if n.endswith("index.html") and n != "search/index.html"]
    assert len(listed) == len(set(listed)) == len(pages)  # the search page is noindex


def test_a_static_robots_txt_is_reported_with_its_switch(make_site: Callable[..., Site]) -> None:
    site = make_site({"content/a.md": article("خبر"), "static/robots.txt": "User-agent: *\n"})
    result = build_site(site)
    assert [d.format() for d in result.diagnostics] == [
        "static/robots.txt: robots.txt is also made by sitegen (sitemap.robots)"
        " (set 'sitemap.robots: false' in sitegen.yaml to publish your own)"
    ]
    site = make_site(
        {"content/a.md": article("خبر"), "static/robots.txt": "User-agent: *\n"},
        config=MINIMAL_CONFIG + "sitemap:\n  robots: false\n",
    )
    assert build_site(site).files["robots.txt"] == b"User-agent: *\n"
