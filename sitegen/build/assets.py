"""Fingerprinted theme assets: CSS and JS files get content-hash names in the built site
(`css/digest.css` → `css/digest.0123456789.css`), so hosts may cache them forever. Templates
reach them through `asset("css/digest.css")`, which returns the URL of the current version.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from pathlib import PurePosixPath

FINGERPRINTED_SUFFIXES = (".css", ".js")
HASH_LENGTH = 10


def fingerprinted_path(path: str, data: bytes) -> str:
    """`css/digest.css` → `css/digest.<first 10 hex digits of the SHA-256 of data>.css`."""
    pure = PurePosixPath(path)
    digest = hashlib.sha256(data).hexdigest()[:HASH_LENGTH]
    return str(pure.with_name(f"{pure.stem}.{digest}{pure.suffix}"))


def fingerprint(static: Mapping[str, bytes], theme_paths: set[str]) -> dict[str, str]:
    """Where each static file goes: theme CSS/JS (even when the site overrides its bytes) to
    a fingerprinted path, everything else to its own path."""
    return {
        path: fingerprinted_path(path, data)
        if path in theme_paths and path.endswith(FINGERPRINTED_SUFFIXES)
        else path
        for path, data in static.items()
    }


def asset_helper(placed: Mapping[str, str], base_path: str) -> Callable[[str], str]:
    """The template function `asset(path)`: the URL of a static file by its source path."""

    def asset(path: str) -> str:
        key = path.lstrip("/")
        if key not in placed:
            raise ValueError(f"asset({path!r}): no such file in the theme's or site's static/")
        return base_path + placed[key]

    return asset
