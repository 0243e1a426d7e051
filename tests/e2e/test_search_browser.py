"""The Arabic query set against a real Pagefind index, in Debian's Chromium, through
Pagefind's JS API and the bundle's query helper (as the search page uses them)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, Playwright

from sitegen.build.search.arabic import SEPARATOR, annotate_text, query_key
from sitegen.build.search.partitions import build_search_index, partition_records
from tests.conftest import BROWSER_ARGS
from tests.e2e.browser import CHROMIUM
from tests.search_support import queries, search_all, serve_files, site_records

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium"),
]


# At most 3 articles a partition: the 30 articles of the query set's site in 11 partitions
# (years, months), so that every query runs across merged indexes.
LIMIT = 3


@pytest.fixture(scope="module")
def search_page(playwright: Playwright) -> Iterator[tuple[Page, str]]:
    """pytest-playwright's session-wide Playwright (a second sync_playwright() would fail).
    Serves the partitioned index at /pagefind/ and the same records as one partition at
    /whole/pagefind/."""
    files = build_search_index(site_records(), LIMIT)
    whole = build_search_index(site_records(), len(site_records()) * 10)
    with serve_files(files | {f"whole/{p}": d for p, d in whole.items()}) as base:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        try:
            page = browser.new_page()
            page.goto(f"{base}/pagefind/sitegen-search.js")
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


def test_nothing_is_preloaded_while_the_last_word_is_an_article_and_a_letter_or_two(
    search_page: tuple[Page, str],
) -> None:
    """`preloadText` (what the search page preloads as the reader types) is the query's text,
    except while the last word's key keeps an article that the word being typed will drop."""
    page, _ = search_page
    typed = ["الر", "الرئ", "الرئي", "الرئيس", "والر", "وزير الر", "وزير", "مست", "ألب", "ال٥"]
    got = page.evaluate(
        """async (typed) => {
          const helper = await import('/pagefind/sitegen-search.js');
          return typed.map((t) => [helper.preloadText(t), helper.queryText(t)]);
        }""",
        typed,
    )
    preloaded = {t: ahead for t, (ahead, _) in zip(typed, got, strict=True)}
    assert {t for t, ahead in preloaded.items() if not ahead} == {"الر", "الرئ", "والر", "وزير الر"}
    assert all(ahead == text for ahead, text in got if ahead)
    assert "ال" not in preloaded["الرئي"]  # the key of الرئيس begins it


def test_javascript_removes_the_annotations_python_adds(search_page: tuple[Page, str]) -> None:
    page, _ = search_page
    texts = ["والرئيس قال ٣٠٠", "٠_-", "a٠_- ب_", "x-_-", "<mark>الوزير</mark>،"]
    annotated = [annotate_text(t) for t in texts]
    restored = page.evaluate(
        """async (texts) => {
          const helper = await import('/pagefind/sitegen-search.js');
          return texts.map((t) => helper.removeAnnotations(t));
        }""",
        annotated,
    )
    assert restored == texts


def test_topic_and_date_filters(search_page: tuple[Page, str]) -> None:
    page, _ = search_page
    found = page.evaluate(
        """async () => {
          const helper = await import('/pagefind/sitegen-search.js');
          const pf = await helper.openIndex();
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


def test_a_query_finds_its_hits_in_every_partition_in_rank_order(
    search_page: tuple[Page, str],
) -> None:
    page, _ = search_page
    partition_of = {
        r.url: name for name, part in partition_records(site_records(), LIMIT).items() for r in part
    }
    assert len(set(partition_of.values())) > 5
    found = page.evaluate(
        """async () => {
          const run = async (bundle) => {
            const helper = await import(`${bundle}sitegen-search.js`);
            const pf = await helper.openIndex();
            const res = await pf.search(helper.queryText('الوزير'));
            const data = await Promise.all(res.results.map((r) => r.data()));
            return res.results.map((r, i) => ({url: data[i].url, score: r.score}));
          };
          return {parts: await run('/pagefind/'), whole: await run('/whole/pagefind/')};
        }"""
    )
    urls = [r["url"] for r in found["parts"]]
    assert len({partition_of[u] for u in urls}) >= 2  # hits in two partitions or more
    whole = [r["url"].removeprefix("/whole") for r in found["whole"]]
    assert sorted(urls) == sorted(whole)
    scores = [r["score"] for r in found["parts"]]
    assert scores == sorted(scores, reverse=True)  # one ranking across partitions
    assert urls[0] == whole[0]


def test_partitions_find_what_one_bundle_finds(search_page: tuple[Page, str]) -> None:
    """A partition that lacks a query's key adds nothing (Pagefind would match the longest
    indexed word that begins the key): every judged query finds the same articles in 11
    partitions as in one bundle, so precision is that of one bundle."""
    page, base = search_page
    texts = [q.text for q in queries()]
    parts = search_all(page, base, texts, keys=True, excerpts=False)
    whole = search_all(page, base, texts, keys=True, excerpts=False, bundle="/whole/pagefind/")
    differ = [
        (text, sorted({r["url"] for r in a} ^ {r["url"].removeprefix("/whole") for r in b}))
        for text, a, b in zip(texts, parts, whole, strict=True)
        if {r["url"] for r in a} != {r["url"].removeprefix("/whole") for r in b}
    ]
    assert differ == []


def test_a_date_filter_fetches_only_the_partitions_of_its_months(
    search_page: tuple[Page, str],
) -> None:
    """`openIndex({months})` merges only the partitions whose period can hold those months:
    a query with a date filter fetches nothing of the others, and finds what the whole index
    finds with the same filter."""
    page, base = search_page
    parts = partition_records(site_records(), LIMIT)
    months_of = {name: {r.date[:7] for r in part if r.date} for name, part in parts.items()}
    months = sorted(set().union(*months_of.values()))
    context = page.context.browser.new_context()  # type: ignore[union-attr]
    try:
        fresh = context.new_page()
        requested: list[str] = []
        fresh.on("request", lambda request: requested.append(request.url))
        fresh.goto(f"{base}/pagefind/sitegen-search.js")
        fresh.evaluate(
            "async () => { await (await import('/pagefind/sitegen-search.js')).openIndex(); }"
        )
        requested.clear()
        fresh.evaluate(
            """async (month) => {
              const helper = await import('/pagefind/sitegen-search.js');
              const pf = await helper.openIndex({months: [month]});
              await pf.search(helper.queryText('وزير'), {filters: {month: {any: [month]}}});
            }""",
            "2022-02",
        )
        # the filtered query fetched from its month's partitions only
        fetched = {url.split("/pagefind/")[1].split("/")[0] for url in requested}
        holding = {name for name, held in months_of.items() if "2022-02" in held}
        assert holding <= fetched < set(parts)
        found = fresh.evaluate(
            """async (months) => {
              const helper = await import('/pagefind/sitegen-search.js');
              const whole = await helper.openIndex();
              const out = {};
              for (const month of months) {
                const filters = {month: {any: [month]}};
                const urls = async (pf) => {
                  const res = await pf.search(helper.queryText('الوزير'), {filters});
                  return (await Promise.all(res.results.map((r) => r.data()))).map((d) => d.url);
                };
                out[month] = {
                  partitions: helper.partitionsFor([month]),
                  fewer: await urls(await helper.openIndex({months: [month]})),
                  whole: await urls(whole),
                };
              }
              return out;
            }""",
            months,
        )
    finally:
        context.close()
    assert fetched <= set(found["2022-02"]["partitions"])
    for month, got in found.items():
        holding = {name for name, held in months_of.items() if month in held}
        assert holding <= set(got["partitions"]) < set(parts), month  # all it needs, not all
        assert sorted(got["fewer"]) == sorted(got["whole"]), month
    assert any(found[m]["whole"] for m in months)


# Pagefind's multisite search as the search page ran it before the workers: one instance
# (in Pagefind's own worker) with every partition merged in, newest first
_ONE_INSTANCE_JS = """async (texts) => {
  const helper = await import('/pagefind/sitegen-search.js');
  const [first, ...rest] = helper.partitionsFor().map((name) => `/pagefind/${name}/`);
  const options = {excerptLength: helper.EXCERPT_LENGTH};
  const pf = (await import(`${first}pagefind.js`)).createInstance({basePath: first, ...options});
  for (const path of rest) await pf.mergeIndex(path, options);
  const out = [];
  for (const text of texts) {
    const res = await pf.search(helper.queryText(text));
    const data = await Promise.all(res.results.map((r) => r.data()));
    out.push(res.results.map((r, i) => [r.id, r.score, data[i].url, data[i].excerpt]));
  }
  return out;
}"""

_SHARED_JS = """async (texts) => {
  const helper = await import('/pagefind/sitegen-search.js');
  const pf = await helper.openIndex();
  const out = [];
  for (const text of texts) {
    const res = await pf.search(helper.queryText(text));
    const data = await Promise.all(res.results.map((r) => r.data()));
    out.push(res.results.map((r, i) => [r.id, r.score, data[i].url, data[i].excerpt]));
  }
  return out;
}"""


def page_with_cores(page: Page, base: str, cores: int) -> Page:
    """A fresh page of `page`'s browser whose `navigator.hardwareConcurrency` is `cores`."""
    context = page.context.browser.new_context()  # type: ignore[union-attr]
    context.add_init_script(
        f"Object.defineProperty(navigator, 'hardwareConcurrency', {{get: () => {cores}}})"
    )
    fresh = context.new_page()
    fresh.goto(f"{base}/pagefind/sitegen-search.js")
    return fresh


@pytest.mark.parametrize("cores", [1, 3, 16])
def test_workers_rank_hits_as_one_pagefind_instance_over_every_partition(
    search_page: tuple[Page, str], cores: int
) -> None:
    """`openIndex()` searches shares of the partitions in up to four workers and merges their
    hits: every judged query gets the hits, scores and order of Pagefind's own multisite
    search over every partition, and each hit's data is its own."""
    page, base = search_page
    texts = [q.text for q in queries()] + ["الوزير", "في"]
    fresh = page_with_cores(page, base, cores)
    try:
        shared = fresh.evaluate(_SHARED_JS, texts)
        workers = [w for w in fresh.workers if w.url.endswith("/pagefind/sitegen-search.js")]
        alone = fresh.evaluate(_ONE_INSTANCE_JS, texts)
    finally:
        fresh.context.close()
    assert shared == alone
    assert max(len(hits) for hits in alone) > 5  # hits in several partitions to merge
    assert len(workers) == min(cores, 4)


def test_warming_up_searches_the_first_partition_of_each_worker(
    search_page: tuple[Page, str],
) -> None:
    """`warmUp(text)` runs one search in each worker (Pagefind's WebAssembly compiles as it
    first runs, in every worker) over the first partition of its share (the newest of the
    share): it fetches the index chunks of those partitions only."""
    page, base = search_page
    names = sorted(partition_records(site_records(), LIMIT), reverse=True)
    fresh = page_with_cores(page, base, 3)
    try:
        requested: list[str] = []
        fresh.on("request", lambda request: requested.append(request.url))
        listed = fresh.evaluate(
            """async () => {
              const helper = await import('/pagefind/sitegen-search.js');
              await helper.openIndex();
              return helper.partitionsFor();
            }"""
        )
        requested.clear()
        fresh.evaluate(
            """async () => {
              const helper = await import('/pagefind/sitegen-search.js');
              await helper.warmUp(helper.queryText('الوزير'));
            }"""
        )
        chunks = {url.split("/pagefind/")[1] for url in requested if url.endswith(".pf_index")}
    finally:
        fresh.context.close()
    assert sorted(listed) == sorted(names)
    firsts = {listed[k * len(listed) // 3] for k in range(3)}
    assert {chunk.split("/")[0] for chunk in chunks} == firsts
    assert listed[0] in firsts  # the newest partition
