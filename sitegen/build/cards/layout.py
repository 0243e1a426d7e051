"""Where a headline breaks: at most `max_lines` lines of whole words, the last one cut with an
ellipsis when the headline does not fit, at the largest of a few type sizes that holds it.

Pure: text widths come from a `measure` function (the drawing code passes Pillow's raqm
measure, so widths are those of shaped text in its visual order).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

ELLIPSIS = "…"

Measure = Callable[[str], float]


def wrap(text: str, measure: Measure, width: float, max_lines: int) -> tuple[list[str], bool]:
    """Greedy line breaking at spaces: (lines, whether everything fit).

    When the words need more than `max_lines` lines, the last line keeps the words that fit
    before an ellipsis; a word wider than a line is cut, letter by letter, the same way.
    """
    words = text.split()
    lines: list[str] = []
    current: list[str] = []
    index = 0
    while index < len(words):
        if measure(" ".join([*current, words[index]])) <= width:
            current.append(words[index])
            index += 1
        elif current and len(lines) + 1 < max_lines:
            lines.append(" ".join(current))
            current = []
        else:  # the last line is full, or one word is wider than a line
            lines.append(_cut(" ".join([*current, *words[index:]]), measure, width))
            return lines, False
    if current:
        lines.append(" ".join(current))
    return lines, True


def _cut(text: str, measure: Measure, width: float) -> str:
    """The longest start of `text` that fits `width` with an ellipsis: whole words if any
    fit, else letters."""
    words = text.split()
    for count in range(len(words) - 1, 0, -1):
        shown = " ".join(words[:count]) + ELLIPSIS
        if measure(shown) <= width:
            return shown
    first = words[0] if words else ""
    for end in range(len(first) - 1, 0, -1):
        if measure(first[:end] + ELLIPSIS) <= width:
            return first[:end] + ELLIPSIS
    return ELLIPSIS


def fit(
    text: str, measures: Sequence[tuple[int, Measure]], width: float, max_lines: int
) -> tuple[int, list[str]]:
    """The largest size (of `measures`, largest first) whose lines hold all of `text`; else the
    smallest size, its last line cut with an ellipsis."""
    for size, measure in measures:
        lines, complete = wrap(text, measure, width, max_lines)
        if complete:
            return size, lines
    return size, lines
