"""An RSS or Atom feed file → articles, read with feedparser: title, link (its path kept as
an alias), published/updated (UTC), categories (the first is the topic), author, the full
content (else the summary) as the body, an enclosure or media thumbnail as the lead image."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import feedparser

from sitegen.core.languages import is_language_tag
from sitegen.importers.entry import Entry
from sitegen.importers.folder import Harvest, clean_text
from sitegen.importers.permalinks import url_path
from sitegen.importers.report import ImportReport

_ENTRY = re.compile(r"<(?:item|entry)[\s>]")


def _when(parsed: Any) -> str | None:
    if not parsed:
        return None
    return dt.datetime.fromtimestamp(calendar.timegm(parsed), dt.UTC).isoformat()


def read_feed(path: Path, report: ImportReport) -> Harvest:
    """Every entry of an RSS 2.0 or Atom feed."""
    report.files_read += 1
    try:
        text = clean_text(path.read_bytes().decode("utf-8", "replace"), str(path), report)
    except OSError as exc:
        report.fail(str(path), None, f"cannot read file: {exc.strerror or exc}")
        return Harvest([])
    parsed = feedparser.parse(text)
    if parsed.bozo and not parsed.entries:
        problem = parsed.get("bozo_exception")
        line = problem.getLineNumber() if hasattr(problem, "getLineNumber") else None
        report.fail(str(path), line, f"not a readable feed: {problem}")
        return Harvest([])
    if parsed.bozo:
        problem = parsed.get("bozo_exception")
        line = problem.getLineNumber() if hasattr(problem, "getLineNumber") else None
        report.warn(str(path), line, f"the feed is not well-formed ({problem}); read what could be")
    lines = [text.count("\n", 0, m.start()) + 1 for m in _ENTRY.finditer(text)]
    site_host = urlsplit(parsed.feed.get("link", "")).netloc
    entries = []
    for index, item in enumerate(parsed.entries):
        line = lines[index] if index < len(lines) else 1
        entry = _entry(item, str(path), line, site_host)
        language = str(parsed.feed.get("language") or "").split(",")[0].strip()
        if language and is_language_tag(language):
            entry.meta.setdefault("lang", language)
        entries.append(entry)
    return Harvest(entries, (), {}, {"title": parsed.feed.get("title", "")})


def _entry(item: Any, origin: str, line: int, site_host: str) -> Entry:
    meta: dict[str, Any] = {"title": item.get("title", "").strip()}
    # dict.get: feedparser's own `get` maps a missing `updated` to `published` (and warns)
    updated = _when(dict.get(item, "updated_parsed"))
    published = _when(dict.get(item, "published_parsed")) or updated
    if published:
        meta["date"] = published
    if updated and updated != published:
        meta["updated"] = updated
    link = item.get("link", "")
    slug = unquote(urlsplit(link).path.rstrip("/").rsplit("/", 1)[-1]) if link else ""
    meta["slug"] = re.sub(r"\.html?$", "", slug) or meta["title"]
    terms = [t.get("term") or t.get("label") for t in item.get("tags", [])]
    terms = [t.strip() for t in terms if t and t.strip()]
    if len(terms) > 1:
        meta["tags"] = terms[1:]
    if item.get("author"):
        meta["author"] = item["author"]
    content = item.get("content") or []
    body = content[0].get("value", "") if content else item.get("summary", "")
    if content and item.get("summary") and item["summary"] != body:
        meta["summary"] = re.sub(r"<[^>]+>", "", item["summary"]).strip()
    image = _image(item)
    if image:
        meta["image"] = image
        meta["image_alt"] = meta["title"]
    old = [url_path(link)] if link and urlsplit(link).netloc == site_host and site_host else []
    entry = Entry(
        origin=origin,
        body_line=line,
        meta=meta,
        body=body,
        kind="article" if published else "page",
        key=link or meta["title"],
        old_urls=[u for u in old if u != "/"],
        body_is_html=True,
    )
    entry.topic_slug = terms[0] if terms else None
    return entry


def _image(item: Any) -> str | None:
    """An image enclosure or `media:thumbnail`/`media:content` of the entry."""
    for enclosure in item.get("enclosures", []):
        if str(enclosure.get("type", "")).startswith("image/") and enclosure.get("href"):
            return str(enclosure["href"])
    for key in ("media_thumbnail", "media_content"):
        for media in item.get(key, []):
            if media.get("url") and str(media.get("type", "image/")).startswith("image/"):
                return str(media["url"])
    return None
