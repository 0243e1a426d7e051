"""Files some static hosts read from the site's root: `_headers` and `_redirects`.

Netlify and Cloudflare Pages read both (GitLab Pages reads `_redirects`); other hosts would
serve them as plain files, so they are written only when a deploy target asks for them. URL
paths are written percent-encoded, the form the hosts match against request paths.

With `_redirects`, the redirect pages the build made at the old URLs are left out: Netlify
serves a file that exists at a URL instead of its redirect rule ("shadowing"), and the force
mark that overrides it (`301!`) is not valid on Cloudflare Pages, which drops such a rule.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from urllib.parse import quote, unquote

HEADERS_FILE = "_headers"
REDIRECTS_FILE = "_redirects"
IMMUTABLE = "public, max-age=31536000, immutable"
_PATH_SAFE = "/-._~!$&'()*+,;=:@"


def encode_path(path: str) -> str:
    """A URL path percent-encoded exactly once, whether it comes encoded or not."""
    return quote(unquote(path), safe=_PATH_SAFE)


def headers_text(asset_paths: Iterable[str]) -> str:
    """`_headers` rules caching each fingerprinted asset for a year, as immutable."""
    return "".join(
        f"{path}\n  Cache-Control: {IMMUTABLE}\n"
        for path in sorted({encode_path(p) for p in asset_paths})
    )


def redirects_text(aliases: Iterable[tuple[str, str]]) -> str:
    """`_redirects` rules: a permanent redirect from each old URL path to its new one."""
    return "".join(
        f"{old} {new} 301\n"
        for old, new in sorted((encode_path(o), encode_path(n)) for o, n in aliases)
    )


def write_extras(
    output_dir: Path,
    *,
    assets: Iterable[str] = (),
    aliases: Iterable[tuple[str, str]] = (),
    redirect_pages: Iterable[str] = (),
    headers: bool = False,
    redirects: bool = False,
) -> None:
    """Write the requested files into the built site. Rules of a `_headers` or `_redirects`
    file the site already has (copied from `static/`) come first, so they take precedence.
    With `_redirects` written, `redirect_pages` (output-relative files of the HTML redirect
    pages at the aliases) are removed, so no file at an old URL shadows its rule."""
    wanted = {
        HEADERS_FILE: headers_text(assets) if headers else "",
        REDIRECTS_FILE: redirects_text(aliases) if redirects else "",
    }
    for name, rules in wanted.items():
        if not rules:
            continue
        path = output_dir / name
        own = path.read_text(encoding="utf-8") if path.is_file() else ""
        if own and not own.endswith("\n"):
            own += "\n"
        path.write_text(own + rules, encoding="utf-8")
        if name == REDIRECTS_FILE:
            _remove_pages(output_dir, redirect_pages)


def _remove_pages(output_dir: Path, pages: Iterable[str]) -> None:
    """Delete each page and the folders that it leaves empty."""
    for page in pages:
        path = output_dir / page
        path.unlink(missing_ok=True)
        for folder in path.parents:
            if (
                folder == output_dir
                or not folder.is_relative_to(output_dir)
                or any(folder.iterdir())
            ):
                break
            folder.rmdir()
