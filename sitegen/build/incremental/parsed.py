"""The parse cache's keys and values: what decides how a file parses, and parse results
(documents and their diagnostics) in their stored form (marshal data)."""

from __future__ import annotations

import hashlib
import marshal
from collections.abc import Sequence
from dataclasses import asdict, fields
from typing import Any

from sitegen.build.incremental.fingerprints import canonical_json, engine_digest
from sitegen.build.incremental.summary import diagnostic_from_json, diagnostic_json
from sitegen.build.load import SourceFile
from sitegen.build.markdown_html import MarkdownRenderer
from sitegen.build.parallel import Stage
from sitegen.build.parse import Document, ParseSetup, parse_chunk, prepare_parser
from sitegen.build.readers.base import ReaderSettings
from sitegen.core.diagnostics import Diagnostic

CachedParse = tuple[Document, list[Diagnostic]]

_DOCUMENT_FIELDS = tuple(f.name for f in fields(Document))
MARSHAL_VERSION = 4  # marshal's format, fixed: Python's own version is in `engine_digest()`


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


# The long texts of a document (its body and source text), stored as UTF-16: Arabic text
# decodes from it at about three times the speed of UTF-8, marshal's own encoding of a str,
# and reading 10,000 documents back spent most of its time decoding them.
_WIDE = tuple(i for i, name in enumerate(_DOCUMENT_FIELDS) if name in ("html", "source_text"))


def _widened(text: str) -> bytes | str:
    """`text` as UTF-16 bytes; non-ASCII text only, and only when it comes back exactly
    (a lone surrogate does not: it stays a str)."""
    text = str(text)  # an exact str: marshal takes no `Markup`
    if text.isascii():
        return text
    try:
        return text.encode("utf-16-le")
    except UnicodeEncodeError:
        return text


def encode_parsed(document: Document, problems: list[Diagnostic]) -> bytes | None:
    """The stored form of a parse result (marshal data, the source text included), or None
    when it could not be given back exactly (metadata that is not plain JSON data)."""
    if not _is_json_exact(document.meta):
        return None
    values = [getattr(document, name) for name in _DOCUMENT_FIELDS]
    for i in _WIDE:
        values[i] = _widened(values[i])
    return marshal.dumps((tuple(values), [diagnostic_json(d) for d in problems]), MARSHAL_VERSION)


def decode_parsed(data: bytes) -> CachedParse:
    """A parse result from its stored form; ValueError (or TypeError) when it is not one."""
    values, problems = marshal.loads(data)
    if len(values) != len(_DOCUMENT_FIELDS):
        raise ValueError("not a parse result")
    values = list(values)
    for i in _WIDE:
        if type(values[i]) is bytes:
            values[i] = values[i].decode("utf-16-le")
        elif type(values[i]) is not str:
            raise ValueError("not a parse result")
    return Document(*values), [diagnostic_from_json(item) for item in problems]


def parse_and_encode(
    state: tuple[ReaderSettings, MarkdownRenderer], sources: Sequence[SourceFile]
) -> list[tuple[Document | None, list[Diagnostic], bytes | None]]:
    """The parse stage, also encoding each result for the cache (in the worker processes)."""
    return [
        (document, problems, encode_parsed(document, problems) if document else None)
        for document, problems in parse_chunk(state, sources)
    ]


CACHING_PARSE_STAGE: Stage[SourceFile, tuple[Document | None, list[Diagnostic], bytes | None]] = (
    Stage("parse", prepare_parser, parse_and_encode)
)
