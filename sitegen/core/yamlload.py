"""The YAML loader sitegen uses: libyaml's C parser when present, no implicit timestamps.

Dates stay strings so that the model stage parses them (ISO 8601 or an Arabic date line) in
the site timezone, and so that parsed front matter stays JSON-compatible for the cache.

`load_yaml` is the only way sitegen reads YAML written by people. Before building anything it
walks the event stream and refuses what could blow up later stages: aliases (`*name`, which
allow recursive or exponentially large data), tags other than the core ones (`!!binary`,
`!!timestamp`, `!!set` make values that are not plain data) and nesting deeper than a limit.
"""

from __future__ import annotations

from typing import Any

import yaml

_Base: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# Collections nested deeper than this are refused (a mapping inside a list inside the
# top-level mapping is depth 3). `limits.max_nesting` overrides it for front matter.
DEFAULT_MAX_NESTING = 10

_CORE_TAGS = frozenset(
    {None, "!"}
    | {f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null")}
    | {"tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"}
)


class YamlLoader(_Base):  # type: ignore[misc, valid-type]
    """Safe loader (C accelerated when libyaml is present) that keeps timestamps as text."""


YamlLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class YamlRefused(yaml.MarkedYAMLError):
    """Well-formed YAML that sitegen does not accept (alias, tag, nesting, huge number)."""

    def __init__(self, problem: str, mark: yaml.Mark | None) -> None:
        super().__init__(problem=problem, problem_mark=mark)


def load_yaml(text: str, max_nesting: int = DEFAULT_MAX_NESTING) -> tuple[Any, yaml.Node | None]:
    """Plain data (str, int, float, bool, None, list, dict) and its node tree (for line
    numbers and duplicate keys) from one YAML document.

    Raises `yaml.YAMLError` with `problem` and `problem_mark` for invalid YAML and for what
    the module docstring lists.
    """
    depth = 0
    for event in yaml.parse(text, Loader=YamlLoader):
        if isinstance(event, yaml.AliasEvent):
            raise YamlRefused(
                f"aliases (*{event.anchor}) are not supported; write the value out",
                event.start_mark,
            )
        if isinstance(event, yaml.NodeEvent) and getattr(event, "tag", None) not in _CORE_TAGS:
            raise YamlRefused(f"the tag {event.tag} is not supported", event.start_mark)  # type: ignore[attr-defined]
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > max_nesting:
                raise YamlRefused(
                    f"nested deeper than {max_nesting} levels (limits.max_nesting)",
                    event.start_mark,
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    loader = YamlLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except ValueError as exc:  # an integer of more than 4300 digits
        raise YamlRefused(str(exc).split(";")[0], None) from None
    finally:
        loader.dispose()
    return data, node


def yaml_problem(exc: yaml.YAMLError, text: str) -> tuple[int | None, str]:
    """(0-based line or None, one-line message) of a YAML error raised for `text`."""
    if isinstance(exc, yaml.reader.ReaderError):
        if not isinstance(exc.character, int):  # pragma: no cover - text is already decoded
            return None, "the text cannot be read as YAML"
        line = text.count("\n", 0, max(0, text.find(chr(exc.character))))
        return line, f"character U+{exc.character:04X} is not allowed in YAML"
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or "cannot be parsed"
    context = getattr(exc, "context", None)
    return (mark.line if mark else None), problem + (f" ({context})" if context else "")
