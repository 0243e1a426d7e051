"""The processors a Markdown body can need, told by a scan of its text, and Python-Markdown's
registries without the others.

Python-Markdown tests every block against every block processor and runs every tree
processor over the whole tree, for each document. Most of them act only on syntax a news
article seldom holds: a table needs `|`, a footnote `[^`, a definition list a line that opens
with `: `. Where the body as written lacks what a processor needs, no text derived from it
(blocks, element texts) holds it either, so the processor would do nothing; `BodyNeeds` drops
it for that body. The output is the same (`tests/unit/test_markup.py` renders random bodies
both ways).

Why a body's text bounds what the processors see: block and element texts are pieces of it,
with quote markers, list markers and indentation removed from line starts, plus placeholders
made of STX, ETX, digits and letters. So a rule is either "this string is absent from the body"
or "no line of the body holds this after such a prefix"; the second kind also needs a body
without raw HTML (`<`: `markdown="1"` blocks start new blocks mid-line). Bodies with STX, ETX
or CR (which Python-Markdown removes or turns into line ends first) are not trimmed, nor is any
body when third-party extensions are loaded (their processors may add text).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from markdown import Markdown
from markdown.util import Registry

# What may open a line before its text: indentation, quote markers, list markers.
_PREFIX = r"[ \t>*+\d.)-]*"
# A line that can hold a definition (`: text`) after its containers' markers.
_DEFINITION = re.compile(_PREFIX + r":[ \t]")
_DEFINITION_LINE = re.compile(r"\n" + _PREFIX + r":[ \t]")
# Three of `-`, `_` or `*` with only blanks between them: what a rule (`---`) needs. (Each
# expression opens with a literal, which `re` finds fast; a class it tries at every position.)
_RULES = [re.compile(rf"{c}[ \t]*{c}[ \t]*{c}") for c in (r"-", r"_", r"\*")]
# A line of `=` or `-` after another line (and quote markers): what a setext heading's
# underline needs. A list marker never precedes one: an item's text starts a block, and the
# underline needs a line before it in its block.
_UNDERLINE = re.compile(r"\n[ \t>]*[=-]+[ \t]*(?:\n|$)")
_UNTRIMMED = ("\x02", "\x03", "\r")

Test = Callable[[str], bool]  # whether a body lacks what a processor needs


def _lacks(needed: str, *others: str) -> Test:
    if not others:
        return lambda text: needed not in text
    return lambda text: needed not in text and not any(n in text for n in others)


def _no_definitions(text: str) -> bool:
    return "<" not in text and not (_DEFINITION.match(text) or _DEFINITION_LINE.search(text))


def _lacks_lines(*patterns: re.Pattern[str]) -> Test:
    return lambda text: "<" not in text and not any(p.search(text) for p in patterns)


_NO_FOOTNOTES = _lacks("[^")

# (registry, processor name, its class's name): dropped for a body its test holds for.
RULES: tuple[tuple[str, str, str, Test], ...] = (
    ("pre", "fenced_code_block", "FencedBlockPreprocessor", _lacks("```", "~~~")),
    ("block", "table", "TableProcessor", _lacks("|")),
    ("block", "footnote", "FootnoteBlockProcessor", _NO_FOOTNOTES),
    ("block", "abbr", "AbbrBlockprocessor", _lacks("*[")),
    ("block", "reference", "ReferenceProcessor", _lacks("]:")),
    ("block", "deflist", "DefListProcessor", _no_definitions),
    # Differs from `indent` only under `dd` and `dl`, made by `deflist` (or raw HTML)
    ("block", "defindent", "DefListIndentProcessor", _no_definitions),
    ("block", "hr", "HRProcessor", _lacks_lines(*_RULES)),
    ("block", "setextheader", "SetextHeaderProcessor", _lacks_lines(_UNDERLINE)),
    ("tree", "attr_list", "AttrListTreeprocessor", _lacks("{")),
    ("tree", "unescape", "UnescapeTreeprocessor", _lacks("\\")),  # only escapes make its marks
    ("tree", "footnote", "FootnoteTreeprocessor", _NO_FOOTNOTES),
    ("tree", "footnote-duplicate", "FootnotePostTreeprocessor", _NO_FOOTNOTES),
    ("tree", "footnote-reorder", "FootnoteReorderingProcessor", _NO_FOOTNOTES),
    ("post", "footnote", "FootnotePostprocessor", _NO_FOOTNOTES),
)


class FixedRegistry(Registry[Any]):
    """A `Registry` that lists its items once rather than on every iteration (the block
    parser iterates its processors for every block)."""

    def __init__(self, source: Registry[Any], without: frozenset[str] = frozenset()) -> None:
        super().__init__()
        for item in source._priority:
            if item.name not in without:
                self.register(source[item.name], item.name, item.priority)
        self._items: list[object] | None = None

    def __iter__(self) -> Iterator[object]:
        if self._items is None:
            self._items = list(super().__iter__())
        return iter(self._items)

    def register(self, item: object, name: str, priority: float) -> None:
        self._items = None
        super().register(item, name, priority)

    def deregister(self, name: str, strict: bool = True) -> None:
        self._items = None
        super().deregister(name, strict)


class BodyNeeds:
    """Puts into a Markdown instance, for each body, its registries without the processors
    that body cannot need (`use`). Build it once the instance is complete. With `trim` false
    (third-party extensions) it leaves the instance alone."""

    def __init__(self, md: Markdown, trim: bool = True) -> None:
        self.md = md
        self.full = {
            "pre": md.preprocessors,
            "block": md.parser.blockprocessors,
            "tree": md.treeprocessors,
            "post": md.postprocessors,
        }
        # each test once, with the processors it drops: only stock ones, under their usual names
        dropped_by: dict[Test, list[tuple[str, str]]] = {}
        for kind, name, cls, test in RULES:
            if trim and name in self.full[kind] and type(self.full[kind][name]).__name__ == cls:
                dropped_by.setdefault(test, []).append((kind, name))
        self.tests = tuple(dropped_by)
        self.drops = tuple(dropped_by.values())
        self.variants: dict[tuple[bool, ...], dict[str, FixedRegistry]] = {}

    def use(self, text: str) -> None:
        """Set the registries for `text` (the body about to be converted)."""
        if not self.tests:
            return
        if any(character in text for character in _UNTRIMMED):
            key = (False,) * len(self.tests)
        else:
            key = tuple(test(text) for test in self.tests)
        registries = self.variants.get(key)
        if registries is None:
            registries = self.variants[key] = self._registries(key)
        md = self.md
        md.preprocessors = registries["pre"]
        md.parser.blockprocessors = registries["block"]
        md.treeprocessors = registries["tree"]
        md.postprocessors = registries["post"]

    def _registries(self, key: tuple[bool, ...]) -> dict[str, FixedRegistry]:
        dropped = [
            item for holds, drops in zip(key, self.drops, strict=True) if holds for item in drops
        ]
        return {
            kind: FixedRegistry(registry, frozenset(n for k, n in dropped if k == kind))
            for kind, registry in self.full.items()
        }
