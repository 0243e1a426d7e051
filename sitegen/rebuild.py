"""The single rebuild loop: take a ChangeSet, build, publish the result, report it.

The builder knows nothing about HTTP and the server never builds: this loop is the only place
that connects them. A failed build keeps the last good snapshot and publishes its diagnostics
for the overlay; the terminal shows the same `path:line: message` lines.
"""

from __future__ import annotations

import threading
import time
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from sitegen.diagnostics import Diagnostic, error, has_errors, sort_key, summary
from sitegen.followup import Followup, FollowupWorker
from sitegen.preview import Frame, PreviewState
from sitegen.text import plural
from sitegen.watch import ChangeSet, Collector


@dataclass(frozen=True)
class BuildOutcome:
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


Builder = Callable[[ChangeSet], BuildOutcome]


class RebuildLoop:
    """Runs the builder for each ChangeSet and publishes the outcome to a PreviewState."""

    def __init__(
        self,
        builder: Builder,
        state: PreviewState,
        out: TextIO,
        *,
        root: Path,
        clock: Callable[[], float] = time.perf_counter,
    ) -> None:
        self._builder = builder
        self._state = state
        self._out = out
        self._root = root
        self._clock = clock
        self._followups: FollowupWorker | None = None

    def build(self, changes: ChangeSet) -> Frame | None:
        """Build once and publish; returns the new frame, or None when nothing changed."""
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
            if self._followups is None:
                self._followups = FollowupWorker(self._state, self._print, self._clock)
            self._followups.submit(outcome.followup, self._state.current.epoch)
        return frame

    def followups_done(self, timeout: float) -> bool:
        """Wait until follow-up work is finished (for tests and benchmarks)."""
        return self._followups is None or self._followups.idle(timeout)

    def close(self) -> None:
        """Stop the follow-up thread."""
        if self._followups is not None:
            self._followups.close()

    def run(self, collector: Collector, stop: threading.Event) -> None:
        """Build every ChangeSet the collector yields until `stop` is set."""
        while not stop.is_set():
            changes = collector.wait(stop)
            if changes is not None:
                self.build(changes)

    def _run_builder(self, changes: ChangeSet) -> BuildOutcome:
        try:
            return self._builder(changes)
        except Exception as exc:  # a bug in the build must not take the preview down
            self._print(traceback.format_exc().rstrip())
            return BuildOutcome(None, (error("", None, f"internal error: {exc!r}"),))

    def _print(self, line: str) -> None:
        self._out.write(f"[{time.strftime('%H:%M:%S')}] {line}\n")
        self._out.flush()

    def _print_diagnostics(self, diagnostics: tuple[Diagnostic, ...]) -> None:
        for d in sorted(diagnostics, key=sort_key):
            self._out.write(f"  {d.format()}\n")
        self._out.flush()


def _failure_diagnostics(outcome: BuildOutcome) -> tuple[Diagnostic, ...]:
    if has_errors(outcome.diagnostics):
        return outcome.diagnostics
    return (*outcome.diagnostics, error("", None, "the build produced no site"))


def _what(changes: ChangeSet, root: Path, limit: int = 3) -> str:
    """`initial build`, or the changed files relative to `root` (the first few of them)."""
    if changes.initial or not changes.changes:
        return "initial build"
    names = [
        c.path.relative_to(root).as_posix() if c.path.is_relative_to(root) else str(c.path)
        for c in changes.changes
    ]
    shown = ", ".join(names[:limit])
    more = f" and {len(names) - limit} more" if len(names) > limit else ""
    return f"{shown}{more} changed"
