"""Watch the site's sources and report what changed, as one debounced ChangeSet per burst.

The watcher only reports: watchdog's observer thread feeds raw file events into a
`Collector`, which drops what is not a source (the output and state folders, editor swap
files) and waits for a quiet moment. The rebuild loop takes one `ChangeSet` at a time. The clock
is injected, so the debounce is testable with fake events and no sleeping.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from watchdog.events import (
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserver

from sitegen.build.load import is_ignored
from sitegen.core.config import (
    CONFIG_FILE,
    CONTENT_FOLDER,
    DEFAULT_OUTPUT,
    STATE_FOLDER,
    STATIC_FOLDER,
    THEMES_FOLDER,
)


@dataclass(frozen=True)
class ChangeSet:
    """The source paths changed in one burst (created, modified, moved or deleted), sorted;
    `initial` marks the first full build."""

    paths: tuple[Path, ...] = ()
    initial: bool = False


# Safe-write temps the loader does not skip by itself (JetBrains, Kate).
_TRANSIENT_SUFFIXES = ("___jb_tmp___", "___jb_old___", ".kate-swp")


def is_editor_temp(name: str) -> bool:
    """True for names the build skips (hidden, swap, backup, `4913`) and editors' temp files."""
    return is_ignored(name) or name.endswith(_TRANSIENT_SUFFIXES)


@dataclass(frozen=True)
class WatchedSite:
    """Where a site's sources live. `theme_roots` are folders holding theme folders."""

    root: Path
    config_file: Path
    content_dir: Path
    static_dir: Path
    theme_roots: tuple[Path, ...]
    ignored_dirs: tuple[Path, ...]

    @classmethod
    def at(
        cls, root: Path, *, builtin_themes: Path | None = None, output_dir: Path | None = None
    ) -> WatchedSite:
        """The standard layout under `root`, plus the built-in theme folder when given."""
        root = root.resolve()
        themes = [root / THEMES_FOLDER]
        if builtin_themes is not None:
            themes.append(builtin_themes.resolve())
        ignored = [root / DEFAULT_OUTPUT, root / STATE_FOLDER]
        if output_dir is not None:
            ignored.append(output_dir.resolve())
        return cls(
            root=root,
            config_file=root / CONFIG_FILE,
            content_dir=root / CONTENT_FOLDER,
            static_dir=root / STATIC_FOLDER,
            theme_roots=tuple(dict.fromkeys(themes)),
            ignored_dirs=tuple(dict.fromkeys(ignored)),
        )

    def is_source(self, path: Path) -> bool:
        """True for the config file and the visible files under content, static and themes."""
        if path == self.config_file:
            return True
        if any(path.is_relative_to(d) for d in self.ignored_dirs):
            return False
        for base in (self.content_dir, self.static_dir, *self.theme_roots):
            if path.is_relative_to(base):
                return _visible(path.relative_to(base).parts)
        return False

    def watch_targets(self) -> list[tuple[Path, bool]]:
        """Existing folders to watch, each with whether to watch it recursively.

        The site root is watched non-recursively for the config file: an atomic save replaces
        the file, so watching the file itself would lose track of it.
        """
        targets = [(self.config_file.parent, False)]
        for folder in (self.content_dir, self.static_dir, *self.theme_roots):
            if folder.is_dir() and not any(folder.is_relative_to(t) for t, _ in targets[1:]):
                targets.append((folder, True))
        return targets


def _visible(parts: tuple[str, ...]) -> bool:
    """False when the file or a folder on its way is one the build skips."""
    return bool(parts) and not any(is_editor_temp(part) for part in parts)


@dataclass
class _Pending:
    """What happened to one path within the current burst."""

    created_in_burst: bool
    exists: bool


class Collector:
    """Coalesces raw file events into ChangeSets, thread-safe.

    A burst ends when no event came for `quiet` seconds, or `max_wait` seconds after its first
    event, whichever is sooner. A file created and removed again within one burst (the temp
    file of an atomic save) is dropped; the rename's destination is what counts.
    """

    def __init__(
        self,
        site: WatchedSite,
        *,
        quiet: float = 0.1,
        max_wait: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.site = site
        self.quiet = quiet
        self.max_wait = max_wait
        self._clock = clock
        self._pending: dict[Path, _Pending] = {}
        self._first = 0.0
        self._last = 0.0
        self._cond = threading.Condition()

    def record(self, event: FileSystemEvent) -> None:
        """Take one watchdog event (called on the observer thread)."""
        kind = event.event_type
        if kind in ("opened", "closed_no_write") or (event.is_directory and kind == "modified"):
            return
        if kind == "moved":
            self._note(_as_path(event.src_path), exists=False)
            self._note(_as_path(event.dest_path), exists=True)
        else:
            self._note(
                _as_path(event.src_path), exists=kind != "deleted", created=kind == "created"
            )

    def _note(self, path: Path, *, exists: bool, created: bool = False) -> None:
        if not self.site.is_source(path):
            return
        with self._cond:
            now = self._clock()
            if not self._pending:
                self._first = now
            self._last = now
            seen = self._pending.get(path)
            created_in_burst = seen.created_in_burst if seen else created
            self._pending[path] = _Pending(created_in_burst, exists)
            self._cond.notify_all()

    def take_ready(self) -> ChangeSet | None:
        """The finished burst, if one is ready now; otherwise None (pending events stay)."""
        with self._cond:
            due = self._due()
            if due is None or self._clock() < due:
                return None
            paths = tuple(
                path
                for path, p in sorted(self._pending.items())
                if p.exists or not p.created_in_burst
            )
            self._pending.clear()
            return ChangeSet(paths) if paths else None

    def wait(self, stop: threading.Event, poll_interval: float = 0.5) -> ChangeSet | None:
        """Block until a burst is ready (returned) or `stop` is set (None)."""
        with self._cond:
            while not stop.is_set():
                ready = self.take_ready()
                if ready is not None:
                    return ready
                due = self._due()
                left = poll_interval if due is None else max(0.0, due - self._clock())
                self._cond.wait(min(left, poll_interval))
        return None

    def _due(self) -> float | None:
        """When the pending burst is ready; None when nothing pends."""
        if not self._pending:
            return None
        return min(self._last + self.quiet, self._first + self.max_wait)

    def wake(self) -> None:
        """Wake a thread blocked in `wait` so it can notice `stop`."""
        with self._cond:
            self._cond.notify_all()


def _as_path(raw: str | bytes) -> Path:
    return Path(raw.decode() if isinstance(raw, bytes) else raw)


class _Forward(FileSystemEventHandler):
    def __init__(self, collector: Collector) -> None:
        self._collector = collector

    def on_any_event(self, event: FileSystemEvent) -> None:
        self._collector.record(event)


# The events a `Collector` records. Not files opened or closed unwritten: the build reading the
# sources made two of them a file (20,000 for 10,000 articles, 0.4 s of the observer thread's
# Python beside the load stage), which the collector dropped anyway.
WATCHED_EVENTS = (
    FileCreatedEvent,
    FileModifiedEvent,
    FileDeletedEvent,
    FileMovedEvent,
    FileClosedEvent,
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
)


def start_observer(collector: Collector, *, poll: bool = False) -> BaseObserver:
    """Start watchdog over the site's sources (PollingObserver when `poll`), feeding `collector`
    the `WATCHED_EVENTS`."""
    observer: BaseObserver = PollingObserver() if poll else Observer()
    handler = _Forward(collector)
    for folder, recursive in collector.site.watch_targets():
        observer.schedule(
            handler, str(folder), recursive=recursive, event_filter=list(WATCHED_EVENTS)
        )
    observer.daemon = True
    observer.start()
    return observer
