"""Entries made ready for sitegen: dates read in the site's timezone, slugs, topics, where
each file goes and its new URL, and front matter the build accepts (checked with the model
stage itself: a value it would refuse is set aside as `<key>_original`, with a warning)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sitegen.build.model import Article, to_article
from sitegen.build.parse import Document
from sitegen.build.routes import Routes
from sitegen.core.config import SiteConfig
from sitegen.core.config_sections import TopicConfig
from sitegen.core.dates import DateError, parse_datetime
from sitegen.core.text import slugify
from sitegen.importers.assets import Placement
from sitegen.importers.entry import Entry
from sitegen.importers.folder import Topic
from sitegen.importers.report import ImportReport

# Most file systems allow 255 bytes per name; Arabic letters take two bytes in UTF-8.
MAX_NAME_BYTES = 200
CONTENT_FOLDER = "content"
# Undated content: standalone pages at /<slug>/ (a file without a date is a page).
PAGES_FOLDER = f"{CONTENT_FOLDER}/pages"
_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def file_stem(day: dt.date | None, slug: str) -> str | None:
    """`YYYY-MM-DD-<slug>` (or `<slug>` for a page), cut at a word to fit the file system."""
    prefix = f"{day.isoformat()}-" if day else ""
    cut = slugify(slug, MAX_NAME_BYTES - len(prefix.encode()))
    return f"{prefix}{cut}" if cut else None


@dataclass
class Planned:
    """An entry with its site-relative target file, its new URL and its topic's slug."""

    entry: Entry
    target: str
    url: str
    folder_target: str  # where files beside it go (a page bundle), or ""
    extra_topics: dict[str, Topic] = field(default_factory=dict)
    copies: list[Placement] = field(default_factory=list)  # files its body names


def source_zone(name: str, config: SiteConfig, report: ImportReport) -> ZoneInfo:
    """The old site's timezone (dates written without an offset are in it), else the site's."""
    try:
        return ZoneInfo(name) if name else config.tz
    except (ZoneInfoNotFoundError, ValueError):
        report.warn("timezone", None, f"unknown timezone {name!r} of the source; using the site's")
        return config.tz


def read_date(
    entry: Entry, key: str, config: SiteConfig, report: ImportReport, zone: ZoneInfo
) -> dt.datetime | None:
    """`entry.meta[key]` (without an offset: in `zone`) in the site's timezone, written back
    as ISO 8601 (a date alone stays a date); a value that is not a date is dropped with a
    warning."""
    value = entry.meta.get(key)
    if value is None:
        return None
    try:
        when = parse_datetime(str(value), zone).astimezone(config.tz)
    except DateError as exc:
        report.warn(entry.origin, None, f"{key} {value!r} dropped: {exc}")
        del entry.meta[key]
        return None
    entry.meta[key] = str(value) if _DATE_ONLY.match(str(value)) else when.isoformat()
    return when


def topic_of(
    entry: Entry, topics: dict[str, Topic], configured: tuple[TopicConfig, ...]
) -> tuple[str, str] | None:
    """(display name, slug) of the entry's topic: a configured one, a name the source gives
    its category, else the category as written."""
    if not entry.topic_slug:
        return None
    written = entry.topic_slug
    for topic in configured:
        if written in (topic.name, topic.slug) or slugify(written) == (
            topic.slug or slugify(topic.name)
        ):
            return topic.name, topic.slug or slugify(topic.name)
    known = topics.get(written)
    return (known.name if known else written), slugify(written)


def plan_entries(
    entries: list[Entry],
    topics: dict[str, Topic],
    config: SiteConfig,
    report: ImportReport,
    zone: ZoneInfo,
) -> list[Planned]:
    """Dates, slugs, topics, targets and URLs of the entries to write (drafts counted)."""
    routes = Routes(config)
    planned: list[Planned] = []
    taken: dict[str, str] = {}
    # originals first: a translation sharing its slug gets `-<lang>` added
    for entry in sorted(entries, key=lambda e: e.translation):
        if entry.kind == "draft":
            report.drafts_skipped += 1
            continue
        if not entry.meta.get("title"):
            report.fail(entry.origin, 1, "no title; not imported")
            continue
        entry.date = read_date(entry, "date", config, report, zone)
        read_date(entry, "updated", config, report, zone)
        if entry.kind == "article" and entry.date is None:
            entry.kind = "page"
        if entry.kind == "page":
            entry.meta.pop("date", None)
        slug = str(entry.meta.get("slug") or "")
        if not slugify(slug):
            slug = str(entry.meta["title"])
        if not slugify(slug):
            report.fail(entry.origin, 1, "neither the title nor the slug has letters or digits")
            continue
        entry.meta["slug"] = slugify(slug)
        if entry.meta.get("lang") == config.language:
            del entry.meta["lang"]
        topic = topic_of(entry, topics, config.topics)
        if topic and slugify(topic[0]):
            entry.meta["topic"] = topic[0]
        plan = _place(entry, topic[1] if topic else None, routes, taken, report)
        if plan is not None:
            if topic and entry.topic_slug in topics:
                plan.extra_topics[topic[1]] = topics[entry.topic_slug]
            planned.append(plan)
    return planned


def _place(
    entry: Entry,
    topic_slug: str | None,
    routes: Routes,
    taken: dict[str, str],
    report: ImportReport,
) -> Planned | None:
    """Target file and URL; a second language of one slug gets `-<lang>` added to its slug."""
    for attempt in range(2):
        slug = entry.meta["slug"]
        if entry.kind == "page":
            path = f"{slug}/"
            stem = file_stem(None, slug)
            folder = PAGES_FOLDER
        else:
            assert entry.date is not None
            article = Article(entry.origin, entry.meta["title"], slug, entry.date, "", "", 0)
            path = routes.article(article, topic_slug)
            stem = file_stem(entry.date.date(), slug)
            folder = f"{CONTENT_FOLDER}/{entry.date.year:04d}"
        lang = entry.meta.get("lang")
        name = f"{stem}.{lang}" if lang else stem
        if path not in taken:
            break
        if attempt == 0 and lang:
            entry.meta["slug"] = f"{slug}-{lang}"
            continue
        report.fail(entry.origin, 1, f"same URL /{path} as {taken[path]}; give one a 'slug'")
        return None
    taken[path] = entry.origin
    if entry.bundle:
        target, folder_target = f"{folder}/{name}/index.md", f"{folder}/{name}"
    else:
        target, folder_target = f"{folder}/{name}.md", ""
    return Planned(entry, target, routes.url(path), folder_target)


def accepted_meta(entry: Entry, config: SiteConfig, report: ImportReport) -> dict[str, Any]:
    """The entry's front matter, with each value the model stage refuses set aside as
    `<key>_original` (reported)."""
    meta = dict(entry.meta)
    if entry.kind == "page":
        return meta
    base = {k: meta[k] for k in ("title", "date", "slug") if k in meta}
    for key in list(meta):
        if key in base:
            continue
        doc = Document(entry.origin, {**base, key: meta[key]}, {}, "", 1, 0)
        _, problems = to_article(doc, config)
        if problems:
            meta[f"{key}_original"] = meta.pop(key)
            report.warn(entry.origin, None, f"{problems[0].message}; kept as '{key}_original'")
    return meta
