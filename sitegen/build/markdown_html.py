"""Markdown → HTML: Python-Markdown with news-friendly extensions, then sanitised with nh3.

Sanitising (unless `markdown.unsafe_html: true`) keeps the news-article subset of HTML in
`ALLOWED_TAGS`/`ALLOWED_ATTRIBUTES`: text semantics, figures and captions, tables, images,
`dir`/`lang`, links with http(s)/mailto/tel or relative URLs. It drops scripts, styles, event
handlers, forms, frames, SVG/MathML and unsafe URLs, and removes the bidi embedding, override
and isolate characters that could reorder the text around them (Trojan Source).

Python-Markdown's inline parser is quadratic in brackets it cannot close; `scan_cost` refuses
a block that would take seconds to render before Python-Markdown sees it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

import markdown
import nh3

from sitegen.core.config import MarkdownConfig
from sitegen.core.text import slugify, strip_bidi_controls

DEFAULT_EXTENSIONS = ("extra", "sane_lists", "toc")

# What article bodies may contain once sanitised (unless markdown.unsafe_html is true).
ALLOWED_TAGS = frozenset(
    [
        "a",
        "abbr",
        "b",
        "bdi",
        "bdo",
        "blockquote",
        "br",
        "caption",
        "cite",
        "code",
        "col",
        "colgroup",
        "dd",
        "del",
        "details",
        "div",
        "dl",
        "dt",
        "em",
        "figcaption",
        "figure",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "img",
        "ins",
        "kbd",
        "li",
        "mark",
        "ol",
        "p",
        "picture",
        "pre",
        "q",
        "s",
        "samp",
        "section",
        "small",
        "source",
        "span",
        "strong",
        "sub",
        "summary",
        "sup",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "time",
        "tr",
        "u",
        "ul",
        "var",
        "wbr",
    ]
)
ALLOWED_ATTRIBUTES = {
    "*": {"dir", "lang", "title", "id", "class"},
    "a": {"href", "rel", "hreflang"},
    "img": {"src", "alt", "width", "height", "loading", "decoding", "srcset", "sizes"},
    "source": {"srcset", "sizes", "media", "type", "width", "height"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "del": {"cite", "datetime"},
    "ins": {"cite", "datetime"},
    "time": {"datetime"},
    "ol": {"start", "reversed", "type"},
    "li": {"value"},
    "td": {"colspan", "rowspan", "style"},
    "th": {"colspan", "rowspan", "scope", "style"},
    "col": {"span"},
    "colgroup": {"span"},
}
# Only table cell alignment (Markdown tables write `style="text-align: …"`) survives in style.
STYLE_PROPERTIES = frozenset({"text-align"})
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})

# Unclosed `[`, `](` and `<` make Python-Markdown rescan the rest of their block: about a
# million scanned characters per second. Beyond this many, a block is refused.
MAX_SCAN_COST = 4_000_000
_OPENERS = re.compile(r"\\.|\]\(|<(?=[A-Za-z/!?])|[\[\]>)]", re.S)
_BLOCKS = re.compile(r"\n[ \t]*\n")
_FENCED_CODE = re.compile(r"^(`{3,}|~{3,})[^\n]*\n.*?^\1[ \t]*$", re.M | re.S)

_CLEANER = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
    url_schemes=set(URL_SCHEMES),
    filter_style_properties=set(STYLE_PROPERTIES),
    link_rel=None,
    strip_comments=True,
)


class MarkupTooComplex(Exception):
    """A Markdown body Python-Markdown cannot render in reasonable time or depth."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


_HEADING_TEXT = re.compile(r"<[^>]+>")
_PRE_WITHOUT_DIR = re.compile(r"<pre(?![^>]*\sdir=)(?=[\s>])")


def heading_id(value: str, separator: str) -> str:
    """Heading ids that keep Arabic words (`## روسيا تدخل` → `روسيا-تدخل`)."""
    return slugify(_HEADING_TEXT.sub("", value)) or "section"


@dataclass
class MarkdownRenderer:
    """One reusable Python-Markdown instance (reset between documents)."""

    config: MarkdownConfig

    @cached_property
    def _md(self) -> markdown.Markdown:
        return markdown.Markdown(
            extensions=[*DEFAULT_EXTENSIONS, *self.config.extensions],
            extension_configs={"toc": {"slugify": heading_id}},
            output_format="html",
        )

    def render(self, text: str) -> str:
        """Render one document's Markdown body to (sanitised) HTML. Code blocks are marked
        `dir="ltr"`: code reads left to right even on a right-to-left page.

        Raises `MarkupTooComplex` (with the body line) for a body that would take too long
        or nests too deeply.
        """
        check_scan_cost(text)
        md = self._md
        md.reset()
        try:
            html = md.convert(text)
        except RecursionError:
            md.reset()
            raise MarkupTooComplex(1, "Markdown nested too deeply (lists or quotes)") from None
        if not self.config.unsafe_html:
            html = sanitize(html)
        return _PRE_WITHOUT_DIR.sub('<pre dir="ltr"', html)


def sanitize(html: str) -> str:
    """Keep the allowed tags, attributes and URL schemes; drop bidi override characters and
    U+FEFF (a BOM, meaningless inside a body). Both before cleaning, which would drop a leading
    BOM only, and after, as character references decode."""
    return _scrub(_CLEANER.clean(_scrub(html)))


def _scrub(html: str) -> str:
    return strip_bidi_controls(html).replace("\ufeff", "")


def check_scan_cost(text: str) -> None:
    """Raise `MarkupTooComplex` for the first block (text between blank lines) whose unclosed
    `[`, `](` and `<` would make Python-Markdown scan more than `MAX_SCAN_COST` characters.
    Fenced code blocks are not scanned by Python-Markdown's inline parser, so not counted."""
    text = _FENCED_CODE.sub(lambda m: "\n" * m.group().count("\n"), text)
    start = 0
    for end in [m.start() for m in _BLOCKS.finditer(text)] + [len(text)]:
        block = text[start:end]
        cost, count = _block_cost(block)
        if cost > MAX_SCAN_COST:
            first = start + len(block) - len(block.lstrip())
            raise MarkupTooComplex(
                text.count("\n", 0, first) + 1,
                f"this block would take too long to render: {count} '[', '](' or '<' "
                f"without a closing ']', ')' or '>' in {len(block.strip())} characters; escape them "
                "(\\[ \\<) or split the block with blank lines",
            )
        start = end


def _block_cost(block: str) -> tuple[int, int]:
    """(characters Python-Markdown rescans, unclosed openers) for one block."""
    brackets: list[int] = []
    parens: list[int] = []
    angles: list[int] = []
    cost = 0
    for match in _OPENERS.finditer(block):
        token, at = match.group(), match.start()
        if token in ("[", "]("):
            (brackets if token == "[" else parens).append(at)
            if token == "](" and brackets:
                cost += at - brackets.pop()
        elif token == "]" and brackets:
            cost += at - brackets.pop()
        elif token == ")" and parens:
            cost += at - parens.pop()
        elif token == "<":
            angles.append(at)
        elif token == ">":
            cost += sum(at - opened for opened in angles)
            angles.clear()
    unclosed = brackets + parens + angles
    cost += sum(len(block) - opened for opened in unclosed)
    return cost, len(unclosed)


def check_extensions(config: MarkdownConfig) -> list[str]:
    """Names in `markdown.extensions` that Python-Markdown cannot load."""
    bad = []
    for name in config.extensions:
        try:
            markdown.Markdown(extensions=[name])
        except Exception:  # any import or config failure of a third-party extension
            bad.append(name)
    return bad
