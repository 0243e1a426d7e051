"""The garbage collector during a build: the oldest generation collected rarely.

A build makes millions of objects that live until it ends (documents, articles, views, page
jobs). CPython collects its oldest generation whenever the long-lived objects have grown by a
quarter, each time traversing all of them: seven full collections, 0.5 s of CPU, in a one-edit
build of 10,000 articles (which makes 77 collections of the middle generation). While a build
runs the young generations are collected as always (the garbage a stage makes dies young),
the oldest only after `FULL_EVERY` collections of the middle one: a long build (a clean one of
100,000 articles) still frees the cycles that reached the oldest generation. The thresholds
are given back when the last build running in the process ends, so a long-lived process
(`serve`) collects as before between builds.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

FULL_EVERY = 1000  # middle-generation collections (about seven million allocations)

_lock = threading.Lock()
_running = 0
_saved: tuple[int, ...] = ()


@contextmanager
def rare_full_collections() -> Iterator[None]:
    """Full collections only every `FULL_EVERY` middle ones while the body runs (builds
    may overlap, in threads)."""
    global _running, _saved
    with _lock:
        if not _running:
            _saved = gc.get_threshold()
            gc.set_threshold(_saved[0], _saved[1], FULL_EVERY)
        _running += 1
    try:
        yield
    finally:
        with _lock:
            _running -= 1
            if not _running:
                gc.set_threshold(*_saved)
