"""The news text reader: plain-text articles copied or scraped from news sites (`*.txt`).

How the layout is recovered, in order:

1. Lines are stripped; a line of only whitespace, NBSP or invisible marks is blank, and blank
   lines only separate. Boilerplate lines are dropped wherever they are: read-more
   (`إقرأ المزيد`), share prompts (`شارك`, `شارك الخبر`), lines made only of share targets
   (`فيسبوك تويتر واتساب`), and a read-also line (`اقرأ أيضاً`) together with the short
   unpunctuated lines after it (the linked headlines).
2. Date line: the first of the first six lines that `parse_arabic_datetime` reads. If none
   does but one looks like a date (`is_date_like`), its error is reported at that line.
3. Headline: a line above the date that is repeated within the two lines after it (the repeat
   is dropped); otherwise the last line above the date that is not a source line, preferring
   one that does not end with a full stop (a dek does, a headline rarely); with nothing above
   the date, the first line after it (a repeat after that is dropped too).
   A headline has at most 30 words.
4. Kicker: the lines above the headline (several are joined with ` — `).
5. Source: a short line without final punctuation between the headline and the date, or after
   the date before the first paragraph. `المواطن - متابعة` gives source المواطن and desk متابعة
   (separators `-`, `–`, `—`, `|`); a byline (`كتب: …`, `كتبت - …`, `بقلم …`) gives the author;
   a lone short line right before the first paragraph gives the source. At most one of each.
   Other lines between the headline and the date stay, as leading paragraphs, with a warning.
6. Body: every other line is a paragraph. A line of at most 12 words without final
   punctuation, with a paragraph before and after it, is a subheading (`## ` in Markdown).
   Text is escaped so Markdown renders it as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, tzinfo

from sitegen.build.readers.base import RawDocument, ReaderSettings
from sitegen.core.arabic_date_words import is_date_like
from sitegen.core.arabic_dates import ArabicDateError, parse_arabic_datetime
from sitegen.core.diagnostics import Diagnostic, error, warning
from sitegen.core.markdown_escape import escape_markdown
from sitegen.core.text import fold, strip_bidi_controls, strip_invisible, trim

DATE_SEARCH_LINES = 6
HEADLINE_MAX_WORDS = 30
SUBHEADING_MAX_WORDS = 12
SOURCE_MAX_WORDS = 8
EXAMPLE_DATE_LINE = "الجمعة ٧ يناير ٢٠٢٢ الساعة ١٢:٥٧ صباحاً"

_FINAL_PUNCTUATION = tuple(".!?؟:;؛،,…\"'”»)’")
_READ_MORE = {fold("اقرأ المزيد"), fold("المزيد"), fold("للمزيد")}
_READ_ALSO = re.compile(fold("^(?:اقرأ|شاهد) (?:أيضا|كذلك)(?:$|[ :])"))
_SHARE_VERB = fold("شارك")
_SHARE_OBJECTS = {fold(word) for word in ("الخبر", "المقال", "هذا", "على", "عبر")}
_SHARE_TARGET_NAMES = (
    "فيسبوك", "فيس بوك", "تويتر", "إكس", "واتساب", "واتس آب", "واتس اب", "تيليجرام", "تلغرام",
    "تليجرام", "لينكدإن", "لينكد إن", "انستغرام", "انستجرام", "ماسنجر", "البريد الإلكتروني",
    "طباعة", "نسخ الرابط", "Facebook", "Twitter", "X", "WhatsApp", "Telegram", "LinkedIn",
    "Email", "Messenger", "Print",
)  # fmt: skip
_SHARE_TARGETS = {fold(word) for name in _SHARE_TARGET_NAMES for word in name.split()}
# `المواطن - متابعة`, `القاهرة - أ ش أ`, `الرياض | واس`: short parts, so a headline such as
# `مصر - السودان: اتفاق على تقاسم المياه` is not taken for one.
_SOURCE_LINE = re.compile(r"^(?P<source>[^\s\-–—|]+(?: [^\s\-–—|]+){0,2})\s*[-–—|]\s*"
                          r"(?P<desk>[^\s\-–—|]+(?: [^\s\-–—|]+){0,3})$")  # fmt: skip
_BYLINE = re.compile(r"^(?:كتب|كتبت|بقلم|إعداد|اعداد)\s*[:\-–—]?\s*(?P<author>\S.*)$")


@dataclass(frozen=True)
class Line:
    """A non-blank line of the file: its 1-based number and stripped text."""

    number: int
    text: str


@dataclass(frozen=True)
class Block:
    """A body block: `paragraph` or `subheading`, as plain text."""

    kind: str
    text: str
    line: int


@dataclass(frozen=True)
class NewsArticle:
    """What the layout heuristics recovered from one plain-text article."""

    title: Line
    date: datetime
    date_line: int
    blocks: tuple[Block, ...]
    kicker: Line | None = None
    source: Line | None = None
    desk: Line | None = None
    author: Line | None = None

    def fields(self) -> dict[str, Line]:
        """The text fields that were found, by front matter key."""
        found = {
            "title": self.title,
            "kicker": self.kicker,
            "source": self.source,
            "desk": self.desk,
            "author": self.author,
        }
        return {key: value for key, value in found.items() if value is not None}

    @property
    def summary(self) -> str:
        """The first paragraph, as plain text."""
        return next(block.text for block in self.blocks if block.kind == "paragraph")

    def markdown(self) -> str:
        """The body as Markdown: paragraphs and `## ` subheadings, escaped."""
        parts = [
            ("## " if block.kind == "subheading" else "") + escape_markdown(block.text)
            for block in self.blocks
        ]
        return "\n\n".join(parts) + "\n"


def read_news_text(
    path: str, text: str, settings: ReaderSettings
) -> tuple[RawDocument | None, list[Diagnostic]]:
    """Reader for `*.txt` news articles: the Reader protocol over `parse_news_text`."""
    article, diagnostics = parse_news_text(path, text, settings.timezone)
    if article is None:
        return None, diagnostics
    fields = article.fields()
    meta: dict[str, str] = {key: line.text for key, line in fields.items()}
    meta["date"] = article.date.isoformat()
    meta_lines = {key: line.number for key, line in fields.items()}
    meta_lines["date"] = article.date_line
    document = RawDocument(meta, article.markdown(), article.blocks[0].line, meta_lines)
    return document, diagnostics


def parse_news_text(
    path: str, text: str, tz: tzinfo
) -> tuple[NewsArticle | None, list[Diagnostic]]:
    """Recover headline, date, kicker, source and body blocks (see the module docstring)."""
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        return None, [error(path, line, "not a text file (it contains NUL characters)")]
    lines = _content_lines(text)
    if not lines:
        what = "empty" if not text else "blank (only whitespace)"
        return None, [error(path, 1, f"the file is {what}: no headline, date or text")]
    return _Layout(path, lines, tz).article()


def _content_lines(text: str) -> list[Line]:
    """Non-blank stripped lines, without boilerplate."""
    lines = []
    skipping_related = False
    for number, raw in enumerate(text.split("\n"), start=1):
        line = trim(strip_bidi_controls(raw))  # inside, joiners and marks stay in the text
        if not line:
            continue
        key = fold(strip_invisible(line)).rstrip(":").strip()
        if _READ_ALSO.match(key):
            skipping_related = True
            continue
        if skipping_related and _is_short_unpunctuated(line, HEADLINE_MAX_WORDS):
            continue
        skipping_related = False
        if key in _READ_MORE or _is_share_prompt(key) or _is_share_targets(key):
            continue
        lines.append(Line(number, line))
    return lines


def _is_share_prompt(key: str) -> bool:
    words = key.split()
    return (
        bool(words)
        and words[0] == _SHARE_VERB
        and _is_short_unpunctuated(key, 5)
        and (len(words) == 1 or words[1] in _SHARE_OBJECTS)
    )


def _is_share_targets(key: str) -> bool:
    words = re.findall(r"\w+", key)
    return bool(words) and all(word in _SHARE_TARGETS for word in words)


def _words(text: str) -> int:
    return len(text.split())


def _is_short_unpunctuated(text: str, max_words: int) -> bool:
    return _words(text) <= max_words and not text.endswith(_FINAL_PUNCTUATION)


def _same_text(a: str, b: str) -> bool:
    """Equal up to tashkeel, letter variants, spacing and final punctuation."""

    def key(text: str) -> str:
        return " ".join(fold(strip_invisible(text)).split()).rstrip(
            "".join(_FINAL_PUNCTUATION) + " "
        )

    return key(a) == key(b)


class _Layout:
    """One pass over the lines of a file; collects the diagnostics as it goes."""

    def __init__(self, path: str, lines: list[Line], tz: tzinfo) -> None:
        self.path = path
        self.lines = lines
        self.tz = tz
        self.diagnostics: list[Diagnostic] = []

    def fail(self, line: int, message: str) -> tuple[None, list[Diagnostic]]:
        return None, [*self.diagnostics, error(self.path, line, message)]

    def find_date(self) -> tuple[int, datetime] | Diagnostic:
        """(index, date) of the date line, or the error to report."""
        window = self.lines[:DATE_SEARCH_LINES]
        for index, line in enumerate(window):
            try:
                return index, parse_arabic_datetime(line.text, self.tz)
            except ArabicDateError:
                continue
        for line in window:
            if is_date_like(line.text):
                try:
                    parse_arabic_datetime(line.text, self.tz)
                except ArabicDateError as problem:
                    message = f"cannot read the date line: {problem.message}"
                    return error(self.path, line.number, message)
        return error(
            self.path,
            self.lines[0].number,
            f"no date line in the first {DATE_SEARCH_LINES} lines "
            f"(a line like {EXAMPLE_DATE_LINE!r})",
        )

    def article(self) -> tuple[NewsArticle | None, list[Diagnostic]]:
        found = self.find_date()
        if isinstance(found, Diagnostic):
            return None, [found]
        index, date = found
        date_line = self.lines[index]
        above, below = self.lines[:index], self.lines[index + 1 :]
        headline_at = self.headline_index(above, below)
        if headline_at is not None:
            headline = above[headline_at]
            kicker_lines, between = above[:headline_at], above[headline_at + 1 :]
        elif below:
            headline, below, kicker_lines, between = below[0], below[1:], [], above
        else:
            return self.fail(date_line.number, "no headline above or below the date line")
        if _words(headline.text) > HEADLINE_MAX_WORDS:
            return self.fail(
                headline.number,
                f"this line is too long for a headline ({_words(headline.text)} words); "
                "put the headline on its own line next to the date line",
            )
        below = self.drop_repeat(headline, below)
        credits = _Credits()
        leading = [line for line in between if not credits.take(line)]
        for line in leading:
            message = "kept as the first paragraph: a line between the headline and the date"
            self.diagnostics.append(warning(self.path, line.number, message))
        blocks = _blocks(leading + self.take_credits(credits, below))
        if not blocks:
            last = (below or [date_line])[-1].number
            return self.fail(last, "no article text after the headline and date line")
        kicker = None
        if kicker_lines:
            kicker = Line(kicker_lines[0].number, " — ".join(k.text for k in kicker_lines))
        article = NewsArticle(
            title=headline,
            date=date,
            date_line=date_line.number,
            blocks=blocks,
            kicker=kicker,
            source=credits.source,
            desk=credits.desk,
            author=credits.author,
        )
        return article, self.diagnostics

    @staticmethod
    def headline_index(above: list[Line], below: list[Line]) -> int | None:
        for after in below[:2]:
            for index, line in enumerate(above):
                if _same_text(line.text, after.text):
                    return index
        candidates = [index for index, line in enumerate(above) if not _Credits().take(line)]
        unfinished = [index for index in candidates if not above[index].text.endswith(".")]
        return (unfinished or candidates or [None])[-1]

    @staticmethod
    def drop_repeat(headline: Line, below: list[Line]) -> list[Line]:
        for position, line in enumerate(below[:2]):
            if _same_text(line.text, headline.text):
                return below[:position] + below[position + 1 :]
        return below

    @staticmethod
    def take_credits(credits: _Credits, below: list[Line]) -> list[Line]:
        """Take source and byline lines before the first paragraph; return the rest."""
        position = 0
        while position < len(below) and position < 2:
            line = below[position]
            before_paragraph = position + 1 < len(below) and not _is_short_unpunctuated(
                below[position + 1].text, SOURCE_MAX_WORDS
            )
            if not credits.take(line, bare_source=before_paragraph):
                break
            position += 1
        return below[position:]


class _Credits:
    """Source, desk and author lines, each taken at most once."""

    def __init__(self) -> None:
        self.source: Line | None = None
        self.desk: Line | None = None
        self.author: Line | None = None

    def take(self, line: Line, bare_source: bool = False) -> bool:
        """Record `line` if it is a source or byline line not seen yet."""
        if not _is_short_unpunctuated(line.text, SOURCE_MAX_WORDS):
            return False
        byline = _BYLINE.match(line.text)
        if byline and self.author is None:
            self.author = Line(line.number, byline["author"].strip())
            return True
        credit = _SOURCE_LINE.match(line.text)
        if credit and self.source is None and not byline:
            self.source = Line(line.number, credit["source"].strip())
            self.desk = Line(line.number, credit["desk"].strip())
            return True
        if bare_source and self.source is None and not byline and not credit:
            self.source = line
            return True
        return False


def _blocks(lines: list[Line]) -> tuple[Block, ...]:
    """Paragraphs, and subheadings: short unpunctuated lines between two real paragraphs."""

    def is_short(position: int) -> bool:
        return _is_short_unpunctuated(lines[position].text, SUBHEADING_MAX_WORDS)

    blocks = []
    for position, line in enumerate(lines):
        is_heading = (
            0 < position < len(lines) - 1
            and is_short(position)
            and not is_short(position - 1)
            and not is_short(position + 1)
        )
        blocks.append(Block("subheading" if is_heading else "paragraph", line.text, line.number))
    return tuple(blocks)
