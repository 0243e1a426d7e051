"""Template syntax of other generators left in a Markdown body (`{{< youtube … >}}`, `{% … %}`,
`{{ site.url }}`): literal text on the page, so the parse stage warns at its line. Pure.

Code is not text: fenced code blocks and code spans are masked first (`mask_code`), so a
tutorial that shows a shortcode inside a code fence stays silent. The importer uses the same
mask while it converts such syntax.
"""

from __future__ import annotations

import re

_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)")
MASK = "\x00"  # what masked code becomes: never part of a pattern the importer or this module uses
_OPENING = re.compile(r"\{[{%]")
LEFTOVER = re.compile(r"\{\{[<%]|\{%|\{\{-?\s*(?:site|page|\.Site|\.Params|\.Page)\b")


def mask_code(body: str) -> str:
    """`body` with fenced code blocks and code spans replaced by `MASK`, same length and line
    breaks, so offsets and lines found in the result hold for `body`."""
    out: list[str] = []
    fence = ""
    for line in body.split("\n"):
        match = _FENCE.match(line)
        if fence:
            closing = line.strip()
            if len(closing) >= len(fence) and closing == fence[0] * len(closing):
                fence = ""
            out.append(MASK * len(line))
        elif match:
            fence = match.group(1)
            out.append(MASK * len(line))
        else:
            out.append(line)
    masked = "\n".join(out)
    return _CODE_SPAN.sub(lambda m: re.sub(r"[^\n]", MASK, m.group()), masked)


def line_at(text: str, offset: int) -> int:
    """The 1-based line of `offset` in `text`."""
    return text.count("\n", 0, offset) + 1


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
