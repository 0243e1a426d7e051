"""Point a problem found in a built file back at the source that made it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from html import escape

from sitegen.build.load import ARTICLE_SUFFIXES
from sitegen.build.model import Article
from sitegen.build.readers.markdown import split_front_matter


def body_spans(
    texts: Mapping[str, str],
    origins: Mapping[str, tuple[str, int | None]],
    articles: Sequence[Article],
) -> dict[str, range]:
    """For each page made from an article, the lines of the page that hold the article's body
    (the theme writes the body's HTML as it is)."""
    bodies = {a.path: a.html for a in articles if a.html.strip()}
    spans: dict[str, range] = {}
    for output_file, text in texts.items():
        body = bodies.get(origins.get(output_file, ("", None))[0])
        start = text.find(body) if body else -1
        if start >= 0:
            first = text.count("\n", 0, start) + 1
            spans[output_file] = range(first, first + body.count("\n") + 1)
    return spans


@dataclass
class Locator:
    """Maps an output file and a line of it to `(path, line)` for a diagnostic.

    A problem in an article's body (`bodies`: the page lines holding it) points into the
    article: the n-th problem with the same needles (e.g. the link as written) on a page is
    put on the n-th line of the article's body holding one of them, so the calls for one page
    come in document order; without such a line, at the article without a line. Elsewhere on
    an article's page, a problem points at the first line of the article holding a needle (a
    front-matter value the template shows). Anything else came from a template and points at
    the built file, `output/<file>:<line>`. `texts` are the articles' sources as parsed
    (`Article.source_text`).
    """

    texts: Mapping[str, str]
    output: str
    origins: dict[str, tuple[str, int | None]]
    bodies: dict[str, range] = field(default_factory=dict)
    _lines: dict[str, list[str]] = field(default_factory=dict)
    _seen: Counter[tuple[str, tuple[str, ...]]] = field(default_factory=Counter)

    def article_of(self, output_file: str) -> str | None:
        """The article source that made `output_file`, if any."""
        origin, _ = self.origins.get(output_file, ("", None))
        return origin if origin.endswith(ARTICLE_SUFFIXES) else None

    def in_body(self, output_file: str, html_line: int | None) -> bool:
        """Whether a line of a built page is part of an article's body."""
        return html_line is not None and html_line in self.bodies.get(output_file, ())

    def lines_of(self, source: str) -> list[str]:
        """The lines of an article's source (none for another file)."""
        if source not in self._lines:
            self._lines[source] = self.texts.get(source, "").splitlines()
        return self._lines[source]

    def locate(
        self, output_file: str, html_line: int | None, needles: Iterable[str] = ()
    ) -> tuple[str, int | None]:
        source = self.article_of(output_file)
        wanted = tuple(dict.fromkeys(v for n in needles if n for v in (n, escape(n, False))))
        if source is None:
            return f"{self.output}/{output_file}", html_line
        lines = self.lines_of(source)
        if self.in_body(output_file, html_line):
            first = split_front_matter("\n".join(lines))[3] or 1
            holding = [
                number
                for number, line in enumerate(lines[first - 1 :], start=first)
                if any(n in line for n in wanted)
            ]
            nth = self._seen[output_file, wanted]
            self._seen[output_file, wanted] += 1
            return source, holding[min(nth, len(holding) - 1)] if holding else None
        for number, line in enumerate(lines, start=1):
            if wanted and any(n in line for n in wanted):
                return source, number
        return f"{self.output}/{output_file}", html_line
