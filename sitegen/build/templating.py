"""The Jinja environment for a theme: autoescape, strict undefined, gettext, sitegen filters."""

from __future__ import annotations

import json
from collections.abc import Callable
from email.utils import format_datetime
from functools import cache, lru_cache
from typing import Any

import jinja2
from markupsafe import Markup

from sitegen.build.fragments import FragmentCache
from sitegen.build.template_cache import attach_template_cache
from sitegen.build.theme import Theme
from sitegen.core.localize import Localizer

MEMO_LIMIT = 100_000  # results kept per filter (a few MB)


class SiteEnvironment(jinja2.Environment):
    """Jinja with a fast path for `view.key`: contexts are plain dicts, so look up the key first.

    Jinja's default tries the attribute first and pays for an AttributeError on every dict
    lookup. The only difference: a context key named like a dict method (`items`) wins over
    the method, which is what a template author means.
    """

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)


def make_environment(
    theme: Theme,
    localizer: Localizer,
    language: str,
    asset: Callable[[str], str] | None = None,
) -> jinja2.Environment:
    """An environment that loads templates from the in-memory theme snapshot; `asset` is the
    `asset(path)` template function (see sitegen.build.assets)."""

    def load(name: str) -> tuple[str, str, Any] | None:
        found = theme.template_source(name)
        if found is None:
            return None
        source, shown = found
        return source, shown, lambda: True

    env = SiteEnvironment(
        loader=jinja2.FunctionLoader(load),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    translations = theme.translations(language)
    env.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
    gettext, ngettext = fast_gettext(translations)
    env.globals.update({"_": gettext, "gettext": gettext, "ngettext": ngettext})
    env.globals["cached"] = FragmentCache(env).render
    localized = {
        "date": memoized(localizer.date),
        "time": memoized(localizer.time),
        "hijri": memoized(localizer.hijri),
        "number": memoized(localizer.number),
        "digits": lambda value: localizer.shown_digits(str(value)),
        "month_name": localizer.month_name,
        "relative": localizer.relative,
        "isodate": localizer.iso,
    }
    env.filters.update({name: at_render(f) for name, f in localized.items()})
    env.filters.update(json=to_json, rfc822=format_datetime)
    env.tests["prefix_of"] = prefix_of
    if asset is not None:
        env.globals["asset"] = asset
    attach_template_cache(env)  # last: its key digests the filters and tests
    return env


def at_render(function: Callable[..., Any]) -> Callable[..., Any]:
    """A filter whose result depends on the environment (its language's dates and digits),
    never evaluated while a template compiles.

    Jinja computes a filter of constants (`{{ 5 | number }}`) when it compiles the template,
    unless the filter takes the render context. Compiled code is shared by every environment
    of the same settings (`sitegen.build.template_cache`: an Arabic and an English edition
    of one site), so it must not hold one language's result.
    """

    @jinja2.pass_context
    def call(_context: Any, /, *args: Any, **kwargs: Any) -> Any:
        return function(*args, **kwargs)

    return call


def fast_gettext(translations: Any) -> tuple[Callable[..., str], Callable[..., str]]:
    """Jinja's new-style `gettext`/`_` and `ngettext`, with one call instead of three.

    Same behaviour as `jinja2.ext`'s: the translation is autoescaped as Markup and always
    %-formatted with the keyword arguments (`num` defaults to the count). Lookups are
    memoized: catalogs do not change during a build; so is the Markup of a translation
    without variables (most of a page's: 15 an article page).
    """
    lookup = lru_cache(maxsize=None)(translations.gettext)
    plural = lru_cache(maxsize=None)(translations.ngettext)

    @cache
    def constant(string: str) -> Markup:
        return Markup(lookup(string)) % {}

    @jinja2.pass_eval_context
    def gettext(eval_ctx: Any, string: str, /, **variables: Any) -> str:
        if not variables and eval_ctx.autoescape:
            return constant(string)
        text = lookup(string)
        return (Markup(text) if eval_ctx.autoescape else text) % variables

    @jinja2.pass_eval_context
    def ngettext(
        eval_ctx: Any, singular: str, plural_form: str, num: int, /, **variables: Any
    ) -> str:
        variables.setdefault("num", num)
        text = plural(singular, plural_form, num)
        return (Markup(text) if eval_ctx.autoescape else text) % variables

    return gettext, ngettext


def memoized(function: Callable[..., str]) -> Callable[..., str]:
    """A formatting filter that remembers its results (a site formats each date many times).

    The key includes each argument's type and time zone: aware datetimes that are equal as
    instants but lie in different zones must not share a result.
    """
    cache: dict[tuple[Any, ...], str] = {}

    def call(*args: Any, **kwargs: Any) -> str:
        values = (*args, *sorted(kwargs.items()))
        key = tuple((v, type(v), getattr(v, "tzinfo", None)) for v in values)
        try:
            return cache[key]
        except KeyError:
            if len(cache) >= MEMO_LIMIT:
                cache.clear()
            result = cache[key] = function(*args, **kwargs)
            return result
        except TypeError:  # an unhashable argument
            return function(*args, **kwargs)

    return call


def prefix_of(value: Any, text: Any) -> bool:
    """The `prefix_of` test: `"/a/" is prefix_of("/a/b/")` (the URLs a page is under)."""
    return isinstance(value, str) and isinstance(text, str) and text.startswith(value)


def to_json(value: Any) -> Markup:
    """JSON safe inside `<script>`: `<`, `>` and `&` are escaped as unicode escapes."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)
