"""Shared fixtures: sites written from a dict of files, builds with a fixed clock."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from sitegen.build.inputs import load_inputs
from sitegen.build.model import Article, model_articles
from sitegen.build.pages import model_pages
from sitegen.build.parallel import StageRunner
from sitegen.build.parse import parse_sources
from sitegen.build.pipeline import BuildOptions, BuildResult, build
from sitegen.build.progress import Progress
from sitegen.core.config import Site, load_site
from sitegen.core.diagnostics import Diagnostic

FIXED_NOW = dt.datetime(2022, 1, 8, 12, 0, tzinfo=dt.UTC)

BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def read_articles(site: Site, now: dt.datetime) -> tuple[list[Article], list[Diagnostic]]:
    """Load, parse and model the site's articles as a build at `now` does (no cache, no
    drafts or future articles): what the images stage is given."""
    inputs, problems = load_inputs(site)
    documents, parsed = parse_sources(inputs.sources, site.config, StageRunner(1, Progress()))
    documents, _, paged = model_pages(documents, site.config, drafts=False)
    visible, modeled = model_articles(documents, site.config, drafts=False, future=False, now=now)
    return list(visible.articles), problems + parsed + paged + modeled


def pytest_configure(config: pytest.Config) -> None:
    """Compiled templates (`sitegen.build.template_cache`) go to a folder of this test run,
    not the user's cache folder; sitegen processes the tests start inherit it."""
    import tempfile

    os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="sitegen-test-cache-")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite tests/golden expectations from the current output (review the diff!)",
    )


@pytest.fixture(autouse=True)
def _reproducible(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(FIXED_NOW.timestamp())))


def write_files(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write `files` (relative path → text or bytes) under `root`."""
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


MINIMAL_CONFIG = (
    "title: موقع تجريبي\nlanguage: ar\ntimezone: Asia/Riyadh\nbase_url: https://example.org/\n"
)


@pytest.fixture
def make_site(tmp_path: Path) -> Callable[..., Site]:
    """`make_site({"content/a.md": "..."})` → a loaded Site (config defaults to MINIMAL_CONFIG)."""

    def make(files: dict[str, str | bytes], config: str = MINIMAL_CONFIG) -> Site:
        root = tmp_path / "site"
        if root.exists():
            shutil.rmtree(root)
        write_files(root, {"sitegen.yaml": config, **files})
        site, problems = load_site(root)
        assert site is not None, [p.format() for p in problems]
        return site

    return make


def build_site(site: Site, **options: object) -> BuildResult:
    """Build with the fixed clock."""
    return build(site, BuildOptions(now=FIXED_NOW, **options))  # type: ignore[arg-type]


def article(
    title: str, date: str = "2022-01-07T09:30:00+03:00", body: str = "نص الخبر.", **meta: str
) -> str:
    """A Markdown article with YAML front matter."""
    lines = [f"title: {title!r}" if "'" not in title else f'title: "{title}"', f"date: {date}"]
    lines += [f"{k}: {v}" for k, v in meta.items()]
    return "---\n" + "\n".join(lines) + "\n---\n" + body + "\n"


def shared_bench_dir() -> Path:
    """The benchmark scripts (make_corpus.py): $SITEGEN_BENCH_SHARED, else bench/shared."""
    default = Path(__file__).resolve().parents[1] / "bench" / "shared"
    return Path(os.environ.get("SITEGEN_BENCH_SHARED") or default)
