"""Check plain YAML data against frozen dataclasses and build them.

The dataclasses in `sitegen.core.config` are the schema: their type hints say what each key
accepts, their defaults make keys optional. Errors name the key path, the line where it is
written and, for unknown keys, the nearest valid key.
"""

from __future__ import annotations

import dataclasses
import difflib
import types
from collections.abc import Callable, Mapping
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints

KeyPath = tuple[str | int, ...]
# The metadata of a dataclass field that is no key: the checker fills it with the line where
# the mapping is written (for errors found later, such as a menu item naming no page).
SOURCE_LINE = {"source_line": True}


class SchemaError(Exception):
    """Raised inside the checker for one bad value; collected by `build`."""

    def __init__(self, path: KeyPath, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.path = path
        self.message = message
        self.hint = hint


def dotted(path: KeyPath) -> str:
    """`('topics', 2, 'slug')` → `topics[2].slug`."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


_TYPE_WORDS = {str: "a string", int: "an integer", bool: "true or false", float: "a number"}


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return {str: "a string", int: "an integer", float: "a number"}.get(type(value), "a value")


class Checker:
    """Turns data into instances of a dataclass schema, collecting every error; `lines`
    (`line_map`) give `SOURCE_LINE` fields their values."""

    def __init__(self, lines: Mapping[KeyPath, int] | None = None) -> None:
        self.errors: list[SchemaError] = []
        self.lines = lines or {}

    def build(self, cls: type, data: Any, path: KeyPath = ()) -> Any:
        """Build `cls` from `data`; on errors returns None and records them."""
        try:
            return self._convert(cls, data, path)
        except SchemaError as exc:
            self.errors.append(exc)
            return None

    def _convert(self, hint: Any, value: Any, path: KeyPath) -> Any:
        origin = get_origin(hint)
        if origin in (Union, types.UnionType):
            options = get_args(hint)
            if value is None and type(None) in options:
                return None
            inner = [o for o in options if o is not type(None)]
            if len(inner) == 1:
                return self._convert(inner[0], value, path)
            raise SchemaError(path, "unsupported schema union")  # pragma: no cover
        if origin is Literal:
            choices = get_args(hint)
            if value in choices:
                return value
            words = ", ".join(str(c) for c in choices)
            close = difflib.get_close_matches(str(value), [str(c) for c in choices], n=1)
            raise SchemaError(
                path,
                f"'{dotted(path)}' must be one of {words}, got {value!r}",
                f"did you mean '{close[0]}'?" if close else None,
            )
        if origin is tuple:
            (item,) = (a for a in get_args(hint) if a is not Ellipsis)
            if isinstance(value, str | int | float) and not isinstance(value, bool):
                value = [value]
            if not isinstance(value, list):
                raise SchemaError(path, f"'{dotted(path)}' must be a list, got {_describe(value)}")
            return tuple(self._item(item, v, (*path, i)) for i, v in enumerate(value))
        if origin is dict:
            _, item = get_args(hint)
            if not isinstance(value, Mapping):
                raise SchemaError(
                    path, f"'{dotted(path)}' must be a mapping, got {_describe(value)}"
                )
            return {str(k): self._item(item, v, (*path, str(k))) for k, v in value.items()}
        if dataclasses.is_dataclass(hint):
            return self._dataclass(hint, value, path)
        if hint is Any:
            return value
        return self._scalar(hint, value, path)

    def _item(self, hint: Any, value: Any, path: KeyPath) -> Any:
        try:
            return self._convert(hint, value, path)
        except SchemaError as exc:
            self.errors.append(exc)
            return None

    def _scalar(self, hint: type, value: Any, path: KeyPath) -> Any:
        if hint is float and isinstance(value, int) and not isinstance(value, bool):
            return float(value)
        if hint is str and isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
        if isinstance(value, hint) and not (hint is int and isinstance(value, bool)):
            return value
        raise SchemaError(
            path, f"'{dotted(path)}' must be {_TYPE_WORDS[hint]}, got {_describe(value)}"
        )

    def _dataclass(self, cls: Any, value: Any, path: KeyPath) -> Any:
        shorthand: Callable[[Any], Any] | None = getattr(cls, "from_shorthand", None)
        if not isinstance(value, Mapping):
            if shorthand is not None and value is not None:
                converted = shorthand(value)
                if converted is not None:
                    return self._dataclass(cls, converted, path)
            raise SchemaError(path, f"'{dotted(path) or 'config'}' must be a mapping")
        hints = get_type_hints(cls)
        # a field named like a Python word, `from_`, is the key `from`
        fields = {
            f.name.removesuffix("_"): f
            for f in dataclasses.fields(cls)
            if f.init and not f.metadata.get("source_line")
        }
        names = sorted(fields)
        kwargs: dict[str, Any] = {}
        for key, item in value.items():
            key = str(key)
            if key not in fields:
                close = difflib.get_close_matches(key, names, n=1, cutoff=0.6)
                self.errors.append(
                    SchemaError(
                        (*path, key),
                        f"unknown key '{dotted((*path, key))}'",
                        f"did you mean '{close[0]}'?"
                        if close
                        else "valid keys: " + ", ".join(names),
                    )
                )
                continue
            name = fields[key].name
            kwargs[name] = self._item(hints[name], item, (*path, key))
        incomplete = False
        for name, field in fields.items():
            required = (
                field.default is dataclasses.MISSING
                and field.default_factory is dataclasses.MISSING
            )
            if required and kwargs.get(field.name) is None:
                incomplete = True
                if name not in value:
                    where = dotted((*path, name))
                    self.errors.append(
                        SchemaError((*path, name), f"missing required key '{where}'")
                    )
        if incomplete:
            return None
        kwargs = {k: v for k, v in kwargs.items() if v is not None or _optional(hints[k])}
        for f in dataclasses.fields(cls):
            if f.metadata.get("source_line"):
                kwargs[f.name] = nearest_line(self.lines, path)
        return cls(**kwargs)


def _optional(hint: Any) -> bool:
    return get_origin(hint) in (Union, types.UnionType) and type(None) in get_args(hint)


def line_map(node: Any, path: KeyPath = ()) -> dict[KeyPath, int]:
    """Map every key path of a composed YAML node tree to its 1-based line."""
    import yaml

    lines: dict[KeyPath, int] = {path: node.start_mark.line + 1}
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key_path = (*path, str(key_node.value))
            lines.update(line_map(value_node, key_path))
            lines[key_path] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines.update(line_map(item, (*path, index)))
    return lines


def duplicate_keys(node: Any, path: KeyPath = ()) -> list[tuple[KeyPath, int]]:
    """Key paths written twice in one YAML mapping, with the line of the repeat."""
    import yaml

    found: list[tuple[KeyPath, int]] = []
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key in seen:
                found.append(((*path, key), key_node.start_mark.line + 1))
            seen.add(key)
            found.extend(duplicate_keys(value_node, (*path, key)))
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            found.extend(duplicate_keys(item, (*path, index)))
    return found


def nearest_line(lines: Mapping[KeyPath, int], path: KeyPath) -> int | None:
    """The line of `path`, or of its closest written ancestor."""
    while True:
        if path in lines:
            return lines[path]
        if not path:
            return None
        path = path[:-1]


__all__ = [
    "SOURCE_LINE",
    "Checker",
    "KeyPath",
    "SchemaError",
    "dotted",
    "duplicate_keys",
    "line_map",
    "nearest_line",
]
