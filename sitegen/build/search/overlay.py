"""The search index after edits: the partitions of the last whole build as they are, and the
articles edited since in a small partition of their own.

Pagefind cannot update a bundle: a whole build indexes each partition whose records changed
anew (about 5 ms of Pagefind a record: seconds for one partition). A build after edits
(`sitegen.build.incremental.edits`) keeps every partition the whole build made and indexes
only the articles edited since, in the partition `edits` (`OVERLAY`), listed first. Each
edited article is still in its partition as it was: `sitegen-search.js` lists the ids of
those hits (`REPLACED`), and the page drops them. Until the next whole build, an edited
article is ranked with the statistics of the `edits` partition rather than its own.

`Overlay` is what a build after edits hands to the next one: the partitions of the whole
build (in the order `sitegen-search.js` lists them), the edited articles' records and the ids
they replace.
"""

from __future__ import annotations

import dataclasses
import json
import marshal
import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import astuple, dataclass, field
from functools import partial
from pathlib import Path

from sitegen.build.routes import SEARCH_BUNDLE_DIR
from sitegen.build.search.index import SearchRecord, build_bundle
from sitegen.build.search.partitions import UNDATED, entry_files, partition_folder

OVERLAY = "edits"
# edited articles the `edits` partition holds at most (~5 ms of Pagefind each, indexed again on
# every build after edits): one more, and the whole build makes their partitions again
MAX_RECORDS = 100
_DAY_PADDING = "0000-01-01"
_SIGNATURE = b"pagefind_dcd"
_FRAGMENT = ".pf_fragment"

# (partition name, URL) → the id of the URL's hit in that partition's bundle, None if not found
HitFinder = Callable[[str, str], str | None]


@dataclass(frozen=True)
class Overlay:
    """`partitions`: the whole build's partition names in order (`edition/name` for a further
    language's); `records`: each edited article's record by URL; `replaced`: by URL, the id
    of the article's hit in its partition."""

    partitions: tuple[str, ...]
    records: Mapping[str, SearchRecord] = field(default_factory=dict)
    replaced: Mapping[str, str] = field(default_factory=dict)

    def pack(self) -> bytes:
        """The overlay as plain data (`unpack` reads it)."""
        records = {
            url: astuple(dataclasses.replace(record, body=str(record.body)))  # not `Markup`
            for url, record in self.records.items()
        }
        return marshal.dumps((self.partitions, records, dict(self.replaced)))

    @classmethod
    def unpack(cls, data: bytes) -> Overlay:
        partitions, records, replaced = marshal.loads(data)
        return cls(
            tuple(partitions),
            {url: SearchRecord(*fields) for url, fields in records.items()},
            replaced,
        )

    def with_edits(self, records: Iterable[SearchRecord], find_hit: HitFinder) -> Overlay:
        """This overlay with `records` (edited articles' records, by their URL) added or
        replacing theirs; the id each replaces is found in its partition's bundle as the
        whole build made it (`find_hit`: `hits_in_folder`, `hits_in_files`). Raises
        `LookupError` when an article's hit is not where its date puts it, `OverflowError`
        when the overlay would hold more than `MAX_RECORDS` articles."""
        found = dict(self.records)
        replaced = dict(self.replaced)
        for record in records:
            found[record.url] = record
            if len(found) > MAX_RECORDS:
                raise OverflowError(len(found))
            if record.url not in replaced:
                hit = find_hit(self._partition_of(record), record.url)
                if hit is None:
                    raise LookupError(record.url)
                replaced[record.url] = hit
        return Overlay(self.partitions, dict(sorted(found.items())), replaced)

    def _partition_of(self, record: SearchRecord) -> str:
        prefix = f"{record.edition}/" if record.edition else ""
        names = [n for n in self.partitions if n.rpartition("/")[0] == record.edition]
        local = partition_of([n.rpartition("/")[2] for n in names], record.date)
        if local is None:
            raise LookupError(record.url)
        return prefix + local

    def files(self) -> dict[str, bytes]:
        """The files this overlay adds or changes: each language's `edits` bundle and its
        `sitegen-search.js` (raises `SearchIndexError` when Pagefind fails)."""
        by_edition: dict[str, list[SearchRecord]] = {}
        for record in self.records.values():
            by_edition.setdefault(record.edition, []).append(record)
        files: dict[str, bytes] = {}
        names = list(self.partitions)
        for edition, records in sorted(by_edition.items()):
            name = f"{edition}/{OVERLAY}" if edition else OVERLAY
            folder = partition_folder(name)
            files.update({folder + p: data for p, data in build_bundle(records).items()})
            names.insert(0, name)  # first: its hits win a tie
        replaced: dict[str, list[str]] = {}
        for url, hit in self.replaced.items():
            replaced.setdefault(self.records[url].edition, []).append(hit)
        files.update(entry_files(names, replaced))
        return dict(sorted(files.items()))


def is_overlay_file(path: str) -> bool:
    """Whether an output path belongs to an `edits` partition (of any language)."""
    parts = path.split("/")
    return parts[0] == SEARCH_BUNDLE_DIR and OVERLAY in parts[1:3] and len(parts) > 2


def first_day(name: str) -> str:
    """The first day of a dated partition's period (`2021` → `2021-01-01`)."""
    return name + _DAY_PADDING[len(name) :]


def partition_of(names: Sequence[str], date: str | None) -> str | None:
    """Which of one language's partitions (`names`) holds a record of `date` (ISO 8601, in
    the site's time zone; None: undated): the one with the latest first day not after it."""
    if not date:
        return UNDATED if UNDATED in names else None
    dated = [n for n in names if n not in (UNDATED, OVERLAY) and first_day(n) <= date[:10]]
    return max(dated, key=first_day, default=None)


def hits_in_folder(output: Path) -> HitFinder:
    """Finds hits in the bundles of a site's output folder (as a whole build wrote them)."""

    def find(name: str, url: str) -> str | None:
        try:
            paths = sorted((output / partition_folder(name) / "fragment").iterdir())
        except OSError:
            return None
        return fragment_id(((path.name, path.read_bytes) for path in paths), url)

    return find


def hits_in_files(files: Mapping[str, bytes]) -> HitFinder:
    """Finds hits in the bundles among a site's files (`{path under the site: bytes}`)."""

    def find(name: str, url: str) -> str | None:
        prefix = partition_folder(name) + "fragment/"
        paths = sorted(path for path in files if path.startswith(prefix))
        return fragment_id(((p[len(prefix) :], partial(files.__getitem__, p)) for p in paths), url)

    return find


def fragment_id(fragments: Iterable[tuple[str, Callable[[], bytes]]], url: str) -> str | None:
    """The id of `url`'s hit among a bundle's fragment files (each a file name and what reads
    its bytes): the name of its file. A fragment begins with the page's URL: only that much
    of each is decompressed."""
    expected = _SIGNATURE + b'{"url":' + json.dumps(url, ensure_ascii=False).encode() + b","
    for name, read in fragments:
        if not name.endswith(_FRAGMENT):
            continue
        try:
            head = zlib.decompressobj(wbits=31).decompress(read(), len(expected))
        except (OSError, zlib.error):
            continue
        if head == expected:
            return name.removesuffix(_FRAGMENT)
    return None
