"""`Spool`: bytes kept by path in a temporary file until they are read, so the pages of a
whole site (about 22 KB a page, stored: 2.8 GB at 100k articles) are not held in
memory between the render stage and the write stage.

The file is anonymous (unlinked, `O_TMPFILE` on Linux) and lives in the site's state folder,
not in the system's temporary folder (often a RAM disk); it is closed, and its space freed,
with the last reference to the spool. Reads are positional (`os.pread`), safe from any
thread. Where no such file can be made, the bytes are kept in memory.
"""

from __future__ import annotations

import os
import tempfile
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO


class Spool(Mapping[str, bytes]):
    """Bytes by path, appended with `put` and read back as they were; in a temporary file in
    `folder` (made if missing), or in memory when `folder` is None or no file can be made
    there."""

    def __init__(self, folder: Path | None) -> None:
        self._where: dict[str, tuple[int, int]] = {}
        self._memory: dict[str, bytes] = {}
        self._file: IO[bytes] | None = None
        self._end = 0
        self._lock = threading.Lock()
        if folder is not None:
            try:
                folder.mkdir(parents=True, exist_ok=True)
                # closed with the spool: it is read until the last page is written
                self._file = tempfile.TemporaryFile(dir=folder, prefix=".spool-")  # noqa: SIM115
            except OSError:
                self._file = None

    @property
    def on_disk(self) -> bool:
        """Whether the bytes are in a file rather than in memory."""
        return self._file is not None

    def put(self, path: str, data: bytes) -> None:
        """Keep `data` as `path` (a path put again is replaced)."""
        if self._file is None:
            self._memory[path] = data
            return
        with self._lock:
            fd, start = self._file.fileno(), self._end
            view = memoryview(data)
            while view:
                view = view[os.pwrite(fd, view, start + len(data) - len(view)) :]
            self._end += len(data)
            self._where[path] = (start, len(data))

    def __getitem__(self, path: str) -> bytes:
        if self._file is None:
            return self._memory[path]
        start, size = self._where[path]
        data = os.pread(self._file.fileno(), size, start)
        if len(data) != size:
            raise OSError(f"spool file ended early reading {path!r}")
        return data

    def __iter__(self) -> Iterator[str]:
        return iter(self._memory if self._file is None else self._where)

    def __len__(self) -> int:
        return len(self._memory if self._file is None else self._where)

    def __contains__(self, path: object) -> bool:
        return path in (self._memory if self._file is None else self._where)
