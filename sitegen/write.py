"""Stage 6, write: put the built files into the output folder.

Writes only files whose bytes changed (atomically: temp file + rename, so a killed build
leaves the old or the new file, never a truncated one; the next build deletes the temporary
file it left), and removes files it wrote in an
earlier build that are no longer part of the site. A manifest under `.sitegen/` records
what sitegen wrote; files it did not write are never removed.
"""

from __future__ import annotations

import errno
import json
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

MANIFEST = "manifest.json"
TEMP_PREFIX, TEMP_SUFFIX = ".sitegen-", ".tmp"


@dataclass(frozen=True)
class WriteReport:
    written: int
    unchanged: int
    removed: int


def safe_relative(path: str) -> bool:
    """True when `path` is a plain relative path that stays inside its folder."""
    parts = PurePosixPath(path).parts
    return bool(parts) and not path.startswith("/") and ".." not in parts and "\\" not in path


def write_atomic(target: Path, data: bytes) -> None:
    """Write `data` to `target` through a temporary file in the same folder."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=target.parent, prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(temp, 0o644)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
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


def write_site(files: Mapping[str, bytes], output_dir: Path, state_dir: Path) -> WriteReport:
    """Write `files` (output-relative path → bytes) and prune what the last build left.

    Raises OSError when a file cannot be written or a symlinked folder inside the output would
    lead the write (or a removal) outside it.
    """
    previous = read_manifest(state_dir, output_dir)
    written = unchanged = removed = 0
    output_dir.mkdir(parents=True, exist_ok=True)
    _remove_temporaries(output_dir)
    _remove_temporaries(state_dir)
    folders = _Folders(output_dir)
    for path, data in files.items():
        if not safe_relative(path):
            raise ValueError(f"refusing to write outside the output folder: {path!r}")
        target = output_dir / path
        folders.check(target)
        if _same(target, data):
            unchanged += 1
            continue
        write_atomic(target, data)
        written += 1
    for path in sorted(previous - files.keys()):
        target = output_dir / path
        folders.check(target)
        if target.is_file() and not target.is_symlink():
            target.unlink()
            removed += 1
            _prune_empty_dirs(target.parent, output_dir)
    state_dir.mkdir(parents=True, exist_ok=True)
    manifest = {"output": str(output_dir), "files": sorted(files)}
    write_atomic(state_dir / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=0).encode())
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
