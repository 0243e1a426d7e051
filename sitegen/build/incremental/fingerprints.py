"""Fingerprints: what a cached value was made from, hashed by value.

- `engine_digest()`: sitegen's own code and the versions of the libraries that shape output.
  Any change to them invalidates every cache entry.
- `canonical_digest(value)`: a digest of plain data (dicts, lists, strings, numbers, dates) that
  is equal exactly when the data is. `Fingerprinter` memoizes it per object, because page
  contexts share the same article views many times over.
- `TemplateClosure`: a template plus everything it extends, includes or imports, followed
  transitively with `jinja2.meta.find_referenced_templates`. A dynamic name (`None`) makes the
  page depend on every template of the theme.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import sys
from collections.abc import Collection, Iterable, Mapping
from functools import cache
from json.encoder import c_make_encoder, encode_basestring  # type: ignore[attr-defined]
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sitegen import __version__

if TYPE_CHECKING:  # Jinja is imported when templates are parsed: not for an unchanged build
    import jinja2

    from sitegen.build.theme import Theme

# Libraries whose version changes what a build produces.
OUTPUT_LIBRARIES = (
    "markdown",
    "nh3",
    "pyyaml",
    "jinja2",
    "markupsafe",
    "babel",
    "hijridate",
    "jdatetime",
    "pillow",
)


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


@cache
def engine_digest() -> str:
    """sitegen's version and source code, Python's version and the output libraries' versions."""
    h = hashlib.sha256(f"{__version__}\0{sys.version}\0".encode())
    installed = _installed_versions()
    for name in OUTPUT_LIBRARIES:
        h.update(f"{name}={installed.get(name) or _metadata_version(name)}\0".encode())
    package = Path(__file__).resolve().parents[2]  # sitegen/
    for path in sorted(package.rglob("*.py")):
        h.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def _installed_versions() -> dict[str, str]:
    """Name → version of the distributions installed on `sys.path` (the first one of each
    name), read from their `.dist-info` folders' names: importing `importlib.metadata` costs
    a twentieth of a build that changes nothing."""
    found: dict[str, str] = {}
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for folder in names:
            if folder.endswith(".dist-info"):
                name, _, version = folder[: -len(".dist-info")].partition("-")
                found.setdefault(re.sub(r"[-_.]+", "-", name).lower(), version)
    return found


def _metadata_version(name: str) -> str:
    """The installed version of `name` by `importlib.metadata` ("-": none is installed)."""
    import importlib.metadata

    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "-"


def _encode_special(value: Any) -> Any:
    """JSON for the non-JSON values contexts may hold."""
    if isinstance(value, dt.datetime):
        return {"$datetime": value.isoformat(), "tz": str(value.tzinfo)}
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    if isinstance(value, set | frozenset):
        return {"$set": sorted(map(str, value))}
    raise TypeError(f"cannot fingerprint {type(value).__name__}")


_ENCODER = json.JSONEncoder(
    sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_encode_special
)
# The same encoding made by the C encoder directly: `JSONEncoder.encode` builds a new one
# on every call, which cost more than encoding the small dicts of a page context.
_C_ENCODE = (
    c_make_encoder(None, _encode_special, encode_basestring, None, ":", ",", True, False, True)
    if c_make_encoder is not None
    else None
)


def canonical_json(value: Any) -> str:
    """Canonical JSON: sorted keys, no whitespace choices, dates tagged with their zone."""
    if _C_ENCODE is None:
        return _ENCODER.encode(value)
    return "".join(_C_ENCODE(value, 0))


def canonical_digest(value: Any) -> str:
    """A digest of plain data, equal exactly when the data is."""
    return _sha(canonical_json(value))


class Fingerprinter:
    """Digests of page contexts, each dict and list digested once per object.

    Page contexts share views (one dict per article, listed by many pages); memoizing by
    object identity hashes each view once. A dict's plain values are encoded together as
    canonical JSON; its dict and list values get their own (memoized) digests. A container
    whose text is shorter than a digest is its own digest (an empty list, a short one), so
    it is not hashed. The Fingerprinter holds every container it digested, so no identity
    it memoized is reused by another object while it lives.
    """

    def __init__(self) -> None:
        self._memo: dict[int, str] = {}
        self._held: list[Any] = []
        self._labels: dict[Collection[str], str] = {}  # `stand_in`'s names, joined once

    def digest(self, value: Any) -> str:
        """A digest of `value`, the same for any equal copy of it."""
        kind = type(value)
        if kind is str:
            return "s" + value
        if kind is dict or kind is list or kind is tuple:
            if not value:  # what its text would be: most pages' `meta` and `items`
                return "=d{}" if kind is dict else "=l"
            found = self._memo.get(id(value))
            if found is None:
                text = self._dict_text(value) if kind is dict else self._list_text(value)
                # its text when shorter than a hash (`=`), else its hash (`#`)
                found = "=" + text if len(text) < 64 else "#" + _sha(text)
                self._memo[id(value)] = found
                self._held.append(value)
            return found
        if kind in _SCALARS:
            return "v" + repr(value)
        if kind is dt.datetime:  # what `_encode_special` keeps of it, without JSON
            return f"t{value.isoformat()}\0{value.tzinfo}"
        return "v" + canonical_json(value)

    def combine(self, parts: Iterable[str]) -> str:
        """A digest of these strings in order: that of a list of them, not memoized."""
        return _sha("l" + "".join([f"{len(part) + 1}:s{part}" for part in parts]))

    def stand_in(self, value: dict[str, Any], names: Collection[str], key: str) -> None:
        """Digest the dict `value` (from now on, wherever it is met) with its fields `names`
        stood for by `key` instead of their values: the caller vouches that `key` determines
        them (an article's body by its source's parse key, all it shows of the article alone
        by its model key), so they need not be serialised. Equal digests still mean equal
        dicts."""
        plain = {name: value[name] for name in value.keys() - names}  # sorted when encoded
        label = self._labels.get(names)
        if label is None:
            label = self._labels[names] = ",".join(sorted(names))
        text = "D" + self._dict_text(plain)[1:] + f"\0{len(label)}:{label}k{key}"
        self._memo[id(value)] = "#" + _sha(text)
        self._held.append(value)

    def _list_text(self, value: Iterable[Any]) -> str:
        # A member digested before is found by its identity (only held containers are in
        # the memo, so no other live object has their identity); a hash needs no length.
        known, digest = self._memo.get, self.digest
        found = [known(id(item)) or digest(item) for item in value]
        return "l" + "".join([d if d[0] == "#" else f"{len(d)}:{d}" for d in found])

    def _dict_text(self, value: dict[str, Any]) -> str:
        held = [name for name, item in value.items() if type(item) in _CONTAINER_TYPES]
        if not held:  # most dicts: all plain values, encoded as they are
            return "d" + (canonical_json(value) if value else "{}")
        memo, digest = self._memo, self.digest
        plain = {name: item for name, item in value.items() if type(item) not in _CONTAINER_TYPES}
        nested = []
        for name in held:
            item = value[name]
            d = memo.get(id(item)) or digest(item)
            nested.append(f"{len(name)}:{name}{len(d)}:{d}")
        return "d" + (canonical_json(plain) if plain else "{}") + "".join(sorted(nested))


_CONTAINER_TYPES = frozenset((dict, list, tuple))
_SCALARS = frozenset((str, int, float, bool, type(None)))


# Filters whose output depends on the build time rather than on their arguments.
CLOCK_FILTERS = frozenset({"relative"})


def uses_clock(env: jinja2.Environment, source: str) -> bool:
    """Whether a template's source applies one of `CLOCK_FILTERS`."""
    if not any(name in source for name in CLOCK_FILTERS):
        return False
    import jinja2

    try:
        tree = env.parse(source)
    except jinja2.TemplateSyntaxError:
        return False
    return any(node.name in CLOCK_FILTERS for node in tree.find_all(jinja2.nodes.Filter))


def theme_uses_clock(theme: Theme) -> bool:
    """Whether any template of the theme chain shows a time relative to the build."""
    sources = [source for layer in theme.layers for source, _ in layer.templates.values()]
    if not any(name in source for name in CLOCK_FILTERS for source in sources):
        return False  # most themes: Jinja need not even be imported
    import jinja2

    env = jinja2.Environment(extensions=["jinja2.ext.i18n"])
    return any(uses_clock(env, source) for source in sources)


class TemplateClosure:
    """Digests of each template together with every template it can load.

    `now` (the build time as text) joins the digest of every closure that uses one of
    `CLOCK_FILTERS`, so pages showing relative dates are rendered again when it moves.
    `known`: a `table()` made earlier for templates with the same sources
    (`templates_digest`): finding closures parses every template, the table does not.
    """

    def __init__(
        self, theme: Theme, now: str = "", known: Mapping[str, tuple[str, bool]] | None = None
    ) -> None:
        import jinja2

        self.theme = theme
        self.now = now
        self.env = jinja2.Environment(extensions=["jinja2.ext.i18n"])  # only parses
        self._sources: dict[str, tuple[str, bool]] = dict(known or {})

    def names(self) -> list[str]:
        """Every template name of the theme chain, and each parent's as `@parent/name`."""
        names = set()
        for index, layer in enumerate(self.theme.layers):
            for name in layer.templates:
                names.add(name)
                if index:
                    names.add(f"@{layer.name}/{name}")
        return sorted(names)

    def closure(self, name: str) -> list[str]:
        """`name` and every template it references, transitively (all of them if dynamic)."""
        from jinja2 import TemplateSyntaxError
        from jinja2.meta import find_referenced_templates

        seen: set[str] = set()
        todo = [name]
        while todo:
            current = todo.pop()
            if current in seen:
                continue
            seen.add(current)
            found = self.theme.template_source(current)
            if found is None:
                continue
            try:
                refs: Iterable[str | None] = find_referenced_templates(self.env.parse(found[0]))
            except TemplateSyntaxError:
                continue  # rendering reports it; the page will not be cached
            for ref in refs:
                if ref is None:
                    return sorted(set(self.names()) | seen | {name})
                todo.append(ref)
        return sorted(seen)

    def _closure_sources(self, name: str) -> tuple[str, bool]:
        """A digest of the sources of `name`'s closure, and whether one of them uses the clock."""
        if name not in self._sources:
            parts, clock = [], False
            for member in self.closure(name):
                found = self.theme.template_source(member)
                parts.append(f"{member}\0{found[0] if found else '<missing>'}")
                clock = clock or bool(found and uses_clock(self.env, found[0]))
            self._sources[name] = (_sha("\0\0".join(parts)), clock)
        return self._sources[name]

    def digest(self, name: str) -> str:
        """A digest of the sources of `name`'s closure (a missing template counts as
        missing), with the build time when the closure shows relative dates."""
        sources, clock = self._closure_sources(name)
        return _sha(f"{sources}\0now\0{self.now}") if clock else sources

    def table(self) -> dict[str, tuple[str, bool]]:
        """Every template's closure digest without the build time, and whether it uses the
        clock: `known` for a later `TemplateClosure` of the same templates."""
        return {name: self._closure_sources(name) for name in self.names()}


def templates_digest(theme: Theme) -> str:
    """A digest of every template of the theme chain (names and sources, by layer)."""
    h = hashlib.sha256()
    for layer in theme.layers:
        for name in sorted(layer.templates):
            h.update(
                f"{layer.name}/{name}\0{layer.templates[name][0]}\0".encode(
                    "utf-8", "surrogatepass"
                )
            )
    return h.hexdigest()


def catalogs_digest(theme: Theme) -> str:
    """A digest of every translation catalog of the theme chain."""
    h = hashlib.sha256()
    for layer in theme.layers:
        for language in sorted(layer.catalogs):
            h.update(f"{layer.name}/{language}\0".encode() + layer.catalogs[language])
    return h.hexdigest()
