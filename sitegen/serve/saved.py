"""The preview's last good site kept on disk, so that a restart shows it at once.

After each good build the preview saves the files it shows and the summary of the build that
made them (`BuildSummary`: a digest of every input, the build times it stays valid at, the
image files it read) into `.sitegen/serve/frame.sqlite`, on a background thread (the newest
save wins). The search index made after a build is saved when it is ready.

On a restart, `restore` reads the site's inputs and asks the pipeline's own check
(`PreviousBuild.previous_build`, the one that lets `sitegen build` reuse a whole previous build)
whether the saved build read these very inputs and is valid now; only then are its files
given back, to be shown while the first build runs. That build replaces them if anything
differs. An unreadable, other-version or stale file is ignored (and replaced).
"""

from __future__ import annotations

import json
import sqlite3
import threading
import zlib
from collections.abc import Iterable, Mapping
from pathlib import Path

from sitegen.build.incremental.fingerprints import engine_digest
from sitegen.build.incremental.stores import BuildSummary, MemoryCache
from sitegen.build.incremental.unchanged import PreviousBuild
from sitegen.build.inputs import load_inputs
from sitegen.build.result import BuildOptions
from sitegen.core.config import Site
from sitegen.core.diagnostics import has_errors

FILE_NAME = "serve/frame.sqlite"
FORMAT = 1


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
    db.execute("CREATE TABLE IF NOT EXISTS files (path TEXT PRIMARY KEY, data BLOB)")
    return db


def restore(site: Site, options: BuildOptions) -> tuple[dict[str, bytes], str] | None:
    """The files and base path the last preview of `site` saved, if a build with `options`
    now would make them; else None."""
    path = site.state_dir / FILE_NAME
    if not path.is_file():
        return None
    try:
        with _connect(path) as db:
            meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
            if meta.get("format") != str(FORMAT) or meta.get("engine") != engine_digest():
                return None
            summary = BuildSummary.from_json(json.loads(meta["summary"]))
            inputs, problems = load_inputs(site)
            probe = _Probe(summary)
            found = PreviousBuild(site, options, probe).previous_build(inputs)  # type: ignore[arg-type]
            if has_errors(problems) or found is None:
                return None
            rows = db.execute("SELECT path, data FROM files").fetchall()
        files = {p: zlib.decompress(data) for p, data in rows}
    except (sqlite3.Error, KeyError, TypeError, ValueError, zlib.error):
        return None
    if not all(p in files for p in summary.files):
        return None
    return files, meta.get("base_path", "/")


class FrameSaver:
    """Saves the preview's frames into `<state>/serve/frame.sqlite` on one background thread;
    a save waiting to be written is replaced by a newer one."""

    def __init__(self, state_dir: Path) -> None:
        self.path = state_dir / FILE_NAME
        self._cond = threading.Condition()
        self._pending: list[tuple[str, Mapping[str, bytes], BuildSummary | None, str]] = []
        self._saved: dict[str, bytes] = {}  # what the file holds, as last written
        self._busy = False  # a save is being written
        self._closed = False
        self._thread: threading.Thread | None = None

    def restored(self, files: dict[str, bytes]) -> None:
        """The file holds these files (just restored): later saves write only changes."""
        with self._cond:
            self._saved = files

    def save(self, files: Mapping[str, bytes], summary: BuildSummary, base_path: str) -> None:
        """Save a whole site and the summary of the build that made it."""
        self._submit(("site", files, summary, base_path), replace=True)

    def amend(self, prefix: str, files: Mapping[str, bytes]) -> None:
        """Replace the saved files under `prefix` (the search index, made after the build)."""
        self._submit((prefix, files, None, ""), replace=False)

    def idle(self, timeout: float) -> bool:
        """Wait until every save is written; False on timeout."""
        with self._cond:
            return self._cond.wait_for(lambda: not self._pending and not self._busy, timeout)

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify_all()

    def _submit(
        self, item: tuple[str, Mapping[str, bytes], BuildSummary | None, str], *, replace: bool
    ) -> None:
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
                    self._write(db, *item)
            except (OSError, sqlite3.Error):
                self._saved = {}  # written partly, maybe: write everything the next time
            finally:
                with self._cond:
                    self._busy = False
                    self._cond.notify_all()

    def _write(
        self,
        db: sqlite3.Connection,
        kind: str,
        files: Mapping[str, bytes],
        summary: BuildSummary | None,
        base_path: str,
    ) -> None:
        first = not self._saved  # the file may hold another session's files: replace them all
        if kind == "site":
            new = dict(files)
            stale: Iterable[str] = self._saved.keys() - new.keys()
        elif first:
            return  # an index made for a site not saved
        else:  # the files under a prefix
            new = {**{p: d for p, d in self._saved.items() if not p.startswith(kind)}, **files}
            stale = [p for p in self._saved if p.startswith(kind) and p not in files]
        changed = [(p, zlib.compress(d, 1)) for p, d in new.items() if self._saved.get(p) != d]
        with db:  # one transaction: the file holds one whole save or the one before
            if first:
                db.execute("DELETE FROM files")
            db.executemany("DELETE FROM files WHERE path = ?", [(p,) for p in stale])
            db.executemany("INSERT OR REPLACE INTO files VALUES (?, ?)", changed)
            meta = {"format": str(FORMAT), "engine": engine_digest()}
            if summary is not None:
                meta.update(summary=json.dumps(summary.to_json()), base_path=base_path)
            db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", list(meta.items()))
        self._saved = new
