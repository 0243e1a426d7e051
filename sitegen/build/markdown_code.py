"""Code in a Markdown body, masked out: fenced code blocks and code spans become `MASK`
characters of the same length, line breaks kept, so offsets and lines found in the masked
text hold for the body. What is written as code is shown, not meant: image references and
other generators' template syntax inside it are not looked for. Pure."""

from __future__ import annotations

import re

_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
# a code span may run over lines, but not past the end of its paragraph
_CODE_SPAN = re.compile(r"(`+)(?!`)(?:(?!\n[ \t]*\n).)*?(?<!`)\1(?!`)", re.DOTALL)
MASK = "\x00"  # never part of a pattern looked for in masked text


def mask_code(body: str) -> str:
    """`body` with fenced code blocks and code spans replaced by `MASK`."""
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
    return _CODE_SPAN.sub(lambda m: re.sub(r"[^\n]", MASK, m.group()), "\n".join(out))


def line_at(text: str, offset: int) -> int:
    """The 1-based line of `offset` in `text`."""
    return text.count("\n", 0, offset) + 1
