"""A cache that keeps parse results in memory gets them without their stored form."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.build.incremental import parsed
from sitegen.build.incremental.memory_cache import MemoryCache
from tests.conftest import FIXED_NOW
from tests.incremental.support import build_clean, build_in_memory, make_news_site


def test_a_memory_cache_build_does_not_encode_parse_results(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_news_site(tmp_path / "site", 6)
    expected = build_clean(root, FIXED_NOW)

    def refuse(*args: object) -> bytes:
        raise AssertionError("a memory cache keeps no encoded parse results")

    monkeypatch.setattr(parsed, "encode_parsed", refuse)
    assert build_in_memory(root, MemoryCache()) == expected
