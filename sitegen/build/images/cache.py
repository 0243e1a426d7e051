"""A content-addressed disk cache of processed images, safe to delete at any time.

An entry is a folder named by its key (sha256 of the source bytes, the settings that shape the
output, this module's processor version and Pillow's version) holding `entry.json` and one file
per variant. Entries are written to a temporary folder and renamed into place, and every
variant's sha256 is checked on read, so a damaged entry is reported and processed again.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import PIL

from sitegen.build.images.process import PROCESSOR_VERSION, ProcessedImage, Variant
from sitegen.core.image_settings import ImageSettings

ENTRY_FILE = "entry.json"
EXTENSIONS = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/gif": "gif",
    "image/webp": "webp",
    "image/svg+xml": "svg",
}


def cache_key(source_digest: str, settings: ImageSettings) -> str:
    """The key of one source (by the sha256 of its bytes, `ImageSource.digest`) under these
    settings; also names its published files."""
    params = {
        "source": source_digest,
        "settings": settings.output_params(),
        "processor": PROCESSOR_VERSION,
        "pillow": PIL.__version__,
    }
    return hashlib.sha256(json.dumps(params, sort_keys=True).encode()).hexdigest()


class CorruptEntry(Exception):
    """A cache entry that cannot be trusted; the message says why."""


class ImageCache:
    """Processed images under `directory` (normally `<site>/.sitegen/cache/images`)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def entry_path(self, key: str) -> Path:
        return self.directory / key[:2] / key

    def load(self, key: str) -> ProcessedImage | None:
        """The cached result for `key`, None if absent; raise `CorruptEntry` if it is damaged."""
        folder = self.entry_path(key)
        try:
            raw = (folder / ENTRY_FILE).read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise CorruptEntry(str(exc)) from None
        try:
            entry = json.loads(raw)
            variants = tuple(_load_variant(folder, item) for item in entry["variants"])
            return ProcessedImage(
                int(entry["width"]), int(entry["height"]), bool(entry["animated"]), variants
            )
        except (ValueError, KeyError, TypeError, OSError) as exc:
            raise CorruptEntry(f"{type(exc).__name__}: {exc}") from None

    def store(self, key: str, image: ProcessedImage) -> None:
        """Write an entry atomically; an existing entry for `key` is replaced."""
        folder = self.entry_path(key)
        folder.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{key[:8]}-", dir=folder.parent))
        try:
            items = []
            for index, variant in enumerate(image.variants):
                name = f"{index}.{EXTENSIONS[variant.media_type]}"
                (staging / name).write_bytes(variant.data)
                items.append(
                    {
                        "file": name,
                        "width": variant.width,
                        "height": variant.height,
                        "media_type": variant.media_type,
                        "sha256": hashlib.sha256(variant.data).hexdigest(),
                    }
                )
            entry = {
                "width": image.width,
                "height": image.height,
                "animated": image.animated,
                "variants": items,
            }
            (staging / ENTRY_FILE).write_text(json.dumps(entry, indent=1), encoding="utf-8")
            shutil.rmtree(folder, ignore_errors=True)
            os.replace(staging, folder)
        finally:
            shutil.rmtree(staging, ignore_errors=True)

    def prune(self, keep: Iterable[str]) -> int:
        """Delete every entry whose key is not in `keep`; return how many were deleted."""
        wanted = set(keep)
        removed = 0
        for folder in sorted(self.directory.glob("??/*")):
            if folder.name not in wanted:
                shutil.rmtree(folder, ignore_errors=True)
                removed += 1
        return removed


def _load_variant(folder: Path, item: dict[str, Any]) -> Variant:
    data = (folder / str(item["file"])).read_bytes()
    if hashlib.sha256(data).hexdigest() != item["sha256"]:
        raise ValueError(f"{item['file']} does not match its checksum")
    return Variant(int(item["width"]), int(item["height"]), str(item["media_type"]), data)
