"""The Jinja environment for a theme: autoescape, strict undefined, gettext, sitegen filters."""

from __future__ import annotations

import json
from collections.abc import Callable
from email.utils import format_datetime
from typing import Any

import jinja2
from markupsafe import Markup

from sitegen.localize import Localizer
from sitegen.theme import Theme


def make_environment(
    theme: Theme,
    localizer: Localizer,
    language: str,
    asset: Callable[[str], str] | None = None,
) -> jinja2.Environment:
    """An environment that loads templates from the in-memory theme snapshot; `asset` is the
    `asset(path)` template function (see sitegen.assets)."""

    def load(name: str) -> tuple[str, str, Any] | None:
        found = theme.template_source(name)
        if found is None:
            return None
        source, shown = found
        return source, shown, lambda: True

    env = jinja2.Environment(
        loader=jinja2.FunctionLoader(load),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.install_gettext_translations(theme.translations(language), newstyle=True)  # type: ignore[attr-defined]
    env.filters.update(
        date=localizer.date,
        time=localizer.time,
        hijri=localizer.hijri,
        number=localizer.number,
        digits=lambda value: localizer.shown_digits(str(value)),
        month_name=localizer.month_name,
        relative=localizer.relative,
        isodate=localizer.iso,
        json=to_json,
        rfc822=format_datetime,
    )
    if asset is not None:
        env.globals["asset"] = asset
    return env


def to_json(value: Any) -> Markup:
    """JSON safe inside `<script>`: `<`, `>` and `&` are escaped as unicode escapes."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)
