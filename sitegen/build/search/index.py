"""The site's search index: Pagefind files built in memory from plain article records.

`build_bundle` makes one Pagefind bundle from `SearchRecord`s (one per article page) through
Pagefind's service (`sitegen.build.search.service`), in memory; `sitegen.build.search.partitions`
makes one bundle per partition of the site's records. Words are indexed together with their
Arabic search keys (`sitegen.build.search.arabic`); `sitegen-search.js` (`query_module`)
turns a reader's query into keys and removes the keys from excerpts, so excerpts show the
article's own words.

Filters on every record: `topic`, `year` (`2022`), `month` (`2022-01`) and `day`
(`2022-01-07`); sort key `date`; metadata `title` and any extra `meta`. Pagefind 1.5 makes
metadata values searchable words (filters and sort keys are not), so the date and topic travel
as filters: `result.data()` returns them in `filters`.
"""

from __future__ import annotations

import base64
import dataclasses
import gzip
import hashlib
import importlib.metadata
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from html import escape
from html.parser import HTMLParser
from importlib import resources
from pathlib import PurePosixPath
from typing import Any

import cbor2

from sitegen.build.search.arabic import RULES, annotate_text
from sitegen.build.search.service import PagefindError, PagefindService

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


class SearchIndexError(Exception):
    """Pagefind could not build the index (missing binary, crashed service, bad record)."""


@dataclass(frozen=True)
class SearchRecord:
    """One article as the search index sees it.

    `body` is HTML (escape plain text first); `date` is ISO 8601 (`2022-01-07T00:57:00+03:00`
    or `2022-01-07`); `filters` and `meta` add values beside the built-in ones (meta values
    are searchable words). `edition` is the language folder the record is searched from
    (`en`: partitions under `pagefind/en/`), '' for the default language's.
    """

    url: str
    title: str
    body: str
    language: str = "ar"
    edition: str = ""
    date: str | None = None
    topic: str | None = None
    filters: Mapping[str, Sequence[str]] = field(default_factory=dict)
    meta: Mapping[str, str] = field(default_factory=dict)


def build_bundle(records: Iterable[SearchRecord]) -> dict[str, bytes]:
    """Index the records with one Pagefind process; return its bundle in memory as
    `{path inside the bundle folder: bytes}` (Pagefind's UI files left out).

    The same records give the same bytes. Raises `SearchIndexError` when Pagefind fails.
    """
    try:
        with PagefindService() as service:
            index = service.request({"type": "NewIndex", "config": None})["index_id"]
            for record in sorted(records, key=lambda r: r.url):
                service.request(
                    {
                        "type": "AddFile",
                        "index_id": index,
                        "url": record.url,
                        "file_path": None,
                        "file_contents": record_html(record),
                    }
                )
            made = service.request({"type": "GetFiles", "index_id": index})["files"]
    except PagefindError as exc:
        raise SearchIndexError(str(exc)) from exc
    files = {
        str(f["path"]): base64.b64decode(f["content"])
        for f in made
        if not str(f["path"]).startswith(_UNUSED_PREFIXES)
    }
    return sorted_filters(files)


def search_index_key(records: Iterable[SearchRecord]) -> str:
    """A digest of everything a bundle of these records depends on (the records and
    Pagefind's version; sitegen's own code is the caller's part)."""
    digest = hashlib.sha256(_pagefind_version().encode("utf-8"))
    for each in sorted(map(record_digest, records)):  # the records in no particular order
        digest.update(each.encode("ascii"))
    return digest.hexdigest()


def record_digest(record: SearchRecord) -> str:
    """A digest of one record's fields (each as its length and UTF-8 bytes; JSON for those
    that are not text)."""
    digest = hashlib.sha256()
    for name in _RECORD_FIELDS:
        value = getattr(record, name)
        text = value if isinstance(value, str) else "\0" + json.dumps(value, sort_keys=True)
        data = text.encode("utf-8", "surrogatepass")
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()


_RECORD_FIELDS = tuple(f.name for f in dataclasses.fields(SearchRecord))


@cache
def _pagefind_version() -> str:
    return importlib.metadata.version("pagefind")  # about 1 ms: read once


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
    for path in sorted(p for p in files if p.startswith("filter/")):
        name, values = _read_pagefind(files[path])
        data = _write_pagefind([name, sorted([v, sorted(pages)] for v, pages in values)])
        old = PurePosixPath(path).stem
        new = f"{old.split('_', 1)[0]}_{hashlib.sha256(data).hexdigest()[:7]}"
        renamed[old] = new
        del out[path]
        out[f"filter/{new}.pf_filter"] = _gzip(data)
    entry_path = "pagefind-entry.json"
    entry = json.loads(files[entry_path])
    for language in entry["languages"].values():
        meta_path = f"pagefind.{language['hash']}.pf_meta"
        meta = _read_pagefind(files[meta_path])
        meta[3] = sorted([filter_name, renamed[h]] for filter_name, h in meta[3])
        data = _write_pagefind(meta)
        language["hash"] = (
            f"{language['hash'].split('_', 1)[0]}_{hashlib.sha256(data).hexdigest()[:10]}"
        )
        del out[meta_path]
        out[f"pagefind.{language['hash']}.pf_meta"] = _gzip(data)
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
    # Arabic is left without a language: sitegen's keys are its stems, and Pagefind's Snowball
    # stemmer would shorten the marked query key (a prefix, `ǂرييس`) but not the marked page
    # keys, widening matches (judged set: precision 0.843 against 0.901 unstemmed)
    stemmed = record.language.split("-")[0].lower() != "ar"
    lang = f' lang="{escape(record.language)}"' if stemmed else ""
    return (
        f"<!DOCTYPE html><html{lang}><head>{''.join(heads)}</head>"
        f"<body><article data-pagefind-body><h1>{escape(annotate_text(record.title))}</h1>"
        f"{annotate_html(str(record.body))}</article></body></html>"  # a `Markup` body as text
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
