"""The watcher: fake watchdog events and a fake clock in, ChangeSets out; no sleeping."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from watchdog.events import (
    DirModifiedEvent,
    FileClosedEvent,
    FileClosedNoWriteEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileOpenedEvent,
)

from sitegen.serve.watch import (
    ChangeSet,
    Collector,
    WatchedSite,
    is_editor_temp,
)

ROOT = Path("/site")
BUILTIN = Path("/pkg/sitegen/themes")


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def site() -> WatchedSite:
    return WatchedSite.at(ROOT, builtin_themes=BUILTIN, output_dir=Path("/elsewhere/public"))


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def collector(site: WatchedSite, clock: FakeClock) -> Collector:
    return Collector(site, quiet=0.1, max_wait=1.0, clock=clock)


def p(rel: str) -> str:
    return str(ROOT / rel)


@pytest.mark.parametrize(
    ("path", "source"),
    [
        ("sitegen.yaml", True),
        ("content/2022/01/07/واشنطن.md", True),
        ("content/news.txt", True),
        ("static/img/logo.webp", True),
        ("themes/mine/templates/article.html", True),
        ("themes/mine/theme.yaml", True),
        ("themes/mine/locale/ar/LC_MESSAGES/messages.po", True),
        ("themes/mine/static/css/site.css", True),
        ("output/index.html", False),
        ("/elsewhere/public/index.html", False),
        ("content/.hidden/a.md", False),
        ("static/.htaccess", False),
        (".sitegen/cache.json", False),
        ("content/.git/HEAD", False),
        ("README.md", False),
        ("other.yaml", False),
        ("themes", False),
    ],
)
def test_sources_of_the_site(site: WatchedSite, path: str, source: bool) -> None:
    assert site.is_source(ROOT / path) is source


def test_builtin_theme_is_a_source(site: WatchedSite) -> None:
    assert site.is_source(BUILTIN / "digest/templates/base.html")
    assert site.is_source(BUILTIN / "digest/static/site.css")


@pytest.mark.parametrize(
    "name",
    [".a.md.swp", "a.md.swx", "a.md~", "4913", "#a.md#", ".#a.md", "a.md___jb_tmp___", ".x.tmp"],
)
def test_editor_temp_files_are_ignored(site: WatchedSite, name: str) -> None:
    assert is_editor_temp(name)
    assert not site.is_source(ROOT / "content" / name)


@pytest.mark.parametrize("name", ["a.md", "swp.md", "4913.md", "a#b.md", "واشنطن.md"])
def test_ordinary_names_are_not_editor_temp(name: str) -> None:
    assert not is_editor_temp(name)


def test_burst_waits_for_quiet(collector: Collector, clock: FakeClock) -> None:
    collector.record(FileModifiedEvent(p("content/a.md")))
    assert collector.take_ready() is None
    clock.advance(0.05)
    collector.record(FileModifiedEvent(p("content/b.md")))
    clock.advance(0.09)
    assert collector.take_ready() is None  # 0.09 s since the last event
    clock.advance(0.02)
    ready = collector.take_ready()
    assert ready == ChangeSet((ROOT / "content/a.md", ROOT / "content/b.md"))
    assert collector.take_ready() is None


def test_continuous_events_flush_after_max_wait(collector: Collector, clock: FakeClock) -> None:
    for _ in range(12):
        collector.record(FileModifiedEvent(p("content/a.md")))
        clock.advance(0.09)
        if collector.take_ready() is not None:
            break
    else:
        pytest.fail("a steady stream of events never flushed")
    assert clock.now - 100.0 == pytest.approx(1.08)


def test_atomic_save_reports_only_the_destination(collector: Collector, clock: FakeClock) -> None:
    tmp = p("content/.a.md.tmp1234")
    for event in (
        FileCreatedEvent(tmp),
        FileOpenedEvent(tmp),
        FileModifiedEvent(tmp),
        FileClosedEvent(tmp),
        FileMovedEvent(tmp, p("content/a.md")),
        DirModifiedEvent(p("content")),
    ):
        collector.record(event)
    clock.advance(0.2)
    assert collector.take_ready() == ChangeSet((ROOT / "content/a.md",))


def test_vim_style_save_with_backup_and_4913(collector: Collector, clock: FakeClock) -> None:
    for event in (
        FileCreatedEvent(p("content/4913")),
        FileDeletedEvent(p("content/4913")),
        FileMovedEvent(p("content/a.md"), p("content/a.md~")),
        FileCreatedEvent(p("content/a.md")),
        FileModifiedEvent(p("content/a.md")),
        FileClosedEvent(p("content/a.md")),
        FileDeletedEvent(p("content/a.md~")),
    ):
        collector.record(event)
    clock.advance(0.2)
    assert collector.take_ready() == ChangeSet((ROOT / "content/a.md",))


def test_delete_and_rename_report_both_ends(collector: Collector, clock: FakeClock) -> None:
    collector.record(FileDeletedEvent(p("content/gone.md")))
    collector.record(FileMovedEvent(p("content/old.md"), p("content/new.md")))
    clock.advance(0.2)
    ready = collector.take_ready()
    assert ready is not None
    assert ready.paths == tuple(ROOT / f"content/{n}.md" for n in ("gone", "new", "old"))


def test_a_mixed_burst_keeps_only_sources(collector: Collector, clock: FakeClock) -> None:
    collector.record(FileModifiedEvent(p("sitegen.yaml")))
    collector.record(FileModifiedEvent(p("themes/mine/static/site.css")))
    collector.record(FileModifiedEvent(p("output/index.html")))
    clock.advance(0.2)
    ready = collector.take_ready()
    assert ready is not None
    assert ready.paths == (ROOT / "sitegen.yaml", ROOT / "themes/mine/static/site.css")


def test_ignored_and_no_write_events_start_no_burst(collector: Collector, clock: FakeClock) -> None:
    collector.record(FileModifiedEvent(p("output/index.html")))
    collector.record(FileModifiedEvent(p("content/.a.md.swp")))
    collector.record(FileOpenedEvent(p("content/a.md")))
    collector.record(FileClosedNoWriteEvent(p("content/a.md")))
    collector.record(DirModifiedEvent(p("content")))
    clock.advance(5)
    assert collector.take_ready() is None


def test_transient_file_alone_yields_nothing(collector: Collector, clock: FakeClock) -> None:
    collector.record(FileCreatedEvent(p("content/tmpx")))
    collector.record(FileDeletedEvent(p("content/tmpx")))
    clock.advance(0.2)
    assert collector.take_ready() is None


def test_wait_returns_none_once_stopped(collector: Collector) -> None:
    stop = threading.Event()
    stop.set()
    assert collector.wait(stop) is None


def test_wait_returns_a_ready_burst(collector: Collector, clock: FakeClock) -> None:
    collector.record(FileModifiedEvent(p("content/a.md")))
    clock.advance(0.2)
    ready = collector.wait(threading.Event())
    assert ready is not None and ready.paths == (ROOT / "content/a.md",)


def test_watch_targets_skip_missing_and_duplicate_folders(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "themes").mkdir()
    site = WatchedSite.at(tmp_path, builtin_themes=tmp_path / "themes")
    root = tmp_path.resolve()
    assert site.watch_targets() == [
        (root, False),
        (root / "content", True),
        (root / "themes", True),
    ]


def test_the_observer_is_not_told_of_files_only_read(tmp_path: Path) -> None:
    """Reading sources, as every build does, sends the observer thread nothing: watchdog
    reported two events a file read (opened, closed unwritten), 20,000 for a 10k site's load
    stage, handled in Python beside it. A change after the reads still arrives."""
    import time

    from sitegen.serve.run import watched_site
    from sitegen.serve.watch import start_observer

    (tmp_path / "content").mkdir()
    source = tmp_path / "content" / "a.md"
    source.write_text("old", encoding="utf-8")
    kinds: list[str] = []

    class Counting(Collector):
        def record(self, event) -> None:  # type: ignore[no-untyped-def]
            kinds.append(event.event_type)
            super().record(event)

    observer = start_observer(Counting(watched_site(tmp_path)))
    try:
        for _ in range(20):
            source.read_bytes()
        source.write_text("new", encoding="utf-8")  # its events follow the reads'
        deadline = time.monotonic() + 5
        while "modified" not in kinds and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        observer.stop()
        observer.join()
    assert "modified" in kinds
    assert not {"opened", "closed_no_write"} & set(kinds)


def test_the_polling_observer_hears_every_kind_of_change(tmp_path: Path) -> None:
    """`sitegen serve --poll` (file systems without inotify) goes through the same event
    filter: an edit, a new file, a rename and a deletion each reach the collector."""
    import time

    from sitegen.serve.run import watched_site
    from sitegen.serve.watch import start_observer

    (tmp_path / "content").mkdir()
    edited, moved, deleted = (tmp_path / "content" / name for name in ("a.md", "b.md", "c.md"))
    for source in (edited, moved, deleted):
        source.write_text("old", encoding="utf-8")
    seen: set[tuple[str, str]] = set()

    class Recording(Collector):
        def record(self, event) -> None:  # type: ignore[no-untyped-def]
            seen.add((event.event_type, Path(event.src_path).name))
            super().record(event)

    expected = {
        ("modified", "a.md"),
        ("created", "new.md"),
        ("moved", "b.md"),
        ("deleted", "c.md"),
    }
    observer = start_observer(Recording(watched_site(tmp_path)), poll=True)
    try:
        time.sleep(0.2)  # the first poll takes the folder's snapshot
        edited.write_text("new text", encoding="utf-8")
        (tmp_path / "content" / "new.md").write_text("new", encoding="utf-8")
        moved.rename(tmp_path / "content" / "renamed.md")
        deleted.unlink()
        deadline = time.monotonic() + 10
        while not expected <= seen and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        observer.stop()
        observer.join()
    assert expected <= seen
