"""The state the preview server shows: the last good build, swapped whole, plus an epoch.

A `Frame` is immutable. The rebuild loop replaces the current frame under a lock; a request
takes the current frame once and serves only from it, so it sees a complete old or a complete
new build, never a mix. Each new frame gets the next epoch and says how browsers should catch
up: reload the page, or only swap stylesheets when nothing but CSS changed. Theme stylesheets
are published under content-hash names (`css/digest.0123456789.css`), so a theme CSS edit
renames the file and changes every page's `<link>`: when that rename is all that changed in
the pages, it is still a stylesheet swap, and the frame lists the renamed URLs.
"""

from __future__ import annotations

import dataclasses
import secrets
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import PurePosixPath
from types import MappingProxyType

from sitegen.build.assets import unfingerprinted
from sitegen.build.result import SiteFiles
from sitegen.core.diagnostics import Diagnostic, has_errors


class ReloadAction(StrEnum):
    """What a browser showing the previous epoch should do."""

    PAGE = "reload"
    CSS = "css"


_EMPTY: Mapping[str, bytes] = MappingProxyType({})


@dataclass(frozen=True)
class Frame:
    """One published state: the files served, the epoch, and the failed build's diagnostics.

    `files` is the last good snapshot (empty before the first good build), served under
    `base_path` (`/`, or e.g. `/news/` when the site is deployed below a path). `diagnostics`
    is empty after a good build and holds the failure's diagnostics while the last build failed.
    `stylesheets` maps the URL paths of stylesheets renamed by a CSS swap to their new ones.
    `provisional`: `files` is a site still being built, whose pages are made when read
    (`PlannedSite`); the next frame replaces it whole. `pages`: when the frame follows a good
    one and changed only pages and files no page shows (feeds, sitemaps, the search index),
    the URL paths of those pages: an open page reloads only when it is one of them.
    """

    files: Mapping[str, bytes]
    epoch: int
    base_path: str = "/"
    action: ReloadAction = ReloadAction.PAGE
    diagnostics: tuple[Diagnostic, ...] = ()
    changed: frozenset[str] = field(default_factory=frozenset)
    stylesheets: Mapping[str, str] = field(default_factory=dict)
    provisional: bool = False
    pages: tuple[str, ...] | None = None

    @property
    def failed(self) -> bool:
        return has_errors(self.diagnostics)

    def action_since(self, seen_epoch: int) -> ReloadAction:
        """What a browser that last saw `seen_epoch` must do; a skipped epoch means a reload."""
        return self.action if self.epoch == seen_epoch + 1 else ReloadAction.PAGE


def changed_paths(old: Mapping[str, bytes], new: Mapping[str, bytes]) -> frozenset[str]:
    """Paths added, removed or with different bytes between two snapshots."""
    if not old:  # every path is new: none is read (a restored site's stay compressed)
        return frozenset(new)
    differ = {p for p, data in new.items() if old.get(p) != data}
    return frozenset(differ | (old.keys() - new.keys()))


def _reload_action(changed: frozenset[str]) -> ReloadAction:
    css_only = all(p.endswith(".css") for p in changed)
    return ReloadAction.CSS if css_only else ReloadAction.PAGE


# Files no page shows: another page changing them does not change what an open page shows.
_UNSHOWN_SUFFIXES = (".html", ".xml", ".json", ".txt")
_UNSHOWN_PREFIXES = ("pagefind/",)
PAGES_LISTED = 200  # more changed files than this: every open page reloads


def changed_pages(changed: frozenset[str], base_path: str) -> tuple[str, ...] | None:
    """The URL paths of the changed pages, when nothing else an open page shows changed
    (stylesheets, scripts, images, fonts); None otherwise (every page reloads)."""
    if len(changed) > PAGES_LISTED:
        return None
    if not all(p.endswith(_UNSHOWN_SUFFIXES) or p.startswith(_UNSHOWN_PREFIXES) for p in changed):
        return None
    pages = (p.removesuffix("index.html") for p in changed if p.endswith(".html"))
    return tuple(sorted(base_path + p for p in pages))


def renamed_stylesheets(
    old: Mapping[str, bytes], new: Mapping[str, bytes], changed: frozenset[str]
) -> dict[str, str] | None:
    """When only stylesheets changed between two snapshots, some under a new content-hash
    name with every file naming them changed just so: old path → new path of the renamed
    ones ({} for none). None when anything else changed."""
    added = {unfingerprinted(p): p for p in changed if p.endswith(".css") and p not in old}
    renames = {
        p: added[unfingerprinted(p)]
        for p in changed
        if p.endswith(".css") and p not in new and unfingerprinted(p) in added
    }
    names = [
        (PurePosixPath(a).name.encode(), PurePosixPath(b).name.encode()) for a, b in renames.items()
    ]
    for path in changed:
        if path.endswith(".css"):
            continue
        before, after = old.get(path), new.get(path)
        if before is None or after is None or not names:
            return None
        for a, b in names:
            before = before.replace(a, b)
        if before != after:
            return None
    return renames


class PreviewState:
    """The current frame, replaced atomically, with a way to wait for the next one.

    `boot` is random per process, so a browser that reconnects after a server restart can
    tell that its epoch belongs to another run.
    """

    def __init__(self) -> None:
        self.boot = secrets.token_hex(6)
        self._frame = Frame(files=_EMPTY, epoch=0)
        self._cond = threading.Condition()
        self._closed = False

    @property
    def current(self) -> Frame:
        return self._frame

    @property
    def closed(self) -> bool:
        return self._closed

    def publish(self, snapshot: Mapping[str, bytes], base_path: str = "/") -> Frame | None:
        """Show a good build. Returns the new frame, or None when nothing visible changed
        (the current frame then serves `snapshot`'s equal files). A `SiteFiles` snapshot (the
        saved site a restart shows) is kept as it is, its files inflated when read; any other
        is copied."""
        files = snapshot if isinstance(snapshot, SiteFiles) else MappingProxyType(dict(snapshot))
        with self._cond:
            old = self._frame
            changed = frozenset() if old.provisional else changed_paths(old.files, files)
            moved = base_path != old.base_path
            if old.provisional:  # its pages are made when read: not compared, all new
                return self._swap(Frame(files, old.epoch + 1, base_path, changed=frozenset(files)))
            if not changed and not moved and not old.failed and old.epoch > 0:
                self._frame = dataclasses.replace(old, files=files)  # no longer inflated per read
                return None
            renames = None
            if not (old.failed or old.epoch == 0 or moved):
                renames = renamed_stylesheets(old.files, files, changed)
            action = ReloadAction.PAGE if renames is None else ReloadAction.CSS
            stylesheets = {base_path + a: base_path + b for a, b in (renames or {}).items()}
            pages = None
            if action is ReloadAction.PAGE and not (old.failed or old.epoch == 0 or moved):
                pages = changed_pages(changed, base_path)
            frame = Frame(files, old.epoch + 1, base_path, action, (), changed, stylesheets)
            return self._swap(dataclasses.replace(frame, pages=pages))

    def provisional(self, files: Mapping[str, bytes], base_path: str = "/") -> Frame | None:
        """Show a site still being built, whose pages are made when read (`PlannedSite`), while
        nothing else was shown yet; None otherwise."""
        with self._cond:
            if self._frame.epoch != 0:
                return None
            return self._swap(Frame(files, 1, base_path, provisional=True))

    def patch(self, files: Mapping[str, bytes]) -> Frame | None:
        """Show some files ahead of a build still running (the preview's quick pages): a new
        epoch whose files are the current ones with `files` replacing theirs. None when the
        current frame is no good build (only whole builds are shown then) or nothing changed."""
        with self._cond:
            old = self._frame
            if old.failed or old.epoch == 0 or old.provisional:
                return None
            changed = frozenset(p for p, data in files.items() if old.files.get(p) != data)
            if not changed:
                return None
            merged = MappingProxyType({**old.files, **files})
            action = _reload_action(changed)
            frame = Frame(merged, old.epoch + 1, old.base_path, action, (), changed)
            pages = changed_pages(changed, old.base_path) if action is ReloadAction.PAGE else None
            return self._swap(dataclasses.replace(frame, pages=pages))

    def amend(self, epoch: int, prefix: str, files: Mapping[str, bytes]) -> bool:
        """Replace the files under `prefix` of frame `epoch` with `files`, without a new epoch
        (browsers are not told: nothing they show changed). For work finished after a build
        was published, such as the search index. False when another frame came since."""
        with self._cond:
            old = self._frame
            if old.epoch != epoch or old.failed or old.provisional:
                return False
            kept = {p: data for p, data in old.files.items() if not p.startswith(prefix)}
            merged = MappingProxyType({**kept, **files})
            self._frame = dataclasses.replace(old, files=merged)
            return True

    def fail(self, diagnostics: tuple[Diagnostic, ...]) -> Frame | None:
        """Show a failed build over the last good files; None when it is the same failure."""
        with self._cond:
            old = self._frame
            if old.failed and old.diagnostics == diagnostics:
                return None
            files = _EMPTY if old.provisional else old.files  # no good build yet
            frame = Frame(files, old.epoch + 1, old.base_path, ReloadAction.PAGE, diagnostics)
            return self._swap(frame)

    def _swap(self, frame: Frame) -> Frame:
        self._frame = frame
        self._cond.notify_all()
        return frame

    def wait_after(self, epoch: int, timeout: float) -> Frame | None:
        """The current frame once its epoch differs from `epoch`; None on timeout or close."""
        with self._cond:
            self._cond.wait_for(lambda: self._closed or self._frame.epoch != epoch, timeout)
            if self._closed or self._frame.epoch == epoch:
                return None
            return self._frame

    def close(self) -> None:
        """Release every waiter; called on shutdown."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()
