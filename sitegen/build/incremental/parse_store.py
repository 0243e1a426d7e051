"""The parse cache and the source digests on disk: one SQLite file, `.sitegen/cache/parse.sqlite`.

- `parsed`: parse key → the parse result (`parsed.encode_parsed`: marshal data, the source's
  decoded text included, so a hit needs neither the source's bytes nor a decode). Read in one
  scan (64 KiB pages, memory-mapped); an edit writes one row, a clean build its rows in
  batches as they are parsed (`BATCH_ROWS`).
- `modeled`: model key → a modelled article (`modeled.encode_article`: marshal data, without
  what its document holds), so an unchanged document is not modelled again; read in one scan.
- `stamps`: source path → (`load.stat_stamp`, sha256 of its bytes): a source whose stamp is
  unchanged is not read again (`load.discover_sources`).

The file records its format and `engine_digest()`; one of another version is emptied with a
warning, and an unreadable one is replaced with a warning. Everything here is safe to delete.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from sitegen.build.incremental.fingerprints import engine_digest

FORMAT = "2"  # 1: 256 JSON shards of parse results
FILE_NAME = "parse.sqlite"
_KEYED = ("parsed", "modeled")  # key → value tables: read in one scan, written by `keep`
_TABLES = (*_KEYED, "stamps")
# Rows written in one transaction as they are stored: at most this many wait in memory (a
# parse row is ~8 KB of Arabic text; all of 100k articles' rows were 0.8 GB held to the end).
BATCH_ROWS = 400


class ParseStore:
    """The parse cache's rows, opened on first use. `warn(kind, message)` reports problems;
    after one, the store holds nothing and keeps nothing. `read=False`: start empty."""

    def __init__(self, folder: Path, warn: Callable[[str, str], None], *, read: bool) -> None:
        self.path = folder / FILE_NAME
        self.warn = warn
        self.read = read
        self._db: sqlite3.Connection | None = None
        self._opened = False
        self._pending: dict[str, dict[str, bytes]] = {table: {} for table in _KEYED}
        # every row of a keyed table, read in one scan when first asked
        self._rows: dict[str, dict[str, bytes]] = {}
        self._stamps: dict[str, tuple[str, str]] | None = None

    def _connect(self) -> sqlite3.Connection | None:
        if self._opened:
            return self._db
        self._opened = True
        try:
            self._db = self._open()
        except sqlite3.DatabaseError as exc:  # not a database, or a damaged one: start again
            self.warn("corrupt", f"ignoring unreadable cache file {self.path.name}: {exc}")
            try:
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{self.path}{suffix}").unlink(missing_ok=True)
                self._db = self._open()
            except (OSError, sqlite3.Error):
                self._db = None
        except (OSError, sqlite3.Error) as exc:
            self.warn("unwritable", f"cannot use the parse cache {self.path.name}: {exc}")
            self._db = None
        return self._db

    def _open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(self.path.parent / "parse", ignore_errors=True)  # format 1's shards
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            db.execute("PRAGMA page_size=65536")  # a new file's: a row rarely overflows a page
            db.execute("PRAGMA mmap_size=1073741824")  # rows read without a system call each
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("CREATE TABLE IF NOT EXISTS header (name TEXT PRIMARY KEY, value TEXT)")
            for table in _KEYED:  # the names are constants
                db.execute(f"CREATE TABLE IF NOT EXISTS {table} (key TEXT PRIMARY KEY, value BLOB)")
            db.execute(
                "CREATE TABLE IF NOT EXISTS stamps (path TEXT PRIMARY KEY, stamp TEXT, digest TEXT)"
            )
            header = dict(db.execute("SELECT name, value FROM header").fetchall())
            wanted = {"format": FORMAT, "engine": engine_digest()}
            if header != wanted or not self.read:
                if header and header.get("format") != FORMAT:
                    self.warn("format", "ignoring a cache written by another sitegen version")
                elif header and header != wanted and self.read:
                    message = "ignoring a cache written by another sitegen or library version"
                    self.warn("engine", message)
                with db:
                    db.execute("BEGIN")
                    for table in (*_TABLES, "header"):
                        db.execute(f"DELETE FROM {table}")  # the names are constants
                    db.executemany("INSERT INTO header VALUES (?, ?)", wanted.items())
            self.read = True  # emptied once: opened again, it keeps what this build wrote
        except BaseException:
            db.close()
            raise
        return db

    def _failed(self, exc: Exception) -> None:
        self.warn("corrupt", f"ignoring unreadable cache file {self.path.name}: {exc}")
        if self._db is not None:
            self._db.close()
        self._db = None

    def row(self, table: str, key: str) -> bytes | None:
        """The stored value of `key` in `table` (`parsed` or `modeled`), or None."""
        if key in self._pending[table]:
            return self._pending[table][key]
        rows = self._rows.get(table)
        if rows is None:
            db = self._connect()
            if db is None:
                return None
            try:  # one scan: a build asks for nearly every row
                rows = self._rows[table] = dict(db.execute(f"SELECT key, value FROM {table}"))
            except sqlite3.Error as exc:
                self._failed(exc)
                return None
        found = rows.get(key)
        return found if isinstance(found, bytes) else None

    def fetch(self, table: str, keys: Iterable[str]) -> dict[str, bytes]:
        """The stored values of these keys in `table`, each read by its key (not in one scan:
        for a few rows of a large table)."""
        db = self._connect()
        names = list(keys)
        if db is None or not names:
            return {}
        marks = ",".join("?" * len(names))
        try:
            rows = db.execute(f"SELECT key, value FROM {table} WHERE key IN ({marks})", names)
            return {key: value for key, value in rows if isinstance(value, bytes)}
        except sqlite3.Error as exc:
            self._failed(exc)
            return {}

    def store(self, table: str, key: str, value: bytes) -> None:
        """Keep a value in `table`: written with the others of its batch once `BATCH_ROWS`
        wait (one transaction), the last ones by `keep`; none is held for the whole build."""
        pending = self._pending[table]
        pending[key] = value
        if len(pending) >= BATCH_ROWS:
            self._flush(table)

    def _flush(self, table: str) -> None:
        """Write the values of `table` stored since the last write (those not already there
        as they are)."""
        pending, self._pending[table] = self._pending[table], {}
        db = self._connect()
        if db is None or not pending:
            return
        known = self._rows.get(table, {})
        fresh = [(k, v) for k, v in pending.items() if known.get(k) != v]
        if not fresh:
            return
        if table in self._rows:  # read in one scan: `row` finds the new values there
            self._rows[table].update(fresh)
        try:
            with db:
                db.execute("BEGIN")
                db.executemany(f"INSERT OR REPLACE INTO {table} VALUES (?, ?)", fresh)
        except sqlite3.Error as exc:
            self._failed(exc)

    def keep(self, table: str, used: Iterable[str]) -> None:
        """Write the values of `table` still waiting and drop every row whose key is not in
        `used` (those stored since the last `keep` included)."""
        self._flush(table)
        known = self._rows.pop(table, None)
        db = self._connect()
        if db is None:
            return
        used = set(used)
        try:
            if known is None:
                known = dict.fromkeys(k for (k,) in db.execute(f"SELECT key FROM {table}"))
            stale = [(k,) for k in known if k not in used]  # batches written included
            if not stale:
                return
            with db:
                db.execute("BEGIN")
                db.executemany(f"DELETE FROM {table} WHERE key = ?", stale)
        except sqlite3.Error as exc:
            self._failed(exc)

    def stamps(self) -> dict[str, tuple[str, str]]:
        """Every recorded source: path → (stamp, digest)."""
        if self._stamps is not None:
            return self._stamps
        db = self._connect()
        if db is None:
            return {}
        try:
            rows = db.execute("SELECT path, stamp, digest FROM stamps").fetchall()
        except sqlite3.Error as exc:
            self._failed(exc)
            return {}
        self._stamps = {path: (stamp, digest) for path, stamp, digest in rows}
        return self._stamps

    def keep_stamps(self, stamps: Mapping[str, tuple[str, str]]) -> None:
        """Record these sources' stamps and digests; forget every other path."""
        db = self._connect()
        if db is None:
            return
        try:
            old = self.stamps()
            if old == stamps:
                return
            self._stamps = dict(stamps)
            with db:
                db.execute("BEGIN")
                gone = [(p,) for p in old if p not in stamps]
                db.executemany("DELETE FROM stamps WHERE path = ?", gone)
                db.executemany(
                    "INSERT OR REPLACE INTO stamps VALUES (?, ?, ?)",
                    ((p, s, d) for p, (s, d) in stamps.items() if old.get(p) != (s, d)),
                )
        except sqlite3.Error as exc:
            self._failed(exc)

    def close(self) -> None:
        """Close the file (it is opened again on the next use)."""
        if self._db is not None:
            self._db.close()
        self._db, self._opened = None, False
