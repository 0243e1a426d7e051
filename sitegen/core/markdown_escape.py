"""Plain text as Markdown that renders literally."""

from __future__ import annotations

import re

# Characters Python-Markdown gives meaning inside a line, all escapable with a backslash.
_INLINE = re.compile(r"([\\`*_\[\]{}#])")
# Line starts that open a block: quote, list item, numbered list item.
_BLOCK_START = re.compile(r"^(?:([>+\-])|(\d+)([.)]))")


def escape_markdown(line: str) -> str:
    """Escape one line of plain text so Markdown shows it as written (as one paragraph).

    `&` and `<` become entities (Markdown passes HTML and entities through), the inline
    markup characters get a backslash, and so does a line start that would open a block.
    """
    text = line.replace("&", "&amp;").replace("<", "&lt;")
    text = _INLINE.sub(r"\\\1", text)
    return _BLOCK_START.sub(_escape_block_start, text)


def _escape_block_start(match: re.Match[str]) -> str:
    if match[1]:
        return "\\" + match[1]
    return f"{match[2]}\\{match[3]}"
