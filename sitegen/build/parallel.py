"""Map a pure stage over many items on several processes; the result equals a serial map.

A stage is two module-level functions: `prepare(setup) -> state` builds what a worker needs
(a Markdown renderer, a Jinja environment) once per process, and `run(state, chunk) -> list`
maps one chunk of items. Chunks are processed in any order but their results are joined in
input order, so parallel output is identical to serial output.

On Linux with a single thread the pool forks: workers inherit the items and the state,
prepared once in the calling process, and only results travel back through pipes. Elsewhere (threads running, as in the dev server, or
on platforms without a safe fork) workers are started with `forkserver`/`spawn` and items are
pickled. Small inputs run serially in the calling process: starting workers costs more.

`stream_stage` takes its items from an iterator (the load stage reading sources): each chunk
goes to the workers as soon as it is taken, so the work overlaps the producing of the items.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from itertools import chain, islice
from typing import Any, Generic, TypeVar

from sitegen.build.progress import Progress

Item = TypeVar("Item")
Result = TypeVar("Result")

# Below this many items a stage runs serially: forking and collecting cost ~0.1 s.
MIN_PARALLEL_ITEMS = 256
MAX_CHUNK = 400
MIN_TAIL_CHUNK = 16
# Items in a chunk of a stream: its total is not known, so chunks are small enough that the
# workers finish close together (100 sources parse in about 0.1 s).
STREAM_CHUNK = 100
# Chunks of a stream handed out per worker before the first one's results are waited for: the
# producer (the load stage reading sources) stays this far ahead, no further, so the items in
# flight are bounded (every source at once was 0.65 GB at 100k), and no worker waits for items.
STREAM_AHEAD = 4


@dataclass(frozen=True)
class Stage(Generic[Item, Result]):
    """A pure map: `prepare(setup)` once per process, then `run(state, chunk)` per chunk.

    `inherit_only`: run on workers only when they inherit the items (fork); pickling them
    would cost more than the work. `min_items`: fewer items run serially (workers cost ~0.1 s
    to start; an item that takes long pays for them sooner).
    """

    name: str
    prepare: Callable[[Any], Any]
    run: Callable[[Any, Sequence[Item]], list[Result]]
    inherit_only: bool = False
    min_items: int = MIN_PARALLEL_ITEMS


def available_cpus() -> int:
    """CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


# What the workers of every stage import, imported once by the fork server before it forks
# them: a worker then starts at once, with the parser and Jinja already in memory.
WORKER_MODULES = ("sitegen.build.incremental.parsed", "sitegen.build.render")


def start_method() -> str:
    """`fork` when it is safe (Linux, one thread), else the platform's safe default.

    The fork server, started once per process, imports `WORKER_MODULES` before forking workers.
    """
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1 and os.uname().sysname == "Linux":
        return "fork"
    if "forkserver" in methods:
        multiprocessing.get_context("forkserver").set_forkserver_preload(list(WORKER_MODULES))
        return "forkserver"
    return "spawn"


def start_fork_server() -> bool:
    """Start the fork server now, when workers will come from it and there are CPUs for them:
    its imports then run beside the caller's own work (a process about to start threads,
    such as the preview, calls this before its first build). True when it was started."""
    if available_cpus() < 2 or "forkserver" not in multiprocessing.get_all_start_methods():
        return False
    from multiprocessing import forkserver

    multiprocessing.get_context("forkserver").set_forkserver_preload(list(WORKER_MODULES))
    forkserver.ensure_running()
    return True


def chunk_size(items: int, workers: int) -> int:
    """About eight chunks per worker (for balance and progress), at most MAX_CHUNK items."""
    return max(1, min(MAX_CHUNK, -(-items // (workers * 8))))


def chunk_bounds(items: int, workers: int) -> list[tuple[int, int]]:
    """(start, stop) of each chunk, in order: `chunk_size` items, then smaller and smaller
    ones towards the end (what is left over twice the workers, at least MIN_TAIL_CHUNK), so
    the workers finish together instead of one waiting for another's last big chunk."""
    size = chunk_size(items, workers)
    bounds = []
    start = 0
    while start < items:
        left = items - start
        step = min(size, left, max(MIN_TAIL_CHUNK, -(-left // (workers * 2))))
        bounds.append((start, start + step))
        start += step
    return bounds


# Set in each worker by _init_worker; a forked worker also inherits the items here.
_worker: dict[str, Any] = {}


def _init_worker(
    stage: Stage[Any, Any], setup: Any, items: Sequence[Any] | None, state: Any
) -> None:
    _worker["stage"] = stage
    _worker["state"] = stage.prepare(setup) if state is None else state
    _worker["items"] = items


def _run_chunk(start: int, stop: int, chunk: Sequence[Any] | None) -> list[Any]:
    stage: Stage[Any, Any] = _worker["stage"]
    items = chunk if chunk is not None else _worker["items"][start:stop]
    return stage.run(_worker["state"], items)


def run_stage(
    stage: Stage[Item, Result],
    setup: Any,
    items: Sequence[Item],
    *,
    jobs: int = 0,
    progress: Callable[[int], None] | None = None,
    method: str | None = None,
) -> Iterator[Result]:
    """`stage.run` over every item, in order, each chunk's results yielded as soon as they
    are there (a caller that does not keep them never holds the whole stage's). `jobs`: 0 =
    one worker per CPU, 1 = serial. `progress(n)` is called after each chunk with the number
    of items it held."""
    workers = min(jobs or available_cpus(), len(items))
    method = method or start_method()
    inherit = method == "fork"
    if workers <= 1 or len(items) < stage.min_items or (stage.inherit_only and not inherit):
        chunks = (items[a : a + MAX_CHUNK] for a in range(0, len(items), MAX_CHUNK))
        yield from _run_chunks_serially(stage, setup, chunks, progress)
        return
    bounds = chunk_bounds(len(items), workers)
    # Forked workers inherit the items and a state prepared once here (compiled templates …).
    state = stage.prepare(setup) if inherit else None
    with ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context(method),
        initializer=_init_worker,
        initargs=(stage, setup, items if inherit else None, state),
    ) as pool:
        futures = deque(
            pool.submit(_run_chunk, a, b, None if inherit else list(items[a:b])) for a, b in bounds
        )
        for a, b in bounds:
            chunk = futures.popleft().result()  # the future no longer holds it once taken
            if progress:
                progress(b - a)
            yield from chunk
            del chunk


def stream_stage(
    stage: Stage[Item, Result],
    setup: Any,
    items: Iterable[Item],
    *,
    jobs: int = 0,
    progress: Callable[[int], None] | None = None,
    taken: Callable[[int], None] | None = None,
    method: str | None = None,
) -> Iterator[Result]:
    """`run_stage` over items taken from an iterator as it gives them: each chunk is handed to
    the workers as soon as it is taken, and finished chunks' results are yielded, in order,
    while more are taken, at most `STREAM_AHEAD` chunks a worker ahead of the results given.
    `taken(n)` is called as n more items are taken. A list is taken
    from, each item let go (None in it) once taken: the stage holds it until its chunk is
    done. Fewer than `stage.min_items` items run serially; items are pickled to workers."""
    given = taking(items) if isinstance(items, list) else iter(items)
    workers = jobs or available_cpus()
    first = list(islice(given, stage.min_items)) if workers > 1 else []  # are there enough?
    method = method or start_method()
    if workers <= 1 or len(first) < stage.min_items or stage.inherit_only:
        chunks = _chunks(chain(first, given), MAX_CHUNK, taken)
        del first
        yield from _run_chunks_serially(stage, setup, chunks, progress)
        return
    chunks = _chunks(chain(first, given), STREAM_CHUNK, taken)
    del first
    state = stage.prepare(setup) if method == "fork" else None  # forked workers inherit it
    with ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context(method),
        initializer=_init_worker,
        initargs=(stage, setup, None, state),
    ) as pool:
        running: deque[tuple[Any, int]] = deque()
        for chunk in chunks:
            running.append((pool.submit(_run_chunk, 0, 0, chunk), len(chunk)))
            del chunk
            while running and (running[0][0].done() or len(running) > STREAM_AHEAD * workers):
                yield from _finished(running, progress)
        while running:
            yield from _finished(running, progress)


def taking(items: list[Item]) -> Iterator[Item]:
    """Each item of a list, replaced by None in it as it is given."""
    for index, item in enumerate(items):
        items[index] = None  # type: ignore[call-overload]
        yield item


def _chunks(
    items: Iterator[Item], size: int, taken: Callable[[int], None] | None
) -> Iterator[list[Item]]:
    while chunk := list(islice(items, size)):
        if taken:
            taken(len(chunk))
        yield chunk


def _finished(running: deque[tuple[Any, int]], progress: Callable[[int], None] | None) -> list[Any]:
    """The results of the first running chunk (waited for), which is let go."""
    future, count = running.popleft()
    results = future.result()
    if progress:
        progress(count)
    return results


def _run_chunks_serially(
    stage: Stage[Item, Result],
    setup: Any,
    chunks: Iterator[Sequence[Item]],
    progress: Callable[[int], None] | None,
) -> Iterator[Result]:
    state = stage.prepare(setup)
    for chunk in chunks:
        results = stage.run(state, chunk)
        if progress:
            progress(len(chunk))
        del chunk
        yield from results


class StageRunner:
    """Runs the pure stages of one build: on `jobs` workers, shown on `progress`."""

    def __init__(self, jobs: int, progress: Progress) -> None:
        self.jobs = jobs
        self.progress = progress

    def __call__(
        self, stage: Stage[Item, Result], setup: Any, items: Sequence[Item]
    ) -> list[Result]:
        self.progress.start(stage.name, len(items))
        return list(run_stage(stage, setup, items, jobs=self.jobs, progress=self.progress.advance))

    def each(
        self, stage: Stage[Item, Result], setup: Any, items: Sequence[Item]
    ) -> Iterator[Result]:
        """Like calling the runner, each result given as soon as its chunk is done."""
        self.progress.start(stage.name, len(items))
        return run_stage(stage, setup, items, jobs=self.jobs, progress=self.progress.advance)

    def stream(
        self, stage: Stage[Item, Result], setup: Any, items: Iterable[Item]
    ) -> Iterator[Result]:
        """Like `each`, the items taken from an iterator as it gives them (`stream_stage`):
        the progress's total grows as they are taken."""
        self.progress.start(stage.name, 0)
        progress = self.progress
        return stream_stage(
            stage, setup, items, jobs=self.jobs, progress=progress.advance, taken=progress.more
        )
