"""The preview's one rebuild loop, and the worker that finishes slow work after a build is shown.

`RebuildLoop` takes a ChangeSet, runs the builder, publishes the result to the `PreviewState`
and reports it: the builder knows nothing about HTTP and the server never builds, so this is
the only place that connects them. A failed build keeps the last good snapshot and publishes
its diagnostics for the overlay; the terminal shows the same `path:line: message` lines.

A build may carry a `Followup` (the search index): the loop publishes the build first, so the
browser reloads at once, and hands the follow-up to its `FollowupWorker`, which runs it on one
background thread and merges its files silently into the frame it was made for. Only the
newest follow-up matters: a newer request replaces one still waiting, and one equal to the
follow-up already running (same `key`) just moves that one's result to the newer frame.
"""

from __future__ import annotations

import threading
import time
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from sitegen.core.diagnostics import Diagnostic, diagnostic_order, error, has_errors, summary
from sitegen.core.text import plural
from sitegen.serve.state import Frame, PreviewState
from sitegen.serve.watch import ChangeSet, Collector


@dataclass(frozen=True)
class Followup:
    """`run()` returns the files that replace those under `prefix`; equal `key`s mean equal
    results. `label` names the work in the terminal."""

    key: str
    prefix: str
    run: Callable[[], Mapping[str, bytes]]
    label: str = "follow-up"


@dataclass(frozen=True)
class PreviewBuild:
    """What a builder returns: the snapshot (None when the build failed) and its diagnostics.

    `snapshot` maps output-relative POSIX paths (`2022/01/07/slug/index.html`) to bytes;
    `base_path` is the decoded URL path the site is deployed under (`/`, `/news/`).
    `followup` is slow work (the search index) to finish after the snapshot is shown.
    """

    snapshot: Mapping[str, bytes] | None
    diagnostics: tuple[Diagnostic, ...] = ()
    base_path: str = "/"
    followup: Followup | None = None

    @property
    def failed(self) -> bool:
        return self.snapshot is None or has_errors(self.diagnostics)


Builder = Callable[[ChangeSet], PreviewBuild]
# Files to show at once, before the whole build (an edited article's page), or None.
QuickBuilder = Callable[[ChangeSet], Mapping[str, bytes] | None]


class RebuildLoop:
    """Runs the builder for each ChangeSet and publishes the outcome to a PreviewState.

    `quick`, when given, is asked first for files to show before the whole build: they are
    swapped into the current frame (a new epoch, so browsers reload), then the whole build
    runs and its result replaces them. `followups` is the worker running the builds'
    follow-ups; `close` stops it.
    """

    def __init__(
        self,
        builder: Builder,
        state: PreviewState,
        out: TextIO,
        *,
        root: Path,
        quick: QuickBuilder | None = None,
        clock: Callable[[], float] = time.perf_counter,
    ) -> None:
        self._builder = builder
        self._quick = quick
        self._state = state
        self._out = out
        self._root = root
        self._clock = clock
        self.followups = FollowupWorker(state, self._print, clock)

    def build(self, changes: ChangeSet) -> Frame | None:
        """Build once and publish; returns the new frame, or None when nothing changed."""
        if self._quick is not None and not changes.initial:
            self._show_quick(self._quick, changes)
        started = self._clock()
        outcome = self._run_builder(changes)
        seconds = self._clock() - started
        if outcome.failed or outcome.snapshot is None:
            diagnostics = _failure_diagnostics(outcome)
            frame = self._state.fail(diagnostics)
            self._print(
                f"{_what(changes, self._root)}: build failed in {seconds:.2f} s "
                f"({summary(diagnostics)}); still serving the last good build"
            )
            self._print_diagnostics(diagnostics)
            return frame
        frame = self._state.publish(outcome.snapshot, outcome.base_path)
        pages = sum(1 for path in outcome.snapshot if path.endswith(".html"))
        updated = (
            "no output changed"
            if frame is None
            else f"{plural(len(frame.changed), 'file')} updated"
        )
        if frame is not None and frame.action == "css":
            updated += ", stylesheets swapped"
        self._print(
            f"{_what(changes, self._root)}: built {plural(pages, 'page')} in {seconds:.2f} s "
            f"({updated})"
        )
        self._print_diagnostics(outcome.diagnostics)
        if outcome.followup is not None:
            self.followups.submit(outcome.followup, self._state.current.epoch)
        return frame

    def run(self, collector: Collector, stop: threading.Event) -> None:
        """Build every ChangeSet the collector yields until `stop` is set."""
        while not stop.is_set():
            changes = collector.wait(stop)
            if changes is not None:
                self.build(changes)

    def close(self) -> None:
        """Stop the follow-up thread."""
        self.followups.close()

    def _show_quick(self, quick: QuickBuilder, changes: ChangeSet) -> None:
        """Show the quick builder's files, if it has any for these changes."""
        started = self._clock()
        try:
            files = quick(changes)
        except Exception:  # the whole build follows: it reports what went wrong
            self._print(traceback.format_exc().rstrip())
            return
        frame = self._state.patch(files) if files else None
        if frame is not None:
            seconds = self._clock() - started
            self._print(
                f"{_what(changes, self._root)}: {plural(len(frame.changed), 'file')} shown "
                f"in {seconds:.2f} s; building the site"
            )

    def _run_builder(self, changes: ChangeSet) -> PreviewBuild:
        try:
            return self._builder(changes)
        except Exception as exc:  # a bug in the build must not take the preview down
            self._print(traceback.format_exc().rstrip())
            return PreviewBuild(None, (error("", None, f"internal error: {exc!r}"),))

    def _print(self, line: str) -> None:
        self._out.write(f"[{time.strftime('%H:%M:%S')}] {line}\n")
        self._out.flush()

    def _print_diagnostics(self, diagnostics: tuple[Diagnostic, ...]) -> None:
        for d in sorted(diagnostics, key=diagnostic_order):
            self._out.write(f"  {d.format()}\n")
        self._out.flush()


def _failure_diagnostics(outcome: PreviewBuild) -> tuple[Diagnostic, ...]:
    if has_errors(outcome.diagnostics):
        return outcome.diagnostics
    return (*outcome.diagnostics, error("", None, "the build produced no site"))


def _what(changes: ChangeSet, root: Path, limit: int = 3) -> str:
    """`initial build`, or the changed files relative to `root` (the first few of them)."""
    if changes.initial or not changes.paths:
        return "initial build"
    names = [
        p.relative_to(root).as_posix() if p.is_relative_to(root) else str(p) for p in changes.paths
    ]
    shown = ", ".join(names[:limit])
    more = f" and {len(names) - limit} more" if len(names) > limit else ""
    return f"{shown}{more} changed"


class FollowupWorker:
    """One background thread, started on the first `submit`, running the newest `Followup`
    for the newest frame."""

    def __init__(
        self,
        state: PreviewState,
        report: Callable[[str], None],
        clock: Callable[[], float] = time.perf_counter,
    ) -> None:
        self._state = state
        self._report = report
        self._clock = clock
        self._cond = threading.Condition()
        self._pending: tuple[Followup, int] | None = None
        self._running: str | None = None  # key of the follow-up being run
        self._target = 0  # the epoch its result is for
        self._closed = False
        self._thread: threading.Thread | None = None

    def submit(self, followup: Followup, epoch: int) -> None:
        """Run `followup` for frame `epoch` (replacing any follow-up not yet started)."""
        with self._cond:
            if self._closed:
                return
            if followup.key == self._running:
                self._pending = None
                self._target = epoch
            else:
                self._pending = (followup, epoch)
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._loop, name="preview-followup", daemon=True
                )
                self._thread.start()
            self._cond.notify_all()

    def idle(self, timeout: float) -> bool:
        """Wait until nothing is pending or running; False on timeout."""
        with self._cond:
            return self._cond.wait_for(
                lambda: self._pending is None and self._running is None, timeout
            )

    def close(self) -> None:
        """Stop after the current follow-up (its result is dropped)."""
        with self._cond:
            self._closed = True
            self._pending = None
            self._cond.notify_all()

    def _loop(self) -> None:
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._closed or self._pending is not None)
                if self._closed or self._pending is None:
                    return
                followup, self._target = self._pending
                self._pending, self._running = None, followup.key
            started = self._clock()
            try:
                files: Mapping[str, bytes] | None = followup.run()
            except Exception as exc:  # reported; the preview keeps serving without it
                files = None
                self._report(f"{followup.label} failed: {exc}")
            seconds = self._clock() - started
            with self._cond:  # a submit now must see either the result merged or no runner
                merged = (
                    files is not None
                    and not self._closed
                    and self._state.amend(self._target, followup.prefix, files)
                )
                self._running = None
                self._cond.notify_all()
            if merged:
                self._report(f"{followup.label} updated in {seconds:.2f} s")
