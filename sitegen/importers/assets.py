"""The files an imported body names (images, downloads): found in the source, planned for
copying beside the article (page bundles) or under `static/`, and the references rewritten
to where they land. What cannot be found is reported at its line and left as written: the
build warns about a missing image and shows its alt text until the file is copied in.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from urllib.parse import unquote, urlsplit

from sitegen.build.markdown_code import MASK, line_at, mask_code
from sitegen.core.config import STATIC_FOLDER

_MD_IMAGE = re.compile(r"!\[([^\]\n]*)\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"\n]*\")?\s*\)")
_MD_LINK = re.compile(r"(?<!!)\[[^\]\n]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"\n]*\")?\s*\)")
_HTML_IMG = re.compile(r"<img\b[^>]*>", re.I)
_ATTR = re.compile(r"""\b(src|alt|href)\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)
_HTML_LINK = re.compile(r"""<a\b[^>]*\bhref\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)
_PAGE_SUFFIXES = ("", ".html", ".htm", ".md", ".markdown", ".php", ".xml")
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg")


@dataclass(frozen=True)
class Placement:
    """Where a reference's file is in the source and where it goes in the site."""

    source: Path
    target: str  # site-relative: content/…/x.jpg or static/…
    reference: str  # what the body names it by afterwards


# reference, is it an image → where it lands, or None when the file is not in the source
Locate = Callable[[str, bool], Placement | None]


def is_local(url: str) -> bool:
    """A reference to a file of the site (not a URL elsewhere, an anchor or mail)."""
    parts = urlsplit(url)
    return not (parts.scheme or parts.netloc or url.startswith(("#", "?"))) and bool(parts.path)


def is_file_link(url: str) -> bool:
    """A link to a file (a PDF), not to a page (those stay links for `sitegen check`)."""
    return posixpath.splitext(urlsplit(url).path)[1].lower() not in _PAGE_SUFFIXES


@dataclass
class Found:
    """What `place_files` found: files to copy, and problems as (reference, body line,
    message, missing?)."""

    copies: list[Placement]
    notes: list[tuple[str, int, str, bool]]


def place_files(body: str, locate: Locate) -> tuple[str, Found]:
    """Rewrite the body's local image and file references; collect the files to copy."""
    masked = mask_code(body)
    found = Found([], [])
    edits: list[tuple[int, int, str]] = []

    def visit(start: int, end: int, url: str, image: bool, alt: str, html: bool) -> None:
        if MASK in masked[start:end] or not is_local(url) or not (image or is_file_link(url)):
            return
        line = line_at(masked, start)
        place = locate(unescape(url) if html else url, image)
        whole = body[start:end]
        if place is None:
            found.notes.append((url, line, f"file {url!r} not found in the source", True))
            return
        found.copies.append(place)
        if place.reference != url:
            edits.append((start, end, whole.replace(url, place.reference, 1)))

    for m in _MD_IMAGE.finditer(masked):
        visit(
            m.start(),
            m.end(),
            body[m.start(2) : m.end(2)],
            True,
            body[m.start(1) : m.end(1)],
            False,
        )
    for m in _MD_LINK.finditer(masked):
        visit(m.start(), m.end(), body[m.start(1) : m.end(1)], False, "", False)
    for m in _HTML_IMG.finditer(masked):
        attrs = {
            k.lower(): a if a is not None else b
            for k, a, b in _ATTR.findall(body[m.start() : m.end()])
        }
        if attrs.get("src"):
            visit(m.start(), m.end(), attrs["src"], True, unescape(attrs.get("alt", "")), True)
    for m in _HTML_LINK.finditer(masked):
        url = m.group(1) if m.group(1) is not None else m.group(2)
        visit(m.start(), m.end(), url, False, "", True)
    for start, end, text in sorted(edits, reverse=True):
        body = body[:start] + text + body[end:]
    return body, found


def folder_locator(
    folder: Path | None,
    roots: list[Path],
    base_path: str,
    bundle_target: str | None,
    source_root: Path,
) -> Locate:
    """How a folder source finds a reference: `/x` under its static roots (the old site's
    base path removed), a relative path beside the entry. A file beside a page bundle goes
    beside the imported article (`bundle_target`); every other file goes under `static/`
    at its path in the old site, and is then named by that path."""

    def locate(reference: str, image: bool) -> Placement | None:
        path = unquote(urlsplit(reference).path)
        if path.startswith("/"):
            if base_path != "/" and path.startswith(base_path):
                path = "/" + path[len(base_path) :].lstrip("/")
            return _under_roots(path.lstrip("/"), roots)
        if folder is None:
            return None
        candidate = (folder / path).resolve()
        if not candidate.is_file() or not candidate.is_relative_to(source_root.resolve()):
            return _under_roots(path, roots)
        if bundle_target is not None and candidate.is_relative_to(folder.resolve()):
            inner = candidate.relative_to(folder.resolve()).as_posix()
            return Placement(candidate, f"{bundle_target}/{inner}", reference)
        for root in roots:
            if candidate.is_relative_to(root.resolve()):
                inner = candidate.relative_to(root.resolve()).as_posix()
                return Placement(candidate, f"{STATIC_FOLDER}/{inner}", "/" + inner)
        inner = candidate.relative_to(source_root.resolve()).as_posix()
        return Placement(candidate, f"{STATIC_FOLDER}/{inner}", "/" + inner)

    return locate


def _under_roots(inner: str, roots: list[Path]) -> Placement | None:
    normal = posixpath.normpath(inner)
    if normal.startswith(".."):
        return None
    for root in roots:
        candidate = root / normal
        if candidate.is_file():
            return Placement(candidate, f"{STATIC_FOLDER}/{normal}", "/" + normal)
    return None
