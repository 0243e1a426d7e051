"""Stage 6, write: put the built files into the output folder.

Writes only files whose bytes changed (atomically: temp file + rename, so a killed build
leaves the old or the new file, never a truncated one; the next build deletes the temporary
file it left), and removes files it wrote in an
earlier build that are no longer part of the site. A manifest under `.sitegen/` records
what sitegen wrote; files it did not write are never removed.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import threading
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path

MANIFEST = "manifest.json"
UNFINISHED = "writing"  # present while a write runs: a killed one leaves it
TEMP_PREFIX, TEMP_SUFFIX = ".sitegen-", ".tmp"
WRITER_THREADS = 1


@dataclass(frozen=True)
class WriteReport:
    written: int
    unchanged: int
    removed: int


def safe_relative(path: str) -> bool:
    """True when `path` is a plain relative path that stays inside its folder."""
    parts = [p for p in path.split("/") if p not in ("", ".")]
    return bool(parts) and not path.startswith("/") and ".." not in parts and "\\" not in path


def write_atomic(target: Path, data: bytes) -> None:
    """Write `data` to `target` through a temporary file in the same folder."""
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
            os.makedirs(folder, exist_ok=True)
            fd = os.open(temp, flags, 0o644)
        try:
            os.fchmod(fd, 0o644)
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
        finally:
            os.close(fd)
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def _same(target: Path, data: bytes) -> bool:
    try:
        if target.stat().st_size != len(data):
            return False
        return target.read_bytes() == data
    except OSError:
        return False


def read_manifest(state_dir: Path, output_dir: Path) -> set[str]:
    """Files a previous build wrote into `output_dir` (empty if unknown or unreadable)."""
    try:
        data = json.loads((state_dir / MANIFEST).read_text(encoding="utf-8"))
        if data.get("output") != str(output_dir):
            return set()
        return {p for p in data["files"] if isinstance(p, str) and safe_relative(p)}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return set()


class _Folders:
    """Answers whether a folder under the output, symlinks followed, stays inside it."""

    def __init__(self, output_dir: Path) -> None:
        self.real_output = output_dir.resolve()
        self.known: dict[Path, bool] = {}

    def check(self, target: Path) -> None:
        """Raise OSError when `target`'s folder leads outside the output (a symlinked folder)."""
        folder = target.parent
        if folder not in self.known:
            self.known[folder] = folder.resolve().is_relative_to(self.real_output)
        if not self.known[folder]:
            message = "a symlinked folder leads outside the output folder; not written"
            raise OSError(errno.EXDEV, message, str(target))


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
    removed = 0
    output_dir.mkdir(parents=True, exist_ok=True)
    state_dir.mkdir(parents=True, exist_ok=True)
    unfinished = state_dir / UNFINISHED
    if unfinished.exists():  # the last write was killed: it may have left temporary files
        _remove_temporaries(output_dir)
        _remove_temporaries(state_dir)
    unfinished.touch()
    folders = _Folders(output_dir)
    todo = []
    for path in files:
        if not safe_relative(path):
            raise ValueError(f"refusing to write outside the output folder: {path!r}")
        if path not in unchanged_paths:
            folders.check(output_dir / path)  # before any folder is made through a symlink
            todo.append(path)
    for folder in sorted({os.path.dirname(path) for path in todo}):  # parents first, once
        os.makedirs(output_dir / folder, exist_ok=True)

    written = 0
    for path in todo:
        data = files[path]
        target = output_dir / path
        if not _same(target, data):
            write_atomic(target, data)
            written += 1
    unchanged = len(files) - written
    for path in sorted(previous - files.keys()):
        target = output_dir / path
        folders.check(target)
        if target.is_file() and not target.is_symlink():
            target.unlink()
            removed += 1
            _prune_empty_dirs(target.parent, output_dir)
    manifest = {"output": str(output_dir), "files": sorted(files)}
    write_atomic(state_dir / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=0).encode())
    unfinished.unlink()
    return WriteReport(written, unchanged, removed)


def _remove_temporaries(folder: Path) -> None:
    """Delete the temporary files a killed build left (only sitegen's, by their name)."""
    for dirpath, _, names in os.walk(folder):
        for name in names:
            if name.startswith(TEMP_PREFIX) and name.endswith(TEMP_SUFFIX):
                Path(dirpath, name).unlink(missing_ok=True)


def _prune_empty_dirs(folder: Path, stop: Path) -> None:
    while folder != stop and folder.is_relative_to(stop):
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent
