"""The parse stage: source bytes → Document (front matter + body HTML). Pure.

The reader is chosen by file suffix. Text is decoded as UTF-8 (a BOM is dropped), line ends
are normalised to `\\n`, and the Markdown body is rendered and sanitised.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from html import unescape
from typing import Any

from markupsafe import Markup

from sitegen.build.embeds import extract_embeds, restore_embeds
from sitegen.build.load import SourceFile
from sitegen.build.markdown_html import MarkdownRenderer, MarkupTooComplex
from sitegen.build.parallel import Stage, StageRunner
from sitegen.build.readers.base import RawDocument, ReaderSettings
from sitegen.build.readers.markdown import read_front_matter, read_markdown
from sitegen.build.readers.newstext import read_news_text
from sitegen.build.template_leftovers import leftovers
from sitegen.core.config import SiteConfig
from sitegen.core.config_sections import MarkdownConfig
from sitegen.core.diagnostics import Diagnostic, error, warning
from sitegen.core.encoding import describe_binary, describe_undecodable, find_mojibake
from sitegen.core.text import count_words
from sitegen.core.yamlload import DEFAULT_MAX_NESTING

ReaderFunction = Callable[[str, str, ReaderSettings], tuple[RawDocument | None, list[Diagnostic]]]

READERS: dict[str, ReaderFunction] = {
    ".md": read_markdown,
    ".markdown": read_markdown,
    ".txt": read_news_text,
}

# C0 controls but tab and line ends, DEL, and C1 controls (never in text; a sign of bytes
# decoded with the wrong encoding somewhere upstream).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Every byte but those of `_CONTROL`'s characters in UTF-8 (C1 controls are 0xC2 0x80-0x9F):
# `bytes.translate` deleting these leaves nothing from a text without them, a C loop over the
# bytes (3 µs an article) where the expression tries each character (14 µs).
_NOT_CONTROL_BYTES = bytes(
    b
    for b in range(256)
    if not (b <= 0x08 or b in (0x0B, 0x0C) or 0x0E <= b <= 0x1F) and b not in (0x7F, 0xC2)
)
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Document:
    """A parsed source file: plain metadata plus rendered body. JSON-compatible throughout.

    `source_text` is the file as decoded (UTF-8, `\\n` line ends) when its body shows an image
    or `ReaderSettings.source_texts` asks for every one (`check`): later stages find the line
    where the body names an image, or where `check` found a problem, in it, never on disk.
    Other documents keep none (''): the text of 100k articles was 0.8 GB held to the end of a
    build.

    `html` is sanitised HTML, made a `Markup` here (whatever it was given as): the model's
    article (or page) takes this very string, so a body is never held twice.
    """

    path: str
    meta: dict[str, Any]
    meta_lines: dict[str, int]
    html: str
    body_line: int
    word_count: int
    meta_origin: dict[str, str] = field(default_factory=dict)
    source_text: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.html, Markup):
            object.__setattr__(self, "html", Markup(self.html))


UTF8_BOM = b"\xef\xbb\xbf"


def decode(source: SourceFile) -> tuple[str | None, list[Diagnostic]]:
    """UTF-8 text with `\\n` line ends, or a diagnostic saying why not.

    Bytes that are not UTF-8 are never decoded with a guess: the error names the encoding or
    file type they look like (`sitegen.core.encoding`). Valid UTF-8 that is mojibake (Arabic read
    through Windows-1252 upstream) and control characters are errors too.
    """
    data = source.data.removeprefix(UTF8_BOM)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        binary = describe_binary(data)
        if binary:
            return None, [error(source.path, 1, binary)]
        line = data[: exc.start].count(b"\n") + 1
        return None, [error(source.path, line, describe_undecodable(data, exc.start))]
    binary = describe_binary(data, utf8=True) if "\x00" in text else None
    if binary:
        return None, [error(source.path, 1, binary)]
    text = _unix_line_ends(text)
    garbled = find_mojibake(text)
    if garbled:
        line = text.count("\n", 0, garbled.offset) + 1
        message = (
            f"garbled text (mojibake): {garbled.shown!r} is {garbled.meant!r} in "
            f"{garbled.encoding} read as Windows-1252; fix the file where it was converted"
        )
        return None, [error(source.path, line, message)]
    match = _CONTROL.search(text) if data.translate(None, _NOT_CONTROL_BYTES) else None
    if match:
        line = text.count("\n", 0, match.start()) + 1
        code = f"U+{ord(match.group()):04X}"
        return None, [error(source.path, line, f"control character {code} in text")]
    return text, []


def _unix_line_ends(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def reader_for(path: str) -> ReaderFunction | None:
    """The reader registered for a file's suffix."""
    suffix = path[path.rfind(".") :].lower() if "." in path else ""
    return READERS.get(suffix)


def html_word_count(html: str) -> int:
    """Words of the running text of an HTML fragment (see `text.count_words`)."""
    return count_words(unescape(_TAG.sub(" ", html)))


def parse(
    source: SourceFile, settings: ReaderSettings, renderer: MarkdownRenderer
) -> tuple[Document | None, list[Diagnostic]]:
    """Parse one source file."""
    reader = reader_for(source.path)
    if reader is None:
        return None, [error(source.path, None, "no reader for this file type")]
    text, problems = decode(source)
    if text is None:
        return None, problems
    raw, problems = reader(source.path, text, settings)
    if raw is None:
        return None, problems
    meta, meta_lines, meta_origin = raw.meta, raw.meta_lines, {}
    if source.sidecar is not None:
        side, side_problems = read_sidecar(source.sidecar, settings.max_nesting)
        if side is None:
            return None, [*problems, *side_problems]
        meta = {**meta, **side.meta}
        meta_lines = {**meta_lines, **side.meta_lines}
        meta_origin = dict.fromkeys(side.meta, source.sidecar.path)
    embeds = extract_embeds(raw.body, keep=renderer.config.unsafe_html)
    try:
        html = restore_embeds(renderer.render(embeds.body), embeds.videos)
    except MarkupTooComplex as exc:
        return None, [*problems, error(source.path, raw.body_line + exc.line - 1, exc.message)]
    problems = [
        *problems,
        *(
            warning(source.path, raw.body_line + line - 1, message)
            for line, message in sorted([*embeds.notes, *leftovers(raw.body)])
        ),
    ]
    document = Document(
        path=source.path,
        meta=meta,
        meta_lines=meta_lines,
        html=html,
        body_line=raw.body_line,
        word_count=html_word_count(html),
        meta_origin=meta_origin,
        source_text=text if settings.source_texts or "<img" in html else "",
    )
    return document, problems


def read_sidecar(
    sidecar: SourceFile, max_nesting: int = DEFAULT_MAX_NESTING
) -> tuple[RawDocument | None, list[Diagnostic]]:
    """Front-matter keys from a YAML sidecar file (the whole file is the front matter)."""
    text, problems = decode(sidecar)
    if text is None:
        return None, problems
    return read_front_matter(sidecar.path, "---", text, 1, max_nesting)


@dataclass(frozen=True)
class ParseSetup:
    """What a parsing process needs: reader settings and the Markdown configuration."""

    settings: ReaderSettings
    markdown: MarkdownConfig


Parsed = tuple[Document | None, list[Diagnostic]]


def prepare_parser(setup: ParseSetup) -> tuple[ReaderSettings, MarkdownRenderer]:
    """Reader settings and a Markdown renderer (built once, before worker processes fork)."""
    renderer = MarkdownRenderer(setup.markdown, setup.settings.max_nesting)
    renderer.render("")  # loads the extensions now
    return setup.settings, renderer


def parse_chunk(
    state: tuple[ReaderSettings, MarkdownRenderer], sources: Sequence[SourceFile]
) -> list[Parsed]:
    settings, renderer = state
    return [parse(source, settings, renderer) for source in sources]


PARSE_STAGE: Stage[SourceFile, Parsed] = Stage("parse", prepare_parser, parse_chunk)


def parse_setup(config: SiteConfig, source_texts: bool = False) -> ParseSetup:
    """How this site's files parse (`source_texts`: `ReaderSettings.source_texts`)."""
    settings = ReaderSettings(config.tz, config.limits.max_nesting, source_texts)
    return ParseSetup(settings, config.markdown)


def parse_sources(
    sources: Iterable[SourceFile],
    config: SiteConfig,
    run: StageRunner,
    source_texts: bool = False,
) -> tuple[list[Document], list[Diagnostic]]:
    """Parse every source (the documents of those that parse) and report every problem.
    The sources are taken as they come (as the load stage reads them: `StageRunner.stream`);
    a list of them is the stage's: each is let go (None in it) as it is taken, so it is freed
    once its chunk is parsed."""
    documents, problems = [], []
    setup = parse_setup(config, source_texts)
    for document, found in run.stream(PARSE_STAGE, setup, sources):
        problems += found
        if document is not None:
            documents.append(document)
    return documents, problems
