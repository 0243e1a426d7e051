"""Sitemaps for search engines: `sitemap.xml` (a sitemap index with numbered parts past
`sitemap.max_urls`), the Google News sitemap of recent articles, and `robots.txt` naming
them. Pure: data in, bytes out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sitegen.build.routes import Routes

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"
NEWS_LIMIT = 1000  # Google reads at most this many URLs from one news sitemap
XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'


@dataclass(frozen=True)
class SitemapEntry:
    """One page: its absolute, percent-encoded URL, when its content last changed and its
    translations' pages (`hreflang` alternates, the page itself among them: (tag, URL))."""

    url: str
    modified: dt.datetime | None = None
    alternates: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class NewsEntry:
    """One recent article for the news sitemap; `language` its publication's language."""

    url: str
    title: str
    published: dt.datetime
    language: str = ""


def escape(text: str) -> str:
    """XML character data: `&`, `<` and `>` escaped, as `xml.sax.saxutils.escape` does
    (whose module imports `urllib.request`, 8 ms of every build that makes sitemaps)."""
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def w3c_datetime(value: dt.datetime) -> str:
    return value.isoformat(timespec="seconds")


def urlset(entries: Sequence[SitemapEntry]) -> bytes:
    """A `<urlset>` listing `entries`, with `xhtml:link` alternates where they have some."""
    xhtml = f' xmlns:xhtml="{XHTML_NS}"' if any(e.alternates for e in entries) else ""
    lines = [XML_DECLARATION, f'<urlset xmlns="{SITEMAP_NS}"{xhtml}>\n']
    for e in entries:
        lastmod = f"<lastmod>{w3c_datetime(e.modified)}</lastmod>" if e.modified else ""
        links = "".join(
            f'<xhtml:link rel="alternate" hreflang="{escape(lang)}" href="{escape(href)}"/>'
            for lang, href in e.alternates
        )
        lines.append(f"<url><loc>{escape(e.url)}</loc>{lastmod}{links}</url>\n")
    lines.append("</urlset>\n")
    return "".join(lines).encode("utf-8")


def sitemap_index(parts: Sequence[tuple[str, dt.datetime | None]]) -> bytes:
    """A `<sitemapindex>` of (sitemap URL, newest lastmod in it)."""
    lines = [XML_DECLARATION, f'<sitemapindex xmlns="{SITEMAP_NS}">\n']
    for url, modified in parts:
        lastmod = f"<lastmod>{w3c_datetime(modified)}</lastmod>" if modified else ""
        lines.append(f"<sitemap><loc>{escape(url)}</loc>{lastmod}</sitemap>\n")
    lines.append("</sitemapindex>\n")
    return "".join(lines).encode("utf-8")


def sitemap_files(
    entries: Sequence[SitemapEntry], routes: Routes, max_urls: int
) -> dict[str, bytes]:
    """`sitemap.xml`; past `max_urls` entries, an index of `sitemap-1.xml`, `sitemap-2.xml` …"""
    if len(entries) <= max_urls:
        return {routes.sitemap(): urlset(entries)}
    files: dict[str, bytes] = {}
    parts: list[tuple[str, dt.datetime | None]] = []
    for number, start in enumerate(range(0, len(entries), max_urls), start=1):
        chunk = entries[start : start + max_urls]
        path = routes.sitemap(number)
        files[path] = urlset(chunk)
        dates = [e.modified for e in chunk if e.modified]
        parts.append((routes.absolute(path), max(dates) if dates else None))
    files[routes.sitemap()] = sitemap_index(parts)
    return files


def news_since(now: dt.datetime, hours: int) -> dt.datetime:
    """The start of the news sitemap's window: `hours` before `now` (which ends it)."""
    return now - dt.timedelta(hours=hours)


def recent(entries: Sequence[NewsEntry], now: dt.datetime, hours: int) -> list[NewsEntry]:
    """Entries published in the `hours` before `now`, newest first, at most NEWS_LIMIT."""
    since = news_since(now, hours)
    found = sorted(
        (e for e in entries if since <= e.published <= now), key=lambda e: -e.published.timestamp()
    )
    return found[:NEWS_LIMIT]


def news_sitemap(entries: Sequence[NewsEntry], publication: str, language: str) -> bytes:
    """A Google News sitemap: publication name and language (an entry's own, else
    `language`), publication date and title."""
    name = escape(publication)
    lines = [XML_DECLARATION, f'<urlset xmlns="{SITEMAP_NS}" xmlns:news="{NEWS_NS}">\n']
    for e in entries:
        lang = escape(e.language or language)
        lines.append(
            f"<url><loc>{escape(e.url)}</loc><news:news>"
            f"<news:publication><news:name>{name}</news:name>"
            f"<news:language>{lang}</news:language></news:publication>"
            f"<news:publication_date>{w3c_datetime(e.published)}</news:publication_date>"
            f"<news:title>{escape(e.title)}</news:title></news:news></url>\n"
        )
    lines.append("</urlset>\n")
    return "".join(lines).encode("utf-8")


def robots_txt(sitemaps: Sequence[str]) -> bytes:
    """`robots.txt` allowing every crawler and naming the sitemaps."""
    lines = ["User-agent: *", "Disallow:", ""] + [f"Sitemap: {url}" for url in sitemaps]
    return ("\n".join(lines) + "\n").encode("utf-8")
