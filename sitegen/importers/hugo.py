"""A Hugo site folder → entries: content files and page bundles (files beside `index.md`),
languages from `index.fa.md` suffixes or per-language content folders, `lastmod` → updated,
`slug`, `aliases`, `categories` → topic (display names from `_index.md` of sections and
terms), old URLs from `url`, `[permalinks]` or the content path."""

from __future__ import annotations

from pathlib import Path
from typing import Any
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
from sitegen.importers.permalinks import section_url, url_path, written_day
from sitegen.importers.report import ImportReport
from sitegen.importers.syntax import HUGO

CONFIG_NAMES = tuple(
    f"{folder}{name}.{ext}"
    for folder in ("", "config/_default/")
    for name in ("hugo", "config")
    for ext in ("toml", "yaml", "yml", "json")
)


def read_hugo(root: Path, report: ImportReport) -> Harvest:
    """Every content file of a Hugo site (sections' `_index.md` give topics, not entries)."""
    config = {k.lower(): v for k, v in read_config(root, CONFIG_NAMES, report).items()}
    # Hugo's default is English; a site that names no language writes it in none known
    configured = config.get("defaultcontentlanguage") or str(config.get("languagecode") or "")[:2]
    default = str(configured or "en")
    in_subdir = config.get("defaultcontentlanguageinsubdir") is True
    languages = config.get("languages") if isinstance(config.get("languages"), dict) else {}
    folders: list[tuple[Path, str | None]] = [
        (root / str(settings["contentDir"]), str(lang))
        for lang, settings in languages.items()
        if isinstance(settings, dict) and settings.get("contentDir")
    ] or [(root / str(config.get("contentdir") or "content"), None)]
    permalinks = config.get("permalinks") if isinstance(config.get("permalinks"), dict) else {}
    permalinks = (
        permalinks.get("page", permalinks)
        if isinstance(permalinks.get("page"), dict)
        else permalinks
    )
    base_path = url_path(urlsplit(text_value(config, "baseurl")).path or "/").rstrip("/") or "/"
    docs: list[tuple[Layout, SourceDoc, str | None]] = []
    for folder, folder_lang in folders:
        for path in markdown_files(folder):
            relative = path.relative_to(folder).as_posix()
            doc = read_doc(
                path, folder, f"{folder.relative_to(root).as_posix()}/{relative}", report
            )
            if doc is not None:
                docs.append((content_layout(relative), doc, folder_lang))
    topics = section_topics([(layout, doc) for layout, doc, _ in docs])
    described = {tuple(layout.sections) for layout, _, _ in docs if layout.section_index}
    entries = []
    for layout, doc, folder_lang in docs:
        if layout.section_index:
            continue
        lang = _language(doc.meta, layout, folder_lang)
        prefix = f"/{lang}" if (lang or default) != default or in_subdir else ""
        entry = _entry(doc, layout, permalinks, lang or configured or None, described, default)
        entry.old_urls = [_with_base(base_path, prefix + url) for url in entry.old_urls]
        entries.append(entry)
    return Harvest(
        entries=entries,
        rules=HUGO,
        topics=topics,
        site_values={"title": text_value(config, "title")},
        static_roots=[root / "static"],
        base_path=base_path,
        root=root,
        timezone=text_value(config, "timezone"),
    )


def _language(meta: dict[str, Any], layout: Layout, folder_lang: str | None) -> str | None:
    written = meta.get("lang") or meta.get("language") or layout.language or folder_lang
    return str(written) if written else None


def _with_base(base_path: str, url: str) -> str:
    return url if base_path == "/" else base_path + url


def _entry(
    doc: SourceDoc,
    layout: Layout,
    permalinks: dict[str, Any],
    lang: str | None,
    described: set[tuple[str, ...]],
    default: str,
) -> Entry:
    meta = doc.meta
    out = common_meta(meta)
    if lang:
        out["lang"] = lang
    slug = meta.get("slug")
    out["slug"] = str(slug or layout.name)
    categories = text_list(meta.get("categories"))
    if "url" in meta:
        old = [url_path(str(meta["url"]))]
    else:
        section = layout.sections[0] if layout.sections else ""
        pattern = permalinks.get(section)
        old = [
            section_url(
                str(pattern) if pattern else None,
                layout.sections,
                layout.name,
                str(slug) if slug else None,
                str(out.get("title", "")),
                written_day(out.get("date")),
            )
        ]
    entry = Entry(
        origin=doc.shown,
        body_line=doc.body_line,
        meta=out,
        body=doc.body,
        kind="draft" if is_draft(meta) else "article",
        key=doc.relative,
        old_urls=old,
        folder=doc.path.parent,
        bundle=layout.bundle,
        translation=(lang or default) != default,
    )
    entry.old_urls += [url_path(alias) for alias in text_list(meta.get("aliases"))]
    if categories:
        entry.topic_slug = categories[0]
        add_tags(out, categories[1:])
    elif layout.sections and tuple(layout.sections[:1]) in described:
        entry.topic_slug = layout.sections[0]
    return entry
