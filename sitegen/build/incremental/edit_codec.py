"""The stored form of what a build after an edit reads back (`sitegen.build.incremental.edits`):
page jobs, article views, feed entries and feeds as marshal data, in which article views and
feed entries can be references by source path, so a page's row holds only its own data and
the views it shows are read (or replaced by an edited article's new one) when it is needed.

Plain data (str, numbers, None, lists, dicts with str keys) is stored as it is; every tuple
is tagged, so a tuple read back is always a tag: a real tuple, a `datetime` or `date`, a
`Markup`, a reference, a configuration (by edition key) or one of `DATACLASSES`. Anything else
cannot be stored (`CannotStore`). Views and entries, which refer to nothing, are pickles
(`pack_plain`), read by an unpickler that makes only plain data, dates, time zones and
`Markup`. Reading makes nothing else: a file in the project folder never runs code.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import marshal
import pickle
from collections.abc import Callable, Mapping
from typing import Any
from zoneinfo import ZoneInfo

from markupsafe import Markup

from sitegen.build.incremental.edit_store import MARSHAL_VERSION
from sitegen.build.plan import PageJob
from sitegen.build.routes import Routes
from sitegen.build.syndication.metadata import NewsPublisher
from sitegen.build.syndication.stage import PageMetadata
from sitegen.core.config import SiteConfig

# The tags: a reference to an article's view or feed entry (by source path), a configuration
# (by edition key, '' for the site's), and the types that are not plain data.
VIEW, ENTRY, CONFIG = "\0v", "\0e", "\0c"
_TUPLE, _DATETIME, _DATE, _MARKUP, _CLASS = "\0t", "\0T", "\0d", "\0m", "\0D"
# The dataclasses stored by their fields (by name).
DATACLASSES = {cls.__name__: cls for cls in (PageJob, PageMetadata, Routes, NewsPublisher)}
_PLAIN = frozenset((str, int, float, bool, type(None)))
# Their fields kept: not those left out of comparisons (memos: `PageMetadata._shared`).
_FIELDS = {
    cls: tuple(f.name for f in dataclasses.fields(cls) if f.compare) for cls in DATACLASSES.values()
}


class CannotStore(ValueError):
    """A value of a type the store does not keep."""


class Packer:
    """Encodes values with `views` and `entries` (by object identity → source path) and
    `configs` (edition key → configuration) as references; `refs` collects the source paths
    referred to by the last `pack`."""

    def __init__(
        self,
        views: Mapping[int, str] | None = None,
        entries: Mapping[int, str] | None = None,
        configs: Mapping[str, SiteConfig] | None = None,
    ) -> None:
        self.views = views or {}
        self.entries = entries or {}
        self.configs = configs or {}
        self.refs: set[str] = set()
        self._memo: dict[int, Any] = {}
        self._held: list[Any] = []

    def pack(self, value: Any) -> bytes:
        """`value` as bytes (`unpack` reads them); CannotStore for what it cannot hold."""
        self.refs = set()
        self._memo, self._held = {}, []
        return marshal.dumps(self._encode(value), MARSHAL_VERSION)

    def _encode(self, value: Any) -> Any:
        kind = type(value)
        if kind in _PLAIN:
            return value
        found = self._memo.get(id(value))
        if found is not None:  # shared within one value: marshal writes it once
            return found
        if kind is dict:
            ref = self.views.get(id(value))
            if ref is not None:
                self.refs.add(ref)
                return (VIEW, ref)
            ref = self.entries.get(id(value))
            if ref is not None:
                self.refs.add(ref)
                return (ENTRY, ref)
            encode, plain = self._encode, _PLAIN  # plain values without a call each
            made: Any = {
                k: v if type(v) in plain else encode(v) for k, v in value.items() if type(k) is str
            }
            if len(made) != len(value):
                raise CannotStore("a dict with keys that are not text")
        elif kind is list:
            encode, plain = self._encode, _PLAIN
            made = [v if type(v) in plain else encode(v) for v in value]
        elif kind is tuple:
            made = (_TUPLE, *map(self._encode, value))
        elif kind is Markup:
            made = (_MARKUP, str(value))
        elif kind is dt.datetime:
            iso = value.replace(tzinfo=None).isoformat()
            made = (_DATETIME, iso, _zone(value.tzinfo), value.fold)
        elif kind is dt.date:
            made = (_DATE, value.isoformat())
        elif kind is SiteConfig:
            made = (CONFIG, self._config_key(value))
        elif kind.__name__ in DATACLASSES and DATACLASSES[kind.__name__] is kind:
            fields = {name: self._encode(getattr(value, name)) for name in _FIELDS[kind]}
            made = (_CLASS, kind.__name__, fields)
        else:
            raise CannotStore(f"cannot store {kind.__name__}")
        self._memo[id(value)] = made
        self._held.append(value)  # no identity in the memo is reused while it lives
        return made

    def _config_key(self, config: SiteConfig) -> str:
        for key, known in self.configs.items():
            if config is known or config == known:
                return key
        raise CannotStore("a configuration of no edition")


def _zone(zone: dt.tzinfo | None) -> str | None:
    """A time zone by its key: None, UTC ('') or a `ZoneInfo` of the time zone database."""
    if zone is None:
        return None
    if zone is dt.UTC:
        return ""
    if type(zone) is ZoneInfo and zone.key and ZoneInfo(zone.key) is zone:
        return zone.key
    raise CannotStore(f"cannot store the time zone {zone!r}")


def pack_plain(value: Any) -> bytes:
    """A value without references (a view, an entry) as `unpack_plain` reads it: a pickle
    (C speed: the 10,000 views of a site cost about a quarter of what `Packer` took, 0.2 s
    against 0.9 s under cProfile), of plain data, dates and `Markup` only."""
    return pickle.dumps(value, pickle.HIGHEST_PROTOCOL)


def unpack_plain(data: bytes) -> Any:
    """The value `pack_plain` stored; `pickle.UnpicklingError` (or another ValueError, or
    EOFError) when the data names anything but plain data, dates, time zones and `Markup`:
    no other class or function is made or called (`_PlainUnpickler.find_class`)."""
    return _PlainUnpickler(io.BytesIO(data)).load()


def _zone_getattr(owner: object, name: str) -> Any:
    """The one attribute a pickled `ZoneInfo` asks for (`getattr(ZoneInfo, "_unpickle")`)."""
    if owner is ZoneInfo and name == "_unpickle":
        return ZoneInfo._unpickle  # type: ignore[attr-defined]
    raise pickle.UnpicklingError(f"{name} is not stored data")


_PLAIN_GLOBALS = {
    ("markupsafe", "Markup"): Markup,
    ("datetime", "datetime"): dt.datetime,
    ("datetime", "date"): dt.date,
    ("datetime", "timedelta"): dt.timedelta,
    ("datetime", "timezone"): dt.timezone,
    ("zoneinfo", "ZoneInfo"): ZoneInfo,
    ("builtins", "getattr"): _zone_getattr,
}


class _PlainUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        found = _PLAIN_GLOBALS.get((module, name))
        if found is None:
            raise pickle.UnpicklingError(f"{module}.{name} is not stored data")
        return found


def unpack(data: bytes, resolve: Callable[[str, str], Any]) -> Any:
    """The value `Packer.pack` stored; `resolve(tag, name)` gives each reference (a view, an
    entry, a configuration). ValueError, TypeError, KeyError or EOFError for data that is
    not one."""
    return _decode(marshal.loads(data), resolve)


def _decode(value: Any, resolve: Callable[[str, str], Any]) -> Any:
    kind = type(value)
    if kind is dict:
        return {k: _decode(v, resolve) for k, v in value.items()}
    if kind is list:
        return [_decode(v, resolve) for v in value]
    if kind is not tuple:
        if kind not in _PLAIN:
            raise TypeError(f"not stored data: {kind.__name__}")
        return value
    tag = value[0]
    if tag == _TUPLE:
        return tuple(_decode(v, resolve) for v in value[1:])
    if tag == _MARKUP:
        return Markup(value[1])
    if tag == _DATETIME:
        moment = dt.datetime.fromisoformat(value[1])
        return moment.replace(tzinfo=_tzinfo(value[2]), fold=value[3])
    if tag == _DATE:
        return dt.date.fromisoformat(value[1])
    if tag == _CLASS:
        fields = {k: _decode(v, resolve) for k, v in value[2].items()}
        return DATACLASSES[value[1]](**fields)
    if tag in (VIEW, ENTRY, CONFIG):
        return resolve(tag, value[1])
    raise ValueError(f"not stored data: tag {tag!r}")


def _tzinfo(zone: str | None) -> dt.tzinfo | None:
    if zone is None:
        return None
    return ZoneInfo(zone) if zone else dt.UTC


def config_resolver(config: SiteConfig) -> Callable[[str, str], Any]:
    """`resolve` for configurations (the site's `config` and its editions')."""

    def resolve(tag: str, name: str) -> Any:
        if tag == CONFIG:
            return config.edition(name) if name else config
        raise ValueError(f"unknown reference {tag!r}")

    return resolve


def edition_configs(config: SiteConfig) -> dict[str, SiteConfig]:
    """The configuration of every edition by its key ('' for the site's)."""
    return {"": config, **{key: config.edition(key) for key in config.languages}}
