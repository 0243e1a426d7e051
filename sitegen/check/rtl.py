"""The RTL lint: `lang`/`dir` on every page, `<pre dir="ltr">`, physical CSS where a logical
property is meant (theme, site and inline styles), and arrows or arrow icons in templates
that do not mirror with the text direction."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping

from sitegen.build.routes import Routes
from sitegen.build.theme import Theme
from sitegen.check.css import Declaration, declaration_problems, lint_css
from sitegen.check.html_scan import PageScan
from sitegen.check.locate import Locator
from sitegen.core.diagnostics import Diagnostic, error, warning

_ICON_NAME = re.compile(
    r"\b(?:(?:arrow|chevron|caret|angle)[-_](?:left|right)|(?:left|right)[-_](?:arrow|chevron|caret|angle))\b",
    re.I,
)
_CLASS = re.compile(r"""class\s*=\s*["']([^"']*)["']""")
_MIRROR_HINT = "flip it with a :dir() rule (transform: scaleX(-1)) on its class, or use ‹ ›"


def is_directional(char: str) -> bool:
    """An arrow or pointer facing left or right that bidi does not mirror (→ ← ▶ ◀)."""
    if char.isascii() or unicodedata.mirrored(char):
        return False
    name = unicodedata.name(char, "")
    sided = ("LEFT" in name or "RIGHT" in name) and "LEFT RIGHT" not in name
    return sided and any(w in name for w in ("ARROW", "POINTING", "TRIANGLE", "HARPOON"))


def check_pages(
    pages: Mapping[str, PageScan], locator: Locator, direction: str
) -> list[Diagnostic]:
    """`<html lang dir>` on every page, `dir="ltr"` on `<pre>`, physical inline styles (with
    the logical replacements for the page's `dir`, else the site's `direction`; not in
    emails, which need them)."""
    found: list[Diagnostic] = []
    for output_file, scan in pages.items():
        attributes = scan.html_attributes
        page_dir = (attributes or {}).get("dir", "").lower()
        page_dir = page_dir if page_dir in ("ltr", "rtl") else direction
        if attributes is None:
            found.append(error(*locator.locate(output_file, 1), "page has no <html> element"))
        else:
            missing = [name for name in ("lang", "dir") if not attributes.get(name)]
            if missing:
                where = locator.locate(output_file, 1)
                found.append(error(*where, f"<html> has no {' and no '.join(missing)}"))
        for line in scan.pre_without_ltr:
            where = locator.locate(output_file, line, ("<pre",))
            found.append(
                warning(*where, '<pre> without dir="ltr": code reads backwards in RTL pages')
            )
        if Routes.is_day_email(output_file):
            continue  # emails use physical sides: mail clients know no logical properties
        for style, line in scan.styles:
            declarations = tuple(
                Declaration(name.strip().lower(), value.strip(), line)
                for name, _, value in (part.partition(":") for part in style.split(";"))
                if value.strip()
            )
            for _, message in declaration_problems(declarations, page_dir):
                found.append(warning(*locator.locate(output_file, line, (style,)), message))
    return found


def check_css(
    stylesheets: Mapping[str, str], origins: Mapping[str, tuple[str, int | None]], direction: str
) -> list[Diagnostic]:
    """Physical properties in the site's stylesheets, at the stylesheet's source line, with
    the logical replacements for a site written in `direction`."""
    found: list[Diagnostic] = []
    for output_file, text in stylesheets.items():
        source = origins.get(output_file, (output_file, None))[0]
        problems = lint_css(text, direction)
        found.extend(warning(source, line, message) for line, message in problems)
    return found


def check_arrows(theme: Theme, mirrored: Iterable[str]) -> list[Diagnostic]:
    """Arrow characters and arrow icons in templates, unless their element's class is one
    the theme's CSS flips for a direction."""
    flipped = set(mirrored)
    found: list[Diagnostic] = []
    for layer in theme.layers:
        for source, shown in layer.templates.values():
            for number, line in enumerate(source.splitlines(), start=1):
                classes = {c for value in _CLASS.findall(line) for c in value.split()}
                if classes & flipped:
                    continue
                arrow = next((ch for ch in line if is_directional(ch)), None)
                if arrow:
                    message = f"arrow {arrow} (U+{ord(arrow):04X}) does not mirror in RTL"
                    found.append(warning(shown, number, message, _MIRROR_HINT))
                icon = _ICON_NAME.search(line)
                if icon and icon.group().lower() not in flipped:
                    message = f"icon '{icon.group()}' points one way in both directions"
                    found.append(warning(shown, number, message, _MIRROR_HINT))
    return found
