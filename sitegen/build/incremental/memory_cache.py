"""The build caches kept in memory, for repeated builds in one process (the dev server):
what each holds and how it is keyed is told in `sitegen.build.incremental.stores`."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sitegen.build.incremental.summary import BuildSummary
from sitegen.build.result import SiteFiles
from sitegen.core.diagnostics import Diagnostic

if TYPE_CHECKING:
    from sitegen.build.incremental.parsed import CachedParse
    from sitegen.build.incremental.preview_search import SearchBase
    from sitegen.build.incremental.stores import Modeled
    from sitegen.build.parse import Document
    from sitegen.core.config import SiteConfig


def partition_folders(made_from: Mapping[str, str]) -> dict[str, str]:
    """The folder of each partition (`pagefind/2022/`) by its key, from each file's key: the
    folder of its top files (`pagefind.js`), the shortest of its files' folders."""
    folders: dict[str, str] = {}
    for path, key in made_from.items():
        folder = path.rpartition("/")[0] + "/"
        known = folders.get(key)
        if known is None or len(folder) < len(known):
            folders[key] = folder
    return folders


class MemoryCache:
    """Caches that live in memory, for repeated builds in one process (the dev server).

    After a successful build, `remember(result.files)` keeps the pages for the next build.
    """

    stores_encoded = False

    def __init__(self) -> None:
        self._parsed: dict[str, CachedParse] = {}
        self._fingerprints: dict[str, str] = {}
        self._pending: tuple[dict[str, str], BuildSummary] | None = None
        self._pages: Mapping[str, bytes] = {}
        self._summary: BuildSummary | None = None
        # set by the preview's follow-up thread: replaced whole, never changed in place
        self._partitions: Mapping[str, Mapping[str, bytes]] = {}
        self._latest_search: Mapping[str, bytes] = {}
        self._latest_search_key: str | None = None
        self._search_folders: Mapping[str, str] = {}
        self._search_base: SearchBase | None = None
        self._memos: dict[str, tuple[str, Any]] = {}
        self._modeled: Mapping[str, Modeled] = {}
        self._stamps: Mapping[str, tuple[str, str]] = {}

    def known_sources(self) -> Mapping[str, tuple[str, str]]:
        return self._stamps

    def keep_sources(self, stamps: Mapping[str, tuple[str, str]]) -> None:
        self._stamps = dict(stamps)

    def modeled(self, key: str, document: Document, config: SiteConfig) -> Modeled | None:
        return self._modeled.get(key)

    def keep_modeled(self, results: Mapping[str, Modeled], config: SiteConfig) -> None:
        self._modeled = dict(results)

    def memo(self, name: str, key: str) -> Any | None:
        kept = self._memos.get(name)
        return kept[1] if kept and kept[0] == key else None

    def keep_memo(self, name: str, key: str, value: Any) -> None:
        self._memos[name] = (key, value)

    def parsed(self, key: str) -> CachedParse | None:
        found = self._parsed.get(key)
        return (found[0], list(found[1])) if found else None

    def store_parsed(
        self, key: str, document: Document, problems: list[Diagnostic], encoded: bytes | None
    ) -> None:
        self._parsed[key] = (document, list(problems))

    def reusable_pages(
        self, fingerprints: Mapping[str, str]
    ) -> tuple[dict[str, bytes], Mapping[str, Path]]:
        known, pages = self._fingerprints.get, self._pages
        kept = {p: pages[p] for p, f in fingerprints.items() if known(p) == f and p in pages}
        return kept, {}

    def search_index(self, key: str) -> Mapping[str, bytes | Path] | None:
        return self._partitions.get(key)

    def keep_search_index(self, key: str, files: Mapping[str, bytes]) -> None:
        self._partitions = {**self._partitions, key: dict(files)}

    def keep_latest_search_index(
        self, files: Mapping[str, bytes], made_from: Mapping[str, str], key: str | None
    ) -> None:
        """Remember a whole search index just made (`made_from`: each file's partition key;
        `key`: the index's, `SearchIndex.key`); keep only its partitions. `SiteFiles`
        (read-only, read when asked for) are kept as they are, others copied."""
        self._latest_search = files if isinstance(files, SiteFiles) else dict(files)
        self._latest_search_key = key
        self._search_folders = partition_folders(made_from)
        self._partitions = {k: v for k, v in self._partitions.items() if k in self._search_folders}

    def keep_restored_search_index(self, files: SiteFiles, folders: Mapping[str, str]) -> None:
        """A search index restored from disk: `folders`, the folder of each partition by the
        key it was made from (`search_folders` when it was saved); its partitions are kept
        as made from those keys (none is read)."""
        parts = files.folders(folders.values())
        self._latest_search = files
        self._latest_search_key = None
        self._search_folders = {k: f for k, f in folders.items() if parts[f]}  # those saved
        self._partitions = {key: parts[folder] for key, folder in self._search_folders.items()}

    def search_base(self) -> SearchBase | None:
        """The last search index made whole in this process, the base of the edits made since
        (`preview_search`); None before one is (a restored index's records are not known)."""
        return self._search_base

    def keep_search_base(self, base: SearchBase) -> None:
        self._search_base = base

    def latest_search_index(self) -> Mapping[str, bytes]:
        """The newest search index made, whatever it was made from ({} before the first)."""
        return self._latest_search

    def latest_search_key(self) -> str | None:
        """The key of `latest_search_index` (None: not known, as for a restored one)."""
        return self._latest_search_key

    def search_folders(self) -> Mapping[str, str]:
        """The folder of each partition of `latest_search_index`, by the key it was made from
        (empty when not known)."""
        return self._search_folders

    def recorded_build(self) -> bool:
        return self._summary is not None

    def recorded_summary(self) -> BuildSummary | None:
        return self._summary

    def edit_store(self) -> None:
        return None  # the preview's builds keep their plan in memory (`PageBasis`)

    def unchanged_build(self, inputs: str, now: float, root: Path) -> BuildSummary | None:
        summary = self._summary
        if (
            summary
            and summary.valid_at(inputs, now, root)
            and all(p in self._pages for p in summary.files)
        ):
            return summary
        return None

    def previous_files(self, order: list[str]) -> SiteFiles:
        return SiteFiles(order, {path: self._pages[path] for path in order})

    def keep_parsed(self, used_keys: set[str]) -> None:
        self._parsed = {k: v for k, v in self._parsed.items() if k in used_keys}

    def finish(self, fingerprints: Mapping[str, str], summary: BuildSummary) -> None:
        self._pending = (dict(fingerprints), summary)

    def remember(self, files: Mapping[str, bytes]) -> None:
        """Keep the pages of the build that just finished (call after `pipeline.build`)."""
        if self._pending is None:
            return
        fingerprints, summary = self._pending
        self._pages = {path: files[path] for path in summary.files if path in files}
        self._fingerprints = fingerprints or self._fingerprints
        self._summary = summary
        self._pending = None

    def take_warnings(self) -> list[Diagnostic]:
        return []
