"""`cached(macro, …)`: a macro's HTML rendered once per build and render process, then reused.

An article's card is shown on its day, its topic's and its tags' pages and beside related
articles; the theme calls `{{ cached(m.card, a, show_date=true) }}` and the card is rendered
the first time only. The key covers everything the output can depend on:

- the macro's compiled code, which names one macro of one template of one theme layer (a
  child theme overriding the macro has other code, so its own entries);
- every argument: a dict or list (the views, shared by every page that shows them) by
  identity, held by the entry so that the identity stays unique; anything else by value and
  type (`1`, `1.0` and `True` are equal in Python, not on a page);
- `site`, by identity. The environment (one per theme and build) fixes the rest: catalogs,
  filters, the build time.

What the key cannot see, the macro must not read: the first time a macro is cached, the names
it reads are checked (a source that passed is remembered in the template cache, so later builds
do not parse it again). It may read its arguments, `site`, globals (`_`, `asset` …) and its own
template's macros and top-level variables (transitively); any other name (`page`, a loop
variable of the caller) would differ between pages, so it is an error naming it.
"""

from __future__ import annotations

from collections.abc import Iterable
from types import CodeType
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.runtime import Macro

from sitegen.build.template_cache import TemplateCache

LIMIT = 50_000  # entries kept per environment (cards of 10k articles in a few variants)
_IMPLICIT = frozenset({"loop", "caller", "varargs", "kwargs", "site"})
CHECK = "cached-macro-reads"  # what a passed check is remembered as (`TemplateCache.passed`)


class FragmentCache:
    """The memo behind one environment's `cached` template global (`render`)."""

    def __init__(self, env: jinja2.Environment) -> None:
        self.env = env
        self.results: dict[tuple[Any, ...], tuple[str, tuple[Any, ...]]] = {}
        self.checked: set[CodeType] = set()

    @jinja2.pass_context
    def render(self, context: Any, macro: Any, /, *args: Any, **kwargs: Any) -> str:
        """`macro(*args, **kwargs)`, rendered only the first time."""
        if not isinstance(macro, Macro):
            raise jinja2.TemplateRuntimeError("cached() takes a macro as its first argument")
        code = macro._func.__code__
        named = sorted(kwargs.items())
        held = (context.get("site"), *args, *(value for _, value in named))
        try:
            key = (code, *map(_key, held), *(name for name, _ in named))
            return self.results[key][0]
        except KeyError:
            pass
        except TypeError:  # an unhashable argument that is not a dict or list
            return macro(*args, **kwargs)
        if code not in self.checked:
            self._check(macro, code)
        if len(self.results) >= LIMIT:
            self.results.clear()
        html = macro(*args, **kwargs)
        self.results[key] = (html, held)  # holding the arguments keeps their ids unique
        return html

    def _check(self, macro: Macro, code: CodeType) -> None:
        """Refuse a macro that reads names its key does not cover."""
        template = code.co_filename
        name = macro._func.__globals__.get("name")
        if name is None:
            raise jinja2.TemplateRuntimeError(f"cached(): macro {macro.name!r} has no template")
        source, _, _ = self.env.loader.get_source(self.env, name)  # type: ignore[union-attr]
        store = self.env.bytecode_cache
        facts = (name, source, macro.name, *sorted(self.env.globals))
        if isinstance(store, TemplateCache) and store.passed(CHECK, *facts):
            self.checked.add(code)  # this source passed in an earlier build
            return
        tree = self.env.parse(source, name, template)
        unseen = _Reads(tree).of_macro(macro.name) - set(self.env.globals)
        if unseen:
            listed = ", ".join(sorted(unseen))
            raise jinja2.TemplateRuntimeError(
                f"cached(): macro {macro.name!r} of {template} reads {listed}, which differs "
                "between pages; pass it as an argument or call the macro without cached()"
            )
        self.checked.add(code)
        if isinstance(store, TemplateCache):
            store.note_passed(CHECK, *facts)


def _key(value: Any) -> tuple[Any, ...]:
    if type(value) is dict or type(value) is list:
        return (id(value),)
    return (value, type(value), getattr(value, "tzinfo", None))


class _Reads:
    """The names the macros of one template read from the page's context."""

    def __init__(self, tree: nodes.Template) -> None:
        self.macros: dict[str, list[nodes.Macro]] = {}
        self.assigned: dict[str, list[nodes.Node]] = {}  # top-level set and import
        for macro in tree.find_all(nodes.Macro):
            self.macros.setdefault(macro.name, []).append(macro)
        for node in tree.body:
            if isinstance(node, nodes.Assign | nodes.AssignBlock):
                for target in _walk(node.target):
                    if isinstance(target, nodes.Name):
                        self.assigned.setdefault(target.name, []).append(node)
            for target in _imported(node):
                self.assigned.setdefault(target, []).append(node)

    def of_macro(self, name: str) -> set[str]:
        """Names the macro `name` reads from the context, following its template's names."""
        found: set[str] = set()
        seen: set[str] = set()
        todo = [name]
        while todo:
            current = todo.pop()
            if current in seen:
                continue
            seen.add(current)
            for node in self.macros.get(current, ()):
                todo.extend(_free_names(node.find_all(nodes.Node), _stored(node)))
            for node in self.assigned.get(current, ()):
                todo.extend(_free_names(_walk(node), set()))
            if current not in self.macros and current not in self.assigned:
                found.add(current)
        return found - _IMPLICIT


def _imported(node: nodes.Node) -> list[str]:
    """The names an import binds."""
    if isinstance(node, nodes.Import):
        return [node.target]
    if isinstance(node, nodes.FromImport):
        return [n if isinstance(n, str) else n[1] for n in node.names]
    return []


def _stored(macro: nodes.Macro) -> set[str]:
    """Parameters and every name the macro binds (set, for, with, nested macros, imports)."""
    names = {n.name for n in macro.find_all(nodes.Name) if n.ctx in ("store", "param")}
    for node in macro.find_all(nodes.Import | nodes.FromImport):
        names.update(_imported(node))
    return names


def _walk(node: nodes.Node) -> Iterable[nodes.Node]:
    yield node
    yield from node.find_all(nodes.Node)


def _free_names(found: Iterable[nodes.Node], stored: set[str]) -> list[str]:
    """Names read (not stored) among `found`; an include or an import with context reads the
    whole context."""
    names: list[str] = []
    for node in found:
        if isinstance(node, nodes.Name) and node.ctx == "load" and node.name not in stored:
            names.append(node.name)
        elif isinstance(node, nodes.Include):
            names.append("the whole context (an include)")
        elif isinstance(node, nodes.Import | nodes.FromImport) and node.with_context:
            names.append("the whole context (an import with context)")
    return names
