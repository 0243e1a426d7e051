"""The garbage collector during a build: full collections kept rare while one runs, thresholds
given back when the last one ends."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from sitegen.build import pipeline
from sitegen.build.collector import FULL_EVERY, rare_full_collections
from sitegen.build.model import model_articles
from tests.conftest import article, build_site


@pytest.fixture(autouse=True)
def _thresholds() -> Iterator[None]:
    saved = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    yield
    gc.set_threshold(*saved)


def test_a_build_keeps_full_collections_rare_and_gives_the_thresholds_back(
    make_site, monkeypatch
) -> None:
    seen = []

    def watching(*args, **kwargs):
        seen.append(gc.get_threshold())
        return model_articles(*args, **kwargs)

    monkeypatch.setattr("sitegen.build.incremental.reuse.model_articles", watching)
    result = build_site(make_site({"content/a.md": article("خبر")}))
    assert result.ok
    assert seen == [(700, 10, FULL_EVERY)]
    assert gc.get_threshold() == (700, 10, 10)


def test_overlapping_builds_restore_only_when_the_last_ends() -> None:
    outer, inner = rare_full_collections(), rare_full_collections()
    outer.__enter__()
    inner.__enter__()
    outer.__exit__(None, None, None)  # threads may end in any order
    assert gc.get_threshold() == (700, 10, FULL_EVERY)
    inner.__exit__(None, None, None)
    assert gc.get_threshold() == (700, 10, 10)


def test_a_failing_build_gives_the_thresholds_back(make_site, monkeypatch) -> None:
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(pipeline, "start_load", broken)
    with pytest.raises(RuntimeError):
        build_site(make_site({"content/a.md": article("خبر")}))
    assert gc.get_threshold() == (700, 10, 10)
