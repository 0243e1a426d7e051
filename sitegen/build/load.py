"""Reading the site's files from disk, in a stable order: article sources and static files
(the load stage, `sitegen.build.inputs`, and the theme loader use it).

Reading the configuration, this, the theme loader, the images stage (image files and their
cache), the build cache and `write` are what touches the disk. Hidden files and editor
leftovers are skipped. What is not read is reported, never skipped silently: symlinked folders
(not followed, so no loops; a warning), unreadable folders and files, file names that are not
UTF-8 or hold control characters, devices and pipes, symlinks that lead outside the site, and
files larger than `limits.max_file_bytes`.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from sitegen.core.diagnostics import Diagnostic, error, warning

ARTICLE_SUFFIXES = (".md", ".markdown", ".txt")


SIDECAR_SUFFIX = ".yaml"


@dataclass(frozen=True)
class SourceFile:
    """One file's exact bytes. `path` is POSIX and relative to the site root.

    A plain-text article may have a sidecar (`name.yaml` beside `name.txt`) holding
    front-matter keys such as tags; `digest` covers both files.
    """

    path: str
    data: bytes
    digest: str
    sidecar: SourceFile | None = None


@dataclass(frozen=True)
class StaticFile:
    """A file copied as is. `url_path` is where it lands, relative to the output folder."""

    url_path: str
    data: bytes
    origin: str


def is_ignored(name: str) -> bool:
    """Hidden files, editor swap and backup files."""
    return (
        name.startswith((".", "#", "~"))
        or name.endswith(("~", ".swp", ".swx", ".tmp", ".bak"))
        or name == "4913"
    )


_CONTROL_IN_NAME = re.compile("[\x00-\x1f\x7f-\x9f]")


def name_problem(name: str) -> str | None:
    """Why a file or folder name cannot be used, or None."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return "its name is not valid UTF-8; rename it"
    if _CONTROL_IN_NAME.search(name):
        return "its name has control characters; rename it"
    return None


def printable(text: str) -> str:
    """`text` with control characters and undecodable bytes escaped (`\\x0a`)."""
    text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return _CONTROL_IN_NAME.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def shown_path(path: Path, root: Path) -> str:
    """How diagnostics name a file: relative to the site root when inside it (printable)."""
    text, base = str(path), str(root).rstrip(os.sep) + os.sep
    if text.startswith(base):  # string work: this runs for every file of the site
        return printable(text[len(base) :].replace(os.sep, "/"))
    return printable(path.relative_to(root).as_posix() if path.is_relative_to(root) else text)


def walk(folder: Path, root: Path, problems: list[Diagnostic]) -> Iterator[Path]:
    """Files under `folder`, sorted, skipping ignored names; what cannot be walked is
    added to `problems` (symlinked folders are not followed: a warning)."""

    def unreadable(exc: OSError) -> None:
        where = shown_path(Path(exc.filename), root) if exc.filename else shown_path(folder, root)
        problems.append(error(where, None, f"cannot read folder: {exc.strerror or exc}"))

    for current, dirs, files in os.walk(folder, onerror=unreadable):
        kept = []
        for name in sorted(dirs):
            if is_ignored(name):
                continue
            path = Path(current, name)
            if name_problem(name):
                problems.append(
                    error(shown_path(path, root), None, f"folder skipped: {name_problem(name)}")
                )
            elif path.is_symlink():
                message = "symlinked folder not followed (sitegen reads real folders only)"
                problems.append(warning(shown_path(path, root), None, message))
            else:
                kept.append(name)
        dirs[:] = kept
        for name in sorted(files):
            if is_ignored(name):
                continue
            path = Path(current, name)
            if name_problem(name):
                problems.append(
                    error(shown_path(path, root), None, f"file skipped: {name_problem(name)}")
                )
            else:
                yield path


def _size(count: int) -> str:
    return f"{count / 1_000_000:.1f} MB" if count >= 100_000 else f"{count:,} bytes"


def read_file(
    path: Path, shown: str, max_bytes: int | None = None, within: Sequence[Path] = ()
) -> tuple[bytes | None, Diagnostic | None]:
    """Read one regular file; anything else becomes a diagnostic instead.

    `max_bytes` bounds its size; `within` lists the (resolved) folders a symlink may lead to.
    """
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            return None, error(shown, None, "not a regular file (a device, pipe or socket)")
        if within and path.is_symlink():
            real = path.resolve()
            if not any(real.is_relative_to(folder) for folder in within):
                message = f"symlink to {real}, outside the site; not read"
                return None, error(
                    shown, None, message.encode("utf-8", "backslashreplace").decode()
                )
        if max_bytes is not None and info.st_size > max_bytes:
            return None, _too_large(shown, info.st_size, max_bytes)
        data = path.read_bytes()
    except OSError as exc:
        return None, error(shown, None, f"cannot read file: {exc.strerror or exc}")
    if max_bytes is not None and len(data) > max_bytes:  # it grew while being read
        return None, _too_large(shown, len(data), max_bytes)
    return data, None


def _too_large(shown: str, size: int, max_bytes: int) -> Diagnostic:
    return error(
        shown,
        None,
        f"file is too large: {_size(size)}, more than limits.max_file_bytes ({_size(max_bytes)})",
    )


def discover_sources(
    content: Path, root: Path, max_bytes: int | None = None
) -> tuple[tuple[SourceFile, ...], list[Diagnostic]]:
    """Every article file under the content folder (each at most `max_bytes` long)."""
    sources: list[SourceFile] = []
    diagnostics: list[Diagnostic] = []
    if not content.is_dir():
        return (), []
    within = (root.resolve(), content.resolve())
    for path in walk(content, root, diagnostics):
        if path.suffix.lower() not in ARTICLE_SUFFIXES:
            continue
        source, problem = read_source(path, root, max_bytes, within)
        if source is None:
            diagnostics.append(problem)  # type: ignore[arg-type]
        else:
            sources.append(source)
    return tuple(sources), diagnostics


def read_source(
    path: Path, root: Path, max_bytes: int | None, within: Sequence[Path]
) -> tuple[SourceFile | None, Diagnostic | None]:
    """One article file (with its sidecar), or the problem that kept it from being read."""
    shown = shown_path(path, root)
    data, problem = read_file(path, shown, max_bytes, within)
    if data is None:
        return None, problem
    sidecar = None
    side_path = path.with_suffix(SIDECAR_SUFFIX)
    if path.suffix.lower() == ".txt" and side_path.is_file():
        side_shown = shown_path(side_path, root)
        side_data, problem = read_file(side_path, side_shown, max_bytes, within)
        if side_data is None:
            return None, problem
        sidecar = SourceFile(side_shown, side_data, hashlib.sha256(side_data).hexdigest())
    digest = hashlib.sha256(data + (sidecar.digest.encode() if sidecar else b"")).hexdigest()
    return SourceFile(shown, data, digest, sidecar), None


def content_files(content: Path, root: Path) -> list[str]:
    """Site-relative paths of the files under the content folder that are not articles
    (images …)."""
    if not content.is_dir():
        return []
    return [
        shown_path(path, root)
        for path in walk(content, root, [])  # what walk reports, discover_sources reports
        if path.suffix.lower() not in ARTICLE_SUFFIXES and path.suffix.lower() != SIDECAR_SUFFIX
    ]


def discover_static(folder: Path, root: Path) -> tuple[tuple[StaticFile, ...], list[Diagnostic]]:
    """Every file under a static folder, to be copied to the output as is."""
    files: list[StaticFile] = []
    diagnostics: list[Diagnostic] = []
    if not folder.is_dir():
        return (), []
    within = (root.resolve(), folder.resolve())
    for path in walk(folder, root, diagnostics):
        shown = shown_path(path, root)
        data, problem = read_file(path, shown, within=within)
        if data is None:
            diagnostics.append(problem)  # type: ignore[arg-type]
            continue
        files.append(StaticFile(path.relative_to(folder).as_posix(), data, shown))
    return tuple(files), diagnostics
