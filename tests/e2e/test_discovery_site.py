"""The sample site's feeds, sitemaps and page metadata validate, and a sub-path build keeps
every link, asset, feed and sitemap URL inside the sub-path."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import feedparser
import pytest
from lxml import etree

from sitegen.core.config import load_site
from tests.conftest import FIXED_NOW, build_site
from tests.e2e.test_cli import run
from tests.feedcheck import atom_problems, reader_problems, rss_problems, sitemap_problems

REPO = Path(__file__).resolve().parents[2]
ARABIC = re.compile(r"[\u0600-\u06ff]")
ARTICLE_PAGE = re.compile(r"\d{4}/\d{2}/\d{2}/[^/]+/index\.html")
SUB_PATH_BASE = "https://x.org/news/"


class Page(HTMLParser):
    """Links, meta tags, JSON-LD and the <h1> of an HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.meta: dict[str, list[str]] = {}
        self.links: list[dict[str, str | None]] = []
        self.jsonld: list[str] = []
        self.h1 = ""
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        for name in ("href", "src"):
            if a.get(name):
                self.urls.append(a[name] or "")
        if a.get("srcset"):
            self.urls += [c.strip().split(" ")[0] for c in (a["srcset"] or "").split(",")]
        if tag == "meta" and (a.get("property") or a.get("name")):
            key = a.get("property") or a.get("name") or ""
            self.meta.setdefault(key, []).append(a.get("content") or "")
            if key in ("og:url", "og:image"):
                self.urls.append(a.get("content") or "")
        if tag == "meta" and a.get("http-equiv") == "refresh":
            self.urls.append((a.get("content") or "").partition("url=")[2])
        if tag == "link":
            self.links.append(a)
        if tag == "script" and a.get("type") == "application/ld+json":
            self._in = "jsonld"
            self.jsonld.append("")
        if tag == "h1":
            self._in = "h1"

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "h1"):
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "jsonld":
            self.jsonld[-1] += data
        elif self._in == "h1":
            self.h1 += data


def parse_page(data: bytes) -> Page:
    page = Page()
    page.feed(data.decode())
    return page


def build(base_url: str | None = None) -> dict[str, bytes]:
    site, problems = load_site(REPO)
    assert site is not None, problems
    if base_url:
        site = dataclasses.replace(site, config=site.config.with_base_url(base_url))
    result = build_site(site)
    assert result.ok, [d.format() for d in result.diagnostics]
    return result.files


@pytest.fixture(scope="module")
def files() -> dict[str, bytes]:
    return build()


def output_path(url: str, base: str) -> str:
    """The built file a URL of the site points at."""
    path = unquote(urlsplit(url).path)
    assert path.startswith(urlsplit(base).path), url
    path = path[len(urlsplit(base).path) :]
    return path + "index.html" if path.endswith("/") or path == "" else path


def test_every_atom_feed_validates_and_a_reader_lists_it(files: dict[str, bytes]) -> None:
    feeds = sorted(n for n in files if n.endswith("feed.xml"))
    assert "feed.xml" in feeds
    assert any(n.startswith("topics/") for n in feeds) and any(n.startswith("tags/") for n in feeds)
    problems = {n: atom_problems(files[n]) + reader_problems(files[n]) for n in feeds}
    assert not {n: p for n, p in problems.items() if p}


def test_every_rss_feed_has_the_required_elements(files: dict[str, bytes]) -> None:
    feeds = sorted(n for n in files if n.endswith("rss.xml"))
    assert len(feeds) == sum(n.endswith("feed.xml") for n in files)
    problems = {n: rss_problems(files[n]) + reader_problems(files[n]) for n in feeds}
    assert not {n: p for n, p in problems.items() if p}


@pytest.mark.parametrize("name", ["feed.xml", "rss.xml"])
def test_reader_titles_are_the_arabic_headlines_of_the_linked_pages(
    files: dict[str, bytes], name: str
) -> None:
    parsed = feedparser.parse(files[name])
    assert parsed.feed.title == "المرصد" and parsed.feed.language == "ar"
    assert len(parsed.entries) == 20  # feeds.limit default
    for entry in parsed.entries:
        page = parse_page(files[output_path(entry.link, "https://example.org/")])
        assert entry.title == page.h1.strip() and ARABIC.search(entry.title)
        terms = [t.term for t in entry.get("tags", [])]
        assert terms and all(ARABIC.search(t) for t in terms), entry.link


def test_json_feed_lists_the_same_entries(files: dict[str, bytes]) -> None:
    data = json.loads(files["feed.json"])
    assert data["version"] == "https://jsonfeed.org/version/1.1"
    atom = feedparser.parse(files["feed.xml"])
    assert [i["title"] for i in data["items"]] == [e.title for e in atom.entries]
    assert all(i["content_html"].startswith('<div dir="rtl">') for i in data["items"])


def test_sitemaps_validate_and_list_every_page(files: dict[str, bytes]) -> None:
    for name in ("sitemap.xml", "news-sitemap.xml"):
        assert sitemap_problems(files[name]) == [], name
    root = etree.fromstring(files["sitemap.xml"])
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    listed = {
        output_path(loc, "https://example.org/")
        for loc in root.xpath("//s:loc/text()", namespaces=ns)
    }
    pages = {n for n in files if n.endswith("index.html") and n != "search/index.html"}
    assert listed == pages  # all but the search page, which is noindex
    lastmods = root.xpath("//s:url/s:lastmod/text()", namespaces=ns)
    assert len(lastmods) == len(listed)


def test_news_sitemap_holds_the_last_48_hours(files: dict[str, bytes]) -> None:
    root = etree.fromstring(files["news-sitemap.xml"])
    ns = {"n": "http://www.google.com/schemas/sitemap-news/0.9"}
    dates = [
        dt.datetime.fromisoformat(d)
        for d in root.xpath("//n:publication_date/text()", namespaces=ns)
    ]
    assert dates and all(FIXED_NOW - dt.timedelta(hours=48) <= d <= FIXED_NOW for d in dates)
    assert set(root.xpath("//n:language/text()", namespaces=ns)) == {"ar"}
    assert set(root.xpath("//n:name/text()", namespaces=ns)) == {"المرصد"}
    older = [
        e
        for e in feedparser.parse(files["feed.xml"]).entries
        if dt.datetime(*e.published_parsed[:6], tzinfo=dt.UTC) < FIXED_NOW - dt.timedelta(hours=48)
    ]
    assert older, "the sample site should also have older articles"


def test_robots_txt_names_the_sitemaps(files: dict[str, bytes]) -> None:
    text = files["robots.txt"].decode()
    assert "Sitemap: https://example.org/sitemap.xml" in text
    assert "Sitemap: https://example.org/news-sitemap.xml" in text


def test_article_pages_carry_news_article_json_ld_and_open_graph(files: dict[str, bytes]) -> None:
    articles = [n for n in files if ARTICLE_PAGE.fullmatch(n)]
    assert len(articles) >= 20
    for name in articles:
        page = parse_page(files[name])
        [data] = [json.loads(text) for text in page.jsonld]
        assert data["@type"] == "NewsArticle", name
        for key in (
            "headline",
            "datePublished",
            "dateModified",
            "author",
            "publisher",
            "image",
            "articleSection",
            "inLanguage",
        ):
            assert data.get(key), (name, key)
        assert data["headline"] == page.h1.strip()
        assert dt.datetime.fromisoformat(data["dateModified"]) >= dt.datetime.fromisoformat(
            data["datePublished"]
        )
        canonical = [lk["href"] for lk in page.links if lk.get("rel") == "canonical"]
        assert canonical == [data["url"]] == page.meta["og:url"]
        assert page.meta["og:locale"] == ["ar_AR"] and page.meta["og:type"] == ["article"]
        assert page.meta["twitter:card"] == ["summary_large_image"]
        # no lead image: the article's own share card (docs/share-cards.md)
        assert page.meta["og:image"] == [data["url"] + "card.png"] == data["image"]
        assert page.meta["og:image:width"] == ["1200"] and page.meta["og:image:height"] == ["630"]
        assert page.meta["description"][0]
        feeds = [lk for lk in page.links if lk.get("rel") == "alternate" and lk.get("type")]
        assert {lk["type"] for lk in feeds} == {
            "application/atom+xml",
            "application/rss+xml",
            "application/feed+json",
        }
    assert "images/share.png" in files


def test_digests_carry_a_collection_page_with_an_item_list(files: dict[str, bytes]) -> None:
    digests = ["index.html"] + [
        n for n in files if re.fullmatch(r"\d{4}/\d{2}/\d{2}/index\.html", n)
    ]
    for name in digests:
        [data] = [json.loads(t) for t in parse_page(files[name]).jsonld]
        assert data["@type"] == "CollectionPage", name
        items = data["mainEntity"]["itemListElement"]
        assert [i["position"] for i in items] == list(range(1, len(items) + 1))
        for item in items:
            assert ARTICLE_PAGE.fullmatch(output_path(item["url"], "https://example.org/"))


# -- a site served from a sub-path -------------------------------------------------------------
def xml_urls(data: bytes) -> list[str]:
    """Every URL of a feed or sitemap, including those in entry content."""
    root = etree.fromstring(data)
    urls = [
        v for el in root.iter() for k, v in el.attrib.items() if k in ("href", "domain", "scheme")
    ]
    for el in root.iter():
        tag = etree.QName(el).localname if isinstance(el.tag, str) else ""
        if tag in ("loc", "link", "guid", "id", "url", "logo") and el.text:
            urls.append(el.text.strip())
        if tag in ("content", "encoded") and el.text:
            urls += parse_page(el.text.encode()).urls
    return [u for u in urls if not u.startswith("tag:")]


def test_a_sub_path_build_has_no_link_escaping_the_sub_path() -> None:
    files = build(SUB_PATH_BASE)
    escaping, broken, checked = [], [], 0
    for name, data in files.items():
        base = urljoin(SUB_PATH_BASE, name)
        if name.endswith(".html"):
            urls = parse_page(data).urls
        elif name.endswith(".xml"):
            urls = xml_urls(data)
        elif name.endswith(".json") and not name.startswith("pagefind/"):
            feed = json.loads(data)
            urls = [feed["home_page_url"], feed["feed_url"]]
            urls += [u for i in feed["items"] for u in (i["url"], i["id"])]
            urls += parse_page("".join(i["content_html"] for i in feed["items"]).encode()).urls
        elif name == "robots.txt":
            urls = re.findall(r"Sitemap: (\S+)", data.decode())
        else:
            continue
        for url in urls:
            target = urlsplit(urljoin(base, url))
            if target.scheme not in ("http", "https") or target.netloc != "x.org":
                continue
            checked += 1
            if not target.path.startswith("/news/"):
                escaping.append(f"{name} → {url}")
            elif output_path(target.geturl(), SUB_PATH_BASE) not in files:
                broken.append(f"{name} → {url}")
    assert checked > 1000
    assert not escaping, escaping[:20]
    assert not broken, broken[:20]


def test_build_base_url_option_moves_feeds_and_sitemaps(tmp_path: Path) -> None:
    (tmp_path / "content").symlink_to(REPO / "content")
    (tmp_path / "static").symlink_to(REPO / "static")
    (tmp_path / "sitegen.yaml").write_bytes((REPO / "sitegen.yaml").read_bytes())
    done = run("build", "--quiet", "--base-url", "https://preview.example.net/pr-7/", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    out = tmp_path / "output"
    assert (
        '<link rel="self" type="application/atom+xml" href="https://preview.example.net/pr-7/feed.xml"/>'
        in (out / "feed.xml").read_text()
    )
    assert (
        "Sitemap: https://preview.example.net/pr-7/sitemap.xml" in (out / "robots.txt").read_text()
    )
    assert "<loc>https://preview.example.net/pr-7/</loc>" in (out / "sitemap.xml").read_text()
