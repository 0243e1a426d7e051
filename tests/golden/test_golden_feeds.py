"""Every feed and sitemap in the expected golden trees validates (tests/feedcheck.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.feedcheck import atom_problems, reader_problems, rss_problems, sitemap_problems

EXPECTED = Path(__file__).parent / "expected"
CHECKS = {
    "feed.xml": atom_problems,
    "rss.xml": rss_problems,
    "sitemap.xml": sitemap_problems,
    "news-sitemap.xml": sitemap_problems,
}
FILES = sorted(
    p.relative_to(EXPECTED).as_posix()
    for p in EXPECTED.rglob("*.xml")
    if p.name in CHECKS or p.name.startswith("sitemap-")
)


def test_golden_sites_have_feeds() -> None:
    assert {name.split("/")[0] for name in FILES} >= {"basic-ar", "english", "newsroom"}


@pytest.mark.parametrize("name", FILES)
def test_golden_feed_or_sitemap_validates(name: str) -> None:
    data = (EXPECTED / name).read_bytes()
    check = CHECKS.get(Path(name).name, sitemap_problems)
    problems = check(data)
    if check is not sitemap_problems:
        problems += reader_problems(data)
    assert problems == []
