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
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from sitegen.core.diagnostics import Diagnostic, error, warning

ARTICLE_SUFFIXES = (".md", ".markdown", ".txt")


SIDECAR_SUFFIX = ".yaml"


@dataclass(frozen=True, slots=True, weakref_slot=True)
class SourceFile:
    """One file's exact bytes. `path` is POSIX and relative to the site root.

    A plain-text article may have a sidecar (`name.yaml` beside `name.txt`) holding
    front-matter keys such as tags; `digest` covers both files. A source whose stamp matched
    a known digest (`discover_sources`'s `known`) is `unread`: `read_bytes` reads it when
    its bytes are needed.
    """

    path: str
    data: bytes
    digest: str
    sidecar: SourceFile | None = None
    stamp: str | None = None  # the file's `stat_stamp` when `digest` may be trusted later
    unread: bool = False  # `data` not read: `digest` is the one recorded for `stamp`

    def as_recorded(self) -> SourceFile:
        """This source without its bytes: what a build records of it (path, digest, stamp)."""
        if self.unread and self.sidecar is None:  # one not read: already so (most of them)
            return self
        return SourceFile(self.path, b"", self.digest, None, self.stamp, True)


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
    return (Path(current, name) for current, name in _walk_names(folder, root, problems))


def _walk_names(folder: Path, root: Path, problems: list[Diagnostic]) -> Iterator[tuple[str, str]]:
    """`walk` as (folder, name) strings: no `Path` made per file."""

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
            if name_problem(name):
                shown = shown_path(Path(current, name), root)
                problems.append(error(shown, None, f"file skipped: {name_problem(name)}"))
            else:
                yield current, name


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


# A digest is recorded for a stamp only when the file was last changed this long before it was
# read: a change within the file system's timestamp granularity cannot then keep the stamp
# (Git's racy-clean rule).
RACY_NS = 2_000_000_000


def stat_stamp(info: os.stat_result) -> str:
    """What identifies one version of a file without reading it: size, mtime, ctime, inode."""
    return f"{info.st_size}:{info.st_mtime_ns}:{info.st_ctime_ns}:{info.st_ino}"


def discover_sources(
    content: Path,
    root: Path,
    max_bytes: int | None = None,
    known: Mapping[str, tuple[str, str]] | None = None,
) -> tuple[tuple[SourceFile, ...], tuple[str, ...], list[Diagnostic]]:
    """Every article file under the content folder (each at most `max_bytes` long), and the
    site-relative paths of the other files there (images …; sidecars left out).

    `known`: a path → (stamp, digest) recorded by an earlier build; a file whose `stat_stamp`
    is the recorded one is not read (`SourceFile.unread`) and keeps that digest.
    """
    others: list[str] = []
    diagnostics: list[Diagnostic] = []
    sources = tuple(read_sources(content, root, max_bytes, known, others, diagnostics))
    return sources, tuple(others), diagnostics


def read_sources(
    content: Path,
    root: Path,
    max_bytes: int | None,
    known: Mapping[str, tuple[str, str]] | None,
    others: list[str],
    diagnostics: list[Diagnostic],
) -> Iterator[SourceFile]:
    """`discover_sources` as it goes: each article file as soon as it is read; the other
    files' paths and the problems are added to `others` and `diagnostics` meanwhile."""
    if not content.is_dir():
        return
    within = (root.resolve(), content.resolve())
    known = known or {}
    base = str(root).rstrip(os.sep) + os.sep
    now = time.time_ns()
    folders: dict[str, str] = {}  # each folder as shown, with a slash ('': not under the root)
    for current, name in _walk_names(content, root, diagnostics):
        suffix = name[name.rfind(".") :].lower() if "." in name else ""
        full = f"{current}{os.sep}{name}"
        folder = folders.get(current)
        if folder is None:
            inside = f"{current}{os.sep}".startswith(base)
            shown_folder = printable(current[len(base) :].replace(os.sep, "/")) + "/"
            folder = folders[current] = shown_folder if inside else ""
        # a name `_walk_names` gives is printable as it is (`name_problem`)
        shown = folder + name if folder else shown_path(Path(full), root)
        if suffix not in ARTICLE_SUFFIXES:
            if suffix != SIDECAR_SUFFIX:
                others.append(shown)
            continue
        source = _known_source(full, shown, suffix, known.get(shown), max_bytes, now)
        problem = None
        if source is None:
            source, problem = read_source(Path(full), root, max_bytes, within, now)
        if source is None:
            diagnostics.append(problem)  # type: ignore[arg-type]
        else:
            yield source


def _known_source(
    full: str,
    shown: str,
    suffix: str,
    known: tuple[str, str] | None,
    max_bytes: int | None,
    now: int,
) -> SourceFile | None:
    """The source at `full` unread, when it is a plain file (no symlink, no sidecar) whose
    stamp is the `known` one and whose digest was not recorded racily."""
    if known is None or suffix == ".txt":  # a .txt may have a sidecar: read it
        return None
    try:
        info = os.lstat(full)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode) or (max_bytes is not None and info.st_size > max_bytes):
        return None
    stamp = stat_stamp(info)
    if stamp != known[0]:
        return None
    return SourceFile(shown, b"", known[1], None, stamp if _settled(info, now) else None, True)


def _settled(info: os.stat_result, now: int) -> bool:
    """True when the file was last changed long enough ago that its stamp identifies it."""
    return now - max(info.st_mtime_ns, info.st_ctime_ns) > RACY_NS


def read_bytes(source: SourceFile, root: Path) -> tuple[SourceFile | None, Diagnostic | None]:
    """An `unread` source with its bytes (and their digest: the file may have changed since),
    or the problem that kept it from being read; other sources as they are."""
    if not source.unread:
        return source, None
    try:
        data = Path(root, source.path).read_bytes()
    except OSError as exc:
        return None, error(source.path, None, f"cannot read file: {exc.strerror or exc}")
    return SourceFile(source.path, data, hashlib.sha256(data).hexdigest()), None


def read_source(
    path: Path,
    root: Path,
    max_bytes: int | None,
    within: Sequence[Path],
    now: int | None = None,
) -> tuple[SourceFile | None, Diagnostic | None]:
    """One article file (with its sidecar), or the problem that kept it from being read.
    With `now` (ns), a plain file changed long enough before it carries its stamp."""
    shown = shown_path(path, root)
    info = None
    if now is not None:
        try:
            info = os.lstat(path)
        except OSError:
            info = None
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
    trusted = (
        info is not None
        and now is not None
        and stat.S_ISREG(info.st_mode)  # not a symlink
        and sidecar is None
        and info.st_size == len(data)
        and _settled(info, now)
    )
    return SourceFile(shown, data, digest, sidecar, stat_stamp(info) if trusted else None), None


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
