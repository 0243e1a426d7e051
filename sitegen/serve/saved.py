"""The preview's last good site kept on disk, so that a restart shows it at once.

After each good build the preview saves the files it shows, the summary of the build that
made them (`BuildSummary`: a digest of every input, the build times it stays valid at, the
image files it read) and the stat stamp and digest of each source that build read, into
`.sitegen/serve/frame.sqlite`, on a background thread (the newest save wins). The search
index made after a build is saved when it is ready.

On a restart, `restore` loads the site's inputs the way `sitegen build` does with its cache:
a source whose stamp is the saved one is not read and keeps its saved digest
(`load.discover_sources`, with the build's racy-clean rule); the others are read. It then
asks the pipeline's own check (`PreviousBuild.previous_build`, the one that lets `sitegen
build` reuse a whole previous build) whether the saved build read these very inputs and is
valid now; only then are its files given back, still compressed (`SiteFiles`: each inflated
when read), to be shown while the first build runs. That build replaces them if anything
differs. An unreadable, other-version, damaged (each file's CRC-32 is checked) or stale
file is ignored (and replaced).
"""

from __future__ import annotations

import json
import sqlite3
import threading
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from sitegen.build.incremental.fingerprints import engine_digest
from sitegen.build.incremental.memory_cache import MemoryCache
from sitegen.build.incremental.stores import BuildSummary
from sitegen.build.incremental.unchanged import PreviousBuild
from sitegen.build.inputs import load_inputs
from sitegen.build.result import BuildOptions, SiteFiles
from sitegen.core.config import Site
from sitegen.core.diagnostics import has_errors

FILE_NAME = "serve/frame.sqlite"
FORMAT = 2  # 2: the sources' stamps, each file's CRC-32
FILES_TABLE = "CREATE TABLE IF NOT EXISTS files (path TEXT PRIMARY KEY, data BLOB, crc INTEGER)"


class RecordingCache(MemoryCache):
    """The preview's `MemoryCache`, remembering the summary of the last finished build."""

    summary: BuildSummary | None = None

    def finish(self, fingerprints: Mapping[str, str], summary: BuildSummary) -> None:
        super().finish(fingerprints, summary)
        self.summary = summary


class _Probe:
    """Answers `PreviousBuild.previous_build` with the saved summary when it is valid."""

    def __init__(self, summary: BuildSummary) -> None:
        self.summary = summary

    def unchanged_build(self, inputs: str, now: float, root: Path) -> BuildSummary | None:
        return self.summary if self.summary.valid_at(inputs, now, root) else None

    def keep_sources(self, stamps: Mapping[str, tuple[str, str]]) -> None:
        pass  # a probe records nothing


def _connect(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, timeout=10, check_same_thread=False)
    db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
    db.execute(FILES_TABLE)
    return db


def restore(site: Site, options: BuildOptions) -> tuple[SiteFiles, str, dict[str, str]] | None:
    """The files and base path the last preview of `site` saved, with the folder of each
    search partition by the key it was made from (`MemoryCache.search_folders`), if a build
    with `options` now would make them; else None. The files stay compressed until read."""
    path = site.state_dir / FILE_NAME
    if not path.is_file():
        return None
    try:
        with _connect(path) as db:
            meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
            if meta.get("format") != str(FORMAT) or meta.get("engine") != engine_digest():
                return None
            summary = BuildSummary.from_json(json.loads(meta["summary"]))
            known = {
                p: (stamp, digest) for p, (stamp, digest) in json.loads(meta["sources"]).items()
            }
            inputs, problems = load_inputs(site, known)
            probe = _Probe(summary)
            found = PreviousBuild(site, options, probe).previous_build(inputs)  # type: ignore[arg-type]
            if has_errors(problems) or found is None:
                return None
            rows = db.execute("SELECT path, data, crc FROM files").fetchall()
    except (sqlite3.Error, KeyError, TypeError, ValueError):
        return None
    if any(not isinstance(data, bytes) or zlib.crc32(data) != crc for _, data, crc in rows):
        return None  # damaged: a file read later could not be inflated
    packed = {p: data for p, data, _ in rows}
    if not all(p in packed for p in summary.files):
        return None
    folders = json.loads(meta.get("search", "{}"))
    if not all(isinstance(f, str) and isinstance(k, str) for k, f in folders.items()):
        folders = {}
    return SiteFiles(list(packed), {}, packed), meta.get("base_path", "/"), folders


@dataclass(frozen=True)
class _Save:
    """One save waiting to be written: a whole site (`kind` "site") with the summary and
    sources of its build, or the files under the prefix `kind`."""

    kind: str
    files: Mapping[str, bytes]
    summary: BuildSummary | None = None
    base_path: str = ""
    sources: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    search: Mapping[str, str] = field(default_factory=dict)


class FrameSaver:
    """Saves the preview's frames into `<state>/serve/frame.sqlite` on one background thread;
    a save waiting to be written is replaced by a newer one."""

    def __init__(self, state_dir: Path) -> None:
        self.path = state_dir / FILE_NAME
        self._cond = threading.Condition()
        self._pending: list[_Save] = []
        self._saved: Mapping[str, bytes] = {}  # what the file holds, as last written
        self._busy = False  # a save is being written
        self._closed = False
        self._thread: threading.Thread | None = None

    def restored(self, files: Mapping[str, bytes]) -> None:
        """The file holds these files (just restored): later saves write only changes (the
        restored files are inflated then, to be compared, on this saver's thread)."""
        with self._cond:
            self._saved = files

    def save(
        self,
        files: Mapping[str, bytes],
        summary: BuildSummary,
        base_path: str,
        sources: Mapping[str, tuple[str, str]],
        search: Mapping[str, str],
    ) -> None:
        """Save a whole site, the summary of the build that made it, the sources that
        build read (path → stat stamp and digest, `BuildCache.known_sources`) and its search
        partitions' folders by key (`MemoryCache.search_folders`)."""
        self._submit(_Save("site", files, summary, base_path, sources, search), replace=True)

    def amend(self, prefix: str, files: Mapping[str, bytes], search: Mapping[str, str]) -> None:
        """Replace the saved files under `prefix` (the search index, made after the build, its
        partitions' folders by key: `search`)."""
        self._submit(_Save(prefix, files, search=search), replace=False)

    def idle(self, timeout: float) -> bool:
        """Wait until every save is written; False on timeout."""
        with self._cond:
            return self._cond.wait_for(lambda: not self._pending and not self._busy, timeout)

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify_all()

    def _submit(self, item: _Save, *, replace: bool) -> None:
        with self._cond:
            if self._closed:
                return
            self._pending = [item] if replace else [*self._pending, item]
            if self._thread is None:
                self._thread = threading.Thread(target=self._loop, name="preview-save", daemon=True)
                self._thread.start()
            self._cond.notify_all()

    def _loop(self) -> None:
        db: sqlite3.Connection | None = None
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._closed or bool(self._pending))
                if self._closed and not self._pending:
                    return
                items, self._pending, self._busy = self._pending, [], True
            try:
                if db is None:
                    self.path.parent.mkdir(parents=True, exist_ok=True)
                    db = _connect(self.path)
                for item in items:
                    self._write(db, item)
            except (OSError, sqlite3.Error):
                self._saved = {}  # written partly, maybe: write everything the next time
            finally:
                with self._cond:
                    self._busy = False
                    self._cond.notify_all()

    def _write(self, db: sqlite3.Connection, save: _Save) -> None:
        first = not self._saved  # the file may hold another session's files: replace them all
        kind, files = save.kind, save.files
        if kind == "site":
            new = dict(files)
            stale: Iterable[str] = self._saved.keys() - new.keys()
        elif first:
            return  # an index made for a site not saved
        else:  # the files under a prefix
            new = {**{p: self._saved[p] for p in self._saved if not p.startswith(kind)}, **files}
            stale = [p for p in self._saved if p.startswith(kind) and p not in files]
        changed = []
        for p, d in new.items():
            if self._saved.get(p) != d:
                packed = zlib.compress(d, 1)
                changed.append((p, packed, zlib.crc32(packed)))
        with db:  # one transaction: the file holds one whole save or the one before
            if first:  # made anew: it may have been written by another version
                db.execute("BEGIN")
                db.execute("DROP TABLE IF EXISTS files")
                db.execute(FILES_TABLE)
            db.executemany("DELETE FROM files WHERE path = ?", [(p,) for p in stale])
            db.executemany("INSERT OR REPLACE INTO files VALUES (?, ?, ?)", changed)
            meta = {
                "format": str(FORMAT),
                "engine": engine_digest(),
                "search": json.dumps(dict(save.search)),
            }
            if save.summary is not None:
                meta.update(
                    summary=json.dumps(save.summary.to_json()),
                    base_path=save.base_path,
                    sources=json.dumps(dict(save.sources)),
                )
            db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", list(meta.items()))
        self._saved = new
