"""The site's search index: Pagefind files built in memory from plain article records.

The search stage (`sitegen.build.search.stage`) calls `build_search_index` with one
`SearchRecord` per article page; the files are written with the rest of the site (the dev
server serves them from memory). Words are indexed together with their Arabic search keys (`sitegen.build.search.arabic`);
the bundle's `sitegen-search.js` turns a reader's query into keys and removes the keys from
excerpts, so excerpts show the article's own words.

Filters on every record: `topic`, `year` (`2022`), `month` (`2022-01`) and `day`
(`2022-01-07`); sort key `date`; metadata `title` and any extra `meta`. Pagefind 1.5 makes
metadata values searchable words (filters and sort keys are not), so the date and topic travel
as filters: `result.data()` returns them in `filters`.
"""

from __future__ import annotations

import asyncio
import dataclasses
import gzip
import hashlib
import importlib.metadata
import json
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote

import cbor2

from sitegen.build.routes import SEARCH_BUNDLE_DIR
from sitegen.build.search.arabic import RULES, annotate_text

QUERY_MODULE = "sitegen-search.js"
# Pagefind's own UI files would show the index-only search keys; they are not shipped.
_UNUSED_PREFIXES = (
    "pagefind-ui.",
    "pagefind-modular-ui.",
    "pagefind-component-ui.",
    "pagefind-highlight.",
    "playground",
)
_SKIPPED_TAGS = frozenset({"script", "style", "template"})
PAGEFIND_ATTEMPTS = 3


class SearchIndexError(Exception):
    """Pagefind could not build the index (missing binary, crashed service, bad record)."""


@dataclass(frozen=True)
class SearchRecord:
    """One article as the search index sees it.

    `body` is HTML (escape plain text first); `date` is ISO 8601 (`2022-01-07T00:57:00+03:00`
    or `2022-01-07`); `filters` and `meta` add values beside the built-in ones (meta values
    are searchable words).
    """

    url: str
    title: str
    body: str
    language: str = "ar"
    date: str | None = None
    topic: str | None = None
    filters: Mapping[str, Sequence[str]] = field(default_factory=dict)
    meta: Mapping[str, str] = field(default_factory=dict)


def build_search_index(records: Iterable[SearchRecord]) -> dict[str, bytes]:
    """Index the records with Pagefind; return the bundle as `{path under the site: bytes}`.

    The same records give the same bytes (the build cache keeps the index by
    `search_index_key`, `sitegen.build.incremental`). Raises `SearchIndexError` when Pagefind
    fails.
    """
    ordered = sorted(records, key=lambda r: r.url)
    for _ in range(PAGEFIND_ATTEMPTS):
        try:
            # A thread of its own: the caller may run an event loop (asyncio.run refuses).
            with ThreadPoolExecutor(max_workers=1) as worker:
                files = worker.submit(asyncio.run, _run_pagefind(ordered)).result()
        except SearchIndexError:
            raise
        except Exception as exc:  # the Pagefind service reports failures as bare exceptions
            raise SearchIndexError(f"Pagefind failed: {exc}") from exc
        # The service is stopped as soon as it answers that the files are written; on a busy
        # machine a file may not be written yet and stays empty (no Pagefind file is empty).
        if all(files.values()):
            break
    else:
        raise SearchIndexError(f"Pagefind left empty files {PAGEFIND_ATTEMPTS} times")
    files = sorted_filters(files)
    files[f"{SEARCH_BUNDLE_DIR}/{QUERY_MODULE}"] = query_module().encode("utf-8")
    return files


def search_index_key(records: Iterable[SearchRecord]) -> str:
    """A digest of everything the index depends on (records, key rules, query module,
    Pagefind version)."""
    digest = hashlib.sha256()
    digest.update(query_module().encode("utf-8"))
    digest.update(importlib.metadata.version("pagefind").encode("utf-8"))
    for record in sorted(records, key=lambda r: r.url):
        digest.update(json.dumps(dataclasses.asdict(record), sort_keys=True).encode("utf-8"))
    return digest.hexdigest()


def sorted_filters(files: Mapping[str, bytes]) -> dict[str, bytes]:
    """Make Pagefind's filter files reproducible.

    Pagefind 1.5.2 writes each filter's values, and the list of filters in its `.pf_meta`
    file, in hash-map order, so two runs give different bytes and file names. This sorts them,
    renames the filter and meta files after their new content and updates the references
    (`.pf_meta` → filters, `pagefind-entry.json` → meta). Pagefind's JS only follows the
    names; it never checks them against the content.
    """
    out = dict(files)
    renamed: dict[str, str] = {}
    for path in sorted(p for p in files if p.startswith(f"{SEARCH_BUNDLE_DIR}/filter/")):
        name, values = _read_pagefind(files[path])
        data = _write_pagefind([name, sorted([v, sorted(pages)] for v, pages in values)])
        old = PurePosixPath(path).stem
        new = f"{old.split('_', 1)[0]}_{hashlib.sha256(data).hexdigest()[:7]}"
        renamed[old] = new
        del out[path]
        out[f"{SEARCH_BUNDLE_DIR}/filter/{new}.pf_filter"] = _gzip(data)
    entry_path = f"{SEARCH_BUNDLE_DIR}/pagefind-entry.json"
    entry = json.loads(files[entry_path])
    for language in entry["languages"].values():
        meta_path = f"{SEARCH_BUNDLE_DIR}/pagefind.{language['hash']}.pf_meta"
        meta = _read_pagefind(files[meta_path])
        meta[3] = sorted([filter_name, renamed[h]] for filter_name, h in meta[3])
        data = _write_pagefind(meta)
        language["hash"] = (
            f"{language['hash'].split('_', 1)[0]}_{hashlib.sha256(data).hexdigest()[:10]}"
        )
        del out[meta_path]
        out[f"{SEARCH_BUNDLE_DIR}/pagefind.{language['hash']}.pf_meta"] = _gzip(data)
    entry["languages"] = dict(sorted(entry["languages"].items()))
    out[entry_path] = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode()
    return dict(sorted(out.items()))


_SIGNATURE = b"pagefind_dcd"


def _read_pagefind(data: bytes) -> Any:
    raw = gzip.decompress(data)
    if not raw.startswith(_SIGNATURE):
        raise SearchIndexError("Pagefind wrote a file sitegen cannot read")
    return cbor2.loads(raw[len(_SIGNATURE) :])


def _write_pagefind(value: Any) -> bytes:
    return _SIGNATURE + cbor2.dumps(value)


def _gzip(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=9, mtime=0)


def query_module() -> str:
    """The search page's query helper (ES module) with the shared rules inlined."""
    source = resources.files("sitegen.build.search").joinpath("search_query.js").read_text("utf-8")
    rules = json.dumps(RULES, ensure_ascii=False, sort_keys=True)
    return f"const RULES = {rules};\n\n{source}"


def record_html(record: SearchRecord) -> str:
    """The HTML document Pagefind indexes for a record: annotated title and body only."""
    heads = [_meta_tag("data-pagefind-meta", "title", record.title)]
    for name, value in sorted(record.meta.items()):
        heads.append(_meta_tag("data-pagefind-meta", name, value))
    for name, values in sorted(_filters(record).items()):
        heads.extend(_meta_tag("data-pagefind-filter", name, value) for value in values)
    if record.date:
        heads.append(_meta_tag("data-pagefind-sort", "date", record.date))
    return (
        f'<!DOCTYPE html><html lang="{escape(record.language)}"><head>{"".join(heads)}</head>'
        f"<body><article data-pagefind-body><h1>{escape(annotate_text(record.title))}</h1>"
        f"{annotate_html(record.body)}</article></body></html>"
    )


def annotate_html(html: str) -> str:
    """Annotate the text of an HTML fragment with search keys, keeping its markup."""
    rewriter = _AnnotatingParser()
    rewriter.feed(html)
    rewriter.close()
    return "".join(rewriter.parts)


def _filters(record: SearchRecord) -> dict[str, list[str]]:
    filters = {name: list(values) for name, values in record.filters.items()}
    if record.topic:
        filters.setdefault("topic", []).append(record.topic)
    if record.date and len(record.date) >= 10:
        filters.setdefault("year", []).append(record.date[:4])
        filters.setdefault("month", []).append(record.date[:7])
        filters.setdefault("day", []).append(record.date[:10])
    return filters


def _meta_tag(attribute: str, name: str, value: str) -> str:
    return f'<meta {attribute}="{escape(name)}[content]" content="{escape(value)}">'


def page_file(url: str) -> PurePosixPath:
    """Where a record's page goes in the directory Pagefind indexes; Pagefind turns the path
    back into the URL (`/a/b/` ↔ `a/b/index.html`, `/a.html` ↔ `a.html`)."""
    path = unquote(url.split("?", 1)[0].split("#", 1)[0]).strip("/")
    parts = PurePosixPath(path).parts
    if any(part in ("..", ".") for part in parts):
        raise SearchIndexError(f"search record URL leaves the site: {url}")
    if path.endswith(".html"):
        return PurePosixPath(path)
    return PurePosixPath(path, "index.html")


async def _run_pagefind(records: Sequence[SearchRecord]) -> dict[str, bytes]:
    # One directory request: Pagefind's Python service answers a request at most every 0.1 s,
    # so adding 10k pages one by one would take over 15 minutes.
    from pagefind.index import IndexConfig, PagefindIndex

    with tempfile.TemporaryDirectory(prefix="sitegen-pagefind-") as tmp:
        site, out = Path(tmp) / "site", Path(tmp) / SEARCH_BUNDLE_DIR
        for record in records:
            target = site / page_file(record.url)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(record_html(record), "utf-8")
        async with PagefindIndex(config=IndexConfig(output_path=str(out))) as index:
            await index.add_directory(str(site))
        return {
            f"{SEARCH_BUNDLE_DIR}/{path.relative_to(out).as_posix()}": path.read_bytes()
            for path in sorted(out.rglob("*"))
            if path.is_file() and not path.relative_to(out).as_posix().startswith(_UNUSED_PREFIXES)
        }


class _AnnotatingParser(HTMLParser):
    """Re-emits an HTML fragment with every text node passed through `annotate_text`."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.parts.append(self.get_starttag_text() or "")
        if tag in _SKIPPED_TAGS:
            self._skipping += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.parts.append(self.get_starttag_text() or "")

    def handle_endtag(self, tag: str) -> None:
        self.parts.append(f"</{tag}>")
        if tag in _SKIPPED_TAGS and self._skipping:
            self._skipping -= 1

    def handle_data(self, data: str) -> None:
        self.parts.append(data if self._skipping else escape(annotate_text(data), quote=False))
