"""Stage 1, load: read the site's source files from disk, in a stable order.

This and `write` are the only build stages that touch the disk. Symlinked folders are not
followed (no loops), hidden files and editor leftovers are skipped.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sitegen.diagnostics import Diagnostic, error

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


def walk(folder: Path) -> Iterator[Path]:
    """Files under `folder`, sorted, skipping ignored names and not following symlinked dirs."""
    for current, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not is_ignored(d))
        for name in sorted(files):
            if not is_ignored(name):
                yield Path(current, name)


def shown_path(path: Path, root: Path) -> str:
    """How diagnostics name a file: relative to the site root when inside it."""
    text, base = str(path), str(root).rstrip(os.sep) + os.sep
    if text.startswith(base):  # string work: this runs for every file of the site
        return text[len(base) :].replace(os.sep, "/")
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else text


def read_file(path: Path, shown: str) -> tuple[bytes | None, Diagnostic | None]:
    """Read one file; a read failure becomes a diagnostic."""
    try:
        return path.read_bytes(), None
    except OSError as exc:
        return None, error(shown, None, f"cannot read file: {exc.strerror or exc}")


def discover_sources(root: Path) -> tuple[tuple[SourceFile, ...], list[Diagnostic]]:
    """Every article file under `content/`."""
    sources: list[SourceFile] = []
    diagnostics: list[Diagnostic] = []
    content = root / "content"
    if not content.is_dir():
        return (), []
    for path in walk(content):
        if path.suffix.lower() not in ARTICLE_SUFFIXES:
            continue
        shown = shown_path(path, root)
        data, problem = read_file(path, shown)
        if data is None:
            diagnostics.append(problem)  # type: ignore[arg-type]
            continue
        sidecar = None
        if path.suffix.lower() == ".txt" and path.with_suffix(SIDECAR_SUFFIX).is_file():
            side_path = path.with_suffix(SIDECAR_SUFFIX)
            side_shown = shown_path(side_path, root)
            side_data, problem = read_file(side_path, side_shown)
            if side_data is None:
                diagnostics.append(problem)  # type: ignore[arg-type]
                continue
            sidecar = SourceFile(side_shown, side_data, hashlib.sha256(side_data).hexdigest())
        digest = hashlib.sha256(data + (sidecar.digest.encode() if sidecar else b"")).hexdigest()
        sources.append(SourceFile(shown, data, digest, sidecar))
    return tuple(sources), diagnostics


def content_files(root: Path) -> list[str]:
    """Site-relative paths of the files under `content/` that are not articles (images …)."""
    content = root / "content"
    if not content.is_dir():
        return []
    return [
        shown_path(path, root)
        for path in walk(content)
        if path.suffix.lower() not in ARTICLE_SUFFIXES and path.suffix.lower() != SIDECAR_SUFFIX
    ]


def discover_static(folder: Path, root: Path) -> tuple[tuple[StaticFile, ...], list[Diagnostic]]:
    """Every file under a static folder, to be copied to the output as is."""
    files: list[StaticFile] = []
    diagnostics: list[Diagnostic] = []
    if not folder.is_dir():
        return (), []
    for path in walk(folder):
        shown = shown_path(path, root)
        data, problem = read_file(path, shown)
        if data is None:
            diagnostics.append(problem)  # type: ignore[arg-type]
            continue
        files.append(StaticFile(path.relative_to(folder).as_posix(), data, shown))
    return tuple(files), diagnostics
