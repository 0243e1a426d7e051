"""Build progress for people watching a terminal: stage, count, rate, on one rewritten line.

`Progress` does nothing (builds in tests, the dev server, output piped to a file);
`TerminalProgress` draws on a TTY at most ten times a second and clears its line when done.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TextIO

from sitegen.core.text import plural

UNITS = {"parse": "file", "compare": "page", "render": "page"}


class Progress:
    """Receives the build's progress; this base class ignores it."""

    def start(self, stage: str, total: int) -> None:
        """A stage begins with `total` items to process."""

    def more(self, count: int) -> None:
        """The current stage has `count` more items to process (its items are being read)."""

    def advance(self, count: int) -> None:
        """`count` more items of the current stage are done."""

    def finish(self) -> None:
        """The build is over (successfully or not)."""


class TerminalProgress(Progress):
    """`render  4,200/12,389 pages  2,950/s` on one line of a terminal."""

    def __init__(self, stream: TextIO, clock: Callable[[], float] = time.monotonic) -> None:
        self.stream = stream
        self.clock = clock
        self.stage = ""
        self.total = 0
        self.done = 0
        self.started = 0.0
        self.drawn = 0.0
        self.width = 0

    def start(self, stage: str, total: int) -> None:
        self.stage, self.total, self.done = stage, total, 0
        self.started = self.clock()
        self._draw(force=True)

    def more(self, count: int) -> None:
        self.total += count

    def advance(self, count: int) -> None:
        self.done += count
        self._draw(force=self.done >= self.total)

    def finish(self) -> None:
        if self.width:
            self.stream.write("\r" + " " * self.width + "\r")
            self.stream.flush()
            self.width = 0

    def line(self) -> str:
        """The status line as it is now."""
        elapsed = self.clock() - self.started
        text = f"{self.stage:<7} {self.done:,}/{plural(self.total, UNITS.get(self.stage, 'item'))}"
        if elapsed > 0 and self.done:
            text += f"  {self.done / elapsed:,.0f}/s"
        return text

    def _draw(self, force: bool = False) -> None:
        now = self.clock()
        if not force and now - self.drawn < 0.1:
            return
        self.drawn = now
        text = self.line()
        self.stream.write("\r" + text.ljust(self.width))
        self.stream.flush()
        self.width = max(self.width, len(text))


def progress_for(stream: TextIO, quiet: bool) -> Progress:
    """A terminal display when `stream` is a TTY and not quiet; otherwise silence."""
    isatty = getattr(stream, "isatty", None)
    if quiet or not (isatty and isatty()):
        return Progress()
    return TerminalProgress(stream)
