"""The build cache: what it skips, and that a broken or foreign cache is ignored with a warning."""

from __future__ import annotations

import datetime as dt
import marshal
import os
import random
import shutil
import sqlite3
import time
from contextlib import closing
from pathlib import Path

import pytest

from sitegen.build import load
from sitegen.build.incremental import reuse
from sitegen.build.incremental.fingerprints import TemplateClosure
from sitegen.build.incremental.memory_cache import MemoryCache
from sitegen.build.incremental.parsed import decode_parsed, encode_parsed
from sitegen.build.incremental.stores import DiskCache
from sitegen.build.load import SourceFile
from sitegen.build.markdown_html import MarkdownRenderer
from sitegen.build.parse import Document, parse
from sitegen.build.pipeline import BuildOptions, build
from sitegen.build.readers.base import ReaderSettings
from sitegen.build.search import partitions
from sitegen.build.theme import builtin_themes_dir
from sitegen.build.write import write_site
from sitegen.core.config import load_site
from sitegen.core.config_sections import MarkdownConfig
from tests.conftest import FIXED_NOW
from tests.incremental.support import (
    article_text,
    assert_same_site,
    build_clean,
    build_in_memory,
    build_incrementally,
    folder_files,
    make_news_site,
)


def test_second_build_parses_and_renders_nothing(tmp_path: Path) -> None:
    root = make_news_site(tmp_path / "site", 12)
    first = build_incrementally(root)
    assert first.stats.parsed == 12 and first.stats.rendered == first.stats.pages
    second = build_incrementally(root)
    assert second.stats.parsed == 0 and second.stats.rendered == 0
    assert second.unchanged == set(second.files)  # pages, static files: all as they were
    assert dict(second.files) == build_clean(root)


def test_one_edit_renders_only_pages_whose_context_changed(tmp_path: Path) -> None:
    root = make_news_site(tmp_path / "site", 12)
    first = build_incrementally(root)
    path = next((root / "content").rglob("a003.md"))
    path.write_text(path.read_text(encoding="utf-8") + "\nفقرة إضافية.\n", encoding="utf-8")
    again = build_incrementally(root)
    assert again.stats.parsed == 1
    assert 0 < again.stats.rendered < first.stats.pages
    assert_same_site(folder_files(root / "output"), build_clean(root), "")


def test_a_site_moved_with_its_output_and_cache_renders_nothing(tmp_path: Path) -> None:
    root = make_news_site(tmp_path / "site", 6)
    build_incrementally(root)
    moved = tmp_path / "elsewhere" / "site"
    shutil.copytree(root, moved)  # files keep their mtime, as `cp -a` or a restored CI cache
    again = build_incrementally(moved)
    assert again.stats.rendered == 0
    assert_same_site(folder_files(moved / "output"), build_clean(moved), "")


def test_output_file_changed_by_hand_is_rendered_again(tmp_path: Path) -> None:
    root = make_news_site(tmp_path / "site", 5)
    build_incrementally(root)
    index = root / "output" / "index.html"
    index.write_text("tampered", encoding="utf-8")
    (root / "output" / "404.html").unlink()
    again = build_incrementally(root)
    assert again.stats.rendered == 2
    assert_same_site(folder_files(root / "output"), build_clean(root), "")


def test_corrupt_cache_is_ignored_with_a_warning(tmp_path: Path) -> None:
    root = make_news_site(tmp_path / "site", 5)
    build_incrementally(root)
    cache = root / ".sitegen" / "cache"
    (cache / "parse.sqlite").write_bytes(b"\x00{not a database" * 100)
    (cache / "pages.marshal").write_text("[]", encoding="utf-8")
    again = build_incrementally(root)
    assert again.stats.parsed == 5 and again.stats.rendered == again.stats.pages
    assert again.ok and not again.diagnostics
    messages = [n.format() for n in again.notices]
    assert any("unreadable cache file" in m for m in messages), messages
    assert_same_site(folder_files(root / "output"), build_clean(root), "")
    assert build_incrementally(root).notices == ()  # the cache was renewed


def test_cache_of_another_version_is_ignored_with_a_warning(tmp_path: Path) -> None:
    root = make_news_site(tmp_path / "site", 5)
    build_incrementally(root)
    pages = root / ".sitegen" / "cache" / "pages.marshal"
    data = marshal.loads(pages.read_bytes())
    pages.write_bytes(marshal.dumps({**data, "engine": "older"}))
    with closing(sqlite3.connect(root / ".sitegen" / "cache" / "parse.sqlite")) as db, db:
        db.execute("UPDATE header SET value = '0' WHERE name = 'format'")
    again = build_incrementally(root)
    assert again.stats.parsed == 5 and again.stats.rendered == again.stats.pages
    messages = " ".join(n.format() for n in again.notices)
    assert "another sitegen version" in messages and "library version" in messages


def test_deleted_cache_is_rebuilt_silently(tmp_path: Path) -> None:
    root = make_news_site(tmp_path / "site", 5)
    build_incrementally(root)
    for path in sorted((root / ".sitegen").rglob("*"), reverse=True):
        path.rmdir() if path.is_dir() else path.unlink()
    again = build_incrementally(root)
    assert again.notices == () and again.stats.parsed == 5


def test_memory_cache_keeps_every_file_and_renders_only_changes(tmp_path: Path) -> None:
    root = make_news_site(tmp_path / "site", 8)
    site, _ = load_site(root)
    assert site is not None
    cache = MemoryCache()
    options = BuildOptions(now=FIXED_NOW, jobs=1)
    first = build(site, options, cache=cache)
    cache.remember(first.files)
    second = build(site, options, cache=cache)
    cache.remember(second.files)
    assert second.stats.rendered == 0 and second.unchanged == frozenset()
    assert dict(second.files) == dict(first.files)
    edited = next((root / "content").rglob("a001.md"))
    edited.write_text(edited.read_text(encoding="utf-8") + "\nتحديث.\n", encoding="utf-8")
    third = build(site, options, cache=cache)
    cache.remember(third.files)
    assert 0 < third.stats.rendered < third.stats.pages
    assert dict(third.files) == build_clean(root)
    edited.unlink()  # `site` holds the article count: every page depends on it
    fourth = build(site, options, cache=cache)
    assert fourth.stats.rendered == fourth.stats.pages
    assert dict(fourth.files) == build_clean(root)


def test_parallel_build_equals_serial_build(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr("sitegen.build.parallel.MIN_PARALLEL_ITEMS", 2)
    root = make_news_site(tmp_path / "site", 30)
    (root / "content" / "broken.md").write_text("---\ntitle: x\n---\n# \x01\n", encoding="utf-8")
    site, _ = load_site(root)
    assert site is not None
    serial = build(site, BuildOptions(now=FIXED_NOW, jobs=1))
    parallel = build(site, BuildOptions(now=FIXED_NOW, jobs=2))
    assert serial.diagnostics == parallel.diagnostics and serial.diagnostics
    os.remove(root / "content" / "broken.md")
    serial = build(site, BuildOptions(now=FIXED_NOW, jobs=1))
    parallel = build(site, BuildOptions(now=FIXED_NOW, jobs=2))
    assert serial.ok and list(serial.files) == list(parallel.files)
    assert dict(serial.files) == dict(parallel.files)


def test_unchanged_build_waits_for_future_articles(tmp_path: Path) -> None:
    root = make_news_site(tmp_path / "site", 4)
    future = root / "content" / "later.md"
    future.write_text(
        "---\ntitle: خبر لاحق\ndate: 2022-01-09T10:00:00+03:00\n---\nنص.\n", encoding="utf-8"
    )
    site, _ = load_site(root)
    assert site is not None
    cache = MemoryCache()
    before = build(site, BuildOptions(now=FIXED_NOW, jobs=1), cache=cache)
    cache.remember(before.files)
    assert before.stats.articles == 4
    same = build(site, BuildOptions(now=FIXED_NOW, jobs=1), cache=cache)
    cache.remember(same.files)
    assert same.stats.articles == 4 and same.stats.rendered == 0
    later = FIXED_NOW.replace(day=10)
    after = build(site, BuildOptions(now=later, jobs=1), cache=cache)
    assert after.stats.articles == 5
    clean = build(site, BuildOptions(now=later, jobs=1))
    assert dict(after.files) == dict(clean.files)


def test_unchanged_build_repeats_the_warnings(tmp_path: Path) -> None:
    root = make_news_site(tmp_path / "site", 2)
    for path in (root / "content").rglob("*.md"):
        path.write_text(path.read_text(encoding="utf-8").replace("---\n", "---\ndraft: true\n", 1))
    first = build_incrementally(root)
    second = build_incrementally(root)
    assert second.stats.rendered == 0
    assert [d.format() for d in second.diagnostics] == [d.format() for d in first.diagnostics]
    assert "no articles to publish" in second.diagnostics[0].message


def test_parallel_incremental_build_equals_clean_build(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr("sitegen.build.parallel.MIN_PARALLEL_ITEMS", 2)
    root = make_news_site(tmp_path / "site", 20)
    build_incrementally(root, jobs=2)
    edited = next((root / "content").rglob("a005.md"))
    edited.write_text(edited.read_text(encoding="utf-8").replace("خبر رقم", "نبأ رقم"))
    again = build_incrementally(root, jobs=2)
    assert 0 < again.stats.rendered < again.stats.pages
    assert_same_site(folder_files(root / "output"), build_clean(root), "")


def test_relative_dates_are_rendered_again_when_the_build_time_moves(tmp_path: Path) -> None:
    root = make_news_site(tmp_path / "site", 6)
    shutil.copytree(builtin_themes_dir() / "digest", root / "themes" / "digest")
    base = root / "themes" / "digest" / "templates" / "base.html"
    text = base.read_text(encoding="utf-8")
    base.write_text(
        text.replace("<footer", "<p>{{ site.latest_date | relative }}</p><footer", 1),
        encoding="utf-8",
    )
    build_incrementally(root)
    later = FIXED_NOW + dt.timedelta(days=3)
    again = build_incrementally(root, now=later)
    assert 0 < again.stats.rendered < again.stats.pages  # HTML pages; the feeds stay
    assert_same_site(folder_files(root / "output"), build_clean(root, later), "")
    assert build_incrementally(root, now=later).stats.rendered == 0


def test_parallel_build_with_pickled_setup_equals_serial_build(tmp_path: Path, monkeypatch) -> None:
    """The dev server's way (threads running): workers from a fork server, setup pickled."""
    monkeypatch.setattr("sitegen.build.parallel.MIN_PARALLEL_ITEMS", 2)
    monkeypatch.setattr("sitegen.build.parallel.start_method", lambda: "forkserver")
    root = make_news_site(tmp_path / "site", 12)
    site, _ = load_site(root)
    assert site is not None
    serial = build(site, BuildOptions(now=FIXED_NOW, jobs=1))
    parallel = build(site, BuildOptions(now=FIXED_NOW, jobs=2))
    assert serial.ok and dict(serial.files) == dict(parallel.files)


def test_unchanged_build_ends_when_news_sitemap_entries_expire(tmp_path: Path) -> None:
    root = make_news_site(tmp_path / "site", 12)
    first = build_incrementally(root)
    news = root / "output" / "news-sitemap.xml"
    assert b"<news:news>" in news.read_bytes()
    later = FIXED_NOW + dt.timedelta(days=3)  # every article is older than 48 hours now
    build_incrementally(root, now=later)
    assert not news.exists() or b"<news:news>" not in news.read_bytes()
    assert_same_site(folder_files(root / "output"), build_clean(root, later), "")
    assert first.stats.rendered > 0


def test_only_the_search_partitions_whose_records_change_are_made_again(
    tmp_path: Path, monkeypatch
) -> None:
    made: list[list] = []
    real = partitions.build_bundle

    def counting(records):
        made.append(list(records))
        return real(records)

    monkeypatch.setattr(partitions, "build_bundle", counting)
    monkeypatch.setattr(partitions, "PARTITION_RECORDS", 3)  # runs of days in January 2022
    root = make_news_site(tmp_path / "site", 8)
    build_incrementally(root)
    first = len(made)
    assert first > 1 and sum(map(len, made)) == 8
    bundles = {p.parent.name for p in (root / "output" / "pagefind").glob("*/pagefind-entry.json")}
    assert len(bundles) == first
    config = root / "sitegen.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "description: وصف\n", "utf-8")
    again = build_incrementally(root)  # every page's HTML changed, no article's text did
    assert len(made) == first and again.stats.rendered > 0
    assert_same_site(folder_files(root / "output"), build_clean(root), "")
    del made[first:]
    path = next((root / "content").rglob("a003.md"))
    text = path.read_text(encoding="utf-8").replace('title: "', 'title: "عاجل: ', 1)
    path.write_text(text, encoding="utf-8")  # a new title: a whole build
    build_incrementally(root)
    (remade,) = made[first:]  # one partition: the edited article's
    assert any(r.title.startswith("عاجل: ") for r in remade) and len(remade) < 8
    assert_same_site(folder_files(root / "output"), build_clean(root), "")


def test_an_earlier_build_time_with_an_empty_feed_is_not_an_unchanged_build(
    tmp_path: Path,
) -> None:
    """An empty feed is dated at the build time: an earlier build could reuse the later one's
    files, feed dates included (found by the invariant test once edits took the patch path)."""
    root = make_news_site(tmp_path / "site", 6)
    config = root / "sitegen.yaml"
    config.write_text(config.read_text("utf-8") + "  - name: ثقافة\n    slug: culture\n", "utf-8")
    build_incrementally(root)
    assert (root / "output" / "topics" / "culture" / "rss.xml").exists()
    earlier = FIXED_NOW - dt.timedelta(hours=1)
    build_incrementally(root, now=earlier)
    assert_same_site(folder_files(root / "output"), build_clean(root, earlier), "")


def test_an_earlier_build_time_is_not_an_unchanged_build(tmp_path: Path) -> None:
    """Audit 15.9: a build time before the cached build's reused all its articles."""
    root = make_news_site(tmp_path / "site", 12)
    build_incrementally(root)
    earlier = dt.datetime(2022, 1, 4, tzinfo=dt.UTC)
    again = build_incrementally(root, now=earlier)
    assert again.stats.rendered > 0
    assert_same_site(folder_files(root / "output"), build_clean(root, earlier), "")
    # within the interval the output holds for, the build is still reused
    same = build_incrementally(root, now=earlier + dt.timedelta(minutes=1))
    assert same.stats.rendered == 0 and same.stats.parsed == 0


def test_changing_the_nesting_limit_parses_again(tmp_path: Path) -> None:
    """`limits.max_nesting` decides how a file parses: the parse cache is keyed by it."""
    root = make_news_site(tmp_path / "site", 3)
    quotes = "\n\n" + "> " * 5 + "اقتباس عميق\n"
    path = next((root / "content").rglob("a001.md"))
    path.write_text(path.read_text(encoding="utf-8") + quotes, encoding="utf-8")
    build_incrementally(root)
    config = root / "sitegen.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "limits:\n  max_nesting: 3\n")
    site, _ = load_site(root)
    assert site is not None
    options = BuildOptions(now=FIXED_NOW, jobs=1)
    again = build(site, options, cache=DiskCache(site.state_dir, site.output_dir))
    clean = build(site, options)
    assert not clean.ok
    assert again.diagnostics == clean.diagnostics


def test_a_parse_result_comes_back_whole_without_its_source() -> None:
    """The stored form holds the decoded source text: a hit needs neither bytes nor decode."""
    source = SourceFile("content/a.md", "---\ntitle: خبر\n---\r\n![صورة](a.png)\n".encode(), "x")
    renderer = MarkdownRenderer(MarkdownConfig())
    document, problems = parse(source, ReaderSettings(timezone=dt.UTC), renderer)
    assert document is not None and document.source_text.endswith("\n![صورة](a.png)\n")
    assert decode_parsed(encode_parsed(document, problems) or b"") == (document, problems)


def test_stored_bodies_come_back_exactly_whatever_their_characters() -> None:
    """Bodies are stored as UTF-16: Arabic, astral characters and ASCII come back as they
    were, and so does a lone surrogate pair (two code points, not the emoji they spell)."""
    for text in ("<p>خبر 😀</p>", "<p>plain</p>", "", "<p>\ud83d\ude00 \udc80</p>"):
        document = Document("content/a.md", {"title": "خبر"}, {}, text, 4, 1, {}, text + "\n")
        back, problems = decode_parsed(encode_parsed(document, []) or b"")
        assert back == document and not problems
        assert [len(back.html), len(back.source_text)] == [len(text), len(text) + 1]


def test_template_closures_are_kept_by_the_templates_digest(tmp_path: Path, monkeypatch) -> None:
    """A second build takes every template's closure from the cache (no template is parsed
    to find them); editing a template makes them again."""
    root = make_news_site(tmp_path / "site", 4)
    build_incrementally(root)
    parsed: list[str] = []
    closure = TemplateClosure.closure
    monkeypatch.setattr(TemplateClosure, "closure", lambda s, n: parsed.append(n) or closure(s, n))
    next((root / "content").rglob("a000.md")).write_text(
        article_text(random.Random(3), 0), encoding="utf-8"
    )
    build_incrementally(root)
    assert parsed == []
    shutil.copytree(builtin_themes_dir() / "digest", root / "themes" / "digest")
    base = root / "themes" / "digest" / "templates" / "base.html"
    base.write_text(base.read_text(encoding="utf-8").replace("<footer", "<footer data-x"), "utf-8")
    build_incrementally(root)
    assert "base.html" in parsed
    assert_same_site(folder_files(root / "output"), build_clean(root), "")


def test_related_articles_are_scored_again_only_when_what_they_read_changes(
    tmp_path: Path, monkeypatch
) -> None:
    root = make_news_site(tmp_path / "site", 8)
    build_incrementally(root)
    scored: list[int] = []
    real = reuse.related_articles
    monkeypatch.setattr(reuse, "related_articles", lambda a: scored.append(len(a)) or real(a))
    path = next((root / "content").rglob("a002.md"))
    path.write_text(path.read_text(encoding="utf-8") + "\nفقرة أخرى.\n", encoding="utf-8")
    build_incrementally(root)
    assert scored == []  # a body edit: the memo
    path.write_text(
        path.read_text(encoding="utf-8").replace("tags:\n", "tags:\n  - جديد\n"), "utf-8"
    )
    build_incrementally(root)
    assert scored == [8]
    assert_same_site(folder_files(root / "output"), build_clean(root), "")


def test_the_memory_cache_models_only_changed_documents(tmp_path: Path, monkeypatch) -> None:
    root = make_news_site(tmp_path / "site", 6)
    cache = MemoryCache()
    build_in_memory(root, cache)
    modeled: list[str] = []
    real = reuse.to_article
    monkeypatch.setattr(reuse, "to_article", lambda d, c: modeled.append(d.path) or real(d, c))
    path = next((root / "content").rglob("a004.md"))
    path.write_text(path.read_text(encoding="utf-8") + "\nفقرة أخرى.\n", encoding="utf-8")
    build_in_memory(root, cache)
    assert modeled == [path.relative_to(root).as_posix()]
    config = root / "sitegen.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "locale:\n  digits: latin\n", "utf-8")
    files = build_in_memory(root, cache)
    assert len(modeled) == 7  # another configuration: every article modeled again
    assert files == build_clean(root)


def _sources_read(monkeypatch, root: Path) -> list[str]:
    """The article files a build of `root` reads."""
    read: list[str] = []
    read_bytes = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda p: read.append(p.name) or read_bytes(p))
    build_incrementally(root)
    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    return sorted(name for name in read if name.endswith(".md"))


def test_an_unchanged_source_is_not_read_once_its_stamp_has_settled(
    tmp_path: Path, monkeypatch
) -> None:
    root = make_news_site(tmp_path / "site", 4)
    written = time.time_ns()
    monkeypatch.setattr(load.time, "time_ns", lambda: written)  # builds at once, however slow
    assert len(_sources_read(monkeypatch, root)) == 4  # just written: within the racy window
    assert len(_sources_read(monkeypatch, root)) == 4  # so nothing was recorded
    later = written + 10 * load.RACY_NS
    monkeypatch.setattr(load.time, "time_ns", lambda: later)
    assert len(_sources_read(monkeypatch, root)) == 4  # read, now recorded
    assert _sources_read(monkeypatch, root) == []
    edited = next((root / "content").rglob("a001.md"))
    edited.write_text(edited.read_text(encoding="utf-8") + "\nجملة أخرى.\n", encoding="utf-8")
    assert _sources_read(monkeypatch, root) == ["a001.md"]
    assert_same_site(folder_files(root / "output"), build_clean(root), "")


def test_a_source_rewritten_with_its_size_and_mtime_kept_is_read_again(
    tmp_path: Path, monkeypatch
) -> None:
    """The stamp holds the ctime, which no tool can set back."""
    root = make_news_site(tmp_path / "site", 3)
    later = time.time_ns() + 10 * load.RACY_NS
    monkeypatch.setattr(load.time, "time_ns", lambda: later)
    build_incrementally(root)
    edited = next((root / "content").rglob("a001.md"))
    before = edited.stat()
    text = edited.read_text(encoding="utf-8")
    edited.write_text(text.replace("ا", "ب", 1), encoding="utf-8")  # same length in bytes
    os.utime(edited, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert edited.stat().st_size == before.st_size
    assert _sources_read(monkeypatch, root) == ["a001.md"]
    assert_same_site(folder_files(root / "output"), build_clean(root), "")


def test_a_source_changed_within_the_racy_window_is_not_recorded(
    tmp_path: Path, monkeypatch
) -> None:
    root = make_news_site(tmp_path / "site", 3)
    written = time.time_ns()
    monkeypatch.setattr(load.time, "time_ns", lambda: written)
    build_incrementally(root)
    site, _ = load_site(root)
    assert site is not None
    assert dict(DiskCache(site.state_dir, site.output_dir).known_sources()) == {}


def test_a_source_known_by_stamp_that_cannot_be_read_when_parsed_is_an_error(
    tmp_path: Path, monkeypatch
) -> None:
    """Gone (or unreadable) between the load stage and parsing: one error at its path."""
    root = make_news_site(tmp_path / "site", 3)
    later = time.time_ns() + 10 * load.RACY_NS
    monkeypatch.setattr(load.time, "time_ns", lambda: later)
    build_incrementally(root)
    config = root / "sitegen.yaml"  # a new parse setting: every source is parsed again
    config.write_text(config.read_text(encoding="utf-8") + "limits:\n  max_nesting: 9\n")
    read_bytes = Path.read_bytes

    def failing(path: Path) -> bytes:
        if path.name == "a001.md":
            raise PermissionError(13, "Permission denied")
        return read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", failing)
    site, _ = load_site(root)
    assert site is not None
    result = build(
        site, BuildOptions(now=FIXED_NOW, jobs=1), cache=DiskCache(site.state_dir, site.output_dir)
    )
    assert [d.format() for d in result.diagnostics if d.path.endswith("a001.md")] == [
        "content/economy/a001.md: cannot read file: Permission denied"
    ]


def _modeled_by(monkeypatch) -> list[str]:
    """The documents the builds that follow model (the others come from the cache)."""
    modeled: list[str] = []
    real = reuse.to_article
    monkeypatch.setattr(reuse, "to_article", lambda d, c: modeled.append(d.path) or real(d, c))
    return modeled


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("\n## ", "\nفقرة أخرى.\n\n## "),  # the body
        ("date: 2022-01-0", "date: 2021-12-2"),  # a date moved (another day, month and year)
        ("tags:\n", "topic: اقتصاد\ntags:\n  - وسم جديد\n"),  # topic and tags renamed
    ],
)
def test_the_disk_cache_models_only_changed_documents(
    tmp_path: Path, monkeypatch, old: str, new: str
) -> None:
    root = make_news_site(tmp_path / "site", 6)
    build_incrementally(root)
    modeled = _modeled_by(monkeypatch)
    build_incrementally(root)  # only unchanged pages: nothing modelled
    path = next((root / "content").rglob("a004.md"))
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("topic:", "section:").replace(old, new, 1), encoding="utf-8")
    build_incrementally(root)
    assert modeled == [path.relative_to(root).as_posix()]
    assert_same_site(folder_files(root / "output"), build_clean(root), "")


@pytest.mark.parametrize(
    "added",
    [
        "timezone: Africa/Cairo\n",  # dates in another zone: other days, other URLs
        "topics:\n  - name: اقتصاد\n    slug: money\n",  # a topic renamed in the configuration
    ],
)
def test_a_configuration_change_models_every_article_again(
    tmp_path: Path, monkeypatch, added: str
) -> None:
    root = make_news_site(tmp_path / "site", 6)
    build_incrementally(root)
    config = root / "sitegen.yaml"
    text = config.read_text(encoding="utf-8")
    if added.startswith("topics:"):
        text = text[: text.index("topics:")]
    else:
        text = text.replace("timezone: Asia/Riyadh\n", "")
    config.write_text(text + added, encoding="utf-8")
    modeled = _modeled_by(monkeypatch)
    build_incrementally(root)
    assert len(modeled) == 6
    assert_same_site(folder_files(root / "output"), build_clean(root), "")


def test_a_corrupt_model_cache_entry_is_modelled_again(tmp_path: Path, monkeypatch) -> None:
    root = make_news_site(tmp_path / "site", 4)
    build_incrementally(root)
    with closing(sqlite3.connect(root / ".sitegen" / "cache" / "parse.sqlite")) as db, db:
        db.execute("UPDATE modeled SET value = x'00'")
    modeled = _modeled_by(monkeypatch)
    path = next((root / "content").rglob("a001.md"))
    path.write_text(path.read_text(encoding="utf-8") + "\nفقرة.\n", encoding="utf-8")
    result = build_incrementally(root)
    assert len(modeled) == 4
    assert any("corrupt model cache entry" in n.format() for n in result.notices)
    assert_same_site(folder_files(root / "output"), build_clean(root), "")


def test_a_clean_build_renews_the_parse_and_model_caches(tmp_path: Path, monkeypatch) -> None:
    root = make_news_site(tmp_path / "site", 4)
    build_incrementally(root)
    site, _ = load_site(root)
    assert site is not None
    cache = DiskCache(site.state_dir, site.output_dir, read=False)  # `sitegen build --clean`
    result = build(site, BuildOptions(now=FIXED_NOW), cache=cache)
    write_site(result.files, site.output_dir, site.state_dir, result.unchanged)
    cache.commit_pages()
    assert result.stats.parsed == 4
    modeled = _modeled_by(monkeypatch)
    path = next((root / "content").rglob("a001.md"))
    path.write_text(path.read_text(encoding="utf-8") + "\nفقرة.\n", encoding="utf-8")
    again = build_incrementally(root)
    assert again.stats.parsed == 1 and modeled == [path.relative_to(root).as_posix()]
