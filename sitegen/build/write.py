"""The write stage: put the built files into the output folder.

Writes only files whose bytes changed, and removes files it wrote in an earlier build that are
no longer part of the site. A manifest under `.sitegen/` records what sitegen wrote; files it
did not write are never removed.

A file that exists is replaced atomically (temp file + rename), so a killed build leaves the
old or the new file, never a truncated one; the next build deletes the temporary file it left.
Into an empty output folder (a clean build) each file is created in place (`O_EXCL`): there is
no old file to keep. The `writing` marker, present while a write runs, lists the files created
in place: after a killed build, the next one writes again those of its site that differ (one
cut short among them: the cache knows none of them) and removes the others, as it removes the
files the manifest lists.

Durability: before the manifest is written, everything written is flushed to the disk, so a
power cut loses nothing a finished build reported. A write of many files on Linux flushes the
output's file system once (`syncfs`: one journal commit for the whole build, where an fsync
per file cost 12 s at 12,700 pages); a write of a few files (`FSYNC_EACH_UP_TO`: an edit's
pages), and every write elsewhere, flushes each file (fsync) before its rename and each folder
whose entries changed once after: `syncfs` also waits for every other program's unwritten
data on that file system (0.3 s seen for an edit's 15 files while another build wrote, where
their own fsyncs took 12–20 ms). A power cut during a build may leave a file it was
writing empty (the rename reached the disk before the data); that build reported nothing, and
the next one rewrites the file, whose size and time differ from what the cache recorded.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import json
import os
import sys
import threading
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

MANIFEST = "manifest.json"
UNFINISHED = "writing"  # present while a write runs: a killed one leaves it
TEMP_PREFIX, TEMP_SUFFIX = ".sitegen-", ".tmp"
# fsync waits for the disk: many at once share the file system's journal commits.
WRITER_THREADS = 16
# Without an fsync per file (syncfs), each thread beyond the cores only adds switches.
FILE_THREADS = 2
FSYNC_EACH_UP_TO = 100  # files a write flushes one by one rather than by `syncfs`
_T = TypeVar("_T")
_R = TypeVar("_R")


@dataclass(frozen=True)
class WriteReport:
    written: int
    unchanged: int
    removed: int


def safe_relative(path: str) -> bool:
    """True when `path` is a plain relative path that stays inside its folder."""
    parts = [p for p in path.split("/") if p not in ("", ".")]
    return bool(parts) and not path.startswith("/") and ".." not in parts and "\\" not in path


class FolderSync:
    """Folders whose entries changed (a file renamed in, a folder made): `flush` fsyncs each
    once, which makes the renames and new folders survive a power cut."""

    def __init__(self) -> None:
        self.pending: set[str] = set()
        self.known: set[str] = set()  # folders made or found

    def makedirs(self, folder: str | Path) -> None:
        """Make `folder` and its missing parents, noting the folder that holds each new one."""
        path = os.path.abspath(folder)
        missing = []
        while path not in self.known and not os.path.isdir(path) and os.path.dirname(path) != path:
            missing.append(path)
            path = os.path.dirname(path)
        for made in reversed(missing):
            try:
                os.mkdir(made)
            except FileExistsError:
                if not os.path.isdir(made):  # a file where the folder goes
                    raise
                # else made by another thread meanwhile
        self.pending.update(os.path.dirname(m) for m in missing)
        self.known.update(missing)
        self.known.add(path)

    def make(self, folder: str) -> bool:
        """Make `folder` (an absolute path) where none is expected: False, and nothing done,
        when something is there already or its parent is missing."""
        try:
            os.mkdir(folder)
        except (FileExistsError, FileNotFoundError):
            return False
        self.pending.add(os.path.dirname(folder))
        self.known.add(folder)
        return True

    def flush(self) -> None:
        """fsync every noted folder (where the platform can)."""
        _run_all(_fsync_folder, sorted(self.pending), WRITER_THREADS)
        self.pending.clear()


def _run_all(work: Callable[[_T], _R], items: Sequence[_T], threads: int) -> list[_R]:
    """`work`'s result for each item (in the items' order), on up to `threads` threads (this
    one among them), each taking the next item when done with one. After a failure no item
    is started; once the running ones end, the first failure is raised."""
    if len(items) < 2 or threads < 2:
        return [work(item) for item in items]
    results: list[_R | None] = [None] * len(items)
    failures: list[BaseException] = []
    pending = iter(range(len(items)))
    lock = threading.Lock()

    def run() -> None:
        try:
            while not failures:
                with lock:
                    index = next(pending, None)
                if index is None:
                    return
                results[index] = work(items[index])
        except BaseException as exc:  # raised by the calling thread, below
            failures.append(exc)

    helpers = [threading.Thread(target=run) for _ in range(min(threads, len(items)) - 1)]
    for helper in helpers:
        helper.start()
    run()
    try:
        for helper in helpers:
            helper.join()
    except BaseException as exc:  # interrupted while waiting: the others stop after their item
        failures.append(exc)
        raise
    if failures:
        raise failures[0]
    return results  # type: ignore[return-value]  # every item has its result


def _fsync_folder(folder: str) -> None:
    if os.name == "nt":  # Windows cannot open a folder; NTFS journals renames itself
        return
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except FileNotFoundError:  # emptied by a later removal: its parent, noted then, is synced
        return
    try:
        os.fsync(fd)
    except OSError as exc:  # some file systems (network, FUSE) cannot sync a folder
        if exc.errno not in (errno.EINVAL, errno.ENOTSUP, errno.EBADF):
            raise
    finally:
        os.close(fd)


def _find_syncfs() -> Callable[[int], int] | None:
    """Linux's `syncfs(2)` from the C library, or None where there is none."""
    if sys.platform != "linux":
        return None
    try:
        return ctypes.CDLL(None, use_errno=True).syncfs  # type: ignore[no-any-return]
    except (OSError, AttributeError):
        return None


SYNCFS = _find_syncfs()


def sync_file_systems(folders: Collection[Path]) -> None:
    """Flush the file systems holding `folders` (each once) with `SYNCFS`: every file and
    folder written on them reaches the disk."""
    if SYNCFS is None:
        raise OSError(errno.ENOTSUP, "syncfs is not available")
    seen: set[int] = set()
    for folder in folders:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            device = os.fstat(fd).st_dev
            if device not in seen and SYNCFS(fd) != 0:
                code = ctypes.get_errno()
                raise OSError(code, os.strerror(code), str(folder))
            seen.add(device)
        finally:
            os.close(fd)


def write_atomic(target: str | Path, data: bytes, sync: FolderSync | None = None) -> None:
    """Write `data` to `target` through a temporary file in the same folder.

    With `sync`, the data is on the disk (fsync) before the rename, and the folders whose
    entries change are noted in `sync`, whose `flush` then makes the write durable.
    """
    folder = os.path.dirname(target)
    # One temporary name per process and thread: no other writer can be using it.
    temp = os.path.join(
        folder, f"{TEMP_PREFIX}{os.getpid()}-{threading.get_native_id()}{TEMP_SUFFIX}"
    )
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
    try:
        try:
            fd = os.open(temp, flags, 0o644)
        except FileNotFoundError:  # the folder is new (safe to race with other threads)
            if sync is None:
                os.makedirs(folder, exist_ok=True)
            else:
                sync.makedirs(folder)
            fd = os.open(temp, flags, 0o644)
        _fill(fd, data, sync is not None)
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    if sync is not None:
        sync.pending.add(folder)


def _create(target: str, data: bytes, sync: FolderSync | None) -> bool:
    """Write `data` as the new file `target`, in place (no temporary file), flushed and noted
    in `sync` as `write_atomic` does; False, and nothing done, when `target` exists."""
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        return False
    try:
        _fill(fd, data, sync is not None)
    except BaseException:  # no file cut short: it was not there before
        with contextlib.suppress(OSError):
            os.unlink(target)
        raise
    if sync is not None:
        sync.pending.add(os.path.dirname(target))
    return True


def _fill(fd: int, data: bytes, flush: bool) -> None:
    """Write `data` into the new file `fd` (mode 0644 whatever the umask), fsync it if
    `flush`, and close it."""
    try:
        os.fchmod(fd, 0o644)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        if flush:
            os.fsync(fd)
    finally:
        os.close(fd)


def _same(target: str, data: bytes) -> bool:
    try:
        if os.stat(target).st_size != len(data):
            return False
        with open(target, "rb") as file:
            return file.read() == data
    except OSError:
        return False


def read_manifest(state_dir: Path, output_dir: Path, *, checked: bool = True) -> set[str]:
    """Files a previous build wrote into `output_dir` (empty if unknown or unreadable).
    `checked=False`: also those that are not `safe_relative` (no write goes by them: for
    comparing the list, at a third of the cost)."""
    try:
        data = json.loads((state_dir / MANIFEST).read_text(encoding="utf-8"))
        if data.get("output") != str(output_dir):
            return set()
        if not checked:
            return set(data["files"])
        return {p for p in data["files"] if isinstance(p, str) and safe_relative(p)}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return set()


class _Folders:
    """Answers whether a folder under the output, symlinks followed, stays inside it."""

    def __init__(self, output_dir: Path) -> None:
        self.output_dir = output_dir
        self.real_output = output_dir.resolve()
        self.real: dict[Path, Path] = {output_dir: self.real_output}

    def check(self, target: Path) -> None:
        """Raise OSError when `target`'s folder leads outside the output (a symlinked folder)."""
        self.check_folder(target.parent, target)

    def check_folder(self, folder: Path, target: Path | None = None) -> None:
        """Raise OSError (about `target`, or the folder) when `folder` leads outside the
        output."""
        if not self._resolve(folder).is_relative_to(self.real_output):
            message = "a symlinked folder leads outside the output folder; not written"
            raise OSError(errno.EXDEV, message, str(target or folder))

    def _resolve(self, folder: Path) -> Path:
        """`folder` (inside the output) with its symlinks followed: its parent's real path and
        one look at the folder itself."""
        found = self.real.get(folder)
        if found is None:
            found = self._resolve(folder.parent) / folder.name
            if found.is_symlink():
                found = found.resolve()
            self.real[folder] = found
        return found


def write_site(
    files: Mapping[str, bytes],
    output_dir: Path,
    state_dir: Path,
    unchanged_paths: Collection[str] = frozenset(),
) -> WriteReport:
    """Write `files` (output-relative path → bytes) and prune what the last build left.

    `unchanged_paths` are known to be in the output folder already; their bytes are not read.
    Raises OSError when a file cannot be written or a symlinked folder inside the output would
    lead the write (or a removal) outside it.
    """
    previous = read_manifest(state_dir, output_dir)
    fresh = _empty(output_dir)  # nothing to replace, nor any symlink to follow
    removed = 0
    sync = FolderSync()
    sync.makedirs(output_dir)
    sync.makedirs(state_dir)
    unfinished = state_dir / UNFINISHED
    created: set[str] = set()  # files created in place by a killed write, and by this one
    if unfinished.exists():  # the last write was killed: it may have left temporary files
        _remove_temporaries(output_dir)
        _remove_temporaries(state_dir)
        created = _listed(unfinished)
        previous |= created
    folders = _Folders(output_dir)
    todo = []
    for path in files:
        if not safe_relative(path):
            raise ValueError(f"refusing to write outside the output folder: {path!r}")
        if path not in unchanged_paths:
            if not fresh:
                folders.check(output_dir / path)  # before any folder is made through a symlink
            todo.append(path)
    per_file = SYNCFS is None or len(todo) <= FSYNC_EACH_UP_TO  # or the file system once
    if fresh:
        created.update(todo)
    write_atomic(unfinished, json.dumps(sorted(created), ensure_ascii=False).encode())
    root = os.path.abspath(output_dir)
    for folder in _folders_of(todo):  # parents first
        where = os.path.join(root, folder)
        if not (fresh and sync.make(where)):  # made: nothing was there to check
            if fresh:  # something came meanwhile: a symlink perhaps
                folders.check_folder(output_dir / folder)
            sync.makedirs(where)
    noted = sync if per_file else None

    def write_one(path: str) -> bool:
        target, data = os.path.join(root, path), files[path]
        if fresh and _create(target, data, noted):
            return True
        if _same(target, data):
            return False
        write_atomic(target, data, noted)
        return True

    written = sum(_run_all(write_one, todo, WRITER_THREADS if per_file else FILE_THREADS))
    unchanged = len(files) - written
    for path in sorted(previous - files.keys()):
        target = output_dir / path
        folders.check(target)
        if target.is_file() and not target.is_symlink():
            target.unlink()
            removed += 1
            sync.pending.add(str(_prune_empty_dirs(target.parent, output_dir)))
    # every file written is on the disk before the manifest lists it
    if per_file:
        sync.flush()
    else:
        sync_file_systems([output_dir, state_dir])
        sync.pending.clear()  # the folders were flushed with their file systems
    manifest = {"output": str(output_dir), "files": sorted(files)}
    write_atomic(
        state_dir / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=0).encode(), sync
    )
    sync.flush()
    unfinished.unlink()
    return WriteReport(written, unchanged, removed)


def _empty(folder: Path) -> bool:
    """Whether `folder` is missing or holds nothing."""
    try:
        with os.scandir(folder) as entries:
            return next(entries, None) is None
    except FileNotFoundError:
        return True
    except OSError:  # not a folder, or unreadable: making it or writing into it will say
        return False


def _listed(marker: Path) -> set[str]:
    """The files the `UNFINISHED` marker lists (none if it is unreadable)."""
    try:
        listed = json.loads(marker.read_bytes() or b"[]")
    except (OSError, ValueError):
        return set()
    if not isinstance(listed, list):
        return set()
    return {p for p in listed if isinstance(p, str) and safe_relative(p)}


def _folders_of(paths: Iterable[str]) -> list[str]:
    """The folders holding `paths` (output-relative), with their parents, parents first."""
    found: set[str] = set()
    for path in paths:
        folder = os.path.dirname(path)
        while folder and folder not in found:
            found.add(folder)
            folder = os.path.dirname(folder)
    return sorted(found)


def _remove_temporaries(folder: Path) -> None:
    """Delete the temporary files a killed build left (only sitegen's, by their name)."""
    for dirpath, _, names in os.walk(folder):
        for name in names:
            if name.startswith(TEMP_PREFIX) and name.endswith(TEMP_SUFFIX):
                Path(dirpath, name).unlink(missing_ok=True)


def _prune_empty_dirs(folder: Path, stop: Path) -> Path:
    """Remove `folder` and its parents up to `stop` while they are empty; return the folder
    whose entries changed last (the first one left)."""
    while folder != stop and folder.is_relative_to(stop):
        try:
            folder.rmdir()
        except OSError:
            return folder
        folder = folder.parent
    return folder
