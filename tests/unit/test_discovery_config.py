"""The `feeds`, `sitemap` and `metadata` sections of sitegen.yaml, and docs/feeds.md's example."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from sitegen.core.config import Site, parse_config
from sitegen.core.config_sections import FeedsConfig, MetadataConfig, SitemapConfig
from tests.conftest import article, build_site
from tests.feedcheck import atom_problems

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_defaults() -> None:
    config, problems = parse_config("title: x\n")
    assert problems == [] and config is not None
    assert config.feeds == FeedsConfig()
    assert (config.feeds.limit, config.feeds.content, config.feeds.ids) == (20, "full", "permalink")
    assert config.sitemap == SitemapConfig(max_urls=50_000, news=True, news_hours=48, robots=True)
    assert config.metadata == MetadataConfig()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("feeds:\n  limit: 0\n", "sitegen.yaml:3: 'feeds.limit' must be at least 1"),
        (
            "feeds:\n  content: teaser\n",
            "sitegen.yaml:3: 'feeds.content' must be one of full, summary, got 'teaser'",
        ),
        (
            "sitemap:\n  max_urls: 60000\n",
            "sitegen.yaml:3: 'sitemap.max_urls' must be between 1 and 50000",
        ),
        ("sitemap:\n  news_hours: 0\n", "sitegen.yaml:3: 'sitemap.news_hours' must be at least 1"),
        (
            "metadata:\n  twitter: almarsad\n",
            "sitegen.yaml:3: 'metadata.twitter' must be a handle such as @example",
        ),
        (
            "base_url: /news/\nfeeds:\n  ids: tag\n",
            "sitegen.yaml:4: tag ids need a domain: set 'base_url' to a full URL or"
            " 'feeds.tag_authority'",
        ),
        (
            "feeds:\n  tag_authority: 'https://x.org/'\n",
            "sitegen.yaml:3: 'feeds.tag_authority' must be a domain or an e-mail address,"
            " got 'https://x.org/'",
        ),
        ("feeds:\n  rsss: true\n", "sitegen.yaml:3: unknown key 'feeds.rsss'"),
    ],
)
def test_bad_values_are_reported_at_their_line(text: str, message: str) -> None:
    config, problems = parse_config("title: x\n" + text)
    assert config is None
    assert problems[0].format().startswith(message)


def test_tag_authority_may_be_an_email_address() -> None:
    config, problems = parse_config(
        "title: x\nbase_url: /\nfeeds:\n  ids: tag\n  tag_authority: desk@example.org\n"
    )
    assert problems == [] and config is not None


def test_feeds_doc_example_is_valid_and_builds(make_site: Callable[..., Site]) -> None:
    text = (DOCS / "feeds.md").read_text(encoding="utf-8")
    [example] = re.findall(r"<!-- example: sitegen.yaml -->\n```yaml\n(.*?)```", text, re.S)
    site = make_site(
        {
            "content/a.md": article("خبر", topic="سياسة"),
            "static/images/logo.png": b"png",
            "static/images/share.png": b"png",
        },
        config=example,
    )
    result = build_site(site)
    assert result.ok and not result.diagnostics, [d.format() for d in result.diagnostics]
    assert atom_problems(result.files["feed.xml"]) == []
    assert b"<logo>https://example.org/news/images/logo.png</logo>" in result.files["feed.xml"]
