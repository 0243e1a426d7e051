"""Front matter of other generators → sitegen's keys (docs/content.md). Pure.

Shared by every source: title, dates, summary, tags, authors, lead-image maps, drafts,
language. Each source first moves its own conventions (Hugo `lastmod`, Zola `[taxonomies]`
and `[extra]`, Jekyll `categories`) into the mapping this module reads.
"""

from __future__ import annotations

from typing import Any

from sitegen.core.languages import is_language_tag

# Keys that only meant something to the old generator: dropped.
GENERATOR_KEYS = frozenset(
    (
        "layout",
        "permalink",
        "url",
        "path",
        "weight",
        "type",
        "template",
        "page_template",
        "render",
        "menu",
        "menus",
        "sitemap",
        "comments",
        "share",
        "toc",
        "mathjax",
        "output",
        "outputs",
        "build",
        "cascade",
        "sort_by",
        "paginate_by",
        "in_search_index",
        "insert_anchor_links",
        "redirect_from",
        "redirect_to",
        "headless",
        "_build",
    )
)
_IMAGE_KEYS = ("path", "src", "url", "file", "feature", "image", "filename", "og_image")
_IMAGE_FIELDS = {
    "alt": "image_alt",
    "alt_text": "image_alt",
    "caption": "image_caption",
    "title": "image_caption",
    "credit": "image_credit",
    "credits": "image_credit",
}
_MAX_DEPTH = 4


def image_map(value: Any, depth: int = 0) -> dict[str, str]:
    """A lead image written as text, a list (its first item) or a map, nested at will
    (`image: {feature: {path: x.jpg, alt: …}}`) → `image`, `image_alt`, `image_caption`,
    `image_credit`."""
    if isinstance(value, str):
        return {"image": value} if value.strip() else {}
    if isinstance(value, list):
        return image_map(value[0], depth + 1) if value and depth < _MAX_DEPTH else {}
    if not isinstance(value, dict) or depth >= _MAX_DEPTH:
        return {}
    found: dict[str, str] = {}
    for key in _IMAGE_KEYS:
        if key in value:
            found = image_map(value[key], depth + 1)
            if found:
                break
    for key, target in _IMAGE_FIELDS.items():
        text = value.get(key)
        if isinstance(text, str) and text.strip() and target not in found:
            found[target] = text.strip()
    return found if "image" in found else {}


def text_list(value: Any) -> list[str]:
    """A list of names written as a list, or as text (comma- or space-separated in Jekyll)."""
    if isinstance(value, str):
        parts = value.split(",") if "," in value else value.split()
        return [p.strip() for p in parts if p.strip()]
    if isinstance(value, list):
        return [
            str(v).strip() for v in value if isinstance(v, str | int | float) and str(v).strip()
        ]
    return []


def first_text(meta: dict[str, Any], *keys: str) -> str | None:
    """The first of `keys` holding non-empty text (numbers count as text)."""
    for key in keys:
        value = meta.get(key)
        if (
            isinstance(value, str | int | float)
            and not isinstance(value, bool)
            and str(value).strip()
        ):
            return str(value).strip()
    return None


def is_draft(meta: dict[str, Any]) -> bool:
    """`draft: true` or `published: false` (Jekyll), however the value is written."""
    draft, published = meta.get("draft"), meta.get("published")
    return draft in (True, "true", "yes") or published in (False, "false", "no")


def common_meta(meta: dict[str, Any]) -> dict[str, Any]:
    """sitegen front matter from the keys generators share; what is left is kept (as
    `extra`), but for keys that only meant something to the old generator."""
    out: dict[str, Any] = {}
    title = first_text(meta, "title", "linktitle")
    if title:
        out["title"] = title
    date = first_text(meta, "date", "publishDate", "pubdate", "published_at")
    if date:
        out["date"] = date
    updated = first_text(meta, "updated", "lastmod", "last_modified_at", "modified")
    if updated:
        out["updated"] = updated
    summary = first_text(meta, "summary", "description", "excerpt", "teaser", "subtitle")
    if summary:
        out["summary"] = summary
    tags = text_list(meta.get("tags"))
    if tags:
        out["tags"] = tags
    authors = text_list(meta.get("authors")) or text_list(
        [meta["author"]] if isinstance(meta.get("author"), str) else meta.get("author")
    )
    if len(authors) == 1:
        out["author"] = authors[0]
    elif authors:
        out["authors"] = authors
    for key in ("image", "images", "featured_image", "cover", "thumbnail", "header", "og_image"):
        found = image_map(meta.get(key))
        if found:
            out.update(found)
            break
    lang = first_text(meta, "lang", "language", "locale")
    if lang and is_language_tag(lang.replace("_", "-")):
        out["lang"] = lang.replace("_", "-")
    consumed = {
        *("title", "linktitle", "date", "publishDate", "pubdate", "published_at"),
        *("updated", "lastmod", "last_modified_at", "modified", "expiryDate"),
        *("summary", "description", "excerpt", "teaser", "subtitle"),
        *("tags", "author", "authors", "lang", "language", "locale", "draft", "published"),
        *("image", "images", "featured_image", "cover", "thumbnail", "header", "og_image"),
        *("slug", "aliases", "categories", "category", "topic", "section", "date_gmt"),
    }
    for key, value in meta.items():
        if key not in consumed and key not in GENERATOR_KEYS and key not in out:
            out[key] = value
    return out


def add_tags(meta: dict[str, Any], names: list[str]) -> None:
    """Add `names` to the tags (the categories after the first, which is the topic)."""
    tags = list(dict.fromkeys([*meta.get("tags", []), *names]))
    if tags:
        meta["tags"] = tags
