"""What one search costs the reader: time and bytes of a query on the built site, in headless
Debian Chromium against a local server.

    PYTHONPATH=. /work/venv/bin/python bench/search_query_cost.py --site /tmp/s10k/output
    # before and after side by side, 3 rounds, with a one-month filter:
    ... --site /tmp/after/output --before /tmp/before/output --rounds 3 --month 2021-12
    # only the typed query, only the common words:
    ... --site /tmp/s10k/output --measure typed --type common

For each query, in a fresh browser context (nothing cached): arrive (the search page opened
with `?q=`, as the masthead's box does: from the navigation's start to the first results shown;
bytes of the page's scripts and the index), typed (the page opened without a query, which
opens the index; the query typed into its box at TYPING_MS a letter, then Enter: from Enter to
the first results shown; bytes from the first letter on, so what the page fetches while the
reader types counts), api (on another fresh page with the index open, the query through the API
as a theme's script would run it (`openIndex()`, `search(queryText(q))`, `data()` of the first SHOWN results:
the phases open/search/data) and warm (a second query on that page); with `--month`, the
query filtered to one month as the search page runs it (`openIndex({months})`), from a fresh
page with the index open; compute (the search alone: Pagefind warmed up and the query's chunks
preloaded first, as the search page does while the reader types; the search, the shown
results' data, and Pagefind's own search time summed over partitions). `--measure` picks among
these (default: all but compute). Prints the partitions, then per query
the time and the bytes fetched (response bodies; Pagefind's worker included), then medians and
maxima of all queries and of each type (QUERY_TYPES: common words, fewer, rare).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
from pathlib import Path
from urllib.parse import quote

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, Request, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.conftest import BROWSER_ARGS  # noqa: E402
from tests.e2e.browser import CHROMIUM, serve  # noqa: E402

# by how many articles they find (10k corpus: common 3,800–8,300 results, fewer 700–900, rare
# 340–370; about ten times as many at 100k)
QUERY_TYPES = {
    "common": ["الرئيس", "وزير", "الاقتصاد"],
    "fewer": ["مستشفى", "الانتخابات", "النفط", "المنتخب", "السينما"],
    "rare": ["يمضون", "يحذرون"],
}
QUERIES = [q for queries in QUERY_TYPES.values() for q in queries]
KINDS_MEASURED = ("arrive", "typed", "api", "month", "compute")

SHOWN = 10  # results whose data the search page fetches first (its PAGE_SIZE)
TYPING_MS = 120  # a quick reader's pace, per letter

_QUERY_JS = """async (q) => {
  const t0 = performance.now();
  const helper = await import('/pagefind/sitegen-search.js');
  // before issue 18 the index was one bundle at /pagefind/ (no openIndex): for comparison
  const pf = helper.openIndex
    ? await helper.openIndex()
    : await import('/pagefind/pagefind.js').then(async (m) => (await m.init(), m));
  const t1 = performance.now();
  const found = await pf.search(helper.queryText(q));
  const t2 = performance.now();
  await Promise.all(found.results.slice(0, SHOWN).map((r) => r.data()));
  const t3 = performance.now();
  return {ms: t3 - t0, open: t1 - t0, search: t2 - t1, data: t3 - t2,
          results: found.results.length};
}""".replace("SHOWN", str(SHOWN))

# a query with a date filter of one month, the index open (as the search page runs it: before
# the third pass `openIndex` took no months and searched every partition)
_FILTERED_JS = """async ([q, month]) => {
  const helper = await import('/pagefind/sitegen-search.js');
  await helper.openIndex();
  const t0 = performance.now();
  const pf = await helper.openIndex({months: [month]});
  const found = await pf.search(helper.queryText(q), {filters: {month: {any: [month]}}});
  await Promise.all(found.results.slice(0, SHOWN).map((r) => r.data()));
  return {ms: performance.now() - t0, results: found.results.length};
}""".replace("SHOWN", str(SHOWN))

# the search alone: on a fresh page with the index open, Pagefind warmed up (`warmUp`, as the
# search page does while the reader types) and the query's index chunks preloaded; then the
# search (to the results' list) and the first SHOWN results' data, and Pagefind's own search time
# summed over the partitions (its `timings`: CPU, whichever thread or worker ran it)
_COMPUTE_JS = """async (q) => {
  const helper = await import('/pagefind/sitegen-search.js');
  const pf = await helper.openIndex();
  const text = helper.queryText(q);
  await helper.warmUp(helper.queryText(q.slice(0, 3)));
  await pf.preload(text);
  const t0 = performance.now();
  const found = await pf.search(text);
  const t1 = performance.now();
  await Promise.all(found.results.slice(0, SHOWN).map((r) => r.data()));
  const t2 = performance.now();
  const pagefind = found.timings.reduce((sum, t) => sum + t.search, 0);
  return {search: t1 - t0, data: t2 - t1, pagefind};
}""".replace("SHOWN", str(SHOWN))

# when the reader pressed Enter and when the first result appeared, in the page's clock
_WATCH_JS = """() => {
  window.__typed = {};
  document.getElementById('search-query').addEventListener('keydown', (e) => {
    if (e.key === 'Enter') window.__typed.enter = performance.now();
  }, {capture: true});
  new MutationObserver((changes, observer) => {
    if (document.querySelector('#search-results li')) {
      window.__typed.shown = performance.now();
      observer.disconnect();
    }
  }).observe(document.getElementById('search-results'), {childList: true});
}"""

# what each fetched file is, by its name in a Pagefind bundle
KINDS = (
    ("wasm", ".pagefind"),
    ("meta", ".pf_meta"),
    ("index", ".pf_index"),
    ("fragment", ".pf_fragment"),
    ("filter", ".pf_filter"),
    ("entry", ".json"),
    ("js", ".js"),
)


def kind_of(url: str) -> str:
    path = url.split("?", 1)[0]
    return next((kind for kind, end in KINDS if path.endswith(end)), "other")


def body_size(request: Request) -> int:
    try:
        return request.sizes()["responseBodySize"]
    except PlaywrightError:  # finished as the context closed
        return 0


def measure(
    site: Path, queries: list[str], warm_query: str, month: str | None, kinds: set[str]
) -> list[dict]:
    """Each query measured on `site` in the ways `kinds` names, each in a fresh context."""
    rows = []
    with serve(site) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        fetched: list[int] = []
        by_kind: dict[str, list[int]] = {}

        def fresh_page(load: str | None = "/search/") -> Page:
            """A page in a new context (nothing cached), `load` opened; counts reset."""
            context = browser.new_context()

            def finished(r: Request) -> None:
                fetched.append(body_size(r))
                by_kind.setdefault(kind_of(r.url), []).append(fetched[-1])

            context.on("requestfinished", finished)
            page = context.new_page()
            if load:
                page.goto(base + load)
                page.wait_for_load_state("networkidle")
            fetched.clear()
            by_kind.clear()
            return page

        for q in queries:
            row: dict = {"query": q}
            if "arrive" in kinds:
                # a reader who arrives with the query (the masthead's search box): from the
                # navigation's start to the first results on the page
                page = fresh_page(None)
                page.goto(f"{base}/search/?q={quote(q)}")
                page.wait_for_selector("#search-results li", timeout=60_000)
                row["arrive_ms"] = page.evaluate("performance.now()")
                sizes = [size for kind, got in by_kind.items() if kind != "other" for size in got]
                row["arrive_kb"] = sum(sizes) / 1024
                page.context.close()
            if "typed" in kinds:
                # a reader who types: the page opens the index while they do
                page = fresh_page()
                page.evaluate(_WATCH_JS)
                page.keyboard.type(q, delay=TYPING_MS)
                page.keyboard.press("Enter")
                page.wait_for_selector("#search-results li", timeout=60_000)
                page.wait_for_load_state("networkidle")
                typed = page.evaluate("window.__typed")
                # 0 when the page showed results before Enter (its search 200 ms after a letter)
                row["typed_ms"] = max(0.0, typed["shown"] - typed["enter"])
                row["typed_kb"] = sum(fetched) / 1024
                page.context.close()
            if "api" in kinds:
                # the query through the API on a fresh page with the index open (nothing of
                # the query fetched yet): where the time goes; then a second query
                page = fresh_page()
                cold = page.evaluate(_QUERY_JS, q)
                row.update(results=cold["results"], cold_ms=cold["ms"], cold_kb=sum(fetched) / 1024)
                row["phases"] = (cold["open"], cold["search"], cold["data"])
                row["kinds"] = {k: (len(v), sum(v) / 1024) for k, v in sorted(by_kind.items())}
                row["cold_requests"] = len(fetched)
                fetched.clear()
                warm = page.evaluate(_QUERY_JS, warm_query)
                row.update(warm_ms=warm["ms"], warm_kb=sum(fetched) / 1024)
                page.context.close()
            if month and "month" in kinds:
                # the query with a date filter, on a fresh page with the index open
                page = fresh_page()
                filtered = page.evaluate(_FILTERED_JS, [q, month])
                row.update(month_ms=filtered["ms"], month_kb=sum(fetched) / 1024)
                row.update(month_results=filtered["results"], month_requests=len(fetched))
                page.context.close()
            if "compute" in kinds:
                page = fresh_page()
                computed = page.evaluate(_COMPUTE_JS, q)
                row["compute_ms"] = computed["search"] + computed["data"]
                row["compute"] = (computed["search"], computed["data"], computed["pagefind"])
                page.context.close()
            rows.append(row)
        browser.close()
    return rows


def partitions_line(site: Path) -> str:
    """The partitions of the site's index, as its sitegen-search.js lists them."""
    first = (site / "pagefind" / "sitegen-search.js").read_text("utf-8").splitlines()[0]
    if not first.startswith("const PARTITIONS = "):
        return "one bundle (before partitions)"
    partitions = json.loads(first.removeprefix("const PARTITIONS = ")[:-1])
    return f"{len(partitions)} partitions: {', '.join(partitions)}"


MEASURES = (
    ("arrive_ms", "ms"),
    ("arrive_kb", "KB"),
    ("typed_ms", "ms"),
    ("typed_kb", "KB"),
    ("cold_ms", "ms"),
    ("cold_kb", "KB"),
    ("warm_ms", "ms"),
    ("warm_kb", "KB"),
    ("month_ms", "ms"),
    ("month_kb", "KB"),
    ("compute_ms", "ms"),
)


def type_of(query: str) -> str:
    return next(name for name, queries in QUERY_TYPES.items() if query in queries)


def report(rows: list[dict], month: str | None) -> None:
    """Per query, then medians and maxima, in all and per query type."""
    for r in rows:
        line = [f"{r['query']:<12}"]
        if "results" in r:
            line.append(f"{r['results']:>6} results")
        if "arrive_ms" in r:
            line.append(f"arrive {r['arrive_ms']:6.0f} ms {r['arrive_kb']:5.0f} KB")
        if "typed_ms" in r:
            line.append(f"typed {r['typed_ms']:5.0f} ms {r['typed_kb']:5.0f} KB")
        if "cold_ms" in r:
            line.append(
                f"api {r['cold_ms']:6.0f} ms {r['cold_kb']:7.0f} KB in {r['cold_requests']} "
                f"requests  warm {r['warm_ms']:5.0f} ms {r['warm_kb']:6.0f} KB"
            )
        print("  ".join(line))
        if "phases" in r:
            phases = "/".join(f"{ms:.0f}" for ms in r["phases"])
            kinds = ", ".join(f"{k} {n}× {kb:.0f} KB" for k, (n, kb) in r["kinds"].items())
            print(f"{'':<12} open/search/data {phases} ms; {kinds}")
        if "compute" in r:
            search, data, pagefind = r["compute"]
            print(
                f"{'':<12} compute {r['compute_ms']:.0f} ms: search {search:.0f} ms (Pagefind's "
                f"search summed over partitions {pagefind:.0f} ms), data {data:.0f} ms"
            )
        if "month_ms" in r:
            print(
                f"{'':<12} month {month}: {r['month_results']} results "
                f"{r['month_ms']:.0f} ms {r['month_kb']:.0f} KB in {r['month_requests']} requests"
            )
    groups = {"all": rows}
    for name in QUERY_TYPES:
        groups[name] = [r for r in rows if type_of(r["query"]) == name]
    for key, unit in MEASURES:
        figures = []
        for name, group in groups.items():
            values = [r[key] for r in group if key in r]
            if values:
                figures.append(
                    f"{name} {statistics.median(values):.0f} (max {max(values):.0f}, {len(values)})"
                )
        if figures:
            print(f"{key} median {unit}: {'; '.join(figures)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, required=True, help="a built site (output folder)")
    parser.add_argument(
        "--before",
        type=Path,
        help="another build of the same site (main's, say): each query is measured on both in "
        "turn, the order alternating, so that both see the same load",
    )
    parser.add_argument("--rounds", type=int, default=1, help="times each query is measured")
    parser.add_argument("--warm", default="الحكومة", help="the second query of each page")
    parser.add_argument("--month", help="also each query filtered to this month (YYYY-MM)")
    parser.add_argument(
        "--measure",
        default=",".join(KINDS_MEASURED[:-1]),
        help=f"what to measure, comma-separated: {', '.join(KINDS_MEASURED)} (default: all "
        "but compute)",
    )
    parser.add_argument(
        "--type",
        choices=list(QUERY_TYPES),
        action="append",
        help="only the queries of this type (repeatable; default: every query)",
    )
    args = parser.parse_args()
    kinds = set(args.measure.split(","))
    if kinds - set(KINDS_MEASURED):
        parser.error(f"--measure: one of {', '.join(KINDS_MEASURED)}")
    queries = [q for q in QUERIES if not args.type or type_of(q) in args.type]
    sites = {"before": args.before} if args.before else {}
    sites["site"] = args.site
    rows: dict[str, list[dict]] = {name: [] for name in sites}
    loads = []
    for turn in range(args.rounds * len(queries)):
        order = list(sites.items())
        for name, folder in order[::-1] if turn % 2 else order:
            query = queries[turn % len(queries)]
            rows[name] += measure(folder, [query], args.warm, args.month, kinds)
        loads.append(os.getloadavg()[0])
    print(
        f"load average (1 min) {min(loads):.1f}–{max(loads):.1f}, median {statistics.median(loads):.1f}"
    )
    for name, folder in sites.items():
        print(f"== {name}: {folder}\n{partitions_line(folder)}")
        report(rows[name], args.month)


if __name__ == "__main__":
    main()
