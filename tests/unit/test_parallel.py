"""The process map: same results in the same order as a serial map, whatever the method."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence
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
