"""The stored form of what a build after an edit reads back (`sitegen.build.incremental.edits`):
page jobs, article views, feed entries and feeds as pickles whose article views and feed
entries are references by source path, so a page's row holds only its own data, and the
views it shows are read (or replaced by an edited article's new one) when it is needed.

Reading is restricted, since the file lies in the project folder: only plain data, the
`datetime` and `Markup` types and sitegen's own dataclasses are made, never a function
called (`_Unpickler.find_class`; a time zone is made by its key); configurations are
references too.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import pickle
from collections.abc import Callable, Mapping
from typing import Any
from zoneinfo import ZoneInfo

from markupsafe import Markup

from sitegen.core.config import SiteConfig

PROTOCOL = 5
# What a reference names: an article's view or feed entry (by source path), a configuration
# (by edition key, '' for the site's).
VIEW, ENTRY, CONFIG = "v", "e", "c"


def _zone_getattr(owner: object, name: str) -> Any:
    """The one attribute a pickled `ZoneInfo` asks for (`getattr(ZoneInfo, "_unpickle")`)."""
    if owner is ZoneInfo and name == "_unpickle":
        return ZoneInfo._unpickle  # type: ignore[attr-defined]
    raise pickle.UnpicklingError(f"{name} is not stored data")


_ALLOWED = {
    ("zoneinfo", "ZoneInfo"): ZoneInfo,
    ("builtins", "getattr"): _zone_getattr,
    ("markupsafe", "Markup"): Markup,
    ("datetime", "datetime"): dt.datetime,
    ("datetime", "date"): dt.date,
    ("datetime", "time"): dt.time,
    ("datetime", "timedelta"): dt.timedelta,
    ("datetime", "timezone"): dt.timezone,
}


def pack(value: Any) -> bytes:
    """A value without references (a view, an entry) as `unpack` reads it."""
    return pickle.dumps(value, PROTOCOL)


class Packer:
    """Pickles values with `views` and `entries` (by object identity → source path) and
    `configs` (edition key → configuration) as references; `refs` collects the source paths
    referred to by the last `pack`."""

    def __init__(
        self,
        views: Mapping[int, str],
        entries: Mapping[int, str],
        configs: Mapping[str, SiteConfig],
    ) -> None:
        self.views = views
        self.entries = entries
        self.configs = configs
        self.refs: set[str] = set()

    def pack(self, value: Any) -> bytes:
        self.refs = set()
        buffer = io.BytesIO()
        pickler = pickle.Pickler(buffer, PROTOCOL)
        pickler.persistent_id = self._reference  # type: ignore[method-assign]
        pickler.dump(value)
        return buffer.getvalue()

    def _reference(self, value: Any) -> tuple[str, str] | None:
        kind = type(value)
        if kind is dict:
            found = self.views.get(id(value))
            if found is not None:
                self.refs.add(found)
                return VIEW, found
            found = self.entries.get(id(value))
            if found is not None:
                self.refs.add(found)
                return ENTRY, found
            return None
        if kind is SiteConfig:
            for key, config in self.configs.items():
                if value is config or value == config:
                    return CONFIG, key
            raise pickle.PicklingError("a configuration of no edition")
        return None


def unpack(data: bytes, resolve: Callable[[str, str], Any]) -> Any:
    """The value `Packer.pack` stored; `resolve(kind, name)` gives each reference. Raises
    `pickle.UnpicklingError` (or another `Exception`) for data that is not one."""
    unpickler = _Unpickler(io.BytesIO(data))
    unpickler.persistent_load = lambda ref: resolve(*ref)  # type: ignore[method-assign]
    return unpickler.load()


def config_resolver(config: SiteConfig) -> Callable[[str, str], Any]:
    """`resolve` for configurations (the site's `config` and its editions')."""

    def resolve(kind: str, name: str) -> Any:
        if kind == CONFIG:
            return config.edition(name) if name else config
        raise pickle.UnpicklingError(f"unknown reference {kind!r}")

    return resolve


def edition_configs(config: SiteConfig) -> dict[str, SiteConfig]:
    """The configuration of every edition by its key ('' for the site's)."""
    return {"": config, **{key: config.edition(key) for key in config.languages}}


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        found = _ALLOWED.get((module, name))
        if found is not None:
            return found
        if module.startswith("sitegen."):
            value = super().find_class(module, name)
            if isinstance(value, type) and dataclasses.is_dataclass(value):
                return value
        raise pickle.UnpicklingError(f"{module}.{name} is not stored data")
