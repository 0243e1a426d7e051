"""The disk cache: keys, round trips, damaged entries, pruning."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from sitegen.build.images.cache import CorruptEntry, ImageCache, cache_key
from sitegen.build.images.process import process_image
from sitegen.core.image_settings import ImageSettings
from tests.image_factory import photo, save

SETTINGS = ImageSettings(widths=(100, 200))
SOURCE = save(photo(300, 200), "JPEG")


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_key_depends_on_bytes_and_output_settings_only() -> None:
    key = cache_key(digest(SOURCE), SETTINGS)
    assert key == cache_key(
        digest(SOURCE), ImageSettings(widths=(200, 100), max_pixels=5, sizes="50vw")
    )
    assert key != cache_key(digest(SOURCE + b"\0"), SETTINGS)
    assert key != cache_key(digest(SOURCE), ImageSettings(widths=(100, 300)))
    assert key != cache_key(digest(SOURCE), ImageSettings(widths=(100, 200), webp_quality=50))
    assert key != cache_key(digest(SOURCE), ImageSettings(widths=(100, 200), jpeg_quality=50))


def stored(tmp_path: Path) -> tuple[ImageCache, str]:
    cache = ImageCache(tmp_path / "images")
    key = cache_key(digest(SOURCE), SETTINGS)
    cache.store(key, process_image(SOURCE, SETTINGS))
    return cache, key


def test_round_trip(tmp_path: Path) -> None:
    cache, key = stored(tmp_path)
    assert cache.load(key) == process_image(SOURCE, SETTINGS)
    assert cache.load("0" * 64) is None
    assert not list(cache.directory.glob("*/.*")), "no staging folder is left behind"


def test_store_replaces_an_existing_entry(tmp_path: Path) -> None:
    cache, key = stored(tmp_path)
    (cache.entry_path(key) / "0.jpg").write_bytes(b"junk")
    cache.store(key, process_image(SOURCE, SETTINGS))
    assert cache.load(key) == process_image(SOURCE, SETTINGS)


@pytest.mark.parametrize(
    "damage",
    [
        lambda folder: (folder / "0.jpg").write_bytes(b"junk"),
        lambda folder: (folder / "1.jpg").unlink(),
        lambda folder: (folder / "entry.json").write_text("{not json"),
        lambda folder: (folder / "entry.json").write_text(json.dumps({"width": 1})),
    ],
    ids=["changed-bytes", "missing-file", "bad-json", "missing-fields"],
)
def test_damaged_entries_are_reported(tmp_path: Path, damage) -> None:
    cache, key = stored(tmp_path)
    damage(cache.entry_path(key))
    with pytest.raises(CorruptEntry):
        cache.load(key)


def test_prune_keeps_only_the_given_keys(tmp_path: Path) -> None:
    cache, key = stored(tmp_path)
    other = cache_key(digest(SOURCE), ImageSettings(widths=(50,)))
    cache.store(other, process_image(SOURCE, ImageSettings(widths=(50,))))
    assert cache.prune({key}) == 1
    assert cache.load(key) is not None
    assert cache.load(other) is None
