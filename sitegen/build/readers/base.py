"""The contract every reader fulfils."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from sitegen.core.diagnostics import Diagnostic
from sitegen.core.yamlload import DEFAULT_MAX_NESTING


@dataclass(frozen=True)
class RawDocument:
    """What a reader recovers from one file, before validation.

    `meta` holds JSON-compatible values only (str, int, float, bool, None, list, dict): dates
    stay strings (ISO 8601, or an Arabic date line) and are parsed by the model stage, so a
    RawDocument can be cached as JSON. `meta_lines` maps each top-level key to the 1-based
    line where it is written, for diagnostics. `body` is Markdown; `body_line` is the 1-based
    line of the file where the body starts.
    """

    meta: dict[str, Any]
    body: str
    body_line: int
    meta_lines: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class ReaderSettings:
    """Site settings a reader may need: the timezone of naive dates, and how deeply front
    matter may nest (`limits.max_nesting`). `source_texts`: every parsed document keeps its
    decoded text (`Document.source_text`), not only those whose body shows an image."""

    timezone: ZoneInfo
    max_nesting: int = DEFAULT_MAX_NESTING
    source_texts: bool = False


class Reader(Protocol):
    """A reader: `(path, text, settings) -> (document or None, diagnostics)`.

    `path` is relative to the site root and only used in diagnostics; `text` is already decoded
    (UTF-8, BOM removed) with line ends normalised to `\\n`. A reader never raises for bad
    input: it returns None and at least one error diagnostic.
    """

    def __call__(
        self, path: str, text: str, settings: ReaderSettings
    ) -> tuple[RawDocument | None, list[Diagnostic]]: ...
