"""A restarted preview shows the site the last one saved, when it is still what a build makes."""

from __future__ import annotations

import io
import threading
import urllib.request
from pathlib import Path
from urllib.parse import quote

from sitegen.core.config import load_site
from sitegen.serve.loop import PreviewBuild
from sitegen.serve.run import Preview, ServeOptions, site_builder, site_preview, watched_site
from sitegen.serve.saved import FILE_NAME
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
    root = make_news_site(tmp_path / "site", 4)
    saved_session(root)
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
