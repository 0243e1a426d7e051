"""What every importer produces: `Entry` (one article, page or skipped draft in sitegen's
terms) and the Markdown file written for it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

Kind = Literal["article", "page", "draft"]

# Front-matter keys written first, in this order; the rest follow as the source had them.
KEY_ORDER = (
    "title",
    "date",
    "updated",
    "slug",
    "topic",
    "tags",
    "summary",
    "author",
    "authors",
    "image",
    "image_alt",
    "image_caption",
    "lang",
    "translation_key",
    "aliases",
)


@dataclass
class Entry:
    """One piece of content read from a source.

    `origin` names the source file (or `export.xml` and the item) in the report, and
    `body_line` is the line of `origin` where `body` starts, so a problem in the body is
    reported at `origin:body_line + n - 1`. `key` identifies the entry for links between
    entries (`{% post_url %}`, `ref`, `@/`). `folder` is the source folder its relative files
    (a page bundle's images) are looked up in; `bundle` says whether they sit beside it.
    """

    origin: str
    body_line: int
    meta: dict[str, Any]
    body: str
    kind: Kind
    key: str
    date: dt.datetime | None = None
    old_urls: list[str] = field(default_factory=list)
    folder: Path | None = None
    bundle: bool = False
    topic_slug: str | None = None
    body_is_html: bool = False
    translation: bool = False  # in another language than the source's default one


def yaml_document(meta: dict[str, Any], body: str) -> str:
    """A Markdown source: YAML front matter (keys in the given order) between `---` lines,
    a blank line, then the body as it is."""
    text = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=2**16)
    return f"---\n{text}---\n\n{body}"


def markdown_file(meta: dict[str, Any], body: str) -> str:
    """An imported entry's file: sitegen's keys first (`KEY_ORDER`), then the others."""
    ordered = {key: meta[key] for key in KEY_ORDER if key in meta}
    ordered.update((key, value) for key, value in meta.items() if key not in ordered)
    return yaml_document(ordered, body.strip("\n") + "\n")
