"""The model stage: Document → Article. Pure.

Checks every front-matter key (docs/content.md) with its aliases, resolves dates in the site
timezone and the topic (front matter, else the article's folder). Unknown keys are kept in
`Article.extra` for templates.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from html import unescape
from pathlib import PurePosixPath
from typing import Any

from sitegen.build.parse import Document
from sitegen.core.config import SiteConfig
from sitegen.core.config_sections import TopicConfig
from sitegen.core.dates import DateError, date_from_filename, parse_datetime
from sitegen.core.diagnostics import Diagnostic, error
from sitegen.core.languages import is_language_tag
from sitegen.core.text import slugify, squash_space, strip_bidi_controls

_FIRST_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.S)
_TAG = re.compile(r"<[^>]+>")
_URL_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
_UNSAFE_URL_CHARACTERS = re.compile(r"[\\\x00-\x1f\x7f]")

TOPIC_KEYS = ("topic", "category", "categories", "section")
SUMMARY_KEYS = ("summary", "description", "teaser", "excerpt")
AUTHOR_KEYS = ("author", "authors")
KNOWN_KEYS = frozenset(
    (
        *TOPIC_KEYS,
        *SUMMARY_KEYS,
        *AUTHOR_KEYS,
        *[
            "title",
            "date",
            "updated",
            "tags",
            "source",
            "source_url",
            "image",
            "image_alt",
            "image_caption",
            "image_credit",
            "slug",
            "draft",
            "published",
            "lang",
            "dir",
            "aliases",
            "via",
            "corrections",
            "breaking",
            "pinned",
            "kicker",
            "translation_key",
        ],
    )
)


@dataclass(frozen=True)
class Correction:
    """A dated correction note shown on the article."""

    date: dt.datetime
    note: str


@dataclass(frozen=True, slots=True)
class Article:
    """One article, validated. `path` is its source file; dates are in the site timezone;
    `source_text` the file as parse decoded it when its body shows an image, else ''
    (`Document.source_text`)."""

    path: str
    title: str
    slug: str
    date: dt.datetime
    html: str
    summary: str
    word_count: int
    topic: str | None = None
    tags: tuple[str, ...] = ()
    updated: dt.datetime | None = None
    authors: tuple[str, ...] = ()
    source: str | None = None
    source_url: str | None = None
    via: str | None = None
    kicker: str | None = None
    translation_key: str | None = None
    image: str | None = None
    image_alt: str | None = None
    image_caption: str | None = None
    image_credit: str | None = None
    lang: str | None = None
    dir: str | None = None
    aliases: tuple[str, ...] = ()
    corrections: tuple[Correction, ...] = ()
    breaking: bool = False
    pinned: bool = False
    draft: bool = False
    extra: dict[str, Any] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    source_text: str = ""

    @property
    def modified(self) -> dt.datetime:
        """The last change: latest of `date`, `updated` and correction dates (the first of
        equal instants, as `max`). Asked for about fourteen times per article by the plan: no
        list is made."""
        latest = self.date
        if self.updated is not None and self.updated > latest:
            latest = self.updated
        for correction in self.corrections:
            if correction.date > latest:
                latest = correction.date
        return latest


class _Fields:
    """Reads typed values out of one document's metadata, collecting diagnostics."""

    def __init__(self, doc: Document, config: SiteConfig) -> None:
        self.doc = doc
        self.meta = doc.meta
        self.tz = config.tz
        self.problems: list[Diagnostic] = []

    def line(self, key: str) -> int:
        return self.doc.meta_lines.get(key, 1)

    def fail(self, key: str, message: str) -> None:
        path = self.doc.meta_origin.get(key, self.doc.path)
        self.problems.append(error(path, self.line(key), message))

    def first_key(self, keys: tuple[str, ...]) -> str | None:
        return next((k for k in keys if self.meta.get(k) not in (None, "", [])), None)

    def text(self, key: str) -> str | None:
        value = self.meta.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.fail(key, f"'{key}' must be text")
            return None
        return squash_space(strip_bidi_controls(str(value))) or None

    def url(self, key: str) -> str | None:
        """An http(s) URL without backslashes or control characters. (`image` is checked by
        the images stage, which also accepts files of the site.)"""
        value = self.text(key)
        if value is None:
            return None
        scheme = _URL_SCHEME.match(value)
        if scheme and scheme.group(1).lower() not in ("http", "https"):
            self.fail(key, f"'{key}' must be an http(s) URL, not {scheme.group(1)}:")
            return None
        if not scheme:
            self.fail(key, f"'{key}' must be an http(s) URL such as https://example.org/x")
            return None
        if _UNSAFE_URL_CHARACTERS.search(value):
            self.fail(key, f"'{key}' must not contain backslashes or control characters")
            return None
        return value

    def flag(self, key: str) -> bool:
        value = self.meta.get(key, False)
        if not isinstance(value, bool):
            self.fail(key, f"'{key}' must be true or false, got {value!r}")
            return False
        return value

    def text_list(self, key: str, *, split_commas: bool = False) -> tuple[str, ...]:
        value = self.meta.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            items = value.split(",") if split_commas else [value]
        elif isinstance(value, list) and all(
            isinstance(v, str | int | float) and not isinstance(v, bool) for v in value
        ):
            items = [str(v) for v in value]
        else:
            self.fail(key, f"'{key}' must be a list of text")
            return ()
        cleaned = (squash_space(strip_bidi_controls(item)) for item in items)
        return tuple(dict.fromkeys(item for item in cleaned if item))

    def when(self, key: str, value: Any) -> dt.datetime | None:
        if value is None:
            return None
        if not isinstance(value, str):
            self.fail(key, f"'{key}' must be a date such as 2022-01-07T09:30:00+03:00")
            return None
        try:
            return parse_datetime(value, self.tz).astimezone(self.tz)
        except DateError as exc:
            self.fail(key, str(exc))
            return None


def topic_name(value: str, topics: tuple[TopicConfig, ...]) -> str:
    """The topic `value` names: a configured topic given by its name or its URL slug (or
    anything with that slug, such as `Politics` for `politics`), else `value` itself."""
    slug = slugify(value)
    for topic in topics:
        if value in (topic.name, topic.slug) or (
            slug and slug in (topic.slug, slugify(topic.name))
        ):
            return topic.name
    return value


def topic_line(article: Article) -> int | None:
    """The line of the article's topic key (None: the topic comes from its folder)."""
    return next((article.lines[k] for k in TOPIC_KEYS if k in article.lines), None)


def folder_topic(path: str) -> str | None:
    """The topic named by an article's folder: `content/<topic>/…` (year folders ignored)."""
    parts = PurePosixPath(path).parts
    return None if len(parts) < 3 or parts[1].isdigit() else parts[1]


def first_paragraph(html: str) -> str:
    """Plain text of the first paragraph, for a summary."""
    match = _FIRST_PARAGRAPH.search(html)
    return squash_space(unescape(_TAG.sub("", match.group(1)))) if match else ""


def to_article(doc: Document, config: SiteConfig) -> tuple[Article | None, list[Diagnostic]]:
    """Validate one document's front matter into an Article, or report every problem."""
    f = _Fields(doc, config)
    meta = doc.meta
    title = f.text("title")
    if title is None and "title" not in meta:
        f.problems.append(error(doc.path, 1, "missing 'title'"))
    title = title or ""

    if "date" in meta:
        date = f.when("date", meta["date"])
    else:
        date = date_from_filename(PurePosixPath(doc.path).name, config.tz)
        if date is None:
            f.problems.append(error(doc.path, 1, "missing 'date' (or a YYYY-MM-DD- file name)"))

    topic_key = f.first_key(TOPIC_KEYS)
    topic: str | None
    if topic_key == "categories":
        cats = f.text_list("categories", split_commas=True)
        topic = cats[0] if cats else None
    elif topic_key:
        topic = f.text(topic_key)
    else:
        topic = folder_topic(doc.path)
    topic = topic_name(topic, config.topics) if topic else None
    if topic and not slugify(topic) and all(topic != t.name for t in config.topics):
        f.fail(topic_key or "title", f"topic {topic!r} has no letters or digits for its URL")

    summary_key = f.first_key(SUMMARY_KEYS)
    summary = (f.text(summary_key) if summary_key else None) or first_paragraph(doc.html)

    slug, draft, direction, language = shared_fields(f, title)

    tags = f.text_list("tags", split_commas=True)
    for tag in tags:
        if not slugify(tag):
            f.fail("tags", f"tag {tag!r} has no letters or digits for its URL")

    corrections = _corrections(f)
    authors = f.text_list("authors") if "authors" in meta else f.text_list("author")
    article = Article(
        path=doc.path,
        title=title,
        slug=slug,
        date=date or dt.datetime(1970, 1, 1, tzinfo=config.tz),
        html=doc.html,  # a `Markup`, sanitised at parse time; shared by every view
        summary=summary,
        word_count=doc.word_count,
        topic=topic,
        tags=tags,
        updated=f.when("updated", meta.get("updated")),
        authors=authors,
        source=f.text("source"),
        source_url=f.url("source_url"),
        via=f.text("via"),
        kicker=f.text("kicker"),
        translation_key=f.text("translation_key"),
        image=f.text("image"),
        image_alt=f.text("image_alt"),
        image_caption=f.text("image_caption"),
        image_credit=f.text("image_credit"),
        lang=language,
        dir=direction,
        aliases=f.text_list("aliases"),
        corrections=corrections,
        breaking=f.flag("breaking"),
        pinned=f.flag("pinned"),
        draft=draft,
        extra={k: v for k, v in meta.items() if k not in KNOWN_KEYS},
        lines=dict(doc.meta_lines),
        source_text=doc.source_text,
    )
    if f.problems:
        return None, f.problems
    return article, []


def shared_fields(f: _Fields, title: str) -> tuple[str, bool, str | None, str | None]:
    """What articles and standalone pages read alike: the slug (`slug`, else the title; never
    empty for a title), whether it is a draft (`draft`, `published`), its text direction and
    language; problems go to `f`."""
    slug_value = f.text("slug")
    slug = slugify(slug_value or title)
    if title and not slug:
        f.fail("slug" if slug_value else "title", "cannot make a URL slug from this; set 'slug:'")
    draft = f.flag("draft")
    if "published" in f.meta:
        draft = draft or not f.flag("published")
    direction = f.text("dir")
    if direction not in (None, "rtl", "ltr", "auto"):
        f.fail("dir", f"'dir' must be rtl, ltr or auto, got {direction!r}")
    language = f.text("lang")
    if language is not None and not is_language_tag(language):
        f.fail("lang", f"'lang' must be a language tag such as ar or en-GB, got {language!r}")
    return slug, draft, direction, language


def _corrections(f: _Fields) -> tuple[Correction, ...]:
    value = f.meta.get("corrections")
    if value is None:
        return ()
    if not isinstance(value, list):
        f.fail("corrections", "'corrections' must be a list of {date, note}")
        return ()
    found = []
    for item in value:
        if not (isinstance(item, dict) and isinstance(item.get("note"), str) and "date" in item):
            f.fail("corrections", "each correction needs a 'date' and a 'note'")
            continue
        when = f.when("corrections", item["date"])
        if when is not None:
            found.append(Correction(when, squash_space(strip_bidi_controls(item["note"]))))
    return tuple(sorted(found, key=lambda c: c.date))


@dataclass(frozen=True)
class Visible:
    """The articles a build publishes, and when the earliest hidden future article becomes
    visible (a timestamp; None when there is none)."""

    articles: tuple[Article, ...]
    until: float | None


def model_articles(
    documents: Sequence[Document],
    config: SiteConfig,
    *,
    drafts: bool,
    future: bool,
    now: dt.datetime,
    make: Callable[[Document, SiteConfig], tuple[Article | None, list[Diagnostic]]] = to_article,
) -> tuple[Visible, list[Diagnostic]]:
    """Model every document (`make`: `to_article`, or a memo of it); keep the articles
    visible in this build (drafts, future)."""
    articles: list[Article] = []
    problems: list[Diagnostic] = []
    until: float | None = None
    for document in documents:
        article, found = make(document, config)
        problems += found
        if article is None or (article.draft and not drafts):
            continue
        if article.date > now and not future:
            moment = article.date.timestamp()
            until = moment if until is None else min(until, moment)
            continue
        articles.append(article)
    return Visible(tuple(articles), until), problems
