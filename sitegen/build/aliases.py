"""Old URLs of articles (`aliases:` in front matter): which ones a static redirect page can
serve, and the problems with the others. Pure.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import SplitResult, unquote, urlsplit

from sitegen.build.model import Article
from sitegen.build.pages import Page
from sitegen.build.routes import Routes
from sitegen.core.diagnostics import Diagnostic, error

_DEFAULT_PORTS = {"http": 80, "https": 443}
# Not in a file name the writer accepts, or not safe in one: backslashes (separators on Windows and in
# some servers' decoding) and C0/C1 control characters, NUL and line breaks included.
_UNSAFE = re.compile(r"[\\\x00-\x1f\x7f-\x9f]")


def _origin(parts: SplitResult) -> tuple[str | None, int | None] | None:
    """Host and port of a URL (a scheme's default port counts as none; None if malformed)."""
    try:
        port = parts.port
    except ValueError:
        return None
    return parts.hostname, None if port == _DEFAULT_PORTS.get(parts.scheme) else port


def alias_problem(alias: str, routes: Routes) -> str | None:
    """Why a redirect page cannot be written for `alias`, or None when it can."""
    if _UNSAFE.search(alias) or _UNSAFE.search(unquote(alias)):
        return f"alias {alias!r} has a backslash or a control character, as written or encoded"
    config = routes.config
    parts = urlsplit(alias)
    if parts.scheme not in ("", "http", "https"):
        return f"alias {alias!r} must be a path such as /old/url/ or an http(s) URL"
    if parts.netloc:
        on_site = _origin(parts) == _origin(urlsplit(config.base_url))
        if not on_site or not unquote(parts.path).startswith(unquote(config.base_path)):
            return f"alias {alias!r} is not on this site ({config.base_url})"
    if parts.query or parts.fragment:
        return f"alias {alias!r} has a query or fragment, which a static redirect page cannot match"
    path = routes.alias(alias)
    if not path:
        return f"alias {alias!r} is the home page"
    if any(segment in ("", ".", "..") for segment in path.removesuffix("/").split("/")):
        return f"alias {alias!r} has an empty, '.' or '..' segment"
    return None


def alias_paths(article: Article | Page, routes: Routes) -> list[str]:
    """The paths of an article's (or a page's) usable aliases, without repeats."""
    return list(
        dict.fromkeys(routes.alias(a) for a in article.aliases if alias_problem(a, routes) is None)
    )


def check_aliases(articles: Iterable[Article | Page], routes: Routes) -> list[Diagnostic]:
    """Every alias that cannot become a redirect page, at its article's (or page's) `aliases`
    line."""
    return [
        error(article.path, article.lines.get("aliases"), problem)
        for article in articles
        for alias in article.aliases
        if (problem := alias_problem(alias, routes)) is not None
    ]
