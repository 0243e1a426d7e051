"""The process map: same results in the same order as a serial map, whatever the method."""

from __future__ import annotations

import os
from collections.abc import Sequence

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
    serial = run_stage(STAGE, 7, items, jobs=1)
    done: list[int] = []
    parallel_result = run_stage(STAGE, 7, items, jobs=2, method=method, progress=done.append)
    assert [v for v, _ in parallel_result] == [v for v, _ in serial] == [i * i + 7 for i in items]
    assert {pid for _, pid in serial} == {os.getpid()}
    assert os.getpid() not in {pid for _, pid in parallel_result}
    assert sum(done) == len(items) and len(done) > 2


def test_small_inputs_run_in_this_process() -> None:
    result = run_stage(STAGE, 0, list(range(parallel.MIN_PARALLEL_ITEMS - 1)), jobs=2)
    assert {pid for _, pid in result} == {os.getpid()}


def test_empty_input() -> None:
    assert run_stage(STAGE, 0, [], jobs=2) == []


def test_chunks_are_bounded() -> None:
    assert chunk_size(100_000, 2) == parallel.MAX_CHUNK
    assert chunk_size(1000, 2) == 63
    assert chunk_size(3, 8) == 1
