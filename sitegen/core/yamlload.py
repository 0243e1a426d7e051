"""The YAML loader sitegen uses: libyaml's C parser when present, no implicit timestamps.

Dates stay strings so that the model stage parses them (ISO 8601 or an Arabic date line) in
the site timezone, and so that parsed front matter stays JSON-compatible for the cache.

`load_yaml` is the only way sitegen reads YAML written by people. Before building any value it
refuses what could blow up later stages: aliases (`*name`, which allow recursive or
exponentially large data), tags other than the core ones (`!!binary`, `!!timestamp`, `!!set`
make values that are not plain data) and nesting deeper than a limit. libyaml composes the
node tree (it stops at 1,000 levels by itself), which is checked before it is turned into data;
a document that fails is walked event by event, to name the first problem as it is written.
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

    The document is composed once, by libyaml, and its node tree checked: a node met twice is
    an alias, every tag must be a core one, collections nest at most `max_nesting` deep. Only
    a document that fails (invalid, refused, or with a merge key `<<`, whose tag is not a core
    one) is read again event by event, which finds the first problem in the text's order and
    words it with the event's anchor, tag and line.
    """
    loader = YamlLoader(text)
    try:
        node = loader.get_single_node()
    except Exception:  # invalid: the event walk finds and words the first problem
        node = _FAILED
    if node is _FAILED or (node is not None and not _plain_tree(node, max_nesting)):
        loader.dispose()
        return _load_by_events(text, max_nesting)
    if node is None:
        loader.dispose()
        return None, None
    return _construct(loader, node)


_FAILED: Any = object()
_PLAIN_TAGS = _CORE_TAGS - {None, "!"}


def _plain_tree(root: yaml.Node, max_nesting: int) -> bool:
    """Whether a composed tree has no alias (a node met twice), only core tags, and no
    collection nested deeper than `max_nesting`: walked level by level."""
    seen: set[int] = set()
    level, depth = [root], 1
    while level:
        deeper: list[yaml.Node] = []
        for node in level:
            if node.tag not in _PLAIN_TAGS or id(node) in seen:
                return False
            seen.add(id(node))
            value = node.value
            if value.__class__ is list:  # a collection (a scalar's value is a str)
                if depth > max_nesting:
                    return False
                if node.__class__ is yaml.MappingNode:
                    for key, item in value:
                        deeper += (key, item)
                else:
                    deeper += value
        level, depth = deeper, depth + 1
    return True


def _load_by_events(text: str, max_nesting: int) -> tuple[Any, yaml.Node | None]:
    """`load_yaml` that walks the event stream first and refuses at the first alias,
    non-core tag or too deep collection, then composes."""
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
    return _construct(loader, None)


def _construct(loader: Any, node: Any) -> tuple[Any, yaml.Node | None]:
    """The data of `node` (composed by `loader` first when None)."""
    try:
        if node is None:
            node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except ValueError as exc:  # an integer of more than 4300 digits, `!!int x`
        raise YamlRefused(str(exc).split(";")[0], None) from None
    except (IndexError, KeyError):  # `!!int ""`, `!!bool x`
        raise _invalid_scalar(loader, node) from None
    finally:
        loader.dispose()
    return data, node


def _invalid_scalar(loader: Any, root: yaml.Node) -> YamlRefused:
    """The refusal of the first scalar whose explicit core tag does not fit its text."""
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.MappingNode):
            stack.extend(child for pair in reversed(node.value) for child in reversed(pair))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(reversed(node.value))
        else:
            try:
                loader.yaml_constructors[node.tag](loader, node)
            except (IndexError, KeyError):
                name = node.tag.rsplit(":", 1)[-1]
                return YamlRefused(f"{node.value[:40]!r} is not a valid !!{name}", node.start_mark)
    return YamlRefused("a value does not fit its tag", None)  # pragma: no cover - one raised


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
