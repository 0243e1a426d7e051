"""Reading a static-site generator's folder (Jekyll, Hugo, Zola): its configuration, its
Markdown files (front matter and body, with their lines), language suffixes and prefixes.

A file is read the way the build reads one (UTF-8, YAML or TOML front matter), after
dropping what the other generator tolerated and sitegen refuses: control characters (a
byte before `---`), each removed with a warning at its line.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml

from sitegen.build.load import SourceFile, is_ignored
from sitegen.build.parse import decode
from sitegen.build.readers.base import ReaderSettings
from sitegen.build.readers.markdown import read_markdown
from sitegen.core.languages import is_language_tag
from sitegen.importers.entry import Entry
from sitegen.importers.report import ImportReport
from sitegen.importers.syntax import Rule

MARKDOWN_SUFFIXES = (".md", ".markdown")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\u200e\u200f\ufeff]")
_UTC = ZoneInfo("UTC")  # the reader only checks front matter; dates are read later
_SKIPPED_FOLDERS = {"node_modules", "vendor", "_site", "public", "themes", "resources"}


@dataclass
class Topic:
    """A topic named in the source: its display name and description."""

    name: str
    description: str = ""


@dataclass
class Harvest:
    """What a source gave: entries and, for the conversions, the rules of its template
    language, the old site's settings and where its files are."""

    entries: list[Entry]
    rules: tuple[Rule, ...] = ()
    topics: dict[str, Topic] = field(default_factory=dict)  # slug → topic
    site_values: dict[str, str] = field(default_factory=dict)
    static_roots: list[Path] = field(default_factory=list)
    base_path: str = "/"
    root: Path | None = None
    includes: Path | None = None
    timezone: str = ""  # the old site's, for dates written without an offset


@dataclass
class SourceDoc:
    """One Markdown file of the source."""

    path: Path
    relative: str  # POSIX, from the folder it was found under
    shown: str
    meta: dict[str, Any]
    meta_lines: dict[str, int]
    body: str
    body_line: int


def clean_text(text: str, shown: str, report: ImportReport) -> str:
    """`text` without control characters (each one reported at its line)."""
    if not _CONTROL.search(text):
        return text
    for match in _CONTROL.finditer(text):
        if match.group() == "\ufeff" and match.start() == 0:
            continue
        line = text.count("\n", 0, match.start()) + 1
        report.warn(
            shown, line, f"invisible or control character U+{ord(match.group()):04X} removed"
        )
    return _CONTROL.sub("", text)


def read_doc(path: Path, base: Path, shown: str, report: ImportReport) -> SourceDoc | None:
    """A Markdown file's front matter and body; None (reported) when it cannot be read."""
    report.files_read += 1
    try:
        data = path.read_bytes()
    except OSError as exc:
        report.fail(shown, None, f"cannot read file: {exc.strerror or exc}")
        return None
    data = data.removeprefix(b"\xef\xbb\xbf")
    try:
        text = clean_text(data.decode("utf-8").replace("\r\n", "\n"), shown, report)
    except UnicodeDecodeError:
        text = None
    if text is None:
        _, problems = decode(SourceFile(shown, data, ""))
        report.diagnostics.extend(problems)
        return None
    raw, problems = read_markdown(shown, text, ReaderSettings(_UTC))
    report.diagnostics.extend(p for p in problems if not p.message.startswith("no article text"))
    if raw is None:
        return None
    relative = path.relative_to(base).as_posix()
    return SourceDoc(path, relative, shown, raw.meta, raw.meta_lines, raw.body, raw.body_line)


def markdown_files(folder: Path) -> list[Path]:
    """Markdown files under `folder`, sorted; hidden files and build folders skipped."""
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.rglob("*")):
        parts = path.relative_to(folder).parts
        if any(is_ignored(p) or p in _SKIPPED_FOLDERS for p in parts):
            continue
        if path.suffix.lower() in MARKDOWN_SUFFIXES and path.is_file():
            found.append(path)
    return found


def split_language(name: str) -> tuple[str, str | None]:
    """`index.fa.md` → (`index`, `fa`); `post.md` → (`post`, None)."""
    stem = name.rsplit(".", 1)[0]
    head, dot, tail = stem.rpartition(".")
    if (
        dot
        and head
        and re.fullmatch(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})?", tail)
        and is_language_tag(tail)
    ):
        return head, tail
    return stem, None


def path_language(relative: str, known: set[str]) -> str | None:
    """The language a path prefix names (`en/guides/x.md`, `_posts/fa/…`), when the source
    configures that language."""
    return next((part for part in relative.split("/")[:-1] if part in known), None)


def read_config(root: Path, names: tuple[str, ...], report: ImportReport) -> dict[str, Any]:
    """The first of `names` found under `root` (YAML or TOML), or {} (a folder without one)."""
    for name in names:
        path = root / name
        if not path.is_file():
            continue
        report.files_read += 1
        text = path.read_text(encoding="utf-8", errors="replace")
        try:
            loaded = tomllib.loads(text) if name.endswith(".toml") else yaml.safe_load(text)
        except (tomllib.TOMLDecodeError, yaml.YAMLError) as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 1 if mark is not None else None
            report.warn(str(path), line, f"configuration not read ({exc}); using the defaults")
            return {}
        return loaded if isinstance(loaded, dict) else {}
    return {}


def text_value(config: dict[str, Any], *keys: str) -> str:
    """The first of `keys` that holds text in `config`, else ''."""
    return next((str(config[k]) for k in keys if isinstance(config.get(k), str)), "")


@dataclass(frozen=True)
class Layout:
    """Where a Hugo or Zola content file sits: its sections, the name its URL ends with,
    whether it is a page bundle (`name/index.md`) or a section's `_index.md`."""

    sections: list[str]
    name: str
    bundle: bool
    section_index: bool
    language: str | None


def content_layout(relative: str) -> Layout:
    """`posts/trip/index.fa.md` → sections [posts], name trip, bundle, language fa."""
    parts = relative.split("/")
    stem, language = split_language(parts[-1])
    if stem == "_index":
        return Layout(parts[:-1], parts[-2] if len(parts) > 1 else "", False, True, language)
    if stem == "index" and len(parts) > 1:
        return Layout(parts[:-2], parts[-2], True, False, language)
    return Layout(parts[:-1], stem, False, False, language)


def section_topics(docs: list[tuple[Layout, SourceDoc]]) -> dict[str, Topic]:
    """Topics named by sections' `_index.md` (title, description), by the section's folder
    name; the root section names none."""
    found: dict[str, Topic] = {}
    for layout, doc in docs:
        title = doc.meta.get("title")
        if layout.section_index and layout.sections and isinstance(title, str) and title.strip():
            description = doc.meta.get("description")
            text = description.strip() if isinstance(description, str) else ""
            found.setdefault(layout.sections[-1], Topic(title.strip(), text))
    return found
