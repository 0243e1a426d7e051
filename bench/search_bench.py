"""Arabic search benchmark: recall, precision and excerpt fidelity of plain Pagefind against
sitegen's search keys, measured in headless Chromium through Pagefind's JS API; plus index size
and build time on a synthetic corpus.

    PYTHONPATH=. /work/venv/bin/python bench/search_bench.py \
        --corpus /tmp/corpus-10k [--distractors 1000] [--sampled 300] [--size]

`--corpus` is the output of /work/shared/bench/make_corpus.py (sitegen flavor). Sections:
1. the fixed site (tests/data/search) and its judged query set, alone and mixed with corpus
   articles as distractors; 2. queries derived from corpus text never written for the tests
   (a word seen on a page with clitics, searched in its bare forms); 3. index size and build time
   for the whole corpus (`--size`).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import re
import resource
import sys
import tempfile
import time
from collections.abc import Sequence
from html import escape, unescape
from pathlib import Path

import markdown
import yaml
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sitegen.build.search.index import SearchRecord  # noqa: E402
from sitegen.build.search.partitions import build_search_index  # noqa: E402
from tests.conftest import BROWSER_ARGS  # noqa: E402
from tests.e2e.browser import CHROMIUM  # noqa: E402
from tests.search_support import (  # noqa: E402
    Query,
    queries,
    search_all,
    serve_files,
    site_records,
)


def corpus_records(corpus: Path, limit: int | None = None) -> list[SearchRecord]:
    """Articles of a make_corpus.py (sitegen flavor) corpus as search records."""
    paths = sorted((corpus / "content").rglob("*.md"))[:limit]
    records = []
    for path in paths:
        _, front, body = path.read_text("utf-8").split("---\n", 2)
        meta = yaml.safe_load(front)
        records.append(
            SearchRecord(
                url=f"/corpus/{path.stem}/",
                title=meta["title"],
                body=markdown.markdown(body),
                date=str(meta["date"]),
                topic=meta["topic"],
            )
        )
    return records


def plain_pagefind_index(records: Sequence[SearchRecord]) -> dict[str, bytes]:
    """Baseline: the same pages indexed by Pagefind as they are (no search keys)."""
    from pagefind.index import IndexConfig, PagefindIndex

    async def run() -> dict[str, bytes]:
        with tempfile.TemporaryDirectory() as tmp:
            site, out = Path(tmp) / "site", Path(tmp) / "pagefind"
            for r in records:
                html = (
                    f'<html lang="ar"><head><meta data-pagefind-meta="title[content]" '
                    f'content="{escape(r.title)}"></head><body><article data-pagefind-body>'
                    f"<h1>{escape(r.title)}</h1>{r.body}</article></body></html>"
                )
                target = site / r.url.strip("/") / "index.html"
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(html, "utf-8")
            async with PagefindIndex(config=IndexConfig(output_path=str(out))) as index:
                await index.add_directory(str(site))
            return {
                f"pagefind/{p.relative_to(out).as_posix()}": p.read_bytes()
                for p in out.rglob("*")
                if p.is_file()
            }

    return asyncio.run(run())


def text_of(html: str) -> str:
    """Visible words of HTML; full stops dropped (Pagefind adds one after each block)."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).replace(".", " ").split())


def judge(qs: Sequence[Query], results: list[list[dict]], judged: set[str]) -> dict:
    """Micro recall/precision over judged URLs; first-hit rate; perfect queries."""
    relevant = retrieved = hits = first = perfect = 0
    misses = []
    for q, res in zip(qs, results, strict=True):
        urls = [r["url"] for r in res]
        judged_urls = [u for u in urls if u in judged]
        good = set(judged_urls) & set(q.expect)
        relevant += len(q.expect)
        retrieved += len(judged_urls)
        hits += len(good)
        first += bool(urls) and urls[0] in q.expect
        perfect += good == set(q.expect) and len(judged_urls) == len(good)
        if good != set(q.expect) or len(judged_urls) != len(good):
            misses.append((q.text, sorted(set(q.expect) - good), sorted(set(judged_urls) - good)))
    return {
        "recall": hits / relevant,
        "precision": hits / retrieved if retrieved else 0.0,
        "first": first / len(qs),
        "perfect": perfect,
        "queries": len(qs),
        "misses": misses,
    }


def fidelity(results: list[list[dict]], texts: dict[str, str], field: str) -> float:
    """Share of excerpts whose text is a contiguous run of the article's own words."""
    total = ok = 0
    for res in results:
        for r in res:
            if r["url"] not in texts:
                continue
            total += 1
            ok += text_of(r[field]) in texts[r["url"]]
    return ok / total if total else 1.0


def excerpt_shape(results: list[list[dict]]) -> tuple[float, float]:
    """Mean visible words of an excerpt, and the share of excerpts with a highlighted word."""
    excerpts = [r["excerpt"] for res in results for r in res]
    if not excerpts:
        return 0.0, 1.0
    words = sum(len(text_of(e).split()) for e in excerpts) / len(excerpts)
    return words, sum("<mark>" in e for e in excerpts) / len(excerpts)


CLITIC_FORMS = [
    # (page prefix, how to derive query forms from the word)
    ("وال", lambda w: [w[3:], w[1:]]),
    ("فال", lambda w: [w[3:], w[1:]]),
    ("بال", lambda w: [w[3:], "ال" + w[3:]]),
    ("لل", lambda w: [w[2:], "ال" + w[2:]]),
    ("وا", lambda w: [w[1:]]),
    ("وأ", lambda w: [w[1:]]),
    ("وإ", lambda w: [w[1:]]),
    ("ال", lambda w: [w[2:]]),
]
_ARABIC_WORD = re.compile(r"[\u0621-\u064a]+")


def sampled_queries(records: Sequence[SearchRecord], count: int, seed: int = 7) -> list[Query]:
    """Queries derived from corpus text: a clitic-bearing word of an article, searched bare.

    Expected: the article the word came from (it must be among the results)."""
    rng = random.Random(seed)
    by_prefix: dict[str, list[tuple[str, str]]] = {p: [] for p, _ in CLITIC_FORMS}
    for r in records:
        for word in set(_ARABIC_WORD.findall(text_of(r.body))):
            for prefix, _ in CLITIC_FORMS:
                if word.startswith(prefix) and len(word) - len(prefix) >= 3:
                    by_prefix[prefix].append((word, r.url))
                    break
    out = []
    per = count // len(CLITIC_FORMS)
    for prefix, derive in CLITIC_FORMS:
        pool = sorted(by_prefix[prefix])
        for word, url in rng.sample(pool, min(per, len(pool))):
            out.extend(Query(q, (url,), f"page {word}") for q in derive(word))
    return out


def run_queries(
    files: dict[str, bytes], qs: Sequence[Query], keys: bool, excerpts: bool = True
) -> list[list[dict]]:
    with serve_files(files) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        try:
            page = browser.new_page()
            return search_all(page, base, [q.text for q in qs], keys=keys, excerpts=excerpts)
        finally:
            browser.close()


def recall_only(qs: Sequence[Query], results: list[list[dict]]) -> float:
    found = sum(q.expect[0] in {r["url"] for r in res} for q, res in zip(qs, results, strict=True))
    return found / len(qs)


def timed(fn, *args):
    """Value, wall seconds, CPU seconds (this process and its children, e.g. Pagefind)."""

    def cpu() -> float:
        own, children = (
            resource.getrusage(w) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
        )
        return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime

    start, start_cpu = time.perf_counter(), cpu()
    value = fn(*args)
    return value, time.perf_counter() - start, cpu() - start_cpu


def size_of(files: dict[str, bytes], folder: str = "") -> tuple[int, int]:
    """Count and bytes of the files in `folder` (e.g. `/index/`) of any partition."""
    chosen = [v for k, v in files.items() if folder in f"/{k}"]
    return len(chosen), sum(len(v) for v in chosen)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--distractors", type=int, default=1000)
    parser.add_argument("--sampled", type=int, default=320)
    parser.add_argument("--size", action="store_true", help="index the whole corpus, time it")
    parser.add_argument("--show-misses", action="store_true")
    parser.add_argument("--no-quality", action="store_true", help="skip sections 1 and 2")
    args = parser.parse_args()

    site = site_records()
    qs = queries()
    judged = {r.url for r in site}
    texts = {r.url: text_of(f"<h1>{escape(r.title)}</h1>{r.body}") for r in site}
    corpus = corpus_records(args.corpus, args.distractors)

    print(
        f"fixed site: {len(site)} articles, {len(qs)} judged queries; "
        f"distractors: {len(corpus)} corpus articles"
    )
    if not args.no_quality:
        for label, records in (("site", site), (f"site+{len(corpus)}", site + corpus)):
            for mode, build, keys in (
                ("plain Pagefind", plain_pagefind_index, False),
                ("sitegen keys", build_search_index, True),
            ):
                files = build(records)
                results = run_queries(files, qs, keys)
                m = judge(qs, results, judged)
                line = (
                    f"{label:>10} {mode:<15} recall {m['recall']:.3f}  precision "
                    f"{m['precision']:.3f}  first hit {m['first']:.3f}  "
                    f"perfect {m['perfect']}/{m['queries']}"
                )
                if label == "site":
                    line += f"  excerpt fidelity {fidelity(results, texts, 'excerpt'):.3f}"
                    words, marked = excerpt_shape(results)
                    line += f" ({words:.1f} words, highlighted {marked:.3f})"
                    if keys:
                        line += f" (unrepaired {fidelity(results, texts, 'raw'):.3f})"
                print(line)
                if args.show_misses:
                    for miss in m["misses"]:
                        print("     ", miss)

        sample = sampled_queries(corpus, args.sampled)
        for mode, build, keys in (
            ("plain Pagefind", plain_pagefind_index, False),
            ("sitegen keys", build_search_index, True),
        ):
            results = run_queries(build(corpus), sample, keys, excerpts=False)
            per_case: dict[str, list[bool]] = {}
            for q, res in zip(sample, results, strict=True):
                prefix = next(p for p, _ in CLITIC_FORMS if q.case[5:].startswith(p))
                per_case.setdefault(prefix, []).append(q.expect[0] in {r["url"] for r in res})
            detail = "  ".join(f"{p}:{sum(v)}/{len(v)}" for p, v in per_case.items())
            print(
                f"corpus-derived {len(sample)} queries, {mode:<15} recall "
                f"{recall_only(sample, results):.3f}  [{detail}]"
            )

    if args.size:
        everything = corpus_records(args.corpus)
        for mode, build in (
            ("plain Pagefind", plain_pagefind_index),
            ("sitegen keys", build_search_index),
        ):
            files, seconds, cpu = timed(build, everything)
            n, total = size_of(files)
            _, index = size_of(files, "/index/")
            _, fragments = size_of(files, "/fragment/")
            print(
                f"size {len(everything)} articles, {mode:<15} build {seconds:.1f} s wall, "
                f"{cpu:.1f} s CPU, "
                f"{n} files, {total / 1e6:.1f} MB (index {index / 1e6:.1f} MB, "
                f"fragments {fragments / 1e6:.1f} MB)"
            )


if __name__ == "__main__":
    main()
