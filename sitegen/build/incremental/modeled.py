"""The model cache's form of an `Article`: tagged JSON that decodes to an equal article, with
the same types (tuples stay tuples, dates keep their zone). Plain data only: reading a cache
never runs code.

`encode_modeled` refuses (None) anything it cannot give back exactly; such a result is simply
not kept.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from sitegen.build.incremental.parsed import diagnostic_from_json, diagnostic_json
from sitegen.build.model import Article, Correction
from sitegen.core.diagnostics import Diagnostic

# `to_article`'s result without the article's body (`html`, `source_text`), and its problems.
Modeled = tuple[Article | None, tuple[Diagnostic, ...]]

_FIELDS = tuple(f.name for f in dataclasses.fields(Article))


class _Unencodable(Exception):
    pass


def _zone(value: dt.tzinfo | None) -> Any:
    if value is None:
        return None
    if isinstance(value, ZoneInfo) and value.key:
        return value.key
    if isinstance(value, dt.timezone) and value == dt.timezone(value.utcoffset(None)):
        return value.utcoffset(None).total_seconds()  # type: ignore[union-attr]
    raise _Unencodable(repr(value))


def _from_zone(value: Any) -> dt.tzinfo | None:
    if value is None:
        return None
    return ZoneInfo(value) if isinstance(value, str) else dt.timezone(dt.timedelta(seconds=value))


def _encode(value: Any) -> Any:
    kind = type(value)
    if value is None or kind in (str, int, float, bool):
        return value
    if kind is list:
        return [_encode(v) for v in value]
    if kind is tuple:
        return {"t": [_encode(v) for v in value]}
    if kind is dict:
        return {"d": [[_encode(k), _encode(v)] for k, v in value.items()]}
    if kind is dt.datetime:
        return {"dt": value.replace(tzinfo=None).isoformat(), "z": _zone(value.tzinfo)}
    if kind is dt.date:
        return {"day": value.isoformat()}
    if kind is dt.time:
        return {"time": value.replace(tzinfo=None).isoformat(), "z": _zone(value.tzinfo)}
    if kind is Correction:
        return {"c": [_encode(value.date), value.note]}
    raise _Unencodable(kind.__name__)


def _decode(value: Any) -> Any:
    if type(value) is list:
        return [_decode(v) for v in value]
    if type(value) is not dict:
        return value
    if "t" in value:
        return tuple(_decode(v) for v in value["t"])
    if "d" in value:
        return {_decode(k): _decode(v) for k, v in value["d"]}
    if "dt" in value:
        return dt.datetime.fromisoformat(value["dt"]).replace(tzinfo=_from_zone(value["z"]))
    if "day" in value:
        return dt.date.fromisoformat(value["day"])
    if "time" in value:
        return dt.time.fromisoformat(value["time"]).replace(tzinfo=_from_zone(value["z"]))
    date, note = value["c"]
    return Correction(_decode(date), note)


def encode_modeled(modeled: Modeled) -> list[Any] | None:
    """JSON data for a model result, or None when it would not decode to the same values."""
    article, problems = modeled
    try:
        data = None if article is None else [_encode(getattr(article, f)) for f in _FIELDS]
    except _Unencodable:
        return None
    encoded = [data, [diagnostic_json(d) for d in problems]]
    if article is not None and repr(decode_modeled(encoded)[0]) != repr(article):
        return None  # a value that JSON would change (a str subclass, a float key …)
    return encoded


def decode_modeled(data: list[Any]) -> Modeled:
    """The model result `encode_modeled` encoded (KeyError, TypeError, ValueError if corrupt)."""
    fields, problems = data
    article = None if fields is None else Article(*map(_decode, fields))
    return article, tuple(diagnostic_from_json(d) for d in problems)
