"""The build caches, keyed by value: parsed documents, rendered pages, the search index and
the summary of the previous build.

- **Parse cache:** `parse_key` (`sitegen.build.incremental.parsed`) = the source's bytes digest + its path + the Markdown and
  reader settings (timezone, `limits.max_nesting`) + `engine_digest()`. The value is the Document (its source text
  included) and the parse warnings. Stored in `.sitegen/cache/parse.sqlite`, one row each, read
  in one scan (`sitegen.build.incremental.parse_store`).
- **Source digests:** each source's `stat_stamp` and digest, so an unchanged file is not read
  (`load.discover_sources`); in the same file.
- **Page cache:** each page's fingerprint (template closure + canonical context + config +
  engine, see `sitegen.build.incremental.pages`). A page whose fingerprint is unchanged is neither
  rendered nor written: its bytes are the ones already in the output folder. `.sitegen/
  cache/pages.marshal` records, per output file, the fingerprint and the size and mtime the file
  had when written; a file changed or removed since then is rendered again.
- **Search index:** each partition by its `partition_key` (`sitegen.build.incremental.reuse`);
  on disk a partition's files are recorded as pages with that key as their fingerprint; in
  memory the partitions of the newest index made are kept.
- **Model results:** each document's `to_article` result by its model key (its parse key and
  the configuration, `sitegen.build.incremental.modeled`). In memory the whole result; on
  disk (`DiskCache`, a table of `parse.sqlite`) the articles that modelled without problems,
  in their marshal form without what the document holds (read back at about a tenth of the
  cost of modelling again).
- **Memos:** values made from many inputs, each kept (the newest only) with the key of what it
  was made from, in `<name>.json`: the template closures (`TemplateClosure.table`, by
  `templates_digest`; finding them parses every template) and the related articles (by what
  `related_articles` reads of every article).
- **Build summary:** what the previous build read and made (`BuildSummary`), so a build of
  the same inputs reuses all of it.

`DiskCache` is what `sitegen build` uses (`read=False` for `--clean`: start afresh);
`MemoryCache` keeps the previous result in memory (for the dev server, which never writes the
output folder). Everything here is safe to delete; an unreadable, corrupt or other-version
cache is ignored with a warning.
"""

from __future__ import annotations

import json
import marshal
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from sitegen.build.incremental.edit_store import EditStore
from sitegen.build.incremental.fingerprints import engine_digest
from sitegen.build.incremental.parse_store import ParseStore
from sitegen.build.incremental.summary import BuildSummary
from sitegen.build.result import OutputFiles, SiteFiles
from sitegen.build.write import write_atomic
from sitegen.core.config import STATE_FOLDER
from sitegen.core.diagnostics import Diagnostic, warning

if TYPE_CHECKING:  # not imported at run time: a build whose inputs are unchanged needs none
    from sitegen.build.incremental.parsed import CachedParse
    from sitegen.build.model import Article
    from sitegen.build.parse import Document
    from sitegen.core.config import SiteConfig

    # A document's `to_article` result: the article (None if it has errors) and its problems.
    Modeled = tuple[Article | None, tuple[Diagnostic, ...]]

CACHE_DIR = "cache"
FORMAT = 1  # of the JSON files and `PAGES` (the parse cache has its own: `parse_store.FORMAT`)
# The pages and the build summary: plain data as marshal (JSON, 6 MB for 10k articles, cost a
# tenth of a build that changes nothing to read, and 0.1 s to write after an edit).
PAGES = "pages.marshal"
MARSHAL_VERSION = 4  # marshal's format, fixed: Python's own version is in `engine_digest()`


class BuildCache(Protocol):
    """What the pipeline asks of a cache. `stores_encoded`: `store_parsed` keeps the encoded
    form of parse results (else the workers need not make it)."""

    stores_encoded: bool

    def parsed(self, key: str) -> CachedParse | None:
        """An earlier parse result for this key."""

    def store_parsed(
        self, key: str, document: Document, problems: list[Diagnostic], encoded: bytes | None
    ) -> None:
        """Remember a parse result (`encoded`: its `encode_parsed` form, or None)."""

    def known_sources(self) -> Mapping[str, tuple[str, str]]:
        """The sources recorded by `keep_sources`: path → (stamp, digest)."""

    def keep_sources(self, stamps: Mapping[str, tuple[str, str]]) -> None:
        """Record the sources read: path → (`load.stat_stamp`, digest); forget the others."""

    def reusable_pages(
        self, fingerprints: Mapping[str, str]
    ) -> tuple[dict[str, bytes], Mapping[str, Path]]:
        """The pages (output path → fingerprint) rendered before from these very
        fingerprints: their bytes, or the output files holding them (a mapping that makes
        each `Path` only when asked for)."""

    def modeled(self, key: str, document: Document, config: SiteConfig) -> Modeled | None:
        """An earlier model result for this key (`model_key`), made from `document` and
        `config` (a cache may keep only what they do not hold)."""

    def keep_modeled(self, results: Mapping[str, Modeled], config: SiteConfig) -> None:
        """Modeling is over: these are all of this build's model results (in `config`);
        keep only them."""

    def memo(self, name: str, key: str) -> Any | None:
        """The plain-data value kept as `name` when it was made from `key` (see `keep_memo`)."""

    def keep_memo(self, name: str, key: str, value: Any) -> None:
        """Remember `value` (JSON data) as `name`, made from `key`: the newest one per name."""

    def search_index(self, key: str) -> Mapping[str, bytes | Path] | None:
        """The files of the search partition made from `key` (`partition_key`), if they are
        at hand and as they were made: the one memo of the search index."""

    def keep_search_index(self, key: str, files: Mapping[str, bytes]) -> None:
        """Remember the search partition just made from `key`."""

    def unchanged_build(self, inputs: str, now: float, root: Path) -> BuildSummary | None:
        """The previous build, if it had these inputs and its files are all still there."""

    def recorded_build(self) -> bool:
        """Whether a previous build is recorded (one `unchanged_build` may give)."""

    def recorded_summary(self) -> BuildSummary | None:
        """The previous build's summary, as recorded (None: none is)."""

    def edit_store(self) -> EditStore | None:
        """Where what a build after an edit reads of the previous build is kept (None: this
        cache keeps none: `sitegen.build.incremental.edits`)."""

    def previous_files(self, order: list[str]) -> SiteFiles:
        """The files of the build `unchanged_build` returned (`order`: its paths), as kept."""

    def keep_parsed(self, used_keys: set[str]) -> None:
        """Parsing is over: keep the results of these keys (save them), drop the rest."""

    def finish(self, fingerprints: Mapping[str, str], summary: BuildSummary) -> None:
        """Called once the build succeeded, with its page fingerprints and its summary."""

    def take_warnings(self) -> list[Diagnostic]:
        """Problems with the cache itself (never errors; the cache is then ignored)."""


class DiskCache:
    """Caches under `<state_dir>/cache/` for `sitegen build`; pages are reused from `output_dir`.

    Call `commit_pages(written_paths)` after the output folder was written.
    """

    stores_encoded = True

    def __init__(self, state_dir: Path, output_dir: Path, *, read: bool = True) -> None:
        self.folder = state_dir / CACHE_DIR
        self.output_dir = output_dir
        self._output_prefix = f"{output_dir}/"
        self.read = read
        self._warnings: list[Diagnostic] = []
        self._warned: set[str] = set()
        self._parse = ParseStore(self.folder, self._warn, read=read)
        self._edits = EditStore(self.folder, self._warn, read=read)
        self._pages, self._summary = self._load_pages()
        self._verified: set[str] = set()  # output files found unchanged during this build
        self._pending: tuple[dict[str, str], BuildSummary] | None = None

    # -- reading, with every problem turned into one warning per kind ------------------------
    def _warn(self, kind: str, message: str) -> None:
        if kind not in self._warned:
            self._warned.add(kind)
            self._warnings.append(warning(f"{STATE_FOLDER}/{CACHE_DIR}", None, message))

    def _read_plain(
        self, path: Path, loads: Callable[[bytes], Any] = json.loads
    ) -> dict[str, Any] | None:
        """The plain data of a cache file (`loads`: its format), if it is of this version."""
        try:
            data = loads(path.read_bytes())
        except FileNotFoundError:
            return None
        except (OSError, ValueError, EOFError, TypeError) as exc:
            self._warn("corrupt", f"ignoring unreadable cache file {path.name}: {exc}")
            return None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            self._warn("format", "ignoring a cache written by another sitegen version")
            return None
        if data.get("engine") != engine_digest():
            self._warn("engine", "ignoring a cache written by another sitegen or library version")
            return None
        return data

    def _header(self) -> dict[str, Any]:
        return {"format": FORMAT, "engine": engine_digest()}

    # -- parse cache and source digests (`ParseStore`) ---------------------------------------
    def parsed(self, key: str) -> CachedParse | None:
        found = self._parse.row("parsed", key) if self.read else None
        if found is None:
            return None
        from sitegen.build.incremental.parsed import decode_parsed  # not for unchanged builds

        try:
            return decode_parsed(found)
        except (EOFError, TypeError, ValueError):
            self._warn("corrupt", "ignoring a corrupt parse cache entry")
            return None

    def parsed_few(self, keys: list[str]) -> dict[str, CachedParse]:
        """The parse results of these keys that are kept, read by key (for a few of them)."""
        from sitegen.build.incremental.parsed import decode_parsed

        found = {}
        for key, data in self._parse.fetch("parsed", keys).items():
            try:
                found[key] = decode_parsed(data)
            except (EOFError, TypeError, ValueError):
                self._warn("corrupt", "ignoring a corrupt parse cache entry")
        return found

    def store_parsed(
        self, key: str, document: Document, problems: list[Diagnostic], encoded: bytes | None
    ) -> None:
        if encoded is not None:
            self._parse.store("parsed", key, encoded)

    def known_sources(self) -> Mapping[str, tuple[str, str]]:
        return self._parse.stamps() if self.read else {}

    def keep_sources(self, stamps: Mapping[str, tuple[str, str]]) -> None:
        self._parse.keep_stamps(stamps)

    # -- page cache ---------------------------------------------------------------------------
    def _load_pages(self) -> tuple[dict[str, list[Any]], BuildSummary | None]:
        data = self._read_plain(self.folder / PAGES, marshal.loads) if self.read else None
        if not data or data.get("output") != self._output_name():
            return {}, None
        pages = data.get("pages")
        try:
            summary = BuildSummary.from_json(data["build"])
        except (KeyError, TypeError, ValueError):
            summary = None
        return (pages if isinstance(pages, dict) else {}), summary

    def _output_name(self) -> str:
        """The output folder as `PAGES` records it: relative to the site when inside it,
        so a site moved or restored elsewhere with its output and cache keeps its pages."""
        site = self.folder.parent.parent.resolve()  # <site>/.sitegen/cache
        try:
            return self.output_dir.resolve().relative_to(site).as_posix()
        except ValueError:
            return str(self.output_dir)

    def _unchanged_file(self, path: str) -> bool:
        """True when the output file is as the last build left it (size and mtime)."""
        entry = self._pages.get(path)
        try:
            stat = os.stat(self._output_prefix + path)
        except OSError:
            return False
        if not entry or [stat.st_size, stat.st_mtime_ns] != entry[1:]:
            return False
        self._verified.add(path)
        return True

    def recorded_build(self) -> bool:
        return self._summary is not None

    def recorded_summary(self) -> BuildSummary | None:
        return self._summary

    def edit_store(self) -> EditStore:
        return self._edits

    def recorded_fingerprints(self) -> dict[str, str]:
        """Each page's fingerprint as the previous build recorded it, by output path."""
        return {path: entry[0] for path, entry in self._pages.items()}

    def unchanged_files(self, paths: list[str]) -> bool:
        """Whether every one of these output files is as the previous build left it."""
        return all(map(self._unchanged_file, paths))

    def unchanged_build(self, inputs: str, now: float, root: Path) -> BuildSummary | None:
        summary = self._summary
        valid = summary is not None and summary.valid_at(inputs, now, root)
        return summary if valid and all(map(self._unchanged_file, summary.files)) else None

    def previous_files(self, order: list[str]) -> SiteFiles:
        return SiteFiles(order, {}, stored=OutputFiles(self.output_dir, order))

    def reusable_pages(
        self, fingerprints: Mapping[str, str]
    ) -> tuple[dict[str, bytes], Mapping[str, Path]]:
        # each page's `Path` made only when asked for (12,700 of them: 0.02 s)
        known, unchanged = self._pages.get, self._unchanged_file
        paths = [
            path
            for path, fingerprint in fingerprints.items()
            if (entry := known(path)) and entry[0] == fingerprint and unchanged(path)
        ]
        return {}, OutputFiles(self.output_dir, paths)

    def memo(self, name: str, key: str) -> Any | None:
        data = self._read_plain(self.folder / f"{name}.json") if self.read else None
        return data.get("value") if data and data.get("key") == key else None

    def keep_memo(self, name: str, key: str, value: Any) -> None:
        if json.dumps(self.memo(name, key)) == json.dumps(value):  # tuples are lists in JSON
            return
        body = {**self._header(), "key": key, "value": value}
        write_atomic(self.folder / f"{name}.json", json.dumps(body, ensure_ascii=False).encode())

    def search_index(self, key: str) -> Mapping[str, bytes | Path] | None:
        # the index's files are recorded as pages whose fingerprint is the key
        paths = [p for p, entry in self._pages.items() if entry[0] == key]
        if not paths or not all(map(self._unchanged_file, paths)):
            return None
        return {p: self.output_dir / p for p in paths}

    def keep_search_index(self, key: str, files: Mapping[str, bytes]) -> None:
        pass  # recorded with the pages once written (`commit_pages`)

    # -- model results: articles without problems, in their stored form --------------------
    def modeled(self, key: str, document: Document, config: SiteConfig) -> Modeled | None:
        found = self._parse.row("modeled", key) if self.read else None
        if found is None:
            return None
        from sitegen.build.incremental.modeled import decode_article

        try:
            return decode_article(found, document, config.tz), ()
        except (EOFError, TypeError, ValueError):
            self._warn("corrupt", "ignoring a corrupt model cache entry")
            return None

    def keep_modeled(self, results: Mapping[str, Modeled], config: SiteConfig) -> None:
        from sitegen.build.incremental.modeled import encode_article

        for key, (article, problems) in results.items():
            if article is None or problems or self._parse.row("modeled", key) is not None:
                continue
            encoded = encode_article(article, config.tz)
            if encoded is not None:
                self._parse.store("modeled", key, encoded)
        self._parse.keep("modeled", results)
        self._parse.close()

    def keep_parsed(self, used_keys: set[str]) -> None:
        self._parse.keep("parsed", used_keys)
        self._parse.close()  # parsing is over

    def finish(self, fingerprints: Mapping[str, str], summary: BuildSummary) -> None:
        self._pending = (dict(fingerprints), summary)
        self._parse.close()
        self._edits.close()

    def commit_pages(self) -> None:
        """Record the pages of the finished build as they now are in the output folder."""
        if self._pending is None:
            return
        fingerprints, summary = self._pending
        if not fingerprints:  # an unchanged build: nothing was rendered or written
            return
        pages: dict[str, list[Any]] = {}
        for path, fingerprint in fingerprints.items():  # in build order (sorting: 0.04 s)
            old = self._pages.get(path)
            if old and old[0] == fingerprint and path in self._verified:
                pages[path] = old  # reused, not written
                continue
            try:
                stat = os.stat(f"{self.output_dir}/{path}")
            except OSError:
                continue
            pages[path] = [fingerprint, stat.st_size, stat.st_mtime_ns]
        if pages != self._pages or summary != self._summary:
            body = {
                **self._header(),
                "output": self._output_name(),
                "build": summary.to_json(),
                "pages": pages,
            }
            write_atomic(self.folder / PAGES, marshal.dumps(body, MARSHAL_VERSION))
            (self.folder / "pages.json").unlink(missing_ok=True)  # where older versions kept it
            self._pages, self._summary = pages, summary
        self._pending = None

    def take_warnings(self) -> list[Diagnostic]:
        found, self._warnings = self._warnings, []
        return found
