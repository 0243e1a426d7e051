"""What follows a build, decided in one place: write it into the output folder (`sitegen
build`, `sitegen deploy`) or keep it in memory (`sitegen serve`)."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from sitegen.build.incremental.memory_cache import MemoryCache
from sitegen.build.incremental.stores import DiskCache
from sitegen.build.result import BuildResult
from sitegen.build.write import UNFINISHED, WriteReport, read_manifest, write_site
from sitegen.core.config import Site


def write_build(
    site: Site,
    result: BuildResult,
    cache: DiskCache | None = None,
    *,
    strict: bool = False,
    fresh: bool = False,
) -> WriteReport | None:
    """Write a build into the output folder and record what was written in `cache`.

    A failed build (with `strict`, one that reported anything) writes nothing and returns
    None: the output folder is left as it was. `fresh`: empty the folder first. Raises
    OSError when a file cannot be written.
    """
    if not result.ok or (strict and result.diagnostics):
        return None
    if fresh:
        shutil.rmtree(site.output_dir, ignore_errors=True)
    if not fresh and _written_already(site, result):
        report = WriteReport(0, len(result.files), 0)  # nothing to write, remove or flush
    else:
        report = write_site(result.files, site.output_dir, site.state_dir, result.unchanged)
    if cache is not None:
        cache.commit_pages()
    return report


def _written_already(site: Site, result: BuildResult) -> bool:
    """True when the output folder is this build already: every file unchanged there (the
    cache checked them), and the last write finished and listed exactly these files."""
    return (
        len(result.unchanged) == len(result.files)
        and not (site.state_dir / UNFINISHED).exists()
        and read_manifest(site.state_dir, site.output_dir, checked=False) == result.files.keys()
    )


@dataclass(frozen=True)
class PendingSearch:
    """The search index an in-memory build left out (`BuildOptions.defer_search`): `make()`
    makes its files (the articles edited since the last index made whole, in an `edits`
    partition, else the partitions that changed: `preview_search`; raises `SearchIndexError`)
    and keeps them in the cache for the next build; `key` identifies it."""

    key: str
    make: Callable[[], Mapping[str, bytes]]


def keep_in_memory(
    result: BuildResult, cache: MemoryCache
) -> tuple[Mapping[str, bytes] | None, PendingSearch | None]:
    """The site to show after an in-memory build (None when it failed) and the search index
    left to make. The cache keeps the build for the next one; until the index of this build
    is made, the newest one made is shown."""
    if not result.ok:
        return None, None
    cache.remember(result.files)
    if result.search_key is None:  # no search page in this site
        return result.files, None
    if not result.search_records:  # the index is among the files
        return result.files, None
    made = cache.latest_search_key()  # before the index: the follow-up sets the key after it
    snapshot = {**result.files, **cache.latest_search_index()}
    key, records = result.search_key, result.search_records
    if made == key:  # made already (an index with edits: its partitions are not kept by key)
        return snapshot, None

    def make() -> Mapping[str, bytes]:
        # the search index's modules: imported by the preview only
        from sitegen.build.incremental.preview_search import SearchBase, index_with_edits
        from sitegen.build.incremental.reuse import index_search
        from sitegen.build.search.index import SearchIndexError

        base = cache.search_base()
        index = index_with_edits(records, key, base) if base is not None else None
        whole = index is None
        if index is None:
            index, problems = index_search(records, cache)
            if problems:
                raise SearchIndexError(problems[0].message)
        files = {p: d for p, d in index.files.items() if isinstance(d, bytes)}
        if whole:
            cache.keep_search_base(SearchBase.of(records, files, index.made_from))
        cache.keep_latest_search_index(files, index.made_from, index.key)
        return files

    return snapshot, PendingSearch(key, make)
