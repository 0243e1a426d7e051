"""Template syntax of other generators left in a Markdown body (`{{< youtube … >}}`, `{% … %}`,
`{{ site.url }}`): literal text on the page, so the parse stage warns at its line. Pure.

Code is not text: fenced code blocks and code spans are masked first (`markdown_code`), so a
tutorial that shows a shortcode inside a code fence stays silent. The importer uses the same
mask while it converts such syntax.
"""

from __future__ import annotations

import re

from sitegen.build.markdown_code import line_at, mask_code

_OPENING = re.compile(r"\{[{%]")
LEFTOVER = re.compile(r"\{\{[<%]|\{%|\{\{-?\s*(?:site|page|\.Site|\.Params|\.Page)\b")


def leftovers(body: str, masked: str | None = None) -> list[tuple[int, str]]:
    """(line, message) for each line of the body's text that holds template syntax."""
    if "{" not in body or not _OPENING.search(body):
        return []  # most bodies: no scan (`in` with one character is the fast test)
    masked = mask_code(body) if masked is None else masked
    found: dict[int, str] = {}
    for match in LEFTOVER.finditer(masked):
        line = line_at(masked, match.start())
        if line not in found:
            end = masked.find("\n", match.start())
            snippet = masked[match.start() : end if end != -1 else None].strip()[:60]
            found[line] = (
                f"template syntax left as text: {snippet!r} (another generator's shortcode or "
                "Liquid; convert it, or show it as `code`)"
            )
    return sorted(found.items())
