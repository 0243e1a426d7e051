"""A synchronous client of Pagefind's service mode (`pagefind --service`), the protocol of
Pagefind's own Python and Node APIs: requests and answers are base64-encoded JSON, each
followed by a comma, on the process's stdin and stdout.

sitegen talks to the binary itself rather than through `pagefind.index.PagefindIndex`
because that client reads answers with a 2 MiB line limit (a `GetFiles` answer is the whole
bundle: larger answers hang it), never notices that the binary died (its futures wait
forever), and answers at most every 0.1 s. Here the bundle comes back in memory
(`GetFiles`), so nothing is read from a disk Pagefind may still be writing, and every failure
is a `PagefindError` naming what failed.
"""

from __future__ import annotations

import base64
import json
import os
import signal
import subprocess
import tempfile
from pathlib import Path
from types import TracebackType
from typing import IO, Any


class PagefindError(Exception):
    """Pagefind could not be started, died, or refused a request (one line)."""


def pagefind_binary() -> Path:
    """The Pagefind binary the `pagefind` package would run ($PAGEFIND_BINARY_PATH first)."""
    try:
        from pagefind.service import get_executable
    except ImportError as exc:
        raise PagefindError("the Python package 'pagefind' is not installed") from exc
    found = get_executable()
    if found is None:
        raise PagefindError("no Pagefind binary found (install 'pagefind[bin]')")
    return found


class PagefindService:
    """One `pagefind --service` process; use as a context manager (the process ends on exit).

    `peak_rss` is the process's peak resident memory in bytes once it has ended."""

    def __init__(self) -> None:
        self.binary = pagefind_binary()
        self.peak_rss = 0
        self._next_id = 0
        self._buffer = b""
        self._stderr: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 (closed in close())
        try:
            self._process = subprocess.Popen(
                [str(self.binary), "--service"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=self._stderr,
            )
        except OSError as exc:
            self._stderr.close()
            raise PagefindError(f"cannot run {self.binary}: {exc.strerror or exc}") from exc

    def __enter__(self) -> PagefindService:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def request(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Send one request and return its answer's payload; raise `PagefindError` when the
        process died or answered with an error."""
        self._next_id += 1
        message = json.dumps({"message_id": self._next_id, "payload": payload})
        stdin = self._process.stdin
        assert stdin is not None
        try:
            stdin.write(base64.b64encode(message.encode("utf-8")) + b",")
            stdin.flush()
        except OSError:
            raise self._died(payload["type"]) from None
        while True:
            answer = json.loads(base64.b64decode(self._read_answer(payload["type"])))
            if answer is None:
                continue
            reply = answer.get("payload") or {}
            if reply.get("type") == "Error":
                first = str(reply.get("message") or "unknown error").strip().splitlines()
                raise PagefindError(f"Pagefind refused {payload['type']}: {first[0]}")
            if answer.get("message_id") == self._next_id:
                return reply

    def close(self) -> None:
        """End the process (idempotent) and record its peak memory."""
        if self._process.returncode is None:
            if self._process.stdin:
                self._process.stdin.close()
            self._end(signal.SIGTERM)
        if self._process.stdout:
            self._process.stdout.close()
        self._stderr.close()

    def _read_answer(self, request: str) -> bytes:
        stdout = self._process.stdout
        assert stdout is not None
        chunks = [self._buffer]
        while b"," not in chunks[-1]:
            chunk = stdout.read1(1 << 20)  # type: ignore[attr-defined]
            if not chunk:
                raise self._died(request)
            chunks.append(chunk)
        data = b"".join(chunks)
        end = data.index(b",")
        self._buffer = data[end + 1 :]
        return data[:end]

    def _end(self, how: signal.Signals) -> None:
        # os.kill, not Popen.terminate: that polls first and may reap the process, and
        # with it the figure of its peak memory
        os.kill(self._process.pid, how)
        self._wait()

    def _wait(self) -> None:
        try:
            _, status, usage = os.wait4(self._process.pid, 0)
        except ChildProcessError:  # already reaped
            self._process.wait()
            return
        self._process.returncode = os.waitstatus_to_exitcode(status)
        self.peak_rss = usage.ru_maxrss * 1024

    def _died(self, request: str) -> PagefindError:
        if self._process.returncode is None:
            self._end(signal.SIGKILL)
        self._stderr.seek(0)
        lines = self._stderr.read().decode("utf-8", "replace").strip().splitlines()
        said = f": {lines[-1].strip()}" if lines else ""
        code = self._process.returncode
        return PagefindError(
            f"Pagefind ({self.binary}) exited with status {code} during {request}{said}"
        )
