"""The preview's search index after edits (`sitegen serve`): the partitions of the last index
made whole, kept as they are, and the records that differ from theirs in an `edits` partition
(`sitegen.build.search.overlay`), as `sitegen build` does between whole builds.

A saved edit then costs one Pagefind bundle of the edited articles (a fraction of a second)
instead of its partition indexed again (about 5 ms of Pagefind an article: seconds at 10,000
articles). A partition whose articles changed (one added, removed or moved to another period),
or more than `MAX_RECORDS` articles differing, makes the index whole again (only the changed
partitions are indexed: `reuse.index_search`), and that index is the next edits' base.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sitegen.build.incremental.reuse import SearchIndex, partition_key
from sitegen.build.search.index import SearchRecord, record_digest
from sitegen.build.search.overlay import OVERLAY, Overlay, hits_in_files
from sitegen.build.search.partitions import partition_records


@dataclass(frozen=True)
class SearchBase:
    """An index made whole: by partition name, its records' digests by URL
    (`record_digest`); its files and the key of the partition each partition file belongs to."""

    partitions: Mapping[str, Mapping[str, str]]
    files: Mapping[str, bytes]
    made_from: Mapping[str, str]

    @classmethod
    def of(
        cls,
        records: Sequence[SearchRecord],
        files: Mapping[str, bytes],
        made_from: Mapping[str, str],
    ) -> SearchBase:
        """The base for later edits that an index made whole from `records` is."""
        parts = partition_records(records)
        digests = {name: {r.url: record_digest(r) for r in part} for name, part in parts.items()}
        return cls(digests, files, made_from)


def index_with_edits(
    records: Sequence[SearchRecord], key: str, base: SearchBase
) -> SearchIndex | None:
    """The index of `records` (its key: `key`) as `base` with an `edits` partition of the
    records that differ from its; None when a partition's articles are not the base's, when
    more than `MAX_RECORDS` differ, or when none does. Raises `SearchIndexError` when
    Pagefind fails."""
    parts = partition_records(records)
    if list(parts) != list(base.partitions):
        return None
    edited = []
    for name, part in parts.items():
        digests = base.partitions[name]
        if len(part) != len(digests) or any(r.url not in digests for r in part):
            return None
        edited += [r for r in part if record_digest(r) != digests[r.url]]
    if not edited:
        return None
    try:
        overlay = Overlay(tuple(parts)).with_edits(edited, hits_in_files(base.files))
    except (LookupError, OverflowError):
        return None
    made = overlay.files()
    made_from = dict(base.made_from)
    folders: dict[str, str] = {}  # each language's `edits` bundle, by what it holds
    for path in made:
        head, mark, _ = path.partition(f"/{OVERLAY}/")
        if mark:
            folder = head + mark
            if folder not in folders:
                folders[folder] = partition_key(folder, list(overlay.records.values()))
            made_from[path] = folders[folder]
    return SearchIndex(
        key, dict(sorted({**base.files, **made}.items())), made_from, partitions=tuple(parts)
    )
