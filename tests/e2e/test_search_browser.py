"""The Arabic query set against a real Pagefind index, in Debian's Chromium, through
Pagefind's JS API and the bundle's query helper (as the search page uses them)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, Playwright

from sitegen.build.search.arabic import SEPARATOR, query_key
from sitegen.build.search.index import build_search_index
from tests.conftest import BROWSER_ARGS
from tests.e2e.browser import CHROMIUM
from tests.search_support import queries, search_all, serve_files, site_records

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium"),
]


@pytest.fixture(scope="module")
def search_page(playwright: Playwright) -> Iterator[tuple[Page, str]]:
    """pytest-playwright's session-wide Playwright (a second sync_playwright() would fail)."""
    files = build_search_index(site_records())
    with serve_files(files) as base:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        try:
            page = browser.new_page()
            page.goto(f"{base}/pagefind/pagefind-entry.json")
            yield page, base
        finally:
            browser.close()


def test_every_query_finds_every_expected_article(search_page: tuple[Page, str]) -> None:
    page, base = search_page
    query_set = queries()
    assert len(query_set) >= 40
    results = search_all(page, base, [q.text for q in query_set], keys=True)
    missed = [
        (q.text, q.case, sorted(set(q.expect) - {r["url"] for r in found}))
        for q, found in zip(query_set, results, strict=True)
        if not set(q.expect) <= {r["url"] for r in found}
    ]
    assert missed == []


def test_excerpts_show_the_articles_own_words(search_page: tuple[Page, str]) -> None:
    page, base = search_page
    results = search_all(page, base, ["والرئيس", "وزير", "مستشفى", "٣٠٠"], keys=True)
    excerpts = [r["excerpt"] for found in results for r in found]
    assert excerpts
    assert not any(SEPARATOR in excerpt for excerpt in excerpts)
    assert any("<mark>والرئيس</mark>" in excerpt for excerpt in excerpts)
    assert any("<mark>٣٠٠</mark>" in excerpt for excerpt in excerpts)


def test_javascript_query_keys_equal_the_python_ones(search_page: tuple[Page, str]) -> None:
    page, _ = search_page
    words = sorted(
        {w for q in queries() for w in q.text.split()}
        | {"الـ٥٠", "ولـ«رويترز»", "ووزير", "وللشركة", "فبالعاصمة", "لوالدتها", "ال٥", "ک", ""}
    )
    keys = page.evaluate(
        """async (words) => {
          const helper = await import('/pagefind/sitegen-search.js');
          return words.map((w) => helper.queryKey(w));
        }""",
        words,
    )
    assert dict(zip(words, keys, strict=True)) == {w: query_key(w) for w in words}


def test_topic_and_date_filters(search_page: tuple[Page, str]) -> None:
    page, _ = search_page
    found = page.evaluate(
        """async () => {
          const pf = await import('/pagefind/pagefind.js');
          const helper = await import('/pagefind/sitegen-search.js');
          const urls = async (query, filters) => {
            const res = await pf.search(helper.queryText(query), {filters});
            return (await Promise.all(res.results.map((r) => r.data()))).map((d) => d.url);
          };
          const health = await pf.search(null, {filters: {topic: 'صحة'}});
          const first = await health.results[0].data();
          return {
            minister: await urls('وزير', {}),
            ministerHealth: await urls('وزير', {topic: 'صحة'}),
            ministerFeb2022: await urls('وزير', {month: {any: ['2022-01', '2022-02']}}),
            healthCount: health.results.length,
            filters: first.filters,
            all: await pf.filters(),
          };
        }"""
    )
    assert sorted(found["minister"]) == ["/mustashfa-jadid/", "/wazir-kharijiya/"]
    assert found["ministerHealth"] == ["/mustashfa-jadid/"]
    assert found["ministerFeb2022"] == ["/wazir-kharijiya/"]
    assert found["healthCount"] == 2
    assert set(found["filters"]) == {"topic", "year", "month", "day"}
    assert found["filters"]["topic"] == ["صحة"]
    years = Counter(record.date[:4] for record in site_records() if record.date)
    assert found["all"]["year"] == dict(years)
