"""Internal links, anchors and files: every URL a page uses must be served by the site."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import unquote, urljoin, urlsplit

from sitegen.build.images.references import is_remote
from sitegen.build.markdown_ext import ID_PREFIX
from sitegen.check.html_scan import PageScan, Reference
from sitegen.check.locate import Locator
from sitegen.core.diagnostics import Diagnostic, error, warning

_MEDIA = {"img", "source", "video", "audio"}


def page_url(output_file: str, base_path: str) -> str:
    """The URL a built file is served at: `a/index.html` → `/a/`."""
    return base_path + output_file.removesuffix("index.html")


def target_file(path: str, files: Mapping[str, bytes] | set[str]) -> str | None:
    """The built file serving a site-relative path, as a static host would pick it."""
    if path == "" or path.endswith("/"):
        candidates = [path + "index.html"]
    else:
        candidates = [path, path + "/index.html"]
    return next((c for c in candidates if c in files), None)


def internal_path(url: str, page: str, base_path: str, origin: str) -> tuple[str, str] | None:
    """(site-relative path, fragment) of a URL of this site, or None for other sites, mail,
    data URLs and such. A path outside the base path keeps its leading `/`."""
    parts = urlsplit(url)
    if parts.scheme and parts.scheme not in ("http", "https"):
        return None
    if parts.netloc and f"{parts.scheme or 'https'}://{parts.netloc}" != origin:
        return None
    resolved = urlsplit(urljoin(page, url))
    path = unquote(resolved.path)
    relative = path[len(base_path) :] if path.startswith(base_path) else path
    return relative, unquote(resolved.fragment)


def check_links(
    pages: Mapping[str, PageScan],
    files: Mapping[str, bytes],
    base_path: str,
    origin: str,
    locator: Locator,
    placeholders: frozenset[str] = frozenset(),
) -> list[Diagnostic]:
    """Broken links and anchors, missing images and files, images without `alt` (an article's
    own images are the build's business: it processes them and warns about missing alt text;
    remote images in an article's body are checked here). `placeholders` are links a sender
    fills in (`email.unsubscribe`), not checked."""
    found: list[Diagnostic] = []
    for output_file, scan in pages.items():
        here = page_url(output_file, base_path)
        for ref in scan.references:
            if ref.url in placeholders:
                continue
            message = _problem(ref, here, files, pages, base_path, origin, output_file)
            if message:
                where = locator.locate(output_file, ref.line, _spellings(ref.url))
                found.append(error(*where, message))
        for src, line in scan.images_without_alt:
            if locator.in_body(output_file, line) and not is_remote(src):
                continue  # the build processed the image and warned
            where = locator.locate(output_file, line, (src, unquote(src)))
            message = f"image {src} has no alt text"
            found.append(warning(*where, message, 'use alt="" for decoration'))
    return found


def _spellings(url: str) -> tuple[str, ...]:
    """How a URL may be written in the source: encoded or not, and a same-page link without
    the prefix the Markdown renderer gives body ids (`#body-x` is written `#x`)."""
    spellings = (url, unquote(url))
    if url.startswith("#" + ID_PREFIX):
        spellings += tuple("#" + s[1 + len(ID_PREFIX) :] for s in spellings)
    return spellings


def _problem(
    ref: Reference,
    here: str,
    files: Mapping[str, bytes],
    pages: Mapping[str, PageScan],
    base_path: str,
    origin: str,
    output_file: str,
) -> str | None:
    inside = internal_path(ref.url, here, base_path, origin)
    if inside is None:
        return None
    path, fragment = inside
    if path.startswith("/"):
        return f"link {ref.url} leads outside the site (base path {base_path})"
    target = output_file if ref.url.startswith("#") else target_file(path, files)
    if target is None:
        kind = "image" if ref.tag in _MEDIA else "link" if ref.tag == "a" else "file"
        what = {"image": "missing image", "link": "broken link", "file": "missing file"}[kind]
        return f"{what} {ref.url}: nothing is built at {base_path}{path}"
    if fragment and target in pages and fragment not in pages[target].ids:
        return f"broken anchor in {ref.url}: no id {fragment!r} on {base_path}{path}"
    return None
