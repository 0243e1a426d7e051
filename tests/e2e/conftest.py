"""Browser fixtures: sites built once per session and served on 127.0.0.1, Debian's chromium."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, Route

from sitegen.build.pipeline import BuildOptions
from sitegen.scaffold import LANGUAGES, new_site
from tests.conftest import BROWSER_ARGS, FIXED_NOW, article, write_files
from tests.e2e.browser import REPO, build_to, chromium_path, ensure_axe, serve
from tests.image_factory import jpeg_with_metadata

GOLDEN_SITES = REPO / "tests" / "golden" / "sites"

# An English site on two days, one article in Arabic, a lead story with an image: left-to-right
# pages from the same theme.
ENGLISH_SITE: dict[str, str | bytes] = {
    "sitegen.yaml": "title: The Test Digest\nlanguage: en\ntimezone: Europe/London\n"
    "topics: [World, Business]\n",
    "content/world/2022-01-06-talks.md": article(
        "Talks resume in Vienna", "2022-01-06T10:00:00", "Negotiators met again.", tags="[Iran]"
    ),
    "content/world/2022-01-07-summit.md": article(
        "Leaders meet in Brussels",
        "2022-01-07T09:30:00",
        "Leaders met today.",
        tags="[Europe]",
        image="/img/summit.jpg",
        image_alt="Leaders at the summit",
        image_caption="Before the opening session",
    ),
    "static/img/summit.jpg": jpeg_with_metadata(1200, 800),
    "content/business/2022-01-07-oil.md": article(
        "أسعار النفط ترتفع", "2022-01-07T11:00:00", "ارتفعت أسعار النفط اليوم.", lang="ar"
    ),
}


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


def _build(root: Path, tmp_path_factory: pytest.TempPathFactory, name: str) -> Path:
    return build_to(root, tmp_path_factory.mktemp(name), BuildOptions(now=FIXED_NOW))


@pytest.fixture(scope="session")
def sample_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's sample site, built once, served from `/`."""
    return _build(REPO, tmp_path_factory, "sample")


@pytest.fixture(scope="session")
def golden_ar_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tests/golden/sites/basic-ar, which has the mixed title «قمة NATO في 2024 …»."""
    return _build(GOLDEN_SITES / "basic-ar", tmp_path_factory, "basic-ar")


@pytest.fixture(scope="session")
def golden_pages_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tests/golden/sites/pages: standalone pages, a menu and a section index."""
    return _build(GOLDEN_SITES / "pages", tmp_path_factory, "pages")


@pytest.fixture(scope="session")
def golden_pages_url(golden_pages_output: Path) -> Iterator[str]:
    with serve(golden_pages_output) as url:
        yield url


@pytest.fixture(scope="session")
def english_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """ENGLISH_SITE: `language: en`, same templates."""
    root = write_files(tmp_path_factory.mktemp("english-source"), ENGLISH_SITE)
    return _build(root, tmp_path_factory, "english")


@pytest.fixture(scope="session")
def persian_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tests/golden/sites/persian: Jalali dates, Persian digits and catalog."""
    return _build(GOLDEN_SITES / "persian", tmp_path_factory, "persian")


@pytest.fixture(scope="session")
def hebrew_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tests/golden/sites/hebrew: the Hebrew catalog, Babel's Hebrew dates."""
    return _build(GOLDEN_SITES / "hebrew", tmp_path_factory, "hebrew")


@pytest.fixture(scope="session")
def bilingual_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tests/golden/sites/bilingual: Arabic at the root, English under /en/."""
    return _build(GOLDEN_SITES / "bilingual", tmp_path_factory, "bilingual")


@pytest.fixture(scope="session")
def starter_outputs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """`sitegen new site --language L` for every starter language, and the bilingual starter
    (`--languages ar,en`), built."""
    outputs = []
    for language, others in [*((lang, ()) for lang in LANGUAGES), ("ar", ("en",))]:
        name = "-".join((language, *others))
        root = tmp_path_factory.mktemp(f"starter-{name}") / "news"
        new_site(root, language, None, FIXED_NOW, others)
        outputs.append(_build(root, tmp_path_factory, f"starter-{name}-output"))
    return outputs


@pytest.fixture(scope="session")
def sample_url(sample_output: Path) -> Iterator[str]:
    with serve(sample_output) as url:
        yield url


@pytest.fixture(scope="session")
def golden_ar_url(golden_ar_output: Path) -> Iterator[str]:
    with serve(golden_ar_output) as url:
        yield url


@pytest.fixture(scope="session")
def english_url(english_output: Path) -> Iterator[str]:
    with serve(english_output) as url:
        yield url


@pytest.fixture(scope="session")
def persian_url(persian_output: Path) -> Iterator[str]:
    with serve(persian_output) as url:
        yield url


@pytest.fixture(scope="session")
def bilingual_url(bilingual_output: Path) -> Iterator[str]:
    with serve(bilingual_output) as url:
        yield url


@pytest.fixture(scope="session")
def hebrew_url(hebrew_output: Path) -> Iterator[str]:
    with serve(hebrew_output) as url:
        yield url


@pytest.fixture
def offline(page: Page) -> Iterator[list[str]]:
    """Block every request that would leave 127.0.0.1; the test fails if one was attempted."""
    leaked: list[str] = []

    def guard(route: Route) -> None:
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            leaked.append(route.request.url)
            route.abort()

    page.route("**/*", guard)
    yield leaked
    assert leaked == [], f"requests left 127.0.0.1: {leaked}"


@pytest.fixture(scope="session")
def axe_source() -> str:
    path, reason = ensure_axe()
    if path is None:
        pytest.skip(reason)
    return path.read_text(encoding="utf-8")
