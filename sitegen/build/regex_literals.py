"""What text a regular expression needs before it can match: the literal strings one of which
every match contains, read from the expression's syntax tree. Pure.

Python-Markdown tests every block and every text against dozens of expressions, most of which
start with an alternation or a lookbehind (`(?:^|\\n)#`, `(?<!\\!)\\[`) that Python's `re`
tries at every position of the text, tens of microseconds each for a news paragraph. Whether
`#` or `[` occurs at all is a scan in C that costs a fraction of that. `required_literals`
finds such strings for an expression (or says it cannot), and `LiteralGuard` answers "no
match" for `search` and `match` when none of them occurs, without running the expression:
the same answer the expression would give, since each of its matches contains one of them.
"""

from __future__ import annotations

import re
from re import _constants as sre  # the syntax tree of `re`, read only
from re import _parser as sre_parse
from typing import Any

# A character class of up to this many single characters is a requirement (one of them);
# larger classes, ranges and categories are not.
MAX_CLASS = 8
# A character repeated at least n times is required n times over, up to this many.
MAX_REPEATED = 8
_ZERO_WIDTH = (sre.AT, sre.ASSERT_NOT)
_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT)

Literals = frozenset[str]


def required_literals(pattern: re.Pattern[str]) -> Literals | None:
    """Strings one of which every match of `pattern` contains, or None when no such set is
    known (case-insensitive expressions, bytes, back references, classes of many characters,
    expressions that may match the empty string)."""
    if not isinstance(pattern.pattern, str):
        return None
    try:
        tree = sre_parse.parse(pattern.pattern, pattern.flags)
    except (re.error, RecursionError, ValueError):  # pragma: no cover - it compiled once
        return None
    if tree.state.flags & re.IGNORECASE:
        return None
    return _sequence(list(tree))


def _sequence(items: list[tuple[Any, Any]]) -> Literals | None:
    """The most selective requirement among the items a match of this sequence consumes."""
    candidates: list[Literals] = []
    run = ""
    for op, arg in items:
        if op is sre.LITERAL:
            run += chr(arg)
            continue
        if op in _ZERO_WIDTH:
            continue  # a lookahead or anchor between two literals keeps them adjacent
        if run:
            candidates.append(frozenset([run]))
            run = ""
        found = _item(op, arg)
        if found:
            candidates.append(found)
    if run:
        candidates.append(frozenset([run]))
    if not candidates:
        return None
    return max(candidates, key=_selectivity)


def _selectivity(found: Literals) -> tuple[int, bool, int]:
    """Longer strings are rarer in text; white space is the commonest character."""
    return min(map(len, found)), not any(literal.isspace() for literal in found), -len(found)


def _item(op: Any, arg: Any) -> Literals | None:
    if op is sre.IN:
        if len(arg) > MAX_CLASS or any(kind is not sre.LITERAL for kind, _ in arg):
            return None
        return frozenset(chr(code) for _, code in arg)
    if op is sre.SUBPATTERN:
        _group, add_flags, _del_flags, items = arg
        return None if add_flags & re.IGNORECASE else _sequence(list(items))
    if op is sre.ATOMIC_GROUP:
        return _sequence(list(arg))
    if op is sre.ASSERT:  # a lookahead or lookbehind that must match looks at the text too
        return _sequence(list(arg[1]))
    if op is sre.BRANCH:
        branches = [_sequence(list(items)) for items in arg[1]]
        if any(found is None for found in branches):
            return None
        return frozenset().union(*branches)  # type: ignore[arg-type]
    if op in _REPEATS:
        low, _high, items = arg
        if low >= 1 and len(items) == 1 and items[0][0] is sre.LITERAL:  # `{3,}`: "```"
            return frozenset([chr(items[0][1]) * min(low, MAX_REPEATED)])
        return _sequence(list(items)) if low >= 1 else None
    return None  # any character, categories, back references, conditionals


class LiteralGuard:
    """A compiled expression whose `search` and `match` return None, and whose `sub` returns
    the text, at once when the text holds none of its required literals; everything else is
    the expression's own."""

    def __init__(self, pattern: re.Pattern[str], literals: Literals) -> None:
        self.pattern_object = pattern
        self.literals = tuple(literals)

    def search(self, string: str, *args: int) -> re.Match[str] | None:
        """`re.Pattern.search`, None without running it when no required literal occurs."""
        for literal in self.literals:
            if literal in string:
                return self.pattern_object.search(string, *args)
        return None

    def match(self, string: str, *args: int) -> re.Match[str] | None:
        """`re.Pattern.match`, None without running it when no required literal occurs."""
        for literal in self.literals:
            if literal in string:
                return self.pattern_object.match(string, *args)
        return None

    def sub(self, repl: Any, string: str, count: int = 0) -> str:
        """`re.Pattern.sub`, `string` itself without running it when no required literal
        occurs."""
        for literal in self.literals:
            if literal in string:
                return self.pattern_object.sub(repl, string, count)
        return string

    def __getattr__(self, name: str) -> Any:
        return getattr(self.pattern_object, name)


def guarded(pattern: Any) -> Any:
    """`pattern` behind a `LiteralGuard` when it is a compiled expression with required
    literals; anything else unchanged."""
    if not isinstance(pattern, re.Pattern):
        return pattern
    literals = required_literals(pattern)
    return pattern if literals is None else LiteralGuard(pattern, literals)
