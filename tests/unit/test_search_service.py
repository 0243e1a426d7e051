"""Pagefind's service process: the bundle comes back in memory, and every way Pagefind can
fail is one line naming what failed (never a hang or a traceback)."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from sitegen.build.search.index import SearchIndexError, SearchRecord, build_bundle
from sitegen.build.search.service import PagefindError, PagefindService

RECORD = SearchRecord(url="/a/", title="خبر", body="<p>نص الخبر</p>", date="2022-01-07")


def fake_pagefind(tmp_path: Path, script: str) -> str:
    path = tmp_path / "pagefind"
    path.write_text(f"#!/bin/sh\n{script}\n", "utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return str(path)


def test_a_missing_binary_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", "/nonexistent/pagefind")
    with pytest.raises(SearchIndexError) as caught:
        build_bundle([RECORD])
    assert str(caught.value) == "cannot run /nonexistent/pagefind: No such file or directory"


def test_a_binary_that_dies_is_one_line_with_its_last_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    binary = fake_pagefind(
        tmp_path, "cat >/dev/null & echo 'starting' >&2; echo 'out of memory' >&2; exit 3"
    )
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", binary)
    with pytest.raises(SearchIndexError) as caught:
        build_bundle([RECORD])
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"Pagefind ({binary}) exited with status 3 during ")
    assert message.endswith(": out of memory")


def test_a_refused_request_names_the_request() -> None:
    with PagefindService() as service, pytest.raises(PagefindError) as caught:
        service.request({"type": "GetFiles", "index_id": 99})
    assert str(caught.value).startswith("Pagefind refused GetFiles: ")
    assert "\n" not in str(caught.value)


def test_the_service_reports_its_peak_memory() -> None:
    with PagefindService() as service:
        service.request({"type": "NewIndex", "config": None})
    assert service.peak_rss > 1 << 20
