"""Fixtures for the preview server tests."""

from __future__ import annotations

import io
import threading
from pathlib import Path

import pytest
from serve_support import PAGE, DirectoryBuilder

from sitegen.serve.loop import Builder, QuickBuilder
from sitegen.serve.run import Preview, ServeOptions
from sitegen.serve.state import PreviewState
from sitegen.serve.watch import WatchedSite
from tests.conftest import BROWSER_ARGS
from tests.e2e.browser import chromium_path


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """pytest-playwright launches Debian's chromium (never a downloaded browser)."""
    chromium = chromium_path()
    if chromium is None:
        pytest.skip("Debian's chromium is not installed")
    return {**browser_type_launch_args, "executable_path": chromium, "args": BROWSER_ARGS}


@pytest.fixture
def state() -> PreviewState:
    return PreviewState()


@pytest.fixture
def site_dir(tmp_path: Path) -> Path:
    """A tiny site: two Arabic pages in content/ and a stylesheet in static/."""
    (tmp_path / "content/a").mkdir(parents=True)
    (tmp_path / "static").mkdir()
    (tmp_path / "content/index.html").write_text(PAGE.format(title="الرئيسية"), encoding="utf-8")
    (tmp_path / "content/a/index.html").write_text(PAGE.format(title="الخبر"), encoding="utf-8")
    (tmp_path / "static/site.css").write_text("h1 { color: rgb(0, 0, 255); }\n")
    return tmp_path


@pytest.fixture
def start_preview():
    """`start_preview(builder, site, port=0, poll=False, quick=None)`: a started Preview
    rebuilding in a thread. Every preview started this way is stopped at the end of the test."""
    running: list[tuple[Preview, threading.Thread]] = []

    def start(
        builder: Builder,
        site: WatchedSite,
        port: int = 0,
        poll: bool = False,
        quick: QuickBuilder | None = None,
    ) -> Preview:
        options = ServeOptions(port=port, poll=poll)
        instance = Preview(builder, site, options, io.StringIO(), quick=quick)
        instance.start()
        thread = threading.Thread(target=instance.run, daemon=True)
        thread.start()
        running.append((instance, thread))
        return instance

    yield start
    for instance, thread in running:
        instance.stop()
        thread.join(5)


@pytest.fixture
def preview(site_dir: Path, start_preview):
    """`preview(port=0, poll=False)`: a started Preview of `site_dir` over DirectoryBuilder."""

    def start(port: int = 0, poll: bool = False) -> Preview:
        site = WatchedSite.at(site_dir)
        return start_preview(DirectoryBuilder(site.root), site, port=port, poll=poll)

    return start
