"""What a build is asked for and what it gives back: `BuildOptions`, `BuildResult` (with its
`SiteFiles` and `BuildStats`)."""

from __future__ import annotations

import datetime as dt
import os
import time
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from sitegen.core.diagnostics import Diagnostic, has_errors

if TYPE_CHECKING:  # not imported at run time: a build whose inputs are unchanged needs none
    from sitegen.build.model import Article
    from sitegen.build.quick import PageBasis
    from sitegen.build.search.index import SearchRecord
    from sitegen.build.theme import Theme


def build_time() -> dt.datetime:
    """Now, or `SOURCE_DATE_EPOCH` for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    seconds = int(epoch) if epoch and epoch.strip().isdigit() else time.time()
    return dt.datetime.fromtimestamp(seconds, dt.UTC)


@dataclass(frozen=True)
class BuildOptions:
    """Switches of one build. `jobs`: worker processes (0 = one per CPU, 1 = serial).

    `defer_search`: when the search index must be made again, leave it out and hand its
    records to the caller (`BuildResult.search_records`), who makes it later (the preview).
    `planned`: called with the `PageBasis` once the site is planned without error, before
    rendering (the preview renders pages from it ahead of the build: `sitegen.build.quick`).
    `source_texts`: every article keeps its decoded source (`Article.source_text`, where
    `check` finds a problem's line); else only those whose body shows an image.
    """

    drafts: bool = False
    future: bool = False
    now: dt.datetime = field(default_factory=build_time)
    jobs: int = 0
    defer_search: bool = False
    planned: Callable[[PageBasis], None] | None = None
    source_texts: bool = False


@dataclass(frozen=True)
class BuildStats:
    articles: int = 0
    pages: int = 0
    files: int = 0
    images: int = 0
    images_processed: int = 0
    seconds: float = 0.0
    sources: int = 0  # source files found under content/
    parsed: int = 0  # source files parsed (the others came from the cache)
    rendered: int = 0  # pages rendered (the others were unchanged)


class CachedFile(NamedTuple):
    """A new output file whose bytes are in a cache file, read only when asked for."""

    path: Path


class Spooled(NamedTuple):
    """A new output file whose bytes wait in a spool (`sitegen.build.spool.Spool`) as `path`."""

    spool: Mapping[str, bytes]
    path: str


class OutputFiles(Mapping[str, Path]):
    """The files `paths` of the output folder, each `Path` made only when asked for."""

    def __init__(self, folder: Path, paths: list[str]) -> None:
        self.folder = folder
        self.paths = paths
        self._known = frozenset(paths)

    def __getitem__(self, path: str) -> Path:
        if path not in self._known:
            raise KeyError(path)
        return self.folder / path

    def __iter__(self) -> Iterator[str]:
        return iter(self.paths)

    def __len__(self) -> int:
        return len(self._known)

    def __contains__(self, path: object) -> bool:
        return path in self._known


class SiteFiles(Mapping[str, bytes]):
    """Every output file of a build, in `order`: `files` holds bytes, a `CachedFile`, a
    `Spooled` file, or the output file that holds them (unchanged since the last build, read only when asked for);
    `packed` holds rendered pages as zlib streams, inflated when asked for."""

    def __init__(
        self,
        order: list[str],
        files: Mapping[str, bytes | CachedFile | Spooled | Path],
        packed: Mapping[str, bytes] | None = None,
        *,
        stored: Mapping[str, Path] | None = None,
    ) -> None:
        """`stored`: when given, the output files holding the bytes of the paths not in
        `files` (a mapping may make each `Path` only when asked for: 12k of them cost a
        sixth of a build that changes nothing)."""
        self._order = order
        self._fresh = {p: d for p, d in files.items() if not isinstance(d, Path)}
        self._stored = {p: d for p, d in files.items() if isinstance(d, Path)}
        if stored is not None:
            self._stored = {**self._stored, **stored} if self._stored else stored
        self._packed = packed or {}

    @property
    def stored(self) -> frozenset[str]:
        """Paths whose bytes are the output folder's (unchanged since the last build)."""
        return frozenset(self._stored)

    def under(self, prefix: str) -> SiteFiles:
        """The files whose path starts with `prefix`, kept as these are (none is read)."""
        return self._subset([p for p in self._order if p.startswith(prefix)])

    def folders(self, folders: Iterable[str]) -> dict[str, SiteFiles]:
        """`under(folder)` for each of `folders` (paths ending in `/`, none inside another),
        in one pass over the files."""
        orders: dict[str, list[str]] = {folder: [] for folder in folders}
        for path in self._order:
            end = path.find("/")
            while end != -1 and (order := orders.get(path[: end + 1])) is None:
                end = path.find("/", end + 1)
            if end != -1:
                order.append(path)
        return {folder: self._subset(order) for folder, order in orders.items()}

    def _subset(self, order: list[str]) -> SiteFiles:
        files: dict[str, bytes | CachedFile | Spooled | Path] = {}
        for path in order:
            if path in self._fresh:
                files[path] = self._fresh[path]
            elif path in self._stored:
                files[path] = self._stored[path]
        return SiteFiles(order, files, {p: self._packed[p] for p in order if p in self._packed})

    def __getitem__(self, path: str) -> bytes:
        if path in self._packed:
            return zlib.decompress(self._packed[path])
        if path in self._fresh:
            data = self._fresh[path]
            if isinstance(data, Spooled):
                return data.spool[data.path]
            return data.path.read_bytes() if isinstance(data, CachedFile) else data
        return self._stored[path].read_bytes()

    def __iter__(self) -> Iterator[str]:
        return iter(self._order)

    def __len__(self) -> int:
        return len(self._order)

    def __contains__(self, path: object) -> bool:
        return path in self._packed or path in self._fresh or path in self._stored


@dataclass(frozen=True)
class BuildResult:
    """A finished build: output-relative path → bytes, or diagnostics explaining why not.

    For `check` and `deploy`: `articles` built, `sources` (output file → the source and line
    it comes from: an article, a theme or static file, or a description such as `home page
    1`), `assets` (URLs of fingerprinted files) and `aliases` (old URL → article URL).

    `files` holds every file of the site. With a `DiskCache`, files that did not change are
    not made again: their bytes are read from the output folder only when asked for, and
    `unchanged` lists them (the writer skips them). When the whole previous build was reused
    (`stats.parsed == stats.rendered == 0` and nothing changed), `articles` is empty.
    `notices` are problems with the cache itself, which was then ignored; never errors.
    `search_key` identifies the site's search index (None: the site has none); with
    `BuildOptions.defer_search`, `search_records` holds the records of an index not made.
    `theme` is the theme the pages were rendered with (None when the build failed).
    """

    files: Mapping[str, bytes]
    diagnostics: tuple[Diagnostic, ...]
    stats: BuildStats
    articles: tuple[Article, ...] = ()
    sources: dict[str, tuple[str, int | None]] = field(default_factory=dict)
    assets: tuple[str, ...] = ()
    aliases: tuple[tuple[str, str], ...] = ()
    unchanged: frozenset[str] = frozenset()
    notices: tuple[Diagnostic, ...] = ()
    search_key: str | None = None
    search_records: tuple[SearchRecord, ...] = ()
    theme: Theme | None = None

    @property
    def ok(self) -> bool:
        return not has_errors(self.diagnostics)
