"""Standalone pages and section indexes: the undated part of the model stage. Pure.

A Markdown document with no `date` (in its front matter or a `YYYY-MM-DD-` file name) is a
`Page` (about, contact, a guide), published at `/<slug>/`; `.txt` news text is always an
article. A topic folder's `_index.md` (or its `index.md`, when the folder holds other files or
names a configured topic) is a `SectionIndex`: that topic's description, never a page or an
article. `model_pages` sorts the documents and hands the articles' on to `model_articles`.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from sitegen.build.model import (
    SUMMARY_KEYS,
    TOPIC_KEYS,
    _Fields,
    first_paragraph,
    folder_topic,
    shared_fields,
    topic_name,
)
from sitegen.build.parse import Document
from sitegen.core.config import SiteConfig
from sitegen.core.dates import date_from_filename
from sitegen.core.diagnostics import Diagnostic, error, warning

PAGE_KEYS = frozenset(
    (
        "title",
        "slug",
        *SUMMARY_KEYS,
        "lang",
        "dir",
        "aliases",
        "draft",
        "published",
        "updated",
        "menu",
    )
)
# Keys that only mean something on an article: a page carrying one is warned about.
ARTICLE_ONLY_KEYS = (*TOPIC_KEYS, "tags", "breaking", "corrections", "source")
SECTION_STEMS = ("_index", "index")
UNDATED = "no 'date': published as a page, not an article"
UNDATED_HINT = "add 'date' to publish it as an article"


@dataclass(frozen=True)
class MenuPlace:
    """A page's own place in the menu (front matter `menu:`): its label, else the page's
    title, and its weight (lower first)."""

    title: str | None = None
    weight: int = 0


@dataclass(frozen=True, slots=True)
class Page:
    """One standalone page, validated; `path` is its source file, `updated` in the site
    timezone, `source_text` the file as parse decoded it when its body shows an image (the images stage
    reads lines in it), else ''."""

    path: str
    title: str
    slug: str
    html: str
    summary: str
    word_count: int
    updated: dt.datetime | None = None
    lang: str | None = None
    dir: str | None = None
    aliases: tuple[str, ...] = ()
    draft: bool = False
    menu: MenuPlace | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    source_text: str = ""


@dataclass(frozen=True)
class SectionIndex:
    """A topic folder's `_index.md`: the topic's description (plain text: its `summary` or
    `description`, else the body's first paragraph) and its body as HTML."""

    path: str
    description: str
    body: str


@dataclass(frozen=True)
class Pages:
    """The undated content of a build: its visible pages, the section indexes by topic name,
    and the pages this build leaves out (drafts)."""

    pages: tuple[Page, ...] = ()
    sections: dict[str, SectionIndex] = field(default_factory=dict)
    hidden: tuple[Page, ...] = ()


def is_dated(doc: Document, config: SiteConfig) -> bool:
    """Whether a document is an article: news text, or a `date` in front matter or file name."""
    name = doc.path.rpartition("/")[2]  # a `PurePosixPath` per document: 0.02 s at 10k
    return (
        doc.path.lower().endswith(".txt")
        or "date" in doc.meta
        or date_from_filename(name, config.tz) is not None
    )


def section_topic(doc: Document, folders: set[str], config: SiteConfig) -> str | None:
    """The topic whose section index `doc` is, or None: `_index.md` right inside a topic
    folder; an undated `index.md` there too when the folder holds other files or names a
    configured topic (otherwise it is a page bundle's page)."""
    if "index" not in doc.path.rpartition("/")[2]:  # the stems' common part: most files
        return None
    path = PurePosixPath(doc.path)
    topic = folder_topic(doc.path)
    if topic is None or len(path.parts) != 3 or path.stem not in SECTION_STEMS:
        return None
    name = topic_name(topic, config.topics)
    if path.stem == "_index":
        return name
    configured = any(name == t.name for t in config.topics)
    if (configured or str(path.parent) in folders) and not is_dated(doc, config):
        return name
    return None


def model_pages(
    documents: Sequence[Document], config: SiteConfig, *, drafts: bool
) -> tuple[list[Document], Pages, list[Diagnostic]]:
    """Sort the documents: return the articles' (for `model_articles`), the visible pages and
    section indexes, and their problems."""
    counts = Counter(doc.path.rpartition("/")[0] for doc in documents)  # parent folders
    shared = {folder for folder, n in counts.items() if n > 1}
    articles: list[Document] = []
    pages: list[Page] = []
    hidden: list[Page] = []
    sections: dict[str, SectionIndex] = {}
    problems: list[Diagnostic] = []
    for doc in documents:
        topic = section_topic(doc, shared, config)
        if topic in sections:
            message = f"topic {topic!r} already has a section index ({sections[topic].path})"
            problems.append(error(doc.path, 1, message))
        elif topic is not None:
            sections[topic], found = to_section(doc, config)
            problems += found
        elif is_dated(doc, config):
            articles.append(doc)
        else:
            page, found = to_page(doc, config)
            problems += found
            if page is not None:
                (pages if drafts or not page.draft else hidden).append(page)
    return articles, Pages(tuple(pages), sections, tuple(hidden)), problems


def to_section(doc: Document, config: SiteConfig) -> tuple[SectionIndex, list[Diagnostic]]:
    """A section index: its description and body (its other keys are not used)."""
    f = _Fields(doc, config)
    key = f.first_key(SUMMARY_KEYS)
    description = (f.text(key) if key else None) or first_paragraph(doc.html)
    return SectionIndex(doc.path, description, doc.html), f.problems


def to_page(doc: Document, config: SiteConfig) -> tuple[Page | None, list[Diagnostic]]:
    """Validate one undated document's front matter into a Page, or report every problem;
    article-only keys get a warning at the first of them."""
    f = _Fields(doc, config)
    meta = doc.meta
    title = f.text("title")
    if title is None and not isinstance(meta.get("title"), list | dict):  # else: not text
        f.problems.append(error(doc.path, f.line("title"), "missing 'title'"))
    slug, draft, direction, language = shared_fields(f, title or "")
    summary_key = f.first_key(SUMMARY_KEYS)
    page = Page(
        path=doc.path,
        title=title or "",
        slug=slug,
        html=doc.html,  # a `Markup`, sanitised at parse time
        summary=(f.text(summary_key) if summary_key else None) or first_paragraph(doc.html),
        word_count=doc.word_count,
        updated=f.when("updated", meta.get("updated")),
        lang=language,
        dir=direction,
        aliases=f.text_list("aliases"),
        draft=draft,
        menu=_menu_place(f),
        extra={k: v for k, v in meta.items() if k not in PAGE_KEYS},
        lines=dict(doc.meta_lines),
        source_text=doc.source_text,
    )
    if f.problems:
        return None, f.problems
    article_keys = [key for key in ARTICLE_ONLY_KEYS if key in meta]
    if article_keys:
        line = min(f.line(key) for key in article_keys)
        return page, [warning(doc.path, line, UNDATED, UNDATED_HINT)]
    return page, []


def _menu_place(f: _Fields) -> MenuPlace | None:
    """Front matter `menu`: true, a label, or {title, weight}."""
    value = f.meta.get("menu")
    if value is None or value is False:
        return None
    if value is True:
        return MenuPlace()
    if isinstance(value, str):
        return MenuPlace(f.text("menu"))
    weight = value.get("weight", 0) if isinstance(value, dict) else None
    title = value.get("title") if isinstance(value, dict) else None
    if (
        not isinstance(value, dict)
        or set(value) - {"title", "weight"}
        or not isinstance(weight, int)
        or isinstance(weight, bool)
        or not isinstance(title, str | None)
    ):
        f.fail("menu", "'menu' must be true, a title, or {title: …, weight: <integer>}")
        return None
    return MenuPlace(title.strip() if title else None, weight)
