"""The model cache's values: a modelled `Article` in its stored form (marshal data).

A model result is kept by its model key (`model_key`: the document's parse key and the
configuration, all `to_article` reads). The stored form holds every field but those taken from
the document (path, body, word count, source text), so reading one back needs the document, whose
parse key is part of the key. Dates are kept as their local fields and fold in the site's
timezone (part of the configuration): the `datetime` given back is the one modelled.
"""

from __future__ import annotations

import datetime as dt
import marshal
from collections.abc import Sequence
from dataclasses import fields
from typing import Any

from sitegen.build.incremental.fingerprints import canonical_digest
from sitegen.build.model import Article, Correction
from sitegen.build.parse import Document
from sitegen.core.config import SiteConfig

_FROM_DOCUMENT = frozenset(("path", "html", "word_count", "source_text"))
RECORD_FIELDS = tuple(f.name for f in fields(Article) if f.name not in _FROM_DOCUMENT)
MARSHAL_VERSION = 4
ArticleRecord = tuple[Any, ...]


def config_digest(config: SiteConfig) -> str:
    """What of the configuration a model result depends on: all of it."""
    return canonical_digest(repr(config))


def model_key(parse_key: str, config: str) -> str:
    """The key of one document's model result: its parse key and `config_digest`."""
    return canonical_digest([parse_key, config])


def _local(moment: dt.datetime, tz: dt.tzinfo) -> tuple[int, ...]:
    if moment.tzinfo is not tz:
        raise ValueError("a date outside the site timezone")
    m = moment
    return (m.year, m.month, m.day, m.hour, m.minute, m.second, m.microsecond, m.fold)


def _moment(parts: Sequence[int], tz: dt.tzinfo) -> dt.datetime:
    y, mo, d, h, mi, s, us, fold = parts
    return dt.datetime(y, mo, d, h, mi, s, us, tzinfo=tz, fold=fold)


def encode_article(article: Article, tz: dt.tzinfo) -> bytes | None:
    """The stored form of an article modelled in timezone `tz`; None when a value would not
    come back exactly (marshal refuses subclasses and other types; dates in another zone)."""
    values: list[Any] = []
    try:
        for name in RECORD_FIELDS:
            value = getattr(article, name)
            if name in ("date", "updated") and value is not None:
                value = _local(value, tz)
            elif name == "corrections":
                value = tuple((_local(c.date, tz), c.note) for c in value)
            values.append(value)
        return marshal.dumps(tuple(values), MARSHAL_VERSION)
    except ValueError:
        return None


def decode_article(data: bytes, doc: Document, tz: dt.tzinfo) -> Article:
    """The article `encode_article` stored, with `doc`'s fields; ValueError, TypeError or
    EOFError when `data` is not one."""
    record = marshal.loads(data)
    if type(record) is not tuple or len(record) != len(RECORD_FIELDS):
        raise ValueError("not a model record")
    values = dict(zip(RECORD_FIELDS, record, strict=True))
    values["date"] = _moment(values["date"], tz)
    if values["updated"] is not None:
        values["updated"] = _moment(values["updated"], tz)
    values["corrections"] = tuple(Correction(_moment(d, tz), n) for d, n in values["corrections"])
    return Article(
        path=doc.path,
        html=doc.html,  # a `Markup`: the document's own
        word_count=doc.word_count,
        source_text=doc.source_text,
        **values,
    )
