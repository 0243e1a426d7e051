"""A restarted preview shows the site the last one saved, when it is still what a build makes."""

from __future__ import annotations

import io
import os
import sqlite3
import threading
import time
import urllib.request
import zlib
from pathlib import Path
from urllib.parse import quote

import pytest

from sitegen.build import load
from sitegen.build.pipeline import BuildOptions, build
from sitegen.build.search import partitions
from sitegen.core.config import load_site
from sitegen.serve.loop import PreviewBuild
from sitegen.serve.run import Preview, ServeOptions, site_builder, site_preview, watched_site
from sitegen.serve.saved import FILE_NAME
from sitegen.serve.state import PreviewState
from sitegen.serve.watch import ChangeSet
from tests.incremental.support import make_news_site


def saved_session(root: Path) -> PreviewBuild:
    """One preview session: its first build, its search index, everything saved."""
    builder = site_builder(root)
    first = builder(ChangeSet(initial=True))
    assert first.snapshot is not None and first.followup is not None
    first.followup.run()
    assert builder._saver is not None and builder._saver.idle(60)
    return first


def test_a_restart_gets_the_saved_site_with_its_search_index(tmp_path: Path) -> None:
    root = make_news_site(tmp_path / "site", 8)
    first = saved_session(root)
    restored = site_builder(root).restore()
    assert restored is not None
    files, base_path = restored
    assert base_path == "/"
    assert {p: first.snapshot[p] for p in first.snapshot} == {  # type: ignore[index]
        p: d for p, d in files.items() if not p.startswith("pagefind/")
    }
    assert "pagefind/sitegen-search.js" in files


def test_nothing_is_restored_after_a_source_changed(tmp_path: Path) -> None:
    root = make_news_site(tmp_path / "site", 8)
    saved_session(root)
    source = sorted((root / "content").rglob("*.md"))[0]
    source.write_text(source.read_text(encoding="utf-8") + "\nفقرة.\n", encoding="utf-8")
    assert site_builder(root).restore() is None


def test_nothing_is_restored_from_a_broken_file(tmp_path: Path) -> None:
    root = make_news_site(tmp_path / "site", 6)
    saved_session(root)
    assert site_builder(root).restore() is not None
    site, _ = load_site(root)
    assert site is not None
    (site.state_dir / FILE_NAME).write_bytes(b"not a database")
    assert site_builder(root).restore() is None


def test_the_saved_site_is_served_while_the_first_build_runs(tmp_path: Path) -> None:
    root = make_news_site(tmp_path / "site", 6)
    saved_session(root)
    inner = site_builder(root)
    release = threading.Event()

    def slow_builder(changes: ChangeSet) -> PreviewBuild:
        release.wait(30)
        return inner(changes)

    preview = Preview(
        slow_builder, watched_site(root), ServeOptions(port=0), io.StringIO(), restore=inner.restore
    )
    starting = threading.Thread(target=preview.start)
    starting.start()
    try:
        frame = preview.state.wait_after(0, 10)
        assert frame is not None and "index.html" in frame.files
        page = next(p for p in frame.files if p.count("/") == 4 and p.endswith("index.html"))
        url = f"{preview.server.url}{quote(page.removesuffix('index.html'))}"
        with urllib.request.urlopen(url, timeout=10) as response:
            assert response.status == 200 and b"<article" in response.read()
        assert starting.is_alive()  # the first build is still waiting
    finally:
        release.set()
        starting.join(30)
        preview.stop()
    assert preview.state.current.epoch == 1  # the build made what was restored: no reload


def test_the_cli_preview_shows_the_planned_site_before_its_first_build(tmp_path: Path) -> None:
    root = make_news_site(tmp_path / "site", 6)
    out = io.StringIO()
    preview = site_preview(root, ServeOptions(port=0), out)
    try:
        preview.start()
        # epoch 1: the planned site (pages rendered when asked); epoch 2: the build's
        assert preview.state.current.epoch == 2 and not preview.state.current.provisional
    finally:
        preview.stop()
    assert "initial build: built" in out.getvalue()


def _settled_later(monkeypatch) -> None:
    """Every stamp taken from now on counts as settled (`load.RACY_NS` long past)."""
    later = time.time_ns() + 10 * load.RACY_NS
    monkeypatch.setattr(load.time, "time_ns", lambda: later)


def _sources_read(monkeypatch, root: Path) -> tuple[list[str], object]:
    """The article sources a restore reads, and what it gives back."""
    read: list[str] = []
    read_bytes = Path.read_bytes

    def counting(path: Path) -> bytes:
        if path.suffix == ".md":
            read.append(path.name)
        return read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", counting)
    try:
        found = site_builder(root).restore()
    finally:
        monkeypatch.setattr(Path, "read_bytes", read_bytes)
    return sorted(read), found


def test_a_restart_reads_only_the_sources_whose_stamp_changed(tmp_path: Path, monkeypatch) -> None:
    root = make_news_site(tmp_path / "site", 6)
    _settled_later(monkeypatch)
    saved_session(root)
    read, found = _sources_read(monkeypatch, root)
    assert read == [] and found is not None  # proved current by the stamps alone
    edited = next((root / "content").rglob("a001.md"))
    edited.write_text(edited.read_text(encoding="utf-8") + "\nجملة.\n", encoding="utf-8")
    read, found = _sources_read(monkeypatch, root)
    assert read == ["a001.md"] and found is None


def test_a_source_rewritten_with_its_size_and_mtime_while_down_is_not_restored(
    tmp_path: Path, monkeypatch
) -> None:
    """The saved stamps hold the ctime, which no tool can set back."""
    root = make_news_site(tmp_path / "site", 6)
    _settled_later(monkeypatch)
    saved_session(root)
    edited = next((root / "content").rglob("a001.md"))
    before = edited.stat()
    text = edited.read_text(encoding="utf-8")
    edited.write_text(text.replace("ا", "ب", 1), encoding="utf-8")  # same length in bytes
    os.utime(edited, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert edited.stat().st_size == before.st_size
    read, found = _sources_read(monkeypatch, root)
    assert read == ["a001.md"] and found is None


def test_restored_files_are_inflated_only_when_read(tmp_path: Path, monkeypatch) -> None:
    root = make_news_site(tmp_path / "site", 6)
    first = saved_session(root)
    inflated: list[int] = []
    decompress = zlib.decompress
    monkeypatch.setattr(zlib, "decompress", lambda d, *a: inflated.append(1) or decompress(d, *a))
    state = PreviewState()
    preview = site_builder(root)
    found = preview.restore()
    assert found is not None
    state.publish(*found)
    assert inflated == []  # nothing inflated before a page is asked for
    assert first.snapshot is not None
    assert state.current.files["index.html"] == first.snapshot["index.html"]
    assert len(inflated) == 1


def test_the_first_build_after_a_restart_replaces_the_restored_files_without_a_reload(
    tmp_path: Path,
) -> None:
    root = make_news_site(tmp_path / "site", 6)
    saved_session(root)
    state = PreviewState()
    builder = site_builder(root)
    found = builder.restore()
    assert found is not None
    restored = state.publish(*found)
    built = builder(ChangeSet(initial=True))
    assert built.snapshot is not None
    assert state.publish(built.snapshot, built.base_path) is None  # the same site: no reload
    assert state.current.epoch == restored.epoch  # type: ignore[union-attr]
    assert state.current.files == built.snapshot
    assert not isinstance(state.current.files, type(found[0]))  # the build's own, inflated


def test_the_restored_pages_are_those_of_a_clean_build(tmp_path: Path) -> None:
    root = make_news_site(tmp_path / "site", 8)
    saved_session(root)
    found = site_builder(root).restore()
    assert found is not None
    site, _ = load_site(root)
    assert site is not None
    clean = build(site, BuildOptions(defer_search=True))
    assert clean.ok
    pages = [p for p in clean.files if p.endswith(".html")]
    assert pages and {p: found[0][p] for p in pages} == {p: clean.files[p] for p in pages}


def test_nothing_is_restored_when_a_saved_file_is_damaged(tmp_path: Path) -> None:
    root = make_news_site(tmp_path / "site", 6)
    saved_session(root)
    assert site_builder(root).restore() is not None
    site, _ = load_site(root)
    assert site is not None
    with sqlite3.connect(site.state_dir / FILE_NAME) as db:
        (blob,) = db.execute("SELECT data FROM files WHERE path = 'index.html'").fetchone()
        damaged = blob[:-8] + bytes(8)  # the zlib stream's end overwritten
        db.execute("UPDATE files SET data = ? WHERE path = 'index.html'", (damaged,))
    assert site_builder(root).restore() is None


def test_a_file_saved_by_the_previous_format_is_replaced(tmp_path: Path) -> None:
    root = make_news_site(tmp_path / "site", 6)
    site, _ = load_site(root)
    assert site is not None
    path = site.state_dir / FILE_NAME
    path.parent.mkdir(parents=True)
    with sqlite3.connect(path) as db:  # as sitegen wrote it before the sources' stamps
        db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
        db.execute("CREATE TABLE files (path TEXT PRIMARY KEY, data BLOB)")
        db.execute("INSERT INTO meta VALUES ('format', '1')")
        db.execute("INSERT INTO files VALUES ('index.html', ?)", (zlib.compress(b"old"),))
    assert site_builder(root).restore() is None
    first = saved_session(root)
    found = site_builder(root).restore()
    assert found is not None and found[0]["index.html"] == first.snapshot["index.html"]  # type: ignore[index]


def test_a_restart_does_not_index_the_restored_search_index_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The saved index's partitions are known by the keys they were made from: the first
    build after a restart makes none of them again (at 10k articles that was ~60 s of
    Pagefind on every start), and an edit makes only its own partition."""
    made: list[int] = []
    real = partitions.build_bundle
    monkeypatch.setattr(partitions, "build_bundle", lambda r: made.append(len(r)) or real(r))
    monkeypatch.setattr(partitions, "PARTITION_RECORDS", 3)
    root = make_news_site(tmp_path / "site", 8)
    saved_session(root)
    assert sum(made) == 8 and len(made) > 1
    made.clear()
    builder = site_builder(root)
    restored = builder.restore()
    assert restored is not None
    first = builder(ChangeSet(initial=True))
    assert first.snapshot is not None and first.followup is None and made == []
    index = {p: d for p, d in restored[0].items() if p.startswith("pagefind/")}
    assert index and {p: d for p, d in first.snapshot.items() if p.startswith("pagefind/")} == index
    source = sorted((root / "content").rglob("*.md"))[0]
    source.write_text(source.read_text(encoding="utf-8") + "\nفقرة.\n", encoding="utf-8")
    second = builder(ChangeSet((source,)))
    assert second.followup is not None
    second.followup.run()
    assert len(made) == 1 and made[0] <= 3
