"""The Markdown reader: YAML front matter between `---` lines, or TOML between `+++` lines."""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from typing import Any

import yaml

from sitegen.build.readers.base import RawDocument, ReaderSettings
from sitegen.core.diagnostics import Diagnostic, error, warning
from sitegen.core.schema import duplicate_keys
from sitegen.core.yamlload import DEFAULT_MAX_NESTING, load_yaml, yaml_problem

_FENCES = {"---": ("---", "..."), "+++": ("+++",)}
_TOP_KEY = re.compile(r"^([^\s#:=\-\[][^:=]*?)\s*[:=]")
_TOML_LINE = re.compile(r"at line (\d+)")
_TOML_WHERE = re.compile(r"\s*\(at (line \d+, column \d+|end of document)\)")


def split_front_matter(text: str) -> tuple[str | None, str, int, int]:
    """Split `text` into (fence, front matter, first front-matter line, body line).

    Without front matter the fence is None and the body starts on line 1. An opening fence
    without a closing one gives the fence and body line 0.
    """
    fence, front, body_line, _ = _split(text)
    return fence, front, 2 if fence else 0, body_line


def _split(text: str) -> tuple[str | None, str, int, int]:
    """(fence, front matter, body line, offset of the body in `text`), found line by line
    up to the closing fence (the body is not split into lines)."""
    first, newline, rest = text.partition("\n")
    fence = first.rstrip()
    if fence not in _FENCES:
        return None, "", 1, 0
    closing = _FENCES[fence]
    start, index = 0, 0
    while True:
        end = rest.find("\n", start)
        if (rest[start:] if end < 0 else rest[start:end]).rstrip() in closing:
            body = len(text) if end < 0 else len(first) + len(newline) + end + 1
            return fence, rest[:start] or "\n", index + 3, body
        if end < 0:
            return fence, rest, 0, len(text)
        start, index = end + 1, index + 1


def top_level_lines(front: str, first_line: int) -> dict[str, int]:
    """Line of every top-level key (`key:` in YAML, `key =` in TOML)."""
    lines: dict[str, int] = {}
    for offset, line in enumerate(front.split("\n")):
        match = _TOP_KEY.match(line)
        if match:
            key = match.group(1).strip().strip("\"'")
            lines.setdefault(key, first_line + offset)
    return lines


def _plain(value: Any) -> Any:
    """TOML dates and times become ISO strings, so front matter stays JSON-compatible."""
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def nesting_depth(value: Any) -> int:
    """How deeply lists and mappings nest in `value` (a flat mapping is 1, a scalar 0)."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, depth)
            stack.extend(
                (v, depth + 1) for v in (item.values() if isinstance(item, dict) else item)
            )
    return deepest


def _load_yaml(
    path: str, front: str, first_line: int, max_nesting: int
) -> tuple[Any, list[Diagnostic]]:
    try:
        meta, node = load_yaml(front, max_nesting)
    except yaml.YAMLError as exc:
        offset, problem = yaml_problem(exc, front)
        line = first_line + (offset or 0)
        return None, [error(path, line, f"invalid YAML front matter: {problem}")]
    repeats = [
        error(
            path,
            first_line + line - 1,
            f"duplicate key '{'.'.join(map(str, key))}' (YAML would silently keep the last one)",
        )
        for key, line in duplicate_keys(node)
    ]
    return (None, repeats) if repeats else (meta, [])


def _load_toml(
    path: str, front: str, first_line: int, max_nesting: int
) -> tuple[Any, list[Diagnostic]]:
    try:
        meta = _plain(tomllib.loads(front))
    except tomllib.TOMLDecodeError as exc:
        match = _TOML_LINE.search(str(exc))
        line = first_line + int(match.group(1)) - 1 if match else first_line
        message = _TOML_WHERE.sub("", str(exc))
        return None, [error(path, line, f"invalid TOML front matter: {message}")]
    except RecursionError:
        meta = None
    except ValueError as exc:  # an integer of more than 4300 digits
        return None, [error(path, first_line, f"invalid TOML front matter: {exc}")]
    if meta is None or nesting_depth(meta) > max_nesting:
        message = f"TOML front matter nested deeper than {max_nesting} levels (limits.max_nesting)"
        return None, [error(path, first_line, message)]
    return meta, []


def read_front_matter(
    path: str, fence: str, front: str, first_line: int, max_nesting: int = DEFAULT_MAX_NESTING
) -> tuple[RawDocument | None, list[Diagnostic]]:
    """Load front matter text (YAML for `---`, TOML for `+++`) into a body-less document."""
    loader = _load_yaml if fence == "---" else _load_toml
    meta, problems = loader(path, front, first_line, max_nesting)
    if problems:
        return None, problems
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        kind = "a list" if isinstance(meta, list) else "a single value"
        return None, [
            error(path, first_line, f"front matter must be a mapping of keys, not {kind}")
        ]
    meta = {str(k): v for k, v in meta.items()}
    return RawDocument(meta, "", 0, top_level_lines(front, first_line)), []


def read_markdown(
    path: str, text: str, settings: ReaderSettings
) -> tuple[RawDocument | None, list[Diagnostic]]:
    """Read a Markdown file with optional YAML or TOML front matter."""
    if not text.strip():
        what = "empty" if not text else "blank (only white space)"
        return None, [error(path, 1, f"the file is {what}")]
    fence, front, body_line, body_start = _split(text)
    if fence is None:
        return RawDocument({}, text, 1, {}), []
    if body_line == 0:
        return None, [error(path, 1, f"front matter opened with '{fence}' is never closed")]
    front_doc, problems = read_front_matter(path, fence, front, 2, settings.max_nesting)
    if front_doc is None:
        return None, problems
    body = text[body_start:]
    if not body.strip():
        problems = [warning(path, body_line - 1, "no article text after the front matter")]
    return RawDocument(front_doc.meta, body, body_line, front_doc.meta_lines), problems
