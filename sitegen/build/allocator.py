"""The C allocator during a build: one malloc arena for every thread (glibc).

A stage run on worker processes (`sitegen.build.parallel`) has its results unpickled by the
process pool's own thread, and glibc gives each thread its own arena: the documents of a
whole parse stage grew a second heap while the main thread's, where the sources' bytes had
just been freed, stayed as large as before (about 0.6 GB more at 100,000 articles). With one
arena the freed memory is used again. Elsewhere (musl, macOS, Windows) nothing changes.
"""

from __future__ import annotations

import ctypes

M_ARENA_MAX = -8  # glibc's `mallopt` parameter: the most arenas malloc makes


def one_arena() -> bool:
    """Ask glibc's malloc to serve threads started from now on from the main arena (for the
    rest of the process: glibc cannot go back to its default). True when it was asked."""
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError, TypeError):  # no C library to ask, or not glibc's
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    return bool(mallopt(M_ARENA_MAX, 1))
