"""A WordPress export (WXR, the XML of Tools → Export) → entries, parsed with defusedxml (no
entities, no external references).

Published posts are articles and published pages pages; drafts, pending, private and trashed
items are skipped (counted); attachments are the media library (their files stay at their
URLs; the featured image of a post becomes its lead image). Dates come from the GMT fields,
slugs from `post_name` (percent-decoded: Arabic slugs), the old URL from `<link>`.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeTree
from defusedxml import DefusedXmlException

from sitegen.importers.entry import Entry, Kind
from sitegen.importers.folder import Harvest, Topic, clean_text
from sitegen.importers.permalinks import url_path
from sitegen.importers.report import ImportReport
from sitegen.importers.syntax import WORDPRESS

_ITEM = re.compile(r"<item[\s>]")
_ZERO_DATE = "0000-00-00 00:00:00"
_SKIPPED = {"draft": "draft", "pending": "draft", "auto-draft": "draft", "private": "private"}


def local(tag: str) -> str:
    """An element's name without its namespace (WXR 1.0–1.2 use different ones)."""
    return tag.rsplit("}", 1)[-1]


def child_text(element: Element, name: str) -> str:
    """Text of the first child called `name` (namespace ignored), '' when absent."""
    for child in element:
        if local(child.tag) == name:
            return (child.text or "").strip()
    return ""


def parse_xml(path: Path, report: ImportReport) -> tuple[Element | None, str]:
    """The document's root and its text (for line numbers), or None (reported)."""
    report.files_read += 1
    try:
        text = clean_text(path.read_bytes().decode("utf-8", "replace"), str(path), report)
        return SafeTree.fromstring(text.encode()), text
    except ParseError as exc:
        line = exc.position[0] if exc.position else None
        report.fail(
            str(path), line, f"not well-formed XML: {exc.msg if hasattr(exc, 'msg') else exc}"
        )
    except DefusedXmlException:
        message = "refused: the file declares XML entities or external references (not read)"
        report.fail(str(path), None, message)
    except OSError as exc:
        report.fail(str(path), None, f"cannot read file: {exc.strerror or exc}")
    return None, ""


def read_wordpress(path: Path, report: ImportReport) -> Harvest:
    """Posts and pages of a WXR file."""
    root, text = parse_xml(path, report)
    channel = next((c for c in root or [] if local(c.tag) == "channel"), None)
    if channel is None:
        if root is not None:
            report.fail(str(path), 1, "not a WordPress export: no <channel>")
        return Harvest([])
    lines = [text.count("\n", 0, m.start()) + 1 for m in _ITEM.finditer(text)]
    topics = {}
    for category in (c for c in channel if local(c.tag) == "category"):
        slug = unquote(child_text(category, "category_nicename"))
        if slug and child_text(category, "cat_name"):
            topics[slug] = Topic(
                child_text(category, "cat_name"), child_text(category, "category_description")
            )
    authors = {
        child_text(a, "author_login"): child_text(a, "author_display_name")
        for a in channel
        if local(a.tag) == "author"
    }
    items = [c for c in channel if local(c.tag) == "item"]
    attachments = {
        child_text(i, "post_id"): child_text(i, "attachment_url")
        for i in items
        if child_text(i, "post_type") == "attachment"
    }
    entries = []
    for index, item in enumerate(items):
        line = lines[index] if index < len(lines) else None
        entry = _entry(item, str(path), line or 1, text, authors, attachments, report)
        if entry is not None:
            entries.append(entry)
    return Harvest(entries, WORDPRESS, topics, {"title": child_text(channel, "title")})


def _entry(
    item: Element,
    origin: str,
    line: int,
    text: str,
    authors: dict[str, str],
    attachments: dict[str, str],
    report: ImportReport,
) -> Entry | None:
    kind_name = child_text(item, "post_type")
    if kind_name not in ("post", "page"):
        return None  # attachments, menu items, revisions, custom post types
    status = child_text(item, "status")
    title = child_text(item, "title")
    kind: Kind = "article" if kind_name == "post" else "page"
    if status in _SKIPPED or status == "trash":
        if status == "private":
            report.warn(origin, line, f"private {kind_name} {title!r} skipped")
        kind = "draft"
    meta: dict = {"title": title}
    gmt = child_text(item, "post_date_gmt")
    local_date = child_text(item, "post_date")
    if gmt and gmt != _ZERO_DATE:
        meta["date"] = gmt.replace(" ", "T") + "Z"
    elif local_date and local_date != _ZERO_DATE:
        meta["date"] = local_date.replace(" ", "T")
    modified = child_text(item, "post_modified_gmt")
    if modified and modified != _ZERO_DATE and modified != gmt:
        meta["updated"] = modified.replace(" ", "T") + "Z"
    meta["slug"] = unquote(child_text(item, "post_name")) or title
    excerpt = next(
        (c.text or "" for c in item if local(c.tag) == "encoded" and "excerpt" in c.tag), ""
    )
    if excerpt.strip():
        meta["summary"] = re.sub(r"<[^>]+>", "", excerpt).strip()
    creator = child_text(item, "creator")
    if creator:
        meta["author"] = authors.get(creator) or creator
    categories = [
        (unquote(c.get("nicename") or ""), (c.text or "").strip())
        for c in item
        if local(c.tag) == "category"
    ]
    topic = next(
        (
            slug
            for slug, name in categories
            if slug and slug != "uncategorized" and _domain(item, slug) == "category"
        ),
        None,
    )
    tags = [name for slug, name in categories if _domain(item, slug) == "post_tag" and name]
    if tags:
        meta["tags"] = tags
    thumbnail = next(
        (
            child_text(m, "meta_value")
            for m in item
            if local(m.tag) == "postmeta" and child_text(m, "meta_key") == "_thumbnail_id"
        ),
        "",
    )
    if attachments.get(thumbnail):
        meta["image"] = attachments[thumbnail]
        meta["image_alt"] = title
    body = next(
        (c.text or "" for c in item if local(c.tag) == "encoded" and "content" in c.tag), ""
    )
    link = child_text(item, "link")
    entry = Entry(
        origin=origin,
        body_line=_body_line(text, line),
        meta=meta,
        body=body,
        kind=kind,
        key=meta["slug"],
        old_urls=[url_path(link)] if link and "?" not in link else [],
        body_is_html=True,
    )
    entry.topic_slug = topic
    return entry


def _domain(item: Element, slug: str) -> str:
    for c in item:
        if local(c.tag) == "category" and unquote(c.get("nicename") or "") == slug:
            return c.get("domain") or ""
    return ""


def _body_line(text: str, item_line: int) -> int:
    """The line where an item's `<content:encoded>` starts (its body's first line)."""
    start = sum(len(x) + 1 for x in text.split("\n")[: item_line - 1])
    found = text.find("<content:encoded>", start)
    return text.count("\n", 0, found) + 1 if found >= 0 else item_line
