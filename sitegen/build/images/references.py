"""Where an article's images live, and how `<img>` tags in its body become responsive. Pure.

An image reference is an http(s) URL (left as is), `/path` or `static/path` (a file under
`static/`), or a relative path: next to the article first, then under `static/`.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from html import escape
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

from sitegen.build.images.responsive import ResponsiveImage
from sitegen.core.config import STATIC_FOLDER

_IMG_TAG = re.compile(r"""<img\b(?:[^>"']|"[^"]*"|'[^']*')*>""", re.IGNORECASE)
# Attributes a responsive <img> gets from its processed image; the author's values are replaced.
GENERATED = frozenset(("src", "srcset", "sizes", "width", "height", "loading", "decoding"))


def is_remote(value: str) -> bool:
    """True for URLs sitegen leaves alone: http(s) and protocol-relative `//host/…`."""
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") or (not parts.scheme and bool(parts.netloc))


def candidates(value: str, article_path: str) -> tuple[str, ...] | None:
    """Site-relative paths the reference may name, in order; None if it cannot name a file.

    A reference with another scheme (`data:`, `file:`) or one that climbs out of `content/`
    or `static/` names no file.
    """
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    path = unquote(parts.path)
    if path.startswith("/"):
        found = [_inside(STATIC_FOLDER, path.lstrip("/"))]
    elif path.startswith(STATIC_FOLDER + "/"):
        found = [_inside(STATIC_FOLDER, path[len(STATIC_FOLDER) + 1 :])]
    else:
        folder = posixpath.dirname(article_path)
        root = article_path.split("/", 1)[0]
        found = [
            _inside(root, posixpath.join(folder[len(root) + 1 :], path)),
            _inside(STATIC_FOLDER, path),
        ]
    kept = tuple(p for p in found if p)
    return kept or None


def _inside(root: str, relative: str) -> str | None:
    normal = posixpath.normpath(relative)
    if normal in (".", "..") or normal.startswith(("../", "/")):
        return None
    return f"{root}/{normal}"


@dataclass(frozen=True)
class ImgTag:
    """One `<img>` tag of an HTML fragment: its span and its attributes in order."""

    start: int
    end: int
    attributes: tuple[tuple[str, str], ...]

    def get(self, name: str) -> str | None:
        return next((value for key, value in self.attributes if key == name), None)


class _TagReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.attributes: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.attributes = [(key, value or "") for key, value in attrs]

    handle_startendtag = handle_starttag


def img_tags(html: str) -> list[ImgTag]:
    """Every `<img>` tag in `html`, in document order."""
    tags = []
    for match in _IMG_TAG.finditer(html):
        reader = _TagReader()
        reader.feed(match.group())
        reader.close()
        tags.append(ImgTag(match.start(), match.end(), tuple(reader.attributes)))
    return tags


def picture_html(image: ResponsiveImage, tag: ImgTag, sizes: str, lazy: bool) -> str:
    """A `<picture>` with a WebP `<source>` and a fallback `<img>` keeping the tag's own
    attributes (alt, title, class, …) and stating the displayed width and height."""
    generated = [
        ("src", image.src),
        ("srcset", image.srcset),
        ("sizes", sizes),
        ("width", str(image.width)),
        ("height", str(image.height)),
    ]
    own = [(key, value) for key, value in tag.attributes if key not in GENERATED]
    loading = [("loading", "lazy")] if lazy else []
    attributes = [*generated, *own, *loading, ("decoding", "async")]
    img = "<img " + " ".join(f'{key}="{escape(value)}"' for key, value in attributes) + ">"
    if not image.webp_srcset:
        return f"<picture>{img}</picture>"
    source = (
        f'<source type="image/webp" srcset="{escape(image.webp_srcset)}" sizes="{escape(sizes)}">'
    )
    return f"<picture>{source}{img}</picture>"


def missing_image_html(tag: ImgTag) -> str:
    """What stands for an image whose file was not found: its alt text, marked as such."""
    return f'<span class="image-missing">{escape(tag.get("alt") or "")}</span>'
