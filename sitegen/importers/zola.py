"""A Zola site folder → entries: TOML front matter, `[taxonomies]` (categories → topic and
tags, the others kept), `[extra]` keys lifted to the top (so `extra.image` is the lead image),
dates from front matter or `YYYY-MM-DD-` file names, `index.fa.md` languages, page bundles,
old URLs from `path` or the section path and slug."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

from sitegen.importers.entry import Entry
from sitegen.importers.folder import (
    Harvest,
    Layout,
    SourceDoc,
    content_layout,
    markdown_files,
    read_config,
    read_doc,
    section_topics,
    text_value,
)
from sitegen.importers.frontmatter import add_tags, common_meta, is_draft, text_list
from sitegen.importers.permalinks import section_url, url_path
from sitegen.importers.report import ImportReport
from sitegen.importers.syntax import ZOLA

_DATED_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})[-_](.+)$")


def read_zola(root: Path, report: ImportReport) -> Harvest:
    """Every page of a Zola site (sections' `_index.md` give topics, not entries)."""
    config = read_config(root, ("config.toml", "zola.toml"), report)
    configured = config.get("default_language")  # Zola's default is English
    default = str(configured or "en")
    base_path = url_path(urlsplit(text_value(config, "base_url")).path or "/").rstrip("/") or "/"
    content = root / "content"
    docs: list[tuple[Layout, SourceDoc]] = []
    for path in markdown_files(content):
        relative = path.relative_to(content).as_posix()
        doc = read_doc(path, content, str(path), report)
        if doc is not None:
            docs.append((content_layout(relative), doc))
    entries = []
    for layout, doc in docs:
        if layout.section_index:
            continue
        entry = _entry(doc, layout, default, bool(configured))
        if base_path != "/":
            entry.old_urls = [base_path + url for url in entry.old_urls]
        entries.append(entry)
    return Harvest(
        entries=entries,
        rules=ZOLA,
        topics=section_topics(docs),
        site_values={"title": text_value(config, "title")},
        static_roots=[root / "static"],
        base_path=base_path,
        root=root,
    )


def _entry(doc: SourceDoc, layout: Layout, default: str, configured: bool) -> Entry:
    meta = dict(doc.meta)
    extra = meta.pop("extra", None)
    if isinstance(extra, dict):
        meta.update((k, v) for k, v in extra.items() if k not in meta)
    taxonomies = meta.pop("taxonomies", None)
    taxonomies = taxonomies if isinstance(taxonomies, dict) else {}
    named = _DATED_NAME.match(layout.name)
    name = named.group(2) if named else layout.name
    out = common_meta(meta)
    if "date" not in out and named:
        out["date"] = named.group(1)
    lang = str(meta.get("lang") or layout.language or default)
    if lang != default or configured:
        out["lang"] = lang
    slug = meta.get("slug")
    out["slug"] = str(slug or name)
    categories = text_list(taxonomies.get("categories") or taxonomies.get("category"))
    add_tags(out, text_list(taxonomies.get("tags")))
    others = {k: v for k, v in taxonomies.items() if k not in ("categories", "category", "tags")}
    if text_list(others.get("authors")) and "author" not in out and "authors" not in out:
        out["authors"] = text_list(others.pop("authors"))
    if others:
        out["taxonomies"] = others
    prefix = "" if lang == default else f"/{lang}"
    if isinstance(meta.get("path"), str):
        old = prefix + url_path(meta["path"].strip("/") + "/")
    else:
        old = prefix + section_url(
            None, layout.sections, name, str(slug) if slug else None, "", None
        )
    entry = Entry(
        origin=doc.shown,
        body_line=doc.body_line,
        meta=out,
        body=doc.body,
        kind="draft" if is_draft(meta) else "article",
        key=doc.relative,
        old_urls=[old],
        folder=doc.path.parent,
        bundle=layout.bundle,
        translation=lang != default,
    )
    entry.old_urls += [url_path(alias) for alias in text_list(meta.get("aliases"))]
    if categories:
        entry.topic_slug = categories[0]
        add_tags(out, categories[1:])
    elif layout.sections:
        entry.topic_slug = layout.sections[0]
    return entry
