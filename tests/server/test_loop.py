"""The rebuild loop: builder outcome → published frame + terminal report; its follow-ups."""

from __future__ import annotations

import io
import threading
from pathlib import Path

from watchdog.events import FileModifiedEvent

from sitegen.core.diagnostics import error, warning
from sitegen.serve.loop import Followup, PreviewBuild, RebuildLoop
from sitegen.serve.state import PreviewState, ReloadAction
from sitegen.serve.watch import ChangeSet, Collector, WatchedSite

ROOT = Path("/site")
SITE = {"index.html": b"<p>1</p>", "a/index.html": b"<p>a</p>", "site.css": b"a{}"}


class ScriptedBuilder:
    """Returns the queued outcomes in order and records the ChangeSets it was given."""

    def __init__(self, *outcomes: PreviewBuild | Exception) -> None:
        self.outcomes = list(outcomes)
        self.calls: list[ChangeSet] = []

    def __call__(self, changes: ChangeSet) -> PreviewBuild:
        self.calls.append(changes)
        outcome = self.outcomes.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome


def make_loop(
    builder: ScriptedBuilder, state: PreviewState | None = None
) -> tuple[RebuildLoop, io.StringIO]:
    """A loop whose clock advances 0.25 s per reading, printing into a StringIO."""
    ticks = iter(float(t) * 0.25 for t in range(1000))
    out = io.StringIO()
    state = state or PreviewState()
    return RebuildLoop(builder, state, out, root=ROOT, clock=lambda: next(ticks)), out


def edit(*names: str) -> ChangeSet:
    return ChangeSet(tuple(ROOT / n for n in names))


def test_initial_build_reports_pages_and_time() -> None:
    loop, out = make_loop(ScriptedBuilder(PreviewBuild(SITE)))
    frame = loop.build(ChangeSet(initial=True))
    assert frame is not None and frame.files == SITE
    assert "initial build: built 2 pages in 0.25 s (3 files updated)" in out.getvalue()


def test_change_lists_files_and_css_swap() -> None:
    builder = ScriptedBuilder(PreviewBuild(SITE), PreviewBuild({**SITE, "site.css": b"b{}"}))
    loop, out = make_loop(builder)
    loop.build(ChangeSet(initial=True))
    frame = loop.build(ChangeSet((ROOT / "static/site.css",)))
    assert frame is not None and frame.action is ReloadAction.CSS
    assert "static/site.css changed: built 2 pages" in out.getvalue()
    assert "(1 file updated, stylesheets swapped)" in out.getvalue()
    assert builder.calls[1].paths == (ROOT / "static/site.css",)


def test_many_changed_files_are_shortened() -> None:
    loop, out = make_loop(ScriptedBuilder(PreviewBuild(SITE)))
    loop.build(edit("content/a.md", "content/b.md", "content/c.md", "content/d.md", "/x/e.md"))
    assert "content/a.md, content/b.md, content/c.md and 2 more changed" in out.getvalue()


def test_unchanged_output_says_so() -> None:
    loop, out = make_loop(ScriptedBuilder(PreviewBuild(SITE), PreviewBuild(dict(SITE))))
    loop.build(ChangeSet(initial=True))
    assert loop.build(edit("content/a.md")) is None
    assert "(no output changed)" in out.getvalue()


def test_failure_keeps_last_good_site_and_prints_every_diagnostic() -> None:
    failure = PreviewBuild(
        None, (error("content/b.md", 9, "no title"), error("content/a.md", 2, "bad YAML"))
    )
    loop, out = make_loop(ScriptedBuilder(PreviewBuild(SITE), failure))
    loop.build(ChangeSet(initial=True))
    frame = loop.build(edit("content/a.md"))
    assert frame is not None and frame.failed and frame.files == SITE
    text = out.getvalue()
    assert "build failed in 0.25 s (2 errors, 0 warnings); still serving the last good" in text
    assert text.index("  content/a.md:2: bad YAML\n") < text.index("  content/b.md:9: no title\n")


def test_warnings_of_a_good_build_are_printed_not_overlaid() -> None:
    outcome = PreviewBuild(SITE, (warning("content/a.md", 1, "no summary"),))
    loop, out = make_loop(ScriptedBuilder(outcome))
    frame = loop.build(ChangeSet(initial=True))
    assert frame is not None and not frame.failed
    assert "  content/a.md:1: warning: no summary\n" in out.getvalue()


def test_snapshot_with_errors_counts_as_failure() -> None:
    outcome = PreviewBuild(SITE, (error("a.md", 1, "x"),))
    loop, _ = make_loop(ScriptedBuilder(outcome))
    frame = loop.build(ChangeSet(initial=True))
    assert frame is not None and frame.failed and frame.files == {}


def test_no_snapshot_and_no_error_still_fails_with_a_message() -> None:
    loop, _ = make_loop(ScriptedBuilder(PreviewBuild(None)))
    frame = loop.build(ChangeSet(initial=True))
    assert frame is not None and frame.failed
    assert frame.diagnostics[-1].message == "the build produced no site"


def test_crashing_builder_becomes_an_internal_error() -> None:
    loop, out = make_loop(ScriptedBuilder(PreviewBuild(SITE), RuntimeError("boom")))
    loop.build(ChangeSet(initial=True))
    frame = loop.build(edit("content/a.md"))
    assert frame is not None and frame.failed and frame.files == SITE
    assert "internal error: RuntimeError('boom')" in frame.diagnostics[0].message
    assert "Traceback" in out.getvalue()


def test_run_builds_each_ready_changeset_until_stopped() -> None:
    site = WatchedSite.at(ROOT)
    collector = Collector(site, quiet=0.0, max_wait=0.0)
    stop = threading.Event()
    builder = ScriptedBuilder(PreviewBuild(SITE))

    def build_then_stop(changes: ChangeSet) -> PreviewBuild:
        stop.set()
        return builder(changes)

    loop = RebuildLoop(build_then_stop, PreviewState(), io.StringIO(), root=ROOT)
    collector.record(FileModifiedEvent(str(ROOT / "content/a.md")))
    worker = threading.Thread(target=loop.run, args=(collector, stop))
    worker.start()
    worker.join(5)
    assert not worker.is_alive()
    assert builder.calls[0].paths == (ROOT / "content/a.md",)


def test_followup_is_merged_after_the_build_is_shown() -> None:
    started, release = threading.Event(), threading.Event()

    def index() -> dict[str, bytes]:
        started.set()
        release.wait(5)
        return {"pagefind/entry.json": b"{}"}

    followup = Followup("records-1", "pagefind/", index, "search index")
    state = PreviewState()
    loop, out = make_loop(ScriptedBuilder(PreviewBuild(SITE, followup=followup)), state)
    frame = loop.build(ChangeSet(initial=True))
    assert frame is not None and "pagefind/entry.json" not in state.current.files
    assert started.wait(5)  # the build was published while the index was still being made
    release.set()
    assert loop.followups.idle(5)
    assert state.current.epoch == frame.epoch
    assert state.current.files["pagefind/entry.json"] == b"{}"
    assert "search index updated in" in out.getvalue()
    loop.close()


def test_followup_result_for_an_older_build_is_moved_to_the_newer_one() -> None:
    release = threading.Event()
    runs: list[str] = []

    def index(key: str) -> dict[str, bytes]:
        runs.append(key)
        release.wait(5)
        return {"pagefind/entry.json": key.encode()}

    same = Followup("records-1", "pagefind/", lambda: index("records-1"))
    newer_site = {**SITE, "index.html": b"<p>2</p>"}
    builder = ScriptedBuilder(
        PreviewBuild(SITE, followup=same), PreviewBuild(newer_site, followup=same)
    )
    state = PreviewState()
    loop, _ = make_loop(builder, state)
    loop.build(ChangeSet(initial=True))
    second = loop.build(edit("content/a.md"))  # the same index is still being made
    release.set()
    assert loop.followups.idle(5) and second is not None
    assert runs == ["records-1"]  # made once
    assert state.current.epoch == second.epoch
    assert state.current.files["pagefind/entry.json"] == b"records-1"
    loop.close()


def test_failing_followup_is_reported_and_the_build_stays() -> None:
    def broken() -> dict[str, bytes]:
        raise RuntimeError("pagefind crashed")

    followup = Followup("k", "pagefind/", broken, "search index")
    state = PreviewState()
    loop, out = make_loop(ScriptedBuilder(PreviewBuild(SITE, followup=followup)), state)
    loop.build(ChangeSet(initial=True))
    assert loop.followups.idle(5)
    assert "search index failed: pagefind crashed" in out.getvalue()
    assert dict(state.current.files) == SITE
    loop.close()
