"""What a build after an edit needs of the previous build, on disk: `.sitegen/cache/edits.sqlite`
(`sitegen.build.incremental.edits` writes and reads it).

- `header`: the format, `engine_digest()`, the inputs digest of the build the file describes
  (`tag`), the digest of its inputs but the sources (`frame`), each source's digest
  (`sources`, marshal) and the render setup's plain parts (`setup`, `edit_codec`).
- `articles`: each visible article's placement digest and its view's digest; `views`: each
  view (`edit_codec`, its body left out when it is the parse cache's row `body`).
- `entries`: each feed entry by article; `units`: each page job by output path and each
  JSON feed (`kind`), with the page's fingerprint; `refs`: which articles' views and entries
  each unit shows (so the units an edit touches are found by value).

Rows are written only where they changed; a file of another version or describing another
build is emptied and written whole. Safe to delete.
"""

from __future__ import annotations

import marshal
import os
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sitegen.build.incremental.fingerprints import engine_digest

FORMAT = "1"
BATCH = 500  # parameters of one statement (SQLite's limit may be 999)
MARSHAL_VERSION = 4  # marshal's format of the store's rows (edit_codec's and edits' too)
FILE_NAME = "edits.sqlite"
_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS header (name TEXT PRIMARY KEY, value BLOB)",
    "CREATE TABLE IF NOT EXISTS articles (path TEXT PRIMARY KEY, placement TEXT, digest TEXT,"
    " model TEXT)",
    "CREATE TABLE IF NOT EXISTS views (path TEXT PRIMARY KEY, body TEXT, value BLOB)",
    "CREATE TABLE IF NOT EXISTS entries (path TEXT PRIMARY KEY, digest TEXT, value BLOB)",
    "CREATE TABLE IF NOT EXISTS units (id INTEGER PRIMARY KEY, key TEXT UNIQUE, kind TEXT,"
    " fingerprint TEXT, refs BLOB, value BLOB)",
    "CREATE TABLE IF NOT EXISTS refs (article TEXT, unit INTEGER, PRIMARY KEY (article, unit))"
    " WITHOUT ROWID",
)
_TABLES = ("articles", "views", "entries", "units", "refs")


@dataclass
class EditRows:
    """Rows to write: `articles` path → (placement, view digest, model key); `views` path → (parse key
    of its body or '', value); `entries` path → (digest, value); `units` key → (kind,
    fingerprint, value, refs); `gone_*`: rows to delete; `stale_units`: units whose page
    was made otherwise than by a whole build (their fingerprint is forgotten)."""

    header: dict[str, bytes | str] = field(default_factory=dict)
    articles: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    views: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    entries: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    units: dict[str, tuple[str, str, bytes, Iterable[str]]] = field(default_factory=dict)
    gone_articles: set[str] = field(default_factory=set)
    gone_entries: set[str] = field(default_factory=set)
    gone_units: set[str] = field(default_factory=set)
    stale_units: set[str] = field(default_factory=set)


class EditStore:
    """`edits.sqlite`, opened on first use; `warn(kind, message)` reports problems (the store
    then holds nothing). `read=False`: start empty."""

    def __init__(self, folder: Path, warn: Callable[[str, str], None], *, read: bool) -> None:
        self.path = folder / FILE_NAME
        self.warn = warn
        self.read = read
        self._db: sqlite3.Connection | None = None
        self._opened = False

    def _connect(self) -> sqlite3.Connection | None:
        if not self._opened:
            self._opened = True
            try:
                self._db = self._open()
            except (OSError, sqlite3.Error) as exc:
                self.warn("edits", f"ignoring the edit cache {self.path.name}: {exc}")
                self._remove()
                self._db = None
        return self._db

    def _open(self, *, bulk: bool = False) -> sqlite3.Connection:
        """The file, made anew when it is not to be read (or of another version); `bulk`: a
        new file, without a journal, for `write(whole=True)`."""
        if bulk or not self.read:
            self._remove()
            self.read = True  # made anew once: opened again, it keeps what was written
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            db.execute("PRAGMA page_size=16384")  # a new file's: rows rarely overflow a page
            if bulk:  # written whole, then flushed before its tag says what it holds
                db.execute("PRAGMA journal_mode=OFF")
                db.execute("PRAGMA synchronous=OFF")
            else:
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=NORMAL")
            db.execute(_SCHEMA[0])
            sql = "SELECT name, value FROM header WHERE name IN ('format', 'engine')"
            if dict(db.execute(sql)) != {"format": FORMAT, "engine": engine_digest()}:
                for table in _TABLES:  # another version's: its tables made anew
                    db.execute(f"DROP TABLE IF EXISTS {table}")  # the names are constants
                db.execute("DELETE FROM header")
                db.executemany(
                    "INSERT INTO header VALUES (?, ?)",
                    [("format", FORMAT), ("engine", engine_digest())],
                )
            for statement in _SCHEMA[1:]:
                db.execute(statement)
        except BaseException:
            db.close()
            raise
        return db

    def _remove(self) -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)

    def _query(self, sql: str, args: Iterable[object] = ()) -> list[tuple[object, ...]]:
        db = self._connect()
        if db is None:
            return []
        try:
            return db.execute(sql, tuple(args)).fetchall()
        except sqlite3.Error as exc:
            self._failed(exc)
            return []

    def _failed(self, exc: Exception) -> None:
        self.warn("edits", f"ignoring the edit cache {self.path.name}: {exc}")
        self.close()
        self._remove()
        self._opened = True  # nothing more this build

    def header(self) -> dict[str, object]:
        """The header's values by name."""
        return dict(self._query("SELECT name, value FROM header"))  # type: ignore[arg-type]

    def articles(self) -> dict[str, tuple[str, str, str]]:
        """Every article recorded: path → (placement digest, view digest, model key)."""
        rows = self._query("SELECT path, placement, digest, model FROM articles")
        return {str(p): (str(pl), str(d), str(m)) for p, pl, d, m in rows}

    def fingerprints(self) -> dict[str, str]:
        """Every unit recorded: key → the fingerprint it was recorded with."""
        return {str(k): str(f) for k, f in self._query("SELECT key, fingerprint FROM units")}

    def entry_digests(self) -> dict[str, str]:
        return {str(p): str(d) for p, d in self._query("SELECT path, digest FROM entries")}

    def _select(self, sql: str, names: Iterable[str]) -> list[tuple[object, ...]]:
        db = self._connect()
        if db is None:
            return []
        try:
            return self._rows(sql, list(names), db)
        except sqlite3.Error as exc:
            self._failed(exc)
            return []

    def touched(self, articles: Iterable[str]) -> dict[str, tuple[str, list[str], bytes]]:
        """The units showing any of `articles`: key → (kind, the articles it shows, value)."""
        sql = "SELECT DISTINCT unit FROM refs WHERE article IN ({})"
        units = [unit for (unit,) in self._select(sql, articles)]
        sql = "SELECT key, kind, refs, value FROM units WHERE id IN ({})"
        return {
            str(k): (str(kind), marshal.loads(r), bytes(v))  # type: ignore[arg-type]
            for k, kind, r, v in self._select(sql, units)  # type: ignore[misc]
        }

    def views(self, paths: Iterable[str]) -> dict[str, tuple[str, bytes]]:
        """Views by path: (the parse key of its body, '' when stored with it; value)."""
        rows = self._select("SELECT path, body, value FROM views WHERE path IN ({})", paths)
        return {str(p): (str(b), bytes(v)) for p, b, v in rows}  # type: ignore[arg-type]

    def entries(self, paths: Iterable[str]) -> dict[str, bytes]:
        """Feed entries by article path (those recorded)."""
        rows = self._select("SELECT path, value FROM entries WHERE path IN ({})", paths)
        return {str(p): bytes(v) for p, v in rows}  # type: ignore[arg-type]

    def write(self, batches: Iterable[EditRows], *, whole: bool = False) -> None:
        """Write these rows, taken batch by batch (none held longer than its writing), in one
        transaction; `whole`: into a new file, written without a journal and flushed to the
        disk before its header's `tag` (written last, in a transaction of its own) says which
        build it describes."""
        try:
            tag: dict[str, bytes | str] = {}
            if whole:
                self.close()
                db = self._open(bulk=True)
                try:  # a batch that cannot be made (`CannotStore`) leaves the file to be made anew
                    with db:
                        db.execute("BEGIN")
                        for rows in batches:
                            if "tag" in rows.header:
                                tag = {"tag": rows.header.pop("tag")}
                            self._write(db, rows)
                finally:
                    db.close()
                with self.path.open("rb+") as file:
                    os.fsync(file.fileno())
                batches = [EditRows(header=tag)]
            db = self._connect()  # type: ignore[assignment]
            if db is None:
                return
            with db:
                db.execute("BEGIN")
                for rows in batches:
                    self._write(db, rows)
        except (OSError, sqlite3.Error) as exc:
            self._failed(exc)

    def _write(self, db: sqlite3.Connection, rows: EditRows) -> None:
        many = db.executemany
        gone = [(p,) for p in rows.gone_articles]
        many("DELETE FROM articles WHERE path = ?", gone)
        many("DELETE FROM views WHERE path = ?", gone)
        many("DELETE FROM entries WHERE path = ?", [(p,) for p in rows.gone_entries])
        replaced = [*rows.gone_units, *rows.units]
        old = self._rows("SELECT id, refs FROM units WHERE key IN ({})", replaced, db)
        many("DELETE FROM refs WHERE article = ? AND unit = ?", _pairs(old))
        many("DELETE FROM units WHERE id = ?", [(unit,) for unit, _ in old])
        many(
            "INSERT OR REPLACE INTO articles VALUES (?, ?, ?, ?)",
            [(p, *v) for p, v in rows.articles.items()],
        )
        many(
            "INSERT OR REPLACE INTO views VALUES (?, ?, ?)",
            [(p, *v) for p, v in rows.views.items()],
        )
        many(
            "INSERT OR REPLACE INTO entries VALUES (?, ?, ?)",
            [(p, *v) for p, v in rows.entries.items()],
        )
        (last,) = db.execute("SELECT coalesce(max(id), 0) FROM units").fetchone()
        units, refs = [], []
        for unit, (key, (kind, fingerprint, value, shown)) in enumerate(
            rows.units.items(), last + 1
        ):
            listed = sorted(shown)
            units.append(
                (unit, key, kind, fingerprint, marshal.dumps(listed, MARSHAL_VERSION), value)
            )
            refs += [(article, unit) for article in listed]
        many("INSERT INTO units VALUES (?, ?, ?, ?, ?, ?)", units)
        refs.sort()  # in the order of the table's key: appended, not inserted
        many("INSERT INTO refs VALUES (?, ?)", refs)
        many("UPDATE units SET fingerprint = '' WHERE key = ?", [(k,) for k in rows.stale_units])
        many("INSERT OR REPLACE INTO header VALUES (?, ?)", list(rows.header.items()))

    @staticmethod
    def _rows(sql: str, names: list[str], db: sqlite3.Connection) -> list[tuple[object, ...]]:
        """`sql` with `{}` standing for as many parameters as `names`, in batches."""
        found = []
        for start in range(0, len(names), BATCH):
            batch = names[start : start + BATCH]
            found += db.execute(sql.format(",".join("?" * len(batch))), batch).fetchall()
        return found

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
        self._db, self._opened = None, False


def _pairs(units: list[tuple[object, ...]]) -> list[tuple[str, int]]:
    """(article, unit) for each unit's recorded refs (`units` rows: id, marshal list)."""
    return [(a, unit) for unit, refs in units for a in marshal.loads(refs)]  # type: ignore[arg-type, misc]
