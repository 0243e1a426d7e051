"""The terminal progress line: stage, count and rate; nothing when not a terminal."""

from __future__ import annotations

import io

from sitegen.build.progress import Progress, TerminalProgress, progress_for


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_line_shows_stage_count_and_rate() -> None:
    stream, clock = io.StringIO(), FakeClock()
    progress = TerminalProgress(stream, clock)
    progress.start("render", 12389)
    clock.now += 2
    progress.advance(4000)
    assert progress.line() == "render  4,000/12,389 pages  2,000/s"
    assert stream.getvalue().endswith("render  4,000/12,389 pages  2,000/s")
    progress.finish()
    assert stream.getvalue().endswith("\r" + " " * len(progress.line()) + "\r")


def test_a_stage_whose_items_are_still_read_counts_them_as_they_come() -> None:
    """The parse stage takes sources as load reads them: its total grows (`more`)."""
    progress = TerminalProgress(io.StringIO(), FakeClock())
    progress.start("parse", 0)
    progress.more(100)
    progress.advance(40)
    progress.more(100)
    assert progress.line() == "parse   40/200 files"


def test_one_item_is_singular() -> None:
    progress = TerminalProgress(io.StringIO(), FakeClock())
    progress.start("parse", 1)
    assert progress.line() == "parse   0/1 file"
    progress.start("search", 2)
    assert progress.line() == "search  0/2 items"


def test_redraws_at_most_ten_times_a_second() -> None:
    stream, clock = io.StringIO(), FakeClock()
    progress = TerminalProgress(stream, clock)
    progress.start("parse", 1000)
    for _ in range(50):
        progress.advance(1)
    assert stream.getvalue().count("\r") == 1  # only the start was drawn
    clock.now += 0.2
    progress.advance(1)
    assert stream.getvalue().count("\r") == 2


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_quiet_unless_a_terminal() -> None:
    assert type(progress_for(io.StringIO(), quiet=False)) is Progress
    assert type(progress_for(Tty(), quiet=True)) is Progress
    assert isinstance(progress_for(Tty(), quiet=False), TerminalProgress)
