"""sitegen's Python-Markdown extension: what every article body gets besides the standard
extensions.

- **Bare URLs** (`https://…`, `http://…`, `www.…`) in running text become links; like `<https://…>`
  links they are `dir="ltr"` (the `dir` attribute isolates them, so an address keeps its order
  inside an Arabic sentence) with class `autolink`. Code, raw HTML and existing links are left
  alone; trailing punctuation (`.`, `،`, `؟`, an unbalanced `)` …) stays outside the link.
- **Table alignment** is logical: `---:` gives `text-align: end`, `:---` `text-align: start`,
  so a right-to-left table aligns the way it was written.
- **Plain text is not scanned pattern by pattern.** Python-Markdown tries each inline pattern on
  each text in turn, in Python; a text none of whose patterns' expressions matches (most
  paragraphs of a news article) is left as it is, which is what that loop would do.
- **Expressions are skipped by their literals.** Texts and blocks holding none of the literal
  strings an expression needs (`regex_literals`) are not searched with it: the inline
  shortcut's test searches for all the inline patterns' literals at once, and the processors'
  expressions sit behind a `LiteralGuard` (`guard_processors`).
- **Raw HTML blocks are looked for only in a body holding `<` or `&`.**
- **White space is normalised with fewer passes**: the same text as Python-Markdown's
  `NormalizeWhitespace`, skipping each replacement a text has nothing for and emptying blank
  lines with an expression `re` finds by its leading line end (Python-Markdown's lookbehind is
  tried at every position: 24 µs of a 40 µs article).
- **The table of contents is built only for a body that shows it** (`[TOC]`); headings get
  their ids either way.
- **Ids are prefixed** with `ID_PREFIX` (heading ids from the toc extension, footnotes,
  `{#id}` attributes), and fragment links (`#id`) with them, so an article cannot reuse an id
  of the theme's page (DOM clobbering). `ensure_id_prefix` does the same for raw HTML when
  sanitising.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown import Markdown, treeprocessors, util
from markdown.extensions import Extension
from markdown.extensions.toc import TocExtension, TocTreeprocessor
from markdown.inlinepatterns import AUTOLINK_RE, AutolinkInlineProcessor, InlineProcessor
from markdown.preprocessors import NormalizeWhitespace, Preprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import (
    HTML_PLACEHOLDER_RE,
    INLINE_PLACEHOLDER_PREFIX,
    INLINE_PLACEHOLDER_RE,
    AtomicString,
)

from sitegen.build.regex_literals import guarded, required_literals

ID_PREFIX = "body-"
AUTOLINK_CLASS = "autolink"

# STX and ETX delimit Python-Markdown's placeholders for what it has already parsed.
_BARE_URL = r"(?<![\w@/.:+-])(?:https?://|www\.)[^\s<>\"'`\x02\x03]+"
# Punctuation that ends a sentence or quotes an address rather than belonging to it.
_TRAILING = frozenset(".,:;!?*_~'\"،؛؟…»«”’")
_ALIGNMENT = re.compile(r"text-align:\s*(left|right)\b")
_LOGICAL = {"left": "start", "right": "end"}
_RAW_LINK = re.compile(r"<(/?)a[\s>]", re.I)
_BLANK_LINE = re.compile(r"\n +(?=\n)")  # its spaces removed


def ensure_id_prefix(value: str) -> str:
    """An id with `ID_PREFIX` (unchanged when it has it already)."""
    return value if value.startswith(ID_PREFIX) else ID_PREFIX + value


def prefix_fragment(href: str) -> str:
    """A same-page link `#id` made to point at the prefixed id; other URLs unchanged."""
    if href.startswith("#") and len(href) > 1:
        return "#" + ensure_id_prefix(href[1:])
    return href


def url_end(text: str, start: int, end: int) -> int:
    """Where a URL found at `text[start:end]` really ends: without trailing punctuation or a
    `)` that closes a parenthesis opened before the URL."""
    unmatched = text.count(")", start, end) - text.count("(", start, end)
    while end > start:
        last = text[end - 1]
        if last in _TRAILING:
            end -= 1
        elif last == ")" and unmatched > 0:
            end -= 1
            unmatched -= 1
        else:
            break
    return end


def isolated_link(href: str, text: str) -> etree.Element:
    """`<a href dir="ltr" class="autolink">text</a>`."""
    link = etree.Element("a", {"href": href, "dir": "ltr", "class": AUTOLINK_CLASS})
    link.text = AtomicString(text)
    return link


class BareUrlInlineProcessor(InlineProcessor):
    """Links `https://…` and `www.…` written without `<…>`."""

    ANCESTOR_EXCLUDES = ("a",)  # Markdown links; raw HTML ones are `_in_raw_link`

    def handleMatch(
        self, m: re.Match[str], data: str
    ) -> tuple[etree.Element | None, int | None, int | None]:
        end = url_end(data, m.start(), m.end())
        url = data[m.start() : end]
        if (url.lower().startswith("www.") and "." not in url[4:]) or self._in_raw_link(
            data, m.start()
        ):
            return None, None, None
        return isolated_link(url if "://" in url else "http://" + url, url), m.start(), end

    def _in_raw_link(self, data: str, position: int) -> bool:
        """Whether the raw HTML before `position` in this text opened an `<a>` it has not
        closed (raw HTML is stashed, so Python-Markdown does not see it as an ancestor)."""
        stashed = self.md.treeprocessors["inline"].stashed_nodes  # type: ignore[attr-defined]
        while (at := data.rfind(INLINE_PLACEHOLDER_PREFIX, 0, position)) >= 0:
            position = at
            inline = INLINE_PLACEHOLDER_RE.match(data, at)
            node = stashed.get(inline[1]) if inline else None
            html = HTML_PLACEHOLDER_RE.fullmatch(node) if isinstance(node, str) else None
            raw = self.md.htmlStash.rawHtmlBlocks[int(html[1])] if html else None
            tag = _RAW_LINK.match(raw) if isinstance(raw, str) else None
            if tag:
                return not tag[1]
        return False


class IsolatedAutolinkInlineProcessor(AutolinkInlineProcessor):
    """`<https://…>` links, isolated like bare URLs."""

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[etree.Element, int, int]:
        link, start, end = super().handleMatch(m, data)
        link.set("dir", "ltr")
        link.set("class", AUTOLINK_CLASS)
        return link, start, end


def _logical_alignment(match: re.Match[str]) -> str:
    return "text-align: " + _LOGICAL[match[1]]


class BodyTreeprocessor(Treeprocessor):
    """Logical table alignment; prefixed ids and fragment links."""

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            style = element.get("style")
            if style and element.tag in ("th", "td"):
                element.set("style", _ALIGNMENT.sub(_logical_alignment, style))
            if element.get("id"):
                element.set("id", ID_PREFIX + element.get("id", ""))
            href = element.get("href")
            if element.tag == "a" and href:
                element.set("href", prefix_fragment(href))


class PlainTextInlineProcessor(treeprocessors.InlineProcessor):
    """Python-Markdown's inline processor, returning a text at once when no inline pattern's
    expression matches anywhere in it (the loop over the patterns would change nothing: a
    pattern acts only on a match). Patterns of the old style (`Pattern`, matched from a
    start index) turn the shortcut off."""

    def run(self, tree: etree.Element, ancestors: list[str] | None = None) -> etree.Element:
        patterns = list(self.inlinePatterns)  # as they are for this document
        if all(isinstance(p, InlineProcessor) for p in patterns):
            expressions = tuple(p.getCompiledRegExp() for p in patterns)
            if (
                getattr(self, "_plain_test", None) is None
                or self._plain_test.expressions != expressions
            ):
                self._plain_test: PlainTextTest | None = PlainTextTest(expressions)
        else:
            self._plain_test = None
        return super().run(tree, ancestors)

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:
        test = self._plain_test
        if patternIndex == 0 and test is not None and not test.could_match(data):
            return data
        return super()._InlineProcessor__handleInline(data, patternIndex)  # type: ignore[misc, no-any-return]


class PlainTextTest:
    """Whether any of some expressions matches a text. Those whose required literals are known
    (`regex_literals`) are run only when one of their literals occurs, which one search for
    all the literals at once tells for most texts."""

    def __init__(self, expressions: tuple[re.Pattern[str], ...]) -> None:
        self.expressions = expressions
        self._guarded = [(e, required_literals(e)) for e in expressions]
        known = set().union(*(found for _, found in self._guarded if found is not None))
        self._unknown = [e for e, found in self._guarded if found is None]
        # A literal holding another is found wherever that one is: only the shortest are sought.
        shortest = sorted(k for k in known if not any(o != k and o in k for o in known))
        self._any_literal = re.compile("|".join(map(re.escape, shortest))) if known else None

    def could_match(self, data: str) -> bool:
        """Whether one of the expressions matches somewhere in `data`."""
        if any(e.search(data) for e in self._unknown):
            return True
        if self._any_literal is None or not self._any_literal.search(data):
            return False
        return any(
            found is not None and any(literal in data for literal in found) and e.search(data)
            for e, found in self._guarded
        )


def guard_processors(md: Markdown) -> None:
    """Put a `LiteralGuard` before every compiled expression the preprocessors, block
    processors and tree processors keep as attributes: their tests of blocks that hold none
    of an expression's literals are answered without running it."""
    for registry in (md.preprocessors, md.parser.blockprocessors, md.treeprocessors):
        for processor in registry:
            for name in dir(processor):
                if name.startswith("__"):
                    continue
                value = getattr(processor, name, None)
                if isinstance(value, re.Pattern):
                    setattr(processor, name, guarded(value))


class ShownTocTreeprocessor(TocTreeprocessor):
    """The toc extension's processor, building the table of contents only for a body that
    shows it (`[TOC]`): heading ids are all the others need, and the table (built, prettified
    and serialised to `md.toc`) costs as much as the ids. Without the marker `md.toc` is an
    empty `<div>`."""

    shown = True  # set for each document by `TocMarkerPreprocessor`

    def build_toc_div(self, toc_list: list[dict[str, object]]) -> etree.Element:
        return super().build_toc_div(toc_list) if self.shown else etree.Element("div")

    def replace_marker(self, root: etree.Element, elem: etree.Element) -> None:
        if self.shown:
            super().replace_marker(root, elem)


class TocMarkerPreprocessor(Preprocessor):
    """Tells the toc processor whether the body, as written, holds its marker anywhere."""

    def __init__(self, md: Markdown, toc: ShownTocTreeprocessor) -> None:
        super().__init__(md)
        self.toc = toc

    def run(self, lines: list[str]) -> list[str]:
        marker = self.toc.marker
        self.toc.shown = bool(marker) and any(marker in line for line in lines)
        return lines


class ShownTocExtension(TocExtension):
    """Python-Markdown's toc extension with `ShownTocTreeprocessor`."""

    TreeProcessorClass = ShownTocTreeprocessor

    def extendMarkdown(self, md: Markdown) -> None:
        super().extendMarkdown(md)
        toc = md.treeprocessors["toc"]
        # Before every other preprocessor: the marker is looked for in the text as written.
        md.preprocessors.register(TocMarkerPreprocessor(md, toc), "toc_marker", 100)


class HtmlBlocksWhereMarkup(Preprocessor):
    """Python-Markdown's raw-HTML block extraction (an HTML parser over the whole text), run
    only on a text holding `<` or `&`: without them that parser hands the lines back as
    they were."""

    def __init__(self, md: Markdown, extraction: Preprocessor) -> None:
        super().__init__(md)
        self.extraction = extraction

    def run(self, lines: list[str]) -> list[str]:
        if any("<" in line or "&" in line for line in lines):
            return self.extraction.run(lines)
        return lines


class FewerPassesNormalizeWhitespace(NormalizeWhitespace):
    """Python-Markdown's `NormalizeWhitespace` in fewer passes over the text, same result."""

    def run(self, lines: list[str]) -> list[str]:
        source = "\n".join(lines)
        if util.STX in source or util.ETX in source:
            source = source.replace(util.STX, "").replace(util.ETX, "")
        if "\r" in source:
            source = source.replace("\r\n", "\n").replace("\r", "\n")
        source += "\n\n"
        if "\t" in source:
            source = source.expandtabs(self.md.tab_length)
        if "\n " in source:
            source = _BLANK_LINE.sub("\n", source)
        return source.split("\n")


class BodyExtension(Extension):
    """Registers the processors above."""

    def extendMarkdown(self, md: Markdown) -> None:
        autolink = IsolatedAutolinkInlineProcessor(AUTOLINK_RE, md)
        md.inlinePatterns.register(autolink, "autolink", 120)
        # After raw HTML (90), so addresses in tags are never linked; before emphasis (60),
        # so `_` and `*` inside an address stay in it.
        md.inlinePatterns.register(BareUrlInlineProcessor(_BARE_URL, md), "bare_url", 85)
        # After toc (5), which gives headings their ids.
        md.treeprocessors.register(BodyTreeprocessor(md), "sitegen_body", 4)
        md.treeprocessors.register(PlainTextInlineProcessor(md), "inline", 20)  # replaces it
        normalize = FewerPassesNormalizeWhitespace(md)
        md.preprocessors.register(normalize, "normalize_whitespace", 30)  # replaces it
        if "html_block" in md.preprocessors:  # the extraction of `extra` (md_in_html), at 20
            extraction = md.preprocessors["html_block"]
            md.preprocessors.register(HtmlBlocksWhereMarkup(md, extraction), "html_block", 20)
