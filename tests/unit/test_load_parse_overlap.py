"""The load and parse stages overlap: the first sources are parsed while later ones are still
being read, each source read and parsed once, and the build's diagnostics are as before."""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from sitegen.build import load, parallel, parse
from sitegen.build.incremental.stores import DiskCache
from sitegen.build.inputs import start_load
from sitegen.build.parallel import MAX_CHUNK, Stage, StageRunner
from sitegen.build.pipeline import BuildOptions, build
from sitegen.build.progress import Progress
from sitegen.core.config import Site, SiteConfig
from tests.conftest import FIXED_NOW, MINIMAL_CONFIG, article


def _record(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Each source read and each parsed, in the order it happens (chunks of two, one process)."""
    events: list[tuple[str, str]] = []
    read, parse_one = load.read_source, parse.parse

    def reading(path: Path, *args: Any) -> Any:
        events.append(("read", path.name))
        return read(path, *args)

    def parsing(source: load.SourceFile, *args: Any) -> Any:
        events.append(("parse", source.path.rpartition("/")[2]))
        return parse_one(source, *args)

    monkeypatch.setattr(load, "read_source", reading)
    monkeypatch.setattr(parse, "parse", parsing)
    monkeypatch.setattr(parallel, "MAX_CHUNK", 2)
    return events


@pytest.mark.parametrize("cached", [False, True])
def test_sources_are_parsed_while_later_ones_are_still_read(
    make_site: Callable[..., Site], monkeypatch: pytest.MonkeyPatch, cached: bool
) -> None:
    site = make_site({f"content/a{i}.md": article(f"خبر {i}", slug=f"a{i}") for i in range(6)})
    events = _record(monkeypatch)
    cache = DiskCache(site.state_dir, site.output_dir, read=False) if cached else None
    result = build(site, BuildOptions(now=FIXED_NOW, jobs=1), cache=cache)
    assert not result.diagnostics and len(result.articles) == 6
    names = [f"a{i}.md" for i in range(6)]
    assert [name for kind, name in events if kind == "read"] == names
    assert [name for kind, name in events if kind == "parse"] == names
    kinds = [kind for kind, _ in events]
    assert kinds.index("parse") < max(i for i, kind in enumerate(kinds) if kind == "read")


def test_problems_spread_over_chunks_are_reported_as_before(
    make_site: Callable[..., Site], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Problems of reading, parsing and modelling in different chunks, in one build."""
    site = make_site(
        {
            "content/a0.md": article("خبر", slug="a0"),
            "content/a1.md": "---\ndate: 2022-01-07T09:30:00+03:00\n---\nنص.\n",  # no title
            "content/a2.md": b"---\ntitle: x\n---\n\xff\xfe bad\n",
            "content/a3.md": article("خبر آخر", slug="a3", tags="[1, {a: b}]"),
            "content/a4.md": article("كبير", slug="a4", body="نص " * 400),
            "content/a5.md": article("خبر ثالث", slug="a5", source_url="ftp://x"),
            "content/b/a6.md": "---\ntitle: [1\n---\n",
        },
        MINIMAL_CONFIG + "limits:\n  max_file_bytes: 1000\n",
    )
    _record(monkeypatch)
    for cache in (None, DiskCache(site.state_dir, site.output_dir, read=False)):
        result = build(site, BuildOptions(now=FIXED_NOW, jobs=1), cache=cache)
        assert [d.format() for d in result.diagnostics] == EXPECTED


EXPECTED = [
    "content/a1.md:1: missing 'title'",
    "content/a2.md:4: the file is not UTF-8 text: it looks like Windows-1252 (Western European); "
    "convert it, e.g. `iconv -f WINDOWS-1252 -t UTF-8`",
    "content/a3.md:5: 'tags' must be a list of text",
    "content/a4.md: file is too large: 2,068 bytes, more than limits.max_file_bytes (1,000 bytes)",
    "content/a5.md:5: 'source_url' must be an http(s) URL, not ftp:",
    "content/b/a6.md:3: invalid YAML front matter: did not find expected ',' or ']' "
    "(while parsing a flow sequence)",
]


def test_loading_gives_each_source_once_and_keeps_only_what_a_build_records(
    make_site: Callable[..., Site],
) -> None:
    site = make_site({f"content/a{i}.md": article(f"خبر {i}", slug=f"a{i}") for i in range(3)})
    loading = start_load(site)
    given = list(loading.sources())
    inputs, problems = loading.inputs()
    assert not problems and list(loading.sources()) == []
    assert [(s.path, s.digest) for s in given] == [(s.path, s.digest) for s in inputs.sources]
    assert all(s.data for s in given) and not any(s.data for s in inputs.sources)
    ahead = start_load(site)
    read, _ = ahead.read_all()  # every source read before any is taken
    assert [s.path for s in read.sources] == [s.path for s in given]
    assert [s.data for s in ahead.sources()] == [s.data for s in given]


def test_a_streamed_source_is_let_go_once_its_chunk_is_parsed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Sources taken from the load stage as it reads them are held by their chunk only: the
    first is gone by the time the second chunk parses (0.86 GB at 100k if held)."""
    first: list[weakref.ref[load.SourceFile]] = []
    seen: list[bool] = []

    def reading() -> Iterator[load.SourceFile]:
        for i in range(MAX_CHUNK + 1):
            source = load.SourceFile(f"content/a{i}.md", article(f"خبر {i}").encode(), f"d{i}")
            first[:] = first or [weakref.ref(source)]
            yield source
            del source

    def watch(state: Any, items: Sequence[load.SourceFile]) -> list[parse.Parsed]:
        seen.append(first[0]() is None)
        return parse.parse_chunk(state, items)

    monkeypatch.setattr(parse, "PARSE_STAGE", Stage("parse", parse.prepare_parser, watch))
    documents, problems = parse.parse_sources(
        reading(), SiteConfig(title="t"), StageRunner(1, Progress())
    )
    assert len(documents) == MAX_CHUNK + 1 and not problems
    assert seen == [False, True]
