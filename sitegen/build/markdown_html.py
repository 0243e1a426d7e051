"""Markdown → HTML: Python-Markdown with news-friendly extensions, then sanitised with nh3.

Sanitising (unless `markdown.unsafe_html: true`) keeps the news-article subset of HTML in
`ALLOWED_TAGS`/`ALLOWED_ATTRIBUTES`: text semantics, figures and captions, tables, images,
`dir`/`lang`, links with http(s)/mailto/tel or relative URLs. It drops scripts, styles, event
handlers, forms, frames, SVG/MathML and unsafe URLs, and removes the bidi embedding, override
and isolate characters that could reorder the text around them (Trojan Source).

Before Python-Markdown sees a body, linear scans refuse what would take it (or nh3) seconds
to render: blocks with thousands of brackets it cannot close (its inline parser is quadratic in
them), quotes and lists nested deeper than `limits.max_nesting`, and raw HTML elements nested
deeper than `MAX_HTML_DEPTH`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from itertools import islice

import markdown
import nh3

from sitegen.build.markdown_ext import (
    BodyExtension,
    ShownTocExtension,
    ensure_id_prefix,
    guard_processors,
    prefix_fragment,
)
from sitegen.build.markdown_needs import BodyNeeds
from sitegen.build.regex_literals import guarded
from sitegen.core.config_sections import MarkdownConfig
from sitegen.core.text import BIDI_CONTROLS, slugify, strip_bidi_controls
from sitegen.core.yamlload import DEFAULT_MAX_NESTING

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
# Only table cell alignment (Markdown tables write `style="text-align: start|end|center"`)
# survives in style.
STYLE_PROPERTIES = frozenset({"text-align"})
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})

# Unclosed `[`, `](` and `<` make Python-Markdown rescan the rest of their block: about a
# million scanned characters per second. Beyond this many, a block is refused.
MAX_SCAN_COST = 4_000_000
_OPENERS = re.compile(r"\\.|\]\(|<(?=[A-Za-z/!?])|[\[\]>)]", re.S)
_BLOCKS = re.compile(r"\n[ \t]*\n")
_FENCED_CODE = guarded(re.compile(r"^(`{3,}|~{3,})[^\n]*\n.*?^\1[ \t]*$", re.M | re.S))

# A line's containers: quote markers, list markers and the white space around them.
_CONTAINERS = re.compile(r"(?:[ \t]|>|(?:[-*+]|\d{1,9}[.)])(?=[ \t]|$))*")
_LIST_MARKER = re.compile(r"[-*+]|\d+[.)]")
# Only a line that starts with one of these can open a quote or a list (`_line_depth`).
# (Found after a line end: "\n" then a class is searched for in C; "^" is tried at each position.)
_CONTAINER_LINE = re.compile(r"\n[ \t>*+0-9-]")
_RULE = re.compile(r"([-*_])(?:[ \t]*\1){2,}[ \t]*$")

# html5ever (in nh3) is quadratic in how deeply elements nest: 40,000 unclosed <div> take 4 s.
MAX_HTML_DEPTH = 100
_HTML_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)(?=[\s/>])[^<>]*>")
# Void elements hold nothing; elements a parser closes by itself (a new <p> or <li> ends the
# previous one) nest only inside other elements, which are counted.
_UNNESTED = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "keygen",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
        "p",
        "li",
        "dt",
        "dd",
        "tr",
        "td",
        "th",
        "thead",
        "tbody",
        "tfoot",
        "caption",
        "colgroup",
        "option",
        "optgroup",
        "rb",
        "rt",
        "rtc",
        "rp",
        "html",
        "head",
        "body",
    ]
)
# Formatting elements stay open across the blocks that contain them (the parser reopens them
# in every following block), so only their own end tag closes them.
_FORMATTING = frozenset(
    [
        "a",
        "b",
        "big",
        "code",
        "em",
        "font",
        "i",
        "nobr",
        "s",
        "small",
        "strike",
        "strong",
        "tt",
        "u",
    ]
)

_CLEANER = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
    url_schemes=set(URL_SCHEMES),
    filter_style_properties=set(STYLE_PROPERTIES),
    attribute_filter=lambda _tag, name, value: _prefix_ids(name, value),
    link_rel=None,
    strip_comments=True,
)


def _prefix_ids(attribute: str, value: str) -> str:
    """Ids of raw HTML get the body prefix, and links to them too (see `markdown_ext`)."""
    if attribute == "id":
        return ensure_id_prefix(value)
    return prefix_fragment(value) if attribute == "href" else value


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
    max_nesting: int = DEFAULT_MAX_NESTING

    @cached_property
    def _md(self) -> markdown.Markdown:
        toc = ShownTocExtension(slugify=heading_id)
        md = markdown.Markdown(
            extensions=[
                *(toc if name == "toc" else name for name in DEFAULT_EXTENSIONS),
                BodyExtension(),
                *self.config.extensions,
            ],
            output_format="html",
        )
        guard_processors(md)
        return md

    @cached_property
    def _needs(self) -> BodyNeeds:
        return BodyNeeds(self._md, trim=not self.config.extensions)

    def render(self, text: str) -> str:
        """Render one document's Markdown body to (sanitised) HTML. Code blocks are marked
        `dir="ltr"`: code reads left to right even on a right-to-left page.

        Raises `MarkupTooComplex` (with the body line) for a body that would take too long
        or nests too deeply.
        """
        check_complexity(text, self.max_nesting)
        md = self._md
        md.reset()
        self._needs.use(text)
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


_SCRUBBED = BIDI_CONTROLS + "\ufeff"


def _scrub(html: str) -> str:
    if not any(character in html for character in _SCRUBBED):  # most bodies: a scan each
        return html
    return strip_bidi_controls(html).replace("\ufeff", "")


def check_complexity(text: str, max_nesting: int = DEFAULT_MAX_NESTING) -> None:
    """Raise `MarkupTooComplex` for a body too costly to render (see the module docstring).
    Fenced code blocks are text to Python-Markdown and nh3, so they are not scanned."""
    text = _FENCED_CODE.sub(lambda m: "\n" * m.group().count("\n"), text)
    check_nesting(text, max_nesting)
    check_html_nesting(text)
    check_scan_cost(text)


def check_nesting(text: str, max_nesting: int) -> None:
    """Raise `MarkupTooComplex` at the first line whose quotes and lists nest deeper than
    `max_nesting` (Python-Markdown recurses once per level, and slowly)."""
    for start in _CONTAINER_LINE.finditer("\n" + text):  # other lines are 0 deep
        at = start.start()  # in `text`: the line end found is one character before it
        line = text[at : text.find("\n", at) % (len(text) + 1)]
        if _line_depth(line) > max_nesting:
            raise MarkupTooComplex(
                text.count("\n", 0, at) + 1,
                f"quotes and lists nested deeper than {max_nesting} levels (limits.max_nesting)",
            )


def _line_depth(line: str) -> int:
    """How many quotes and lists a line opens or continues: its `>` and list markers, plus a
    level per four columns of indentation. Lines without a marker are 0: they sit in the
    containers of the lines before them (or are code)."""
    unquoted = line.lstrip(" \t>")
    if _RULE.match(unquoted):  # `* * *` is a rule, not three list markers
        prefix = line[: len(line) - len(unquoted)]
    else:
        prefix = _CONTAINERS.match(line).group()  # type: ignore[union-attr]  # always matches
    quotes = prefix.count(">")
    markers = len(_LIST_MARKER.findall(prefix))
    if not quotes and not markers:
        return 0
    columns = prefix.count(" ") + 4 * prefix.count("\t") - quotes - markers
    return quotes + markers + max(columns, 0) // 4


def check_html_nesting(text: str) -> None:
    """Raise `MarkupTooComplex` at the first raw HTML tag that opens more than
    `MAX_HTML_DEPTH` elements inside each other, counted the way an HTML parser nests them."""
    blocks: list[str] = []
    formatting: list[str] = []
    for index, (closing, tag) in enumerate(_HTML_TAG.findall(text)):
        name = tag.lower()
        if name in _UNNESTED:
            continue
        if not closing:
            (formatting if name in _FORMATTING else blocks).append(name)
            if len(blocks) + len(formatting) > MAX_HTML_DEPTH:
                at = next(islice(_HTML_TAG.finditer(text), index, None)).start()
                raise MarkupTooComplex(
                    text.count("\n", 0, at) + 1,
                    f"HTML elements nested deeper than {MAX_HTML_DEPTH} levels: close the "
                    f"elements you open (<{name}> here)",
                )
        elif name in _FORMATTING:
            if name in formatting:
                del formatting[len(formatting) - 1 - formatting[::-1].index(name)]
        elif name in blocks:
            del blocks[len(blocks) - 1 - blocks[::-1].index(name) :]


def check_scan_cost(text: str) -> None:
    """Raise `MarkupTooComplex` for the first block (text between blank lines) whose unclosed
    `[`, `](` and `<` would make Python-Markdown scan more than `MAX_SCAN_COST` characters."""
    start = 0
    for end in [m.start() for m in _BLOCKS.finditer(text)] + [len(text)]:
        block = text[start:end]
        if "[" not in block and "<" not in block and "](" not in block:  # nothing opens
            start = end
            continue
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
