"""The search index in partitions: the records split by period, one Pagefind bundle each,
merged in the reader's browser (Pagefind's `mergeIndex`).

Pagefind holds a whole bundle in memory while it indexes (about 0.55 MB per article with
sitegen's Arabic keys), and cannot update a bundle in place. Splitting the archive by period
bounds both: Pagefind's memory by the largest partition, and an edit's re-index by its
partition (`sitegen.build.incremental.reuse` keeps each partition by its own key).

A partition is a run of consecutive calendar periods holding at most `PARTITION_RECORDS`
records, named after its first period: years (`2019` for 2019–2021), or, for a year with more
records, its months (`2021-11`), or, for a month with more, its days (`2021-12-01`); a single
day larger than the limit stays one partition. Records without a date go to `undated`. Runs
are packed from the oldest period, so new articles change only the newest partition (or
split their period once). A partition that lacks a query's key adds no results: the keys are
marked so that Pagefind's fallback for a missing word finds nothing (see
`sitegen.build.search.arabic`).

Layout: `pagefind/<partition>/` is a complete Pagefind bundle; `pagefind/sitegen-search.js`
lists the partitions (newest first) and opens them all (`openIndex`). A further language of the
site (`SearchRecord.edition`) has partitions of its own, `pagefind/en/<partition>/`, listed by
`pagefind/en/sitegen-search.js`: its search page searches its language only.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from itertools import groupby
from typing import Any

from sitegen.build.routes import SEARCH_BUNDLE_DIR
from sitegen.build.search.index import (
    QUERY_MODULE,
    SearchRecord,
    build_bundle,
    query_module,
)

PARTITION_RECORDS = 1500  # Pagefind needs about 0.55 MB an article: 0.8 GB
UNDATED = "undated"
# Pagefind processes at once: each holds one partition; two keep both cores of a small
# machine busy while bounding memory by two partitions.
PAGEFIND_WORKERS = 2


def partition_records(
    records: Iterable[SearchRecord], limit: int | None = None
) -> dict[str, list[SearchRecord]]:
    """The records by partition name, newest partition first (`undated` last), each
    partition's records in URL order; `limit`: records per partition (`PARTITION_RECORDS`).
    A further language's partitions follow, named `<edition>/<partition>`."""
    by_edition: dict[str, list[SearchRecord]] = {}
    for record in records:
        by_edition.setdefault(record.edition, []).append(record)
    out = {}
    for edition in sorted(by_edition):
        for name, part in _edition_partitions(by_edition[edition], limit).items():
            out[f"{edition}/{name}" if edition else name] = part
    return out


def _edition_partitions(
    records: list[SearchRecord], limit: int | None
) -> dict[str, list[SearchRecord]]:
    """One language's records by partition name (`partition_records`)."""
    limit = limit or PARTITION_RECORDS
    dated = sorted((r for r in records if r.date), key=lambda r: (r.date or "", r.url))
    parts = dict(_partitions(dated, 0, limit))
    out = {name: sorted(parts[name], key=lambda r: r.url) for name in sorted(parts, reverse=True)}
    undated = sorted((r for r in records if not r.date), key=lambda r: r.url)
    if undated:
        out[UNDATED] = undated
    return out


_WIDTHS = (4, 7, 10)  # of the date prefix: year, month, day


def _partitions(
    records: list[SearchRecord], level: int, limit: int
) -> Iterator[tuple[str, list[SearchRecord]]]:
    """Runs of consecutive periods (`_WIDTHS[level]`) while a run stays within `limit`,
    packed greedily from the oldest; a larger period is split at the next level."""
    width = _WIDTHS[level]
    run: list[SearchRecord] = []
    for _, period in groupby(records, key=lambda r: (r.date or "")[:width]):
        found = list(period)
        if run and len(run) + len(found) <= limit:
            run.extend(found)
            continue
        if run:
            yield (run[0].date or "")[:width], run
        run = []
        if len(found) > limit and level + 1 < len(_WIDTHS):
            yield from _partitions(found, level + 1, limit)
        else:
            run = found
    if run:
        yield (run[0].date or "")[:width], run


def partition_folder(name: str) -> str:
    """Where a partition's bundle goes in the site (ends with `/`)."""
    return f"{SEARCH_BUNDLE_DIR}/{name}/"


def make_partitions(
    parts: Mapping[str, Sequence[SearchRecord]],
    done: Callable[[str, dict[str, bytes]], Mapping[str, Any]] | None = None,
) -> dict[str, Mapping[str, Any]]:
    """Index each partition with its own Pagefind process (`PAGEFIND_WORKERS` at a time);
    return `{name: {path under the site: bytes}}`. `done(name, files)` is called as each one
    is ready, and what it returns is kept for that partition instead (where the files were
    put: the bytes of every partition are then never held at once). Raises
    `SearchIndexError` for the first partition Pagefind failed on."""

    def make(name: str) -> Mapping[str, Any]:
        folder = partition_folder(name)
        files = {folder + path: data for path, data in build_bundle(parts[name]).items()}
        return files if done is None else done(name, files)

    if len(parts) <= 1:
        return {name: make(name) for name in parts}
    with ThreadPoolExecutor(max_workers=PAGEFIND_WORKERS) as pool:
        return dict(zip(parts, pool.map(make, parts), strict=True))


def entry_files(
    names: Sequence[str], replaced: Mapping[str, Sequence[str]] | None = None
) -> dict[str, bytes]:
    """The files beside the partitions: `sitegen-search.js` with the partition list, one
    per language (`pagefind/en/sitegen-search.js` lists `en/…` partitions, as `…`), and the
    ids of the hits the page drops, by language ('' for the site's: `search.overlay`)."""
    by_edition: dict[str, list[str]] = {}
    for name in names:
        edition, _, local = name.rpartition("/")
        by_edition.setdefault(edition, []).append(local)
    files = {}
    for edition, listed in by_edition.items():
        folder = f"{SEARCH_BUNDLE_DIR}/{edition}/" if edition else f"{SEARCH_BUNDLE_DIR}/"
        dropped = sorted((replaced or {}).get(edition, ()))
        module = (
            f"const PARTITIONS = {json.dumps(listed, ensure_ascii=False)};\n"
            f"const REPLACED = {json.dumps(dropped, ensure_ascii=False)};\n{query_module()}"
        )
        files[folder + QUERY_MODULE] = module.encode("utf-8")
    return files


def build_search_index(
    records: Iterable[SearchRecord], limit: int | None = None
) -> dict[str, bytes]:
    """The whole index, every partition made afresh: `{path under the site: bytes}`;
    `limit` as for `partition_records`."""
    parts = partition_records(records, limit)
    files: dict[str, bytes] = {}
    for made in make_partitions(parts).values():
        files.update(made)
    files.update(entry_files(list(parts)))
    return dict(sorted(files.items()))
