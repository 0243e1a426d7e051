"""Point a problem found in a built file back at the source that made it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sitegen.load import ARTICLE_SUFFIXES
from sitegen.readers.markdown import split_front_matter


@dataclass
class Locator:
    """Maps an output file and a line of it to `(path, line)` for a diagnostic.

    A problem on a page made from an article points into the article, at the first line
    holding one of the given needles (e.g. the link as written): in the body, else in the
    front matter (a `source_url` the template shows). Anything else came from a template and
    points at the built file, `output/<file>:<line>`.
    """

    root: Path
    output: str
    origins: dict[str, tuple[str, int | None]]
    _texts: dict[str, list[str]] = field(default_factory=dict)

    def article_of(self, output_file: str) -> str | None:
        """The article source that made `output_file`, if any."""
        origin, _ = self.origins.get(output_file, ("", None))
        return origin if origin.endswith(ARTICLE_SUFFIXES) else None

    def lines_of(self, source: str) -> list[str]:
        if source not in self._texts:
            try:
                text = (self.root / source).read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError):
                text = ""
            self._texts[source] = text.splitlines()
        return self._texts[source]

    def locate(
        self, output_file: str, html_line: int | None, needles: Iterable[str] = ()
    ) -> tuple[str, int | None]:
        source = self.article_of(output_file)
        wanted = [n for n in needles if n]
        if source is not None and wanted:
            lines = self.lines_of(source)
            _, _, _, body_line = split_front_matter("\n".join(lines))
            body = max(body_line, 1) - 1
            for index in [*range(body, len(lines)), *range(body)]:
                if any(n in lines[index] for n in wanted):
                    return source, index + 1
        return f"{self.output}/{output_file}", html_line
