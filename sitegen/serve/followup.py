"""Work the preview finishes after a build is shown, such as the search index.

A builder may return a `Followup` with its outcome: the rebuild loop publishes the build first
(the browser reloads at once) and hands the follow-up to a `FollowupWorker`, which runs it on
one background thread and merges its files silently into the frame it was made for. Only the
newest follow-up matters: a newer request replaces one still waiting, and one equal to the
follow-up already running (same `key`) just moves that one's result to the newer frame.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from sitegen.serve.state import PreviewState


@dataclass(frozen=True)
class Followup:
    """`run()` returns the files that replace those under `prefix`; equal `key`s mean equal
    results. `label` names the work in the terminal."""

    key: str
    prefix: str
    run: Callable[[], Mapping[str, bytes]]
    label: str = "follow-up"


class FollowupWorker:
    """One background thread running the newest `Followup` for the newest frame."""

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
        self._thread = threading.Thread(target=self._loop, name="preview-followup", daemon=True)
        self._thread.start()

    def submit(self, followup: Followup, epoch: int) -> None:
        """Run `followup` for frame `epoch` (replacing any follow-up not yet started)."""
        with self._cond:
            if followup.key == self._running:
                self._pending = None
                self._target = epoch
            else:
                self._pending = (followup, epoch)
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
