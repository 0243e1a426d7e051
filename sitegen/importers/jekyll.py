"""A Jekyll site folder → entries: `_posts` (dates from file names), `_drafts` (skipped),
collections and pages, categories → topic and tags, `image:` maps, old URLs from
`permalink` (the site's style or pattern, or the page's own) and `redirect_from`."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from sitegen.core.text import slugify
from sitegen.importers.entry import Entry, Kind
from sitegen.importers.folder import (
    Harvest,
    SourceDoc,
    Topic,
    markdown_files,
    path_language,
    read_config,
    read_doc,
    split_language,
    text_value,
)
from sitegen.importers.frontmatter import add_tags, common_meta, is_draft, text_list
from sitegen.importers.permalinks import (
    fill,
    jekyll_page_url,
    jekyll_post_url,
    url_path,
    written_day,
)
from sitegen.importers.report import ImportReport
from sitegen.importers.syntax import LIQUID

_POST_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})-(.+)$")
_NOT_PAGES = {"index", "404", "feed", "search", "sitemap"}


def read_jekyll(root: Path, report: ImportReport) -> Harvest:
    """Every post, collection document and Markdown page of a Jekyll site."""
    config = read_config(root, ("_config.yml", "_config.yaml", "_config.toml"), report)
    base_path = "/" + str(config.get("baseurl") or "").strip("/")
    style = str(config.get("permalink") or "date")
    languages = {str(x) for x in config.get("languages") or [] if isinstance(x, str)}
    collections = config.get("collections") or {}
    collections = {
        str(k): v
        for k, v in (
            collections.items() if isinstance(collections, dict) else [(c, {}) for c in collections]
        )
    }
    files = markdown_files(root) + sorted(p for p in root.rglob("_posts/**/*.html") if p.is_file())
    entries: list[Entry] = []
    for path in files:
        relative = path.relative_to(root).as_posix()
        parts = relative.split("/")
        folders = parts[:-1]
        if "_posts" in folders or "_drafts" in folders:
            kind = "post"
        elif folders and folders[0].startswith("_") and folders[0][1:] in collections:
            kind = "collection"
        elif any(part.startswith("_") for part in folders):
            continue  # _includes, _layouts, _data …: templates, not content
        else:
            kind = "page"
        if kind == "page" and split_language(parts[-1])[0] in _NOT_PAGES:
            continue  # the home page, 404, feed …: made by templates
        doc = read_doc(path, root, str(path), report)
        if doc is None or (kind == "page" and not doc.meta):
            continue  # a file without front matter is copied as is by Jekyll, not rendered
        entry = _entry(doc, kind, style, languages, collections, base_path, report)
        entry.translation = entry.meta.get("lang") not in (None, config.get("lang"))
        if "_drafts" in folders:
            entry.kind = "draft"
        entries.append(entry)
    site = {k: text_value(config, k) for k in ("title", "description", "author", "email", "url")}
    return Harvest(
        entries=entries,
        rules=LIQUID,
        topics=_category_names(root, report),
        site_values={k: v for k, v in site.items() if v},
        static_roots=[root],
        base_path=base_path,
        root=root,
        includes=root / "_includes",
        timezone=text_value(config, "timezone"),
    )


def _entry(
    doc: SourceDoc,
    kind: str,
    style: str,
    languages: set[str],
    collections: dict[str, Any],
    base_path: str,
    report: ImportReport,
) -> Entry:
    meta = doc.meta
    parts = doc.relative.split("/")
    stem, suffix_lang = split_language(parts[-1])
    named = _POST_NAME.match(stem)
    file_slug = named.group(2) if named else stem
    out = common_meta(meta)
    if "date" not in out and named:
        out["date"] = named.group(1)
    if "title" not in out and not is_draft(meta):
        out["title"] = file_slug.replace("-", " ").strip()
        report.warn(doc.shown, 1, f"no title: {out['title']!r} taken from the file name")
    lang = out.get("lang") or suffix_lang or path_language(doc.relative, languages)
    if lang:
        out["lang"] = lang
    folder_categories = (
        [p for p in parts[: parts.index("_posts")] if p not in languages]
        if "_posts" in parts
        else []
    )
    categories = list(
        dict.fromkeys(
            [
                *text_list(meta.get("categories")),
                *text_list(meta.get("category")),
                *folder_categories,
            ]
        )
    )
    slug = str(meta.get("slug") or file_slug)
    out["slug"] = slug
    title_for_url = str(meta.get("slug") or file_slug)
    entry_kind: Kind = "draft" if is_draft(meta) else "article"
    if kind == "post":
        own = meta.get("permalink")
        day = written_day(out.get("date"))
        old = [jekyll_post_url(str(own or style), day, title_for_url, categories)]
    elif kind == "collection":
        name = parts[0][1:]
        settings = collections.get(name) if isinstance(collections.get(name), dict) else {}
        pattern = str(
            meta.get("permalink")
            or (settings or {}).get("permalink")
            or "/:collection/:path:output_ext"
        )
        inner = "/".join(parts[1:]).rsplit(".", 1)[0]
        old = [
            url_path(
                fill(
                    pattern,
                    {
                        "collection": name,
                        "path": inner,
                        "name": stem,
                        "title": file_slug,
                        "output_ext": ".html",
                    },
                )
            )
        ]
        entry_kind = entry_kind if "date" in out else "page"
    else:
        own = meta.get("permalink")
        old = [url_path(str(own))] if own else [jekyll_page_url(doc.relative, style)]
        entry_kind = "draft" if entry_kind == "draft" else "page"
    old += [url_path(str(u)) for u in text_list(meta.get("redirect_from"))]
    if base_path != "/":
        old = [base_path + u for u in old]
    entry = Entry(
        origin=doc.shown,
        body_line=doc.body_line,
        meta=out,
        body=doc.body,
        kind=entry_kind,
        key=doc.relative,
        old_urls=old,
        folder=doc.path.parent,
        body_is_html=doc.path.suffix.lower() == ".html",
    )
    if categories:
        entry.topic_slug = categories[0]
        add_tags(out, categories[1:])
    return entry


def _category_names(root: Path, report: ImportReport) -> dict[str, Topic]:
    """Display names of categories from `_data/categories.yml`: a mapping `slug: name` (or
    `slug: {name, description}`) or a list of `{slug, name, description}`."""
    for name in ("categories.yml", "categories.yaml", "category_names.yml"):
        path = root / "_data" / name
        if not path.is_file():
            continue
        report.files_read += 1
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            report.warn(str(path), None, f"not read: {exc}")
            return {}
        items = (
            data.items()
            if isinstance(data, dict)
            else [(d.get("slug") or d.get("id"), d) for d in data or [] if isinstance(d, dict)]
        )
        found = {}
        for slug, value in items:
            if isinstance(value, str):
                found[str(slug)] = Topic(value)
            elif isinstance(value, dict) and (value.get("name") or value.get("title")):
                found[str(slug)] = Topic(
                    str(value.get("name") or value["title"]), str(value.get("description") or "")
                )
        return {k: v for k, v in found.items() if slugify(k)}
    return {}
