"""Static files as published: `place_static` decides where the theme's and the site's static
files and the processed images go. Theme CSS and JS files get content-hash names in the built
site (`css/digest.css` → `css/digest.0123456789.css`), so hosts may cache them forever.
Templates reach them through `asset("css/digest.css")`, which returns the URL of the current
version (`Routes.url` of its output path).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath

from sitegen.build.load import StaticFile
from sitegen.build.routes import Routes

FINGERPRINTED_SUFFIXES = (".css", ".js")
HASH_LENGTH = 10
_HASH = re.compile(f"[0-9a-f]{{{HASH_LENGTH}}}")


def fingerprinted_path(path: str, data: bytes) -> str:
    """`css/digest.css` → `css/digest.<first 10 hex digits of the SHA-256 of data>.css`."""
    pure = PurePosixPath(path)
    digest = hashlib.sha256(data).hexdigest()[:HASH_LENGTH]
    return str(pure.with_name(f"{pure.stem}.{digest}{pure.suffix}"))


def unfingerprinted(path: str) -> str:
    """`css/digest.0123456789.css` → `css/digest.css` (other paths as they are)."""
    pure = PurePosixPath(path)
    stem, dot, digest = pure.stem.rpartition(".")
    if pure.suffix not in FINGERPRINTED_SUFFIXES or not dot or not _HASH.fullmatch(digest):
        return path
    return str(pure.with_name(stem + pure.suffix))


def fingerprint(static: Mapping[str, bytes], theme_paths: set[str]) -> dict[str, str]:
    """Where each static file goes: theme CSS/JS (even when the site overrides its bytes) to
    a fingerprinted path, everything else to its own path."""
    return {
        path: fingerprinted_path(path, data)
        if path in theme_paths and path.endswith(FINGERPRINTED_SUFFIXES)
        else path
        for path, data in static.items()
    }


def asset_helper(placed: Mapping[str, str], routes: Routes) -> Callable[[str], str]:
    """The template function `asset(path)`: the URL of a static file by its source path."""

    def asset(path: str) -> str:
        key = path.lstrip("/")
        if key not in placed:
            raise ValueError(f"asset({path!r}): no such file in the theme's or site's static/")
        return routes.url(placed[key])

    return asset


@dataclass(frozen=True)
class PlacedStatic:
    """The static files of a build as published: `files` maps an output path to its bytes
    and its source (a theme or site file, or `processed images`); `placed` maps a static
    file's own path to its output path (for `asset()`)."""

    files: dict[str, tuple[bytes, str]]
    placed: dict[str, str]

    def fingerprinted(self, url: Callable[[str], str]) -> tuple[str, ...]:
        """The URLs of the files published under a fingerprinted name, sorted."""
        return tuple(sorted(url(new) for old, new in self.placed.items() if new != old))


def place_static(
    theme_files: Iterable[StaticFile],
    site_files: Iterable[StaticFile],
    images: Mapping[str, bytes],
    image_sources: Collection[str],
) -> PlacedStatic:
    """Where every static file goes: the theme's, then the site's (which override the
    theme's; the image files in `image_sources` are published only as their processed
    `images`), then the processed images; theme CSS and JS under fingerprinted names."""
    static: dict[str, tuple[bytes, str]] = {}
    theme_paths = set()
    for file in theme_files:
        static[file.url_path] = (file.data, file.origin)
        theme_paths.add(file.url_path)
    for file in site_files:
        if file.origin not in image_sources:
            static[file.url_path] = (file.data, file.origin)
    for path, data in images.items():
        static[path] = (data, "processed images")
    placed = fingerprint({p: data for p, (data, _) in static.items()}, theme_paths)
    return PlacedStatic({placed[p]: entry for p, entry in static.items()}, placed)
