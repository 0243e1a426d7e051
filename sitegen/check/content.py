"""Content checks: duplicate titles on one day, articles without topic, bidi controls."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Sequence

from sitegen.build.model import Article
from sitegen.core.diagnostics import Diagnostic, warning
from sitegen.core.text import sort_key, squash_space, strip_invisible

BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def same_title_key(title: str) -> str:
    """Titles that read the same: tashkeel, alef forms, case, spacing and invisibles ignored."""
    return sort_key(squash_space(strip_invisible(title)))


def check_content(
    articles: Sequence[Article], source_lines: Callable[[str], list[str]]
) -> list[Diagnostic]:
    """Duplicate titles on one day, articles without topic, and bidi controls written in
    titles and slugs (the model drops them silently, so only the source shows them)."""
    found: list[Diagnostic] = []
    by_day: dict[tuple[object, str], list[Article]] = defaultdict(list)
    for article in articles:
        by_day[(article.date.date(), same_title_key(article.title))].append(article)
        title_line = article.lines.get("title")
        if article.topic is None:
            found.append(warning(article.path, title_line, "article has no topic", "add `topic:`"))
        for field in ("title", "slug"):
            line = article.lines.get(field)
            written = source_lines(article.path) if line else []
            control = (
                BIDI_CONTROLS.search(written[line - 1]) if line and line <= len(written) else None
            )
            if control:
                found.append(
                    warning(
                        article.path,
                        line,
                        f"{field} contains the invisible bidi control U+{ord(control[0]):04X}",
                        "sitegen drops it, so remove it; the theme sets each title's direction "
                        "with `dir` from the article's `lang:`/`dir:` and isolates names in <bdi>",
                    )
                )
    for (day, _), group in by_day.items():
        for article in group if len(group) > 1 else ():
            others = ", ".join(a.path for a in group if a is not article)
            found.append(
                warning(
                    article.path,
                    article.lines.get("title"),
                    f"same title as {others} on {day.isoformat()}",
                )
            )
    return found
