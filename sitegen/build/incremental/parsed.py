"""The parse cache's keys and values: what decides how a file parses, and parse results
(documents and their diagnostics) as JSON."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Sequence
from dataclasses import asdict, fields
from typing import Any

from sitegen.build.incremental.fingerprints import canonical_json, engine_digest
from sitegen.build.load import SourceFile
from sitegen.build.markdown_html import MarkdownRenderer
from sitegen.build.parallel import Stage
from sitegen.build.parse import Document, ParseSetup, decoded_text, parse_chunk, prepare_parser
from sitegen.build.readers.base import ReaderSettings
from sitegen.core.diagnostics import Diagnostic, Severity

CachedParse = tuple[Document, list[Diagnostic]]
_STORED_FIELDS = [f for f in fields(Document) if f.name != "source_text"]


def parse_settings_digest(setup: ParseSetup) -> str:
    """What, besides the file, decides how a file parses: every reader setting (the timezone,
    `limits.max_nesting`), the Markdown configuration and sitegen itself."""
    reader = {f.name: str(getattr(setup.settings, f.name)) for f in fields(setup.settings)}
    text = canonical_json([reader, asdict(setup.markdown), engine_digest()])
    return hashlib.sha256(text.encode()).hexdigest()


def parse_key(source: SourceFile, settings_digest: str) -> str:
    """The cache key of one source file: its bytes, its path and the parse settings."""
    text = f"{source.digest}\0{source.path}\0{settings_digest}"
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _is_json_exact(value: Any) -> bool:
    """True when JSON gives `value` back unchanged (str keys, no tuples, no other types)."""
    if value is None or isinstance(value, str | bool | int | float):
        return True
    if type(value) is list:
        return all(_is_json_exact(v) for v in value)
    if type(value) is dict:
        return all(type(k) is str and _is_json_exact(v) for k, v in value.items())
    return False


def encode_parsed(document: Document, problems: list[Diagnostic]) -> str | None:
    """The JSON text of a parse result, or None when JSON could not give it back exactly."""
    if not _is_json_exact(document.meta):
        return None
    # A shallow dict (asdict would copy the metadata first); the source's bytes are at hand
    # on a hit: see `with_source`
    stored = {f.name: getattr(document, f.name) for f in _STORED_FIELDS}
    entry = {"document": stored, "problems": [diagnostic_json(d) for d in problems]}
    return json.dumps(entry, ensure_ascii=False)


def decode_parsed(entry: dict[str, Any]) -> CachedParse:
    """A parse result from its JSON form, without its source text (`with_source` adds it)."""
    problems = [diagnostic_from_json(item) for item in entry["problems"]]
    return Document(**entry["document"]), problems


def with_source(document: Document, source: SourceFile) -> Document:
    """A cached document with the text of the source it was parsed from: the cache does not
    store it twice, since the load stage has the bytes."""
    if document.source_text:
        return document
    return dataclasses.replace(document, source_text=decoded_text(source))


def parse_and_encode(
    state: tuple[ReaderSettings, MarkdownRenderer], sources: Sequence[SourceFile]
) -> list[tuple[Document | None, list[Diagnostic], str | None]]:
    """The parse stage, also encoding each result for the cache (in the worker processes)."""
    return [
        (document, problems, encode_parsed(document, problems) if document else None)
        for document, problems in parse_chunk(state, sources)
    ]


CACHING_PARSE_STAGE: Stage[SourceFile, tuple[Document | None, list[Diagnostic], str | None]] = (
    Stage("parse", prepare_parser, parse_and_encode)
)


def diagnostic_json(d: Diagnostic) -> list[Any]:
    return [d.path, d.line, d.message, d.severity.value, d.hint]


def diagnostic_from_json(item: list[Any]) -> Diagnostic:
    path, line, message, severity, hint = item
    return Diagnostic(path, line, message, Severity(severity), hint)
