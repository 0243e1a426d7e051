"""Browser fixtures: sites built once per session and served on 127.0.0.1, Debian's chromium."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from sitegen.pipeline import BuildOptions
from tests.conftest import BROWSER_ARGS, FIXED_NOW
from tests.e2e.browser import REPO, build_to, chromium_path, ensure_axe, serve

GOLDEN_SITES = REPO / "tests" / "golden" / "sites"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if chromium_path() is not None:
        return
    skip = pytest.mark.skip(reason="Debian's chromium is not installed (apt-get install chromium)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """pytest-playwright launches Debian's chromium (never `playwright install`)."""
    return {**browser_type_launch_args, "executable_path": chromium_path(), "args": BROWSER_ARGS}


def _served(root: Path, tmp_path_factory: pytest.TempPathFactory, name: str) -> Iterator[str]:
    folder = build_to(root, tmp_path_factory.mktemp(name), BuildOptions(now=FIXED_NOW))
    with serve(folder) as url:
        yield url


@pytest.fixture(scope="session")
def sample_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's sample site, built once, served from `/`."""
    return build_to(REPO, tmp_path_factory.mktemp("sample"), BuildOptions(now=FIXED_NOW))


@pytest.fixture(scope="session")
def sample_url(sample_output: Path) -> Iterator[str]:
    with serve(sample_output) as url:
        yield url


@pytest.fixture(scope="session")
def golden_ar_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """tests/golden/sites/basic-ar, which has the mixed title «قمة NATO في 2024 …»."""
    yield from _served(GOLDEN_SITES / "basic-ar", tmp_path_factory, "basic-ar")


@pytest.fixture(scope="session")
def english_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """tests/golden/sites/english: `language: en`, same templates."""
    yield from _served(GOLDEN_SITES / "english", tmp_path_factory, "english")


@pytest.fixture(scope="session")
def axe_source() -> str:
    path, reason = ensure_axe()
    if path is None:
        pytest.skip(reason)
    return path.read_text(encoding="utf-8")
