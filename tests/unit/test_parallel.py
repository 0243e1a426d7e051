"""The process map: same results in the same order as a serial map, whatever the method."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from sitegen.build import parallel
from sitegen.build.parallel import Stage, chunk_size, run_stage


def _prepare(setup: int) -> dict[str, int]:
    return {"offset": setup, "pid": os.getpid()}


def _square_plus(state: dict[str, int], items: Sequence[int]) -> list[tuple[int, int]]:
    return [(i * i + state["offset"], os.getpid()) for i in items]


STAGE: Stage[int, tuple[int, int]] = Stage("test", _prepare, _square_plus)


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_parallel_equals_serial_in_order(method: str) -> None:
    items = list(range(1000))
    serial = list(run_stage(STAGE, 7, items, jobs=1))
    done: list[int] = []
    parallel_result = list(run_stage(STAGE, 7, items, jobs=2, method=method, progress=done.append))
    assert [v for v, _ in parallel_result] == [v for v, _ in serial] == [i * i + 7 for i in items]
    assert {pid for _, pid in serial} == {os.getpid()}
    assert os.getpid() not in {pid for _, pid in parallel_result}
    assert sum(done) == len(items) and len(done) > 2


def test_small_inputs_run_in_this_process() -> None:
    result = list(run_stage(STAGE, 0, list(range(parallel.MIN_PARALLEL_ITEMS - 1)), jobs=2))
    assert {pid for _, pid in result} == {os.getpid()}


def test_empty_input() -> None:
    assert list(run_stage(STAGE, 0, [], jobs=2)) == []


def test_chunks_are_bounded() -> None:
    assert chunk_size(100_000, 2) == parallel.MAX_CHUNK
    assert chunk_size(1000, 2) == 63
    assert chunk_size(3, 8) == 1


def test_chunks_shrink_towards_the_end() -> None:
    """The last chunks are small, so no worker waits long for another's last chunk."""
    for items, workers in [(10_000, 2), (1000, 2), (300, 4), (17, 2)]:
        bounds = parallel.chunk_bounds(items, workers)
        assert [a for a, _ in bounds] == [0, *(b for _, b in bounds[:-1])]  # contiguous
        assert bounds[-1][1] == items
        sizes = [b - a for a, b in bounds]
        assert max(sizes) == chunk_size(items, workers)
        assert sizes == sorted(sizes, reverse=True)
    tail = [b - a for a, b in parallel.chunk_bounds(10_000, 2)][-4:]
    assert max(tail) <= parallel.MIN_TAIL_CHUNK


_PRELOADED = """
from sitegen.build import parallel
from tests.unit.test_parallel import _loaded, LOADED
assert parallel.start_fork_server()
print(list(parallel.run_stage(LOADED, None, list(range(8)), jobs=2, method="forkserver"))[0])
"""


def _loaded(setup: None) -> list[str]:
    return sorted(name for name in parallel.WORKER_MODULES if name in sys.modules)


def _state(state: list[str], items: Sequence[int]) -> list[list[str]]:
    return [state for _ in items]


LOADED: Stage[int, list[str]] = Stage("loaded", _loaded, _state, min_items=1)


@pytest.mark.skipif(parallel.available_cpus() < 2, reason="the fork server needs two CPUs")
def test_fork_server_workers_start_with_the_stage_modules_imported() -> None:
    """A worker forked by the fork server finds the parser and Jinja imported already."""
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", _PRELOADED], cwd=root, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == repr(sorted(parallel.WORKER_MODULES))


def _mark_then_square(state: dict[str, int], items: Sequence[int]) -> list[tuple[int, int]]:
    marker = Path(os.environ["STREAM_MARKER"])
    marker.touch()  # a worker began: the stream's consumer sees it
    return _square_plus(state, items)


MARKING_STAGE: Stage[int, tuple[int, int]] = Stage("test", _prepare, _mark_then_square)


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_a_stream_is_worked_on_while_it_is_still_being_given(
    method: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`stream_stage` hands each chunk to the workers as it is taken: the first chunks are
    parsed while the load stage still reads the rest (it was read whole first)."""
    marker = tmp_path / "began"
    monkeypatch.setenv("STREAM_MARKER", str(marker))
    count = parallel.MIN_PARALLEL_ITEMS + 3 * parallel.STREAM_CHUNK
    seen_before_the_end: list[bool] = []

    def items() -> Iterator[int]:
        yield from range(count - 1)
        deadline = time.monotonic() + 20  # the producer waits for a worker to have begun
        while not marker.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        seen_before_the_end.append(marker.exists())
        yield count - 1

    done: list[int] = []
    taken: list[int] = []
    results = list(
        parallel.stream_stage(
            MARKING_STAGE,
            7,
            items(),
            jobs=2,
            method=method,
            progress=done.append,
            taken=taken.append,
        )
    )
    assert seen_before_the_end == [True]
    assert [v for v, _ in results] == [i * i + 7 for i in range(count)]
    assert os.getpid() not in {pid for _, pid in results}
    assert sum(done) == sum(taken) == count and len(done) > 2


def test_a_short_stream_runs_in_this_process_in_order() -> None:
    items = iter(range(parallel.MIN_PARALLEL_ITEMS - 1))
    result = list(parallel.stream_stage(STAGE, 1, items, jobs=2))
    assert [v for v, _ in result] == [i * i + 1 for i in range(parallel.MIN_PARALLEL_ITEMS - 1)]
    assert {pid for _, pid in result} == {os.getpid()}
    assert list(parallel.stream_stage(STAGE, 0, iter(()), jobs=2)) == []


def test_a_streamed_list_lets_each_item_go_as_it_is_taken() -> None:
    items = [[i] for i in range(5)]
    given = parallel.stream_stage(Stage("t", _prepare, _lengths), 0, items, jobs=1)
    assert list(given) == [1] * 5
    assert items == [None] * 5


def _lengths(state: dict[str, int], items: Sequence[list[int]]) -> list[int]:
    return [len(item) for item in items]


def test_a_stream_is_taken_no_further_ahead_than_its_workers_need() -> None:
    """The load stage reads no further than `STREAM_AHEAD` chunks a worker beyond the
    results given: the sources in flight are bounded, not the whole site's (0.65 GB at 100k)."""
    count = 40 * parallel.STREAM_CHUNK
    taken: list[int] = []

    def items() -> Iterator[int]:
        for i in range(count):
            taken.append(i)
            yield i

    results = parallel.stream_stage(STAGE, 0, items(), jobs=2, method="fork")
    next(results)
    ahead = parallel.MIN_PARALLEL_ITEMS + (2 * parallel.STREAM_AHEAD + 2) * parallel.STREAM_CHUNK
    assert len(taken) <= ahead < count
    assert [v for v, _ in results] == [i * i for i in range(1, count)]
