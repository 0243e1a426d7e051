"""The search index in partitions: the records split by period, one Pagefind bundle each,
merged in the reader's browser (Pagefind's `mergeIndex`).

Pagefind holds a whole bundle in memory while it indexes (about 0.5 MB per article with
sitegen's Arabic keys), and cannot update a bundle in place. Splitting the archive by period
bounds both: Pagefind's memory by the largest partition, and an edit's re-index by its
partition (`sitegen.build.incremental.reuse` keeps each partition by its own key).

A partition is a calendar period holding at most `PARTITION_RECORDS` records: a year
(`2019`), or when the year has more, its months (`2021-11`), or when a month has more, runs of
its days, each named after its first day (`2021-12-01`, `2021-12-16`; a single day larger
than the limit stays one partition). Records without a date go to `undated`. Closed periods
keep their partitions; new articles change only the newest one (or split their period once).

Layout: `pagefind/<partition>/` is a complete Pagefind bundle; `pagefind/sitegen-search.js`
lists the partitions (newest first) and opens them all (`openIndex`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from itertools import groupby

from sitegen.build.routes import SEARCH_BUNDLE_DIR
from sitegen.build.search.index import (
    QUERY_MODULE,
    SearchRecord,
    build_bundle,
    query_module,
)

PARTITION_RECORDS = 2000
UNDATED = "undated"
# Pagefind processes at once: each holds one partition; two keep both cores of a small
# machine busy while bounding memory by two partitions.
PAGEFIND_WORKERS = 2


def partition_records(
    records: Iterable[SearchRecord], limit: int | None = None
) -> dict[str, list[SearchRecord]]:
    """The records by partition name, newest partition first (`undated` last), each
    partition's records in URL order; `limit`: records per partition (`PARTITION_RECORDS`)."""
    limit = limit or PARTITION_RECORDS
    records = list(records)
    dated = sorted((r for r in records if r.date), key=lambda r: (r.date or "", r.url))
    parts: dict[str, list[SearchRecord]] = {}
    for year, in_year in _periods(dated, 4):
        if len(in_year) <= limit:
            parts[year] = in_year
            continue
        for month, in_month in _periods(in_year, 7):
            if len(in_month) <= limit:
                parts[month] = in_month
                continue
            for run in _day_runs(in_month, limit):
                parts[(run[0].date or "")[:10]] = run
    out = {name: sorted(parts[name], key=lambda r: r.url) for name in sorted(parts, reverse=True)}
    undated = sorted((r for r in records if not r.date), key=lambda r: r.url)
    if undated:
        out[UNDATED] = undated
    return out


def _periods(records: list[SearchRecord], width: int) -> list[tuple[str, list[SearchRecord]]]:
    return [(k, list(g)) for k, g in groupby(records, key=lambda r: (r.date or "")[:width])]


def _day_runs(records: list[SearchRecord], limit: int) -> list[list[SearchRecord]]:
    """Consecutive days, greedily, while a run stays within `limit` (from the first day of
    the month, so that records added to the last day change only the last run)."""
    runs: list[list[SearchRecord]] = []
    for _, day in _periods(records, 10):
        if runs and len(runs[-1]) + len(day) <= limit:
            runs[-1].extend(day)
        else:
            runs.append(day)
    return runs


def partition_folder(name: str) -> str:
    """Where a partition's bundle goes in the site (ends with `/`)."""
    return f"{SEARCH_BUNDLE_DIR}/{name}/"


def make_partitions(
    parts: Mapping[str, Sequence[SearchRecord]],
    done: Callable[[str, dict[str, bytes]], None] | None = None,
) -> dict[str, dict[str, bytes]]:
    """Index each partition with its own Pagefind process (`PAGEFIND_WORKERS` at a time);
    return `{name: {path under the site: bytes}}`. `done(name, files)` is called as each one
    is ready. Raises `SearchIndexError` for the first partition Pagefind failed on."""

    def make(name: str) -> dict[str, bytes]:
        folder = partition_folder(name)
        files = {folder + path: data for path, data in build_bundle(parts[name]).items()}
        if done is not None:
            done(name, files)
        return files

    if len(parts) <= 1:
        return {name: make(name) for name in parts}
    with ThreadPoolExecutor(max_workers=PAGEFIND_WORKERS) as pool:
        return dict(zip(parts, pool.map(make, parts), strict=True))


def entry_files(names: Sequence[str]) -> dict[str, bytes]:
    """The files beside the partitions: `sitegen-search.js` with the partition list."""
    listed = json.dumps(list(names), ensure_ascii=False)
    module = f"const PARTITIONS = {listed};\n{query_module()}"
    return {f"{SEARCH_BUNDLE_DIR}/{QUERY_MODULE}": module.encode("utf-8")}


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
