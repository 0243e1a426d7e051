"""Markdown → HTML: Python-Markdown with news-friendly extensions, then sanitised with nh3."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

import markdown
import nh3

from sitegen.config import MarkdownConfig
from sitegen.text import slugify

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
        "pre",
        "q",
        "s",
        "samp",
        "section",
        "small",
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
    ]
)
ALLOWED_ATTRIBUTES = {
    "*": {"dir", "lang", "title", "id", "class"},
    "a": {"href", "rel"},
    "img": {"src", "alt", "width", "height", "loading", "srcset", "sizes"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "time": {"datetime"},
    "ol": {"start", "reversed"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "col": {"span"},
    "colgroup": {"span"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})

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
        `dir="ltr"`: code reads left to right even on a right-to-left page."""
        md = self._md
        md.reset()
        html = md.convert(text)
        if not self.config.unsafe_html:
            html = sanitize(html)
        return _PRE_WITHOUT_DIR.sub('<pre dir="ltr"', html)


def sanitize(html: str) -> str:
    """Drop scripts, event handlers, unsafe URLs and unknown tags; keep `dir`/`lang`."""
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel=None,
        strip_comments=True,
    )


def check_extensions(config: MarkdownConfig) -> list[str]:
    """Names in `markdown.extensions` that Python-Markdown cannot load."""
    bad = []
    for name in config.extensions:
        try:
            markdown.Markdown(extensions=[name])
        except Exception:  # any import or config failure of a third-party extension
            bad.append(name)
    return bad
