"""What a build holds until it is written: pages on disk, bodies once, source text only where
a later stage reads lines in it, sources and parse-cache rows only while they are needed
(100k articles: bench/RESULTS.md, "100k memory, stop 18" and "stop 19")."""

from __future__ import annotations

import os
import platform
import sqlite3
import sys
import weakref
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from sitegen.build import parse
from sitegen.build.incremental import parse_store, reuse
from sitegen.build.incremental.parsed import decode_parsed, encode_parsed
from sitegen.build.incremental.stores import DiskCache
from sitegen.build.load import SourceFile
from sitegen.build.model import to_article
from sitegen.build.parallel import MAX_CHUNK, Stage, StageRunner, run_stage
from sitegen.build.parse import Document, Parsed
from sitegen.build.pipeline import BuildOptions, build
from sitegen.build.progress import Progress
from sitegen.build.quick import PageBasis
from sitegen.build.search.stage import search_records
from sitegen.core.config import Site, SiteConfig
from tests.conftest import FIXED_NOW, MINIMAL_CONFIG, article, build_site


def _count_chunks(calls: list[int], chunk: list[int]) -> list[int]:
    calls.append(len(chunk))
    return [item * 2 for item in chunk]


def test_a_stage_gives_each_chunk_before_running_the_next() -> None:
    """The render stage's pages are taken from each chunk as it is done: a stage given as an
    iterator has run only the chunks whose results were asked for."""
    calls: list[int] = []
    stage: Stage[int, int] = Stage("count", lambda _: calls, _count_chunks)
    results = run_stage(stage, None, list(range(3 * MAX_CHUNK)), jobs=1)
    assert next(results) == 0
    assert calls == [MAX_CHUNK]
    assert list(results)[-1] == 2 * (3 * MAX_CHUNK - 1)
    assert calls == [MAX_CHUNK] * 3


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc/self/fd")
def test_rendered_pages_wait_in_a_file_of_the_state_folder(
    make_site: Callable[..., Site],
) -> None:
    """A build's rendered pages are not held in memory: they are in an unlinked file in
    `.sitegen/` (read back when written), and come back byte for byte."""
    site = make_site({"content/a.md": article("خبر", body="نص الخبر الأول.", slug="a")})
    cache = DiskCache(site.state_dir, site.output_dir)
    result = build(site, BuildOptions(now=FIXED_NOW), cache=cache)
    assert result.ok, result.diagnostics
    state = str(site.state_dir.resolve())
    spooled = [
        target
        for fd in os.listdir("/proc/self/fd")
        if (target := _link(f"/proc/self/fd/{fd}")).startswith(state) and "(deleted)" in target
    ]
    assert spooled, "no spool file open in the state folder"
    assert "نص الخبر الأول." in result.files["2022/01/07/a/index.html"].decode()
    assert build_site(site).files["index.html"] == result.files["index.html"]


def _link(path: str) -> str:
    try:
        return os.readlink(path)
    except OSError:
        return ""


def test_only_articles_whose_body_shows_an_image_keep_their_source(
    make_site: Callable[..., Site],
) -> None:
    """The images stage reads the lines of images in the source text; no other article keeps
    it (0.8 GB at 100k articles). `check` asks for every one."""
    site = make_site(
        {
            "content/a.md": article("أ", body="نص.\n\n![صورة](photo.png)", slug="a"),
            "content/b.md": article("ب", body="نص بلا صورة.", slug="b"),
        }
    )
    texts = {a.path: a.source_text for a in build_site(site).articles}
    assert texts["content/a.md"].endswith("![صورة](photo.png)\n")
    assert texts["content/b.md"] == ""
    every = {a.path: a.source_text for a in build_site(site, source_texts=True).articles}
    assert every["content/b.md"].endswith("نص بلا صورة.\n")


def test_a_body_is_held_once(make_site: Callable[..., Site], monkeypatch: pytest.MonkeyPatch):
    """The page cache compares views with the parsed body by the article's own string, and
    the search records take the view's: no copy of any body is made for either."""
    site = make_site(
        {"content/a.md": article("أ", body="نص الخبر.", slug="a")},
        MINIMAL_CONFIG + "search: true\n",
    )
    seen: list[reuse.Reuse] = []
    render = reuse.Reuse.render
    monkeypatch.setattr(
        reuse.Reuse, "render", lambda self, *a: seen.append(self) or render(self, *a)
    )
    bases: list[PageBasis] = []
    options = BuildOptions(now=FIXED_NOW, planned=bases.append, defer_search=True)
    cache = DiskCache(site.state_dir, site.output_dir)
    assert build(site, options, cache=cache).ok
    [article_] = bases[0].plan.articles
    assert seen[0].bodies["content/a.md"][0] is article_.html
    [record] = search_records(bases[0].plan)
    assert record.body is bases[0].plan.views["content/a.md"]["html"] is article_.html


def test_unwritable_state_folder_keeps_pages_in_memory(tmp_path: Path) -> None:
    from sitegen.build.spool import Spool

    blocked = tmp_path / "file"
    blocked.write_text("x")
    spool = Spool(blocked / "state")  # a file where the folder would be
    spool.put("a.html", b"abc")
    assert not spool.on_disk and spool["a.html"] == b"abc"
    on_disk = Spool(tmp_path / "state")
    on_disk.put("a.html", b"abc")
    on_disk.put("b.html", b"")
    assert on_disk.on_disk and (on_disk["a.html"], on_disk["b.html"]) == (b"abc", b"")
    assert list(on_disk) == ["a.html", "b.html"] and os.listdir(tmp_path / "state") == []


def test_pages_are_stored_for_a_spool_file_and_compressed_in_memory(
    make_site: Callable[..., Site],
) -> None:
    """A page that waits in a spool file is a stored zlib stream (packing it would cost a
    tenth of the build's CPU); one held in memory is compressed; both read back the same."""
    import dataclasses
    import zlib

    from sitegen.build.render import prepare_renderer, render_chunk

    body = "نص الخبر الأول. " * 200
    site = make_site({"content/a.md": article("خبر", body=body, slug="a")})
    bases: list[PageBasis] = []
    assert build(site, BuildOptions(now=FIXED_NOW, planned=bases.append)).ok
    setup = bases[0].setup
    assert setup.spool is not None
    job = next(job for job in bases[0].plan.jobs if job.kind == "article")
    [spooled] = render_chunk(prepare_renderer(setup), [job])
    [held] = render_chunk(prepare_renderer(dataclasses.replace(setup, spool=None)), [job])
    assert spooled.packed is not None and held.packed is not None
    page = zlib.decompress(spooled.packed)
    assert page == zlib.decompress(held.packed) and body.strip()[:40] in page.decode()
    assert len(spooled.packed) > len(page) > 4 * len(held.packed)


def test_search_partitions_wait_in_the_spool(
    make_site: Callable[..., Site], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each search partition made is put in the spool as Pagefind finishes it, not held
    until the write stage, and is written as it was made."""
    from sitegen.build.publish import write_build
    from sitegen.build.spool import Spool

    put: dict[str, bytes] = {}
    original = Spool.put

    def record(spool: Spool, path: str, data: bytes) -> None:
        put[path] = data
        original(spool, path, data)

    monkeypatch.setattr(Spool, "put", record)
    site = make_site(
        {"content/a.md": article("أ", body="نص الخبر.", slug="a")},
        MINIMAL_CONFIG + "search: true\n",
    )
    cache = DiskCache(site.state_dir, site.output_dir)
    result = build(site, BuildOptions(now=FIXED_NOW), cache=cache)
    index = [p for p in put if p.startswith("pagefind/") and p.endswith("pagefind-entry.json")]
    assert index, sorted(put)
    assert write_build(site, result, cache) is not None
    assert (site.output_dir / index[0]).read_bytes() == put[index[0]]


def test_a_parsed_source_is_let_go_while_the_stage_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    """The parse stage frees each source's bytes once it is parsed (0.86 GB at 100k
    articles), not when the whole stage is over: the source of the first chunk is gone by
    the time the last one parses."""
    sources = [
        SourceFile(f"content/a{i}.md", article(f"خبر {i}").encode(), f"d{i}")
        for i in range(MAX_CHUNK + 1)
    ]
    first = weakref.ref(sources[0])
    seen: list[bool] = []

    def watch(state: Any, items: Sequence[SourceFile]) -> list[Parsed]:
        seen.append(first() is None)
        return parse.parse_chunk(state, items)

    monkeypatch.setattr(parse, "PARSE_STAGE", Stage("parse", parse.prepare_parser, watch))
    runner = StageRunner(1, Progress())
    documents, problems = parse.parse_sources(sources, SiteConfig(title="t"), runner)
    assert len(documents) == MAX_CHUNK + 1 and not problems
    assert seen == [False, True] and sources == [None] * (MAX_CHUNK + 1)


def test_parse_cache_rows_reach_the_file_as_they_are_stored(
    make_site: Callable[..., Site], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A clean build writes parse results to `parse.sqlite` in batches while it parses
    (`BATCH_ROWS`), not all of them (0.8 GB at 100k) once parsing is over."""
    monkeypatch.setattr(parse_store, "BATCH_ROWS", 2)
    site = make_site({f"content/a{i}.md": article(f"خبر {i}", slug=f"a{i}") for i in range(5)})
    in_file: list[int] = []
    keep = parse_store.ParseStore.keep

    def count_then_keep(store: parse_store.ParseStore, table: str, used: object) -> None:
        if table == "parsed":
            with sqlite3.connect(store.path) as db:
                in_file.append(db.execute("SELECT count(*) FROM parsed").fetchone()[0])
        keep(store, table, used)  # type: ignore[arg-type]

    monkeypatch.setattr(parse_store.ParseStore, "keep", count_then_keep)
    cache = DiskCache(site.state_dir, site.output_dir, read=False)
    assert build(site, BuildOptions(now=FIXED_NOW), cache=cache).ok
    assert in_file == [4]  # two batches of two written; the fifth by `keep`
    with sqlite3.connect(site.state_dir / "cache" / parse_store.FILE_NAME) as db:
        assert db.execute("SELECT count(*) FROM parsed").fetchone()[0] == 5


def test_rows_stored_then_unused_are_dropped(tmp_path: Path, monkeypatch) -> None:
    """A row written in a batch whose key is not among those kept is deleted by `keep`."""
    monkeypatch.setattr(parse_store, "BATCH_ROWS", 1)
    store = parse_store.ParseStore(tmp_path, lambda kind, message: None, read=False)
    store.store("parsed", "a", b"1")
    store.store("parsed", "b", b"2")
    assert store.row("parsed", "a") == b"1"
    store.keep("parsed", {"b"})
    with sqlite3.connect(store.path) as db:
        assert db.execute("SELECT key, value FROM parsed").fetchall() == [("b", b"2")]


def test_a_document_and_its_article_share_one_body() -> None:
    """A document's body is a `Markup` (from a parse, the cache or a constructor) that the
    model's article takes as it is: at no time is a body held twice."""
    config = SiteConfig(title="t")
    meta = {"title": "خبر", "date": "2022-01-07T09:30:00+03:00"}
    document = Document("content/a.md", meta, {}, "<p>نص الخبر.</p>", 4, 2)
    article_, problems = to_article(document, config)
    assert article_ is not None and not problems
    assert article_.html is document.html
    back, _ = decode_parsed(encode_parsed(document, []) or b"")
    assert back == document and to_article(back, config)[0].html is back.html  # type: ignore[union-attr]


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="glibc's mallopt")
def test_a_build_asks_glibc_for_one_arena(
    make_site: Callable[..., Site], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every build asks for one malloc arena (parse results, unpickled by the pool's thread,
    then reuse what the main thread freed), and glibc accepts the request."""
    from sitegen.build import allocator

    asked: list[bool] = []
    one_arena = allocator.one_arena
    monkeypatch.setattr(allocator, "one_arena", lambda: asked.append(one_arena()))
    assert build_site(make_site({"content/a.md": article("أ", slug="a")})).ok
    assert asked == [True]
