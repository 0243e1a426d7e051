"""A small CSS reader for the RTL lint: rules with their selectors and declarations (with
lines), physical properties where a logical one is meant, and classes a theme mirrors."""

from __future__ import annotations

import re
from dataclasses import dataclass

# The inline side a physical side is in each writing direction.
_INLINE_SIDE = {"ltr": {"left": "start", "right": "end"}, "rtl": {"left": "end", "right": "start"}}


def _logical_properties(direction: str) -> dict[str, str]:
    """Physical property → its logical replacement in a stylesheet written for `direction`."""
    side = _INLINE_SIDE[direction]
    return {
        **{
            f"{box}-{s}": f"{box}-inline-{side[s]}"
            for box in ("margin", "padding", "border")
            for s in side
        },
        **{
            f"border-{s}-{part}": f"border-inline-{side[s]}-{part}"
            for part in ("width", "style", "color")
            for s in side
        },
        **{s: f"inset-inline-{side[s]}" for s in side},
        **{
            f"border-{block}-{s}-radius": f"border-{start}-{side[s]}-radius"
            for block, start in (("top", "start"), ("bottom", "end"))
            for s in side
        },
    }


def _logical_values(direction: str) -> dict[str, dict[str, str]]:
    """Property → its `left`/`right` values' logical counterparts for `direction`."""
    side = _INLINE_SIDE[direction]
    return {
        "float": {s: f"inline-{side[s]}" for s in side},
        "clear": {s: f"inline-{side[s]}" for s in side},
        "text-align": dict(side),
    }


LOGICAL_PROPERTIES = {d: _logical_properties(d) for d in _INLINE_SIDE}
LOGICAL_VALUES = {d: _logical_values(d) for d in _INLINE_SIDE}
_MIRROR = re.compile(r"scalex\(\s*-1|scale\(\s*-1|rotatey\(\s*180deg|rotate\(\s*180deg", re.I)
_DIRECTION_SCOPE = re.compile(r":dir\(|\[dir\b", re.I)
_COMMENT = re.compile(r"/\*.*?\*/", re.S)


@dataclass(frozen=True)
class Declaration:
    name: str
    value: str
    line: int


@dataclass(frozen=True)
class Rule:
    """A style rule; `scope` is its selector after those of the rules it is nested in."""

    scope: tuple[str, ...]
    declarations: tuple[Declaration, ...]

    @property
    def direction_scoped(self) -> bool:
        """Whether the rule applies in one direction only (`:dir()`, `[dir]`)."""
        return any(_DIRECTION_SCOPE.search(selector) for selector in self.scope)


def _blank_comments(text: str) -> str:
    """Comments replaced by spaces, keeping line breaks so lines stay right."""
    return _COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)


def parse_rules(text: str) -> list[Rule]:
    """Style rules, nested ones (inside @media, @supports) included."""
    text = _blank_comments(text)
    rules: list[Rule] = []
    stack: list[tuple[str, list[Declaration]]] = []
    start = 0
    for index, char in enumerate(text):
        if char == "{":
            stack.append((text[start:index].strip(), []))
            start = index + 1
        elif char in ";}":
            piece = text[start:index]
            if stack and ":" in piece and not stack[-1][0].startswith("@"):
                name, _, value = piece.partition(":")
                line = text.count("\n", 0, start + len(piece) - len(piece.lstrip())) + 1
                stack[-1][1].append(Declaration(name.strip().lower(), value.strip(), line))
            if char == "}" and stack:
                selector, declarations = stack.pop()
                if not selector.startswith("@"):
                    scope = tuple(s for s, _ in stack if not s.startswith("@"))
                    rules.append(Rule((*scope, selector), tuple(declarations)))
            start = index + 1
    return rules


def declaration_problems(
    declarations: tuple[Declaration, ...], direction: str
) -> list[tuple[int, str]]:
    """(line, message) for physical properties and values, each with the logical one that
    keeps the layout of a page in `direction` (`margin-left` is the inline end in rtl); a
    left/right pair with equal values is symmetric and fine."""
    logical_properties, logical_values = LOGICAL_PROPERTIES[direction], LOGICAL_VALUES[direction]
    values = {d.name: d.value for d in declarations}
    problems = []
    for d in declarations:
        if d.name in logical_properties:
            twin = d.name.replace("left", "\0").replace("right", "left").replace("\0", "right")
            if values.get(twin) == d.value:
                continue
            problems.append((d.line, f"'{d.name}' is physical; use '{logical_properties[d.name]}'"))
        elif d.value.lower() in logical_values.get(d.name, {}):
            logical = logical_values[d.name][d.value.lower()]
            problems.append(
                (d.line, f"'{d.name}: {d.value}' is physical; use '{d.name}: {logical}'")
            )
        elif d.name in ("margin", "padding") and _asymmetric(d.value):
            problems.append(
                (d.line, f"'{d.name}: {d.value}' sets left and right apart; use '{d.name}-inline'")
            )
    return problems


def _asymmetric(value: str) -> bool:
    parts = value.replace("!important", "").split()
    return len(parts) == 4 and parts[1] != parts[3]


def lint_css(text: str, direction: str) -> list[tuple[int, str]]:
    """Physical properties in rules that are not scoped to one direction (nor nested in such
    a rule), with the logical replacements for a site written in `direction`."""
    problems: list[tuple[int, str]] = []
    for rule in parse_rules(text):
        if not rule.direction_scoped:
            problems.extend(declaration_problems(rule.declarations, direction))
    return problems


def mirrored_classes(text: str) -> set[str]:
    """Classes flipped for one direction, e.g. `.arrow:dir(ltr) { transform: scaleX(-1) }`."""
    found: set[str] = set()
    for rule in parse_rules(text):
        flips = any(d.name == "transform" and _MIRROR.search(d.value) for d in rule.declarations)
        if flips and rule.direction_scoped:
            found.update(c for selector in rule.scope for c in re.findall(r"\.([\w-]+)", selector))
    return found
