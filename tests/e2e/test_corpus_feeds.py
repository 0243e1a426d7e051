"""Feeds, sitemaps and JSON-LD of a 500-article benchmark corpus validate.

The corpus comes from the shared benchmark generator (make_corpus.py); the test is skipped
where that folder is absent. The 10,000-article check is run by hand (docs/feeds.md).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from sitegen.core.config import load_site
from tests.conftest import build_site, shared_bench_dir
from tests.feedcheck import atom_problems, reader_problems, rss_problems, sitemap_problems

REPO = Path(__file__).resolve().parents[2]
SHARED = shared_bench_dir()
SCRIPT = re.compile(rb'<script type="application/ld\+json">(.*?)</script>', re.S)


@pytest.mark.skipif(
    not (SHARED / "make_corpus.py").is_file(),
    reason=f"no shared benchmark folder at {SHARED} (set SITEGEN_BENCH_SHARED)",
)
def test_corpus_feeds_sitemaps_and_json_ld_validate(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    subprocess.run(
        [sys.executable, str(SHARED / "make_corpus.py"), "--count", "500", "--out", str(corpus),
         "--quiet"],
        check=True, timeout=120,
    )  # fmt: skip
    site, problems = load_site(corpus)
    assert site is not None, problems
    result = build_site(site)
    assert result.ok, [d.format() for d in result.diagnostics[:10]]
    files = result.files

    feeds = [n for n in files if n.endswith(("feed.xml", "rss.xml"))]
    assert len(feeds) > 100  # site, 12 topics, dozens of tags; Atom and RSS each
    problems = {}
    for name in feeds:
        check = atom_problems if name.endswith("feed.xml") else rss_problems
        found = check(files[name]) + reader_problems(files[name])
        if found:
            problems[name] = found
    assert not problems, dict(list(problems.items())[:5])

    sitemaps = [n for n in files if n.startswith(("sitemap", "news-sitemap"))]
    assert "news-sitemap.xml" in sitemaps
    assert {n: p for n in sitemaps if (p := sitemap_problems(files[n]))} == {}

    articles = [n for n in files if re.fullmatch(r"\d{4}/\d{2}/\d{2}/[^/]+/index\.html", n)]
    assert len(articles) == 500
    for name in articles:
        [data] = [json.loads(s) for s in SCRIPT.findall(files[name])]
        assert data["@type"] == "NewsArticle" and data["headline"] and data["articleSection"]
