"""Feeds: every built Atom or RSS file must be well-formed and carry what readers need
(RFC 4287 for Atom; RSS 2.0's required channel and item elements), with valid dates and
absolute links."""

from __future__ import annotations

import datetime as dt
import email.utils
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from urllib.parse import urlsplit

from sitegen.core.diagnostics import Diagnostic, error

ATOM = "{http://www.w3.org/2005/Atom}"


def is_feed_path(path: str) -> bool:
    return path.endswith((".xml", ".atom", ".rss")) and "sitemap" not in path.rsplit("/", 1)[-1]


def check_feeds(files: Mapping[str, bytes], output: str) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for path in sorted(p for p in files if is_feed_path(p)):
        shown = f"{output}/{path}"
        try:
            root = ET.fromstring(files[path])
        except ET.ParseError as exc:
            found.append(error(shown, exc.position[0], f"feed is not well-formed XML: {exc}"))
            continue
        if root.tag == f"{ATOM}feed":
            problems = _atom_problems(root)
        elif root.tag == "rss":
            problems = _rss_problems(root)
        else:
            continue  # another XML file (robots, OpenSearch …), not a feed
        found.extend(error(shown, None, f"invalid feed: {p}") for p in problems)
    return found


def _atom_problems(feed: ET.Element) -> list[str]:
    problems = _atom_required(feed, "feed")
    feed_author = feed.find(f"{ATOM}author") is not None
    for number, entry in enumerate(feed.findall(f"{ATOM}entry"), start=1):
        where = f"entry {number}"
        problems.extend(_atom_required(entry, where))
        if not feed_author and entry.find(f"{ATOM}author") is None:
            problems.append(f"{where} has no author (and the feed has none)")
        links = [
            link
            for link in entry.findall(f"{ATOM}link")
            if link.get("rel", "alternate") == "alternate"
        ]
        if not links and entry.find(f"{ATOM}content") is None:
            problems.append(f"{where} has neither an alternate link nor content")
    for link in feed.iter(f"{ATOM}link"):
        if not _absolute(link.get("href", "")):
            problems.append(f"link {link.get('href')!r} is not an absolute http(s) URL")
    return problems


def _atom_required(element: ET.Element, where: str) -> list[str]:
    problems = []
    for name in ("id", "title", "updated"):
        child = element.find(f"{ATOM}{name}")
        if child is None or not (child.text or "").strip():
            problems.append(f"{where} has no <{name}>")
        elif name == "updated" and not _rfc3339(child.text or ""):
            problems.append(f"{where} <updated> {child.text!r} is not an RFC 3339 date")
    return problems


def _rss_problems(rss: ET.Element) -> list[str]:
    channel = rss.find("channel")
    if channel is None:
        return ["<rss> has no <channel>"]
    problems = [
        f"channel has no <{name}>"
        for name in ("title", "link", "description")
        if not (channel.findtext(name) or "").strip()
    ]
    for number, item in enumerate(channel.findall("item"), start=1):
        if not (item.findtext("title") or item.findtext("description") or "").strip():
            problems.append(f"item {number} has neither <title> nor <description>")
        date = item.findtext("pubDate")
        if date is not None and not _rfc822(date):
            problems.append(f"item {number} <pubDate> {date!r} is not an RFC 822 date")
        link = item.findtext("link")
        if link is not None and not _absolute(link.strip()):
            problems.append(f"item {number} <link> {link!r} is not an absolute http(s) URL")
    return problems


def _rfc3339(text: str) -> bool:
    try:
        parsed = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return False
    return parsed.tzinfo is not None and "T" in text


def _rfc822(text: str) -> bool:
    try:
        return email.utils.parsedate_to_datetime(text.strip()) is not None
    except (TypeError, ValueError):
        return False


def _absolute(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)
