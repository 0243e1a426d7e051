"""A small CSS reader for the RTL lint: rules with their selectors and declarations (with
lines), physical properties where a logical one is meant, and classes a theme mirrors."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Physical property → its logical replacement.
PHYSICAL_PROPERTIES = {
    **{
        f"{box}-{side}": f"{box}-inline-{end}"
        for box in ("margin", "padding", "border")
        for side, end in (("left", "start"), ("right", "end"))
    },
    **{
        f"border-{side}-{part}": f"border-inline-{end}-{part}"
        for part in ("width", "style", "color")
        for side, end in (("left", "start"), ("right", "end"))
    },
    "left": "inset-inline-start",
    "right": "inset-inline-end",
    "border-top-left-radius": "border-start-start-radius",
    "border-top-right-radius": "border-start-end-radius",
    "border-bottom-left-radius": "border-end-start-radius",
    "border-bottom-right-radius": "border-end-end-radius",
}
# Properties whose `left`/`right` values have logical counterparts.
PHYSICAL_VALUES = {
    "float": {"left": "inline-start", "right": "inline-end"},
    "clear": {"left": "inline-start", "right": "inline-end"},
    "text-align": {"left": "start", "right": "end"},
}
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
    selector: str
    declarations: tuple[Declaration, ...]


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
                    rules.append(Rule(selector, tuple(declarations)))
            start = index + 1
    return rules


def declaration_problems(declarations: tuple[Declaration, ...]) -> list[tuple[int, str]]:
    """(line, message) for physical properties and values; a left/right pair with equal
    values is symmetric and fine."""
    values = {d.name: d.value for d in declarations}
    problems = []
    for d in declarations:
        if d.name in PHYSICAL_PROPERTIES:
            twin = d.name.replace("left", "\0").replace("right", "left").replace("\0", "right")
            if values.get(twin) == d.value:
                continue
            problems.append(
                (d.line, f"'{d.name}' is physical; use '{PHYSICAL_PROPERTIES[d.name]}'")
            )
        elif d.value.lower() in PHYSICAL_VALUES.get(d.name, {}):
            logical = PHYSICAL_VALUES[d.name][d.value.lower()]
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


def lint_css(text: str) -> list[tuple[int, str]]:
    """Physical properties in rules that are not scoped to one direction."""
    problems: list[tuple[int, str]] = []
    for rule in parse_rules(text):
        if not _DIRECTION_SCOPE.search(rule.selector):
            problems.extend(declaration_problems(rule.declarations))
    return problems


def mirrored_classes(text: str) -> set[str]:
    """Classes flipped for one direction, e.g. `.arrow:dir(ltr) { transform: scaleX(-1) }`."""
    found: set[str] = set()
    for rule in parse_rules(text):
        flips = any(d.name == "transform" and _MIRROR.search(d.value) for d in rule.declarations)
        if flips and _DIRECTION_SCOPE.search(rule.selector):
            found.update(re.findall(r"\.([\w-]+)", rule.selector))
    return found
