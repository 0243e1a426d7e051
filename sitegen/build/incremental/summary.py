"""`BuildSummary`: what a whole build read and made, so a build of the same inputs (at a time
when it makes the same files) reuses all of it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sitegen.core.diagnostics import Diagnostic, Severity


@dataclass(frozen=True)
class BuildSummary:
    """What a whole build was made from and what it made.

    `inputs` is a digest of every input the build read before parsing; `image_inputs` the
    digests of the image files the images stage read. A later build with the same inputs,
    the same image files and a build time from `valid_from` (the last moment, up to the
    build's, when an article appeared or entered or left the news sitemap) up to, not
    including, `valid_until` (the next such moment) makes the same files: it can skip
    parsing, planning and rendering. None is no bound. `files` lists every output file in
    order; `pages` is how many of them are pages (they come first).
    `sources`, `assets`, `aliases` and `search_key` are those of `BuildResult`.
    """

    inputs: str
    valid_from: float | None
    valid_until: float | None
    image_inputs: dict[str, str]
    files: tuple[str, ...]
    pages: int
    diagnostics: tuple[Diagnostic, ...]
    articles: int
    sources: dict[str, tuple[str, int | None]]
    assets: tuple[str, ...]
    aliases: tuple[tuple[str, str], ...]
    search_key: str | None = None

    def valid_at(self, inputs: str, now: float, root: Path) -> bool:
        """True when a build with `inputs` at time `now` would make exactly these files."""
        return self.inputs == inputs and self.valid_when(now, root)

    def valid_when(self, now: float, root: Path) -> bool:
        """True when the inputs' build at time `now` makes these files: the time is within the
        bounds and the image files read are unchanged."""
        if (self.valid_from is not None and now < self.valid_from) or (
            self.valid_until is not None and now >= self.valid_until
        ):
            return False
        return all(_file_digest(root / path) == d for path, d in self.image_inputs.items())

    def to_json(self) -> dict[str, Any]:
        return {
            "inputs": self.inputs,
            "valid_from": self.valid_from,
            "valid_until": self.valid_until,
            "image_inputs": self.image_inputs,
            "files": list(self.files),
            "pages": self.pages,
            "diagnostics": [diagnostic_json(d) for d in self.diagnostics],
            "articles": self.articles,
            "sources": self.sources,  # (origin, line) pairs: arrays in JSON, tuples in marshal
            "assets": list(self.assets),
            "aliases": [list(pair) for pair in self.aliases],
            "search_key": self.search_key,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> BuildSummary:
        return cls(
            data["inputs"],
            data["valid_from"],
            data["valid_until"],
            dict(data["image_inputs"]),
            tuple(data["files"]),
            data["pages"],
            tuple(diagnostic_from_json(d) for d in data["diagnostics"]),
            data["articles"],
            {path: (origin, line) for path, (origin, line) in data["sources"].items()},
            tuple(data["assets"]),
            tuple((old, new) for old, new in data["aliases"]),
            data.get("search_key"),
        )


def _file_digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def diagnostic_json(d: Diagnostic) -> list[Any]:
    return [d.path, d.line, d.message, d.severity.value, d.hint]


def diagnostic_from_json(item: list[Any]) -> Diagnostic:
    path, line, message, severity, hint = item
    return Diagnostic(path, line, message, Severity(severity), hint)
