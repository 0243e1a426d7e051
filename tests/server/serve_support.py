"""Helpers for the preview server tests: a live server, a raw HTTP client, a stand-in builder."""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sitegen.core.diagnostics import error
from sitegen.serve.http import PreviewServer
from sitegen.serve.loop import PreviewBuild
from sitegen.serve.state import PreviewState
from sitegen.serve.watch import ChangeSet


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes


@contextmanager
def serving(state: PreviewState, ping_seconds: float = 15.0) -> Iterator[PreviewServer]:
    """A PreviewServer over `state` on 127.0.0.1:<free port>, stopped on exit."""
    server = PreviewServer(state, "127.0.0.1", 0)
    server.ping_seconds = ping_seconds
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield server
    finally:
        state.close()
        server.shutdown()
        server.server_close()
        thread.join(5)


def raw_request(port: int, target: bytes, method: bytes = b"GET", body: bytes = b"") -> Response:
    """Send one request line as raw bytes (no client-side normalising) and read the answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        head = method + b" " + target + b" HTTP/1.1\r\nHost: t\r\nConnection: close\r\n"
        if body:
            head += b"Content-Length: %d\r\n" % len(body)
        sock.sendall(head + b"\r\n" + body)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    header_block, _, payload = data.partition(b"\r\n\r\n")
    status_line, *lines = header_block.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return Response(int(status_line.split()[1]), headers, payload)


PAGE = """<!doctype html>
<html lang="ar" dir="rtl">
<head><meta charset="utf-8"><title>{title}</title><link rel="stylesheet" href="/site.css"></head>
<body>
<h1>{title}</h1>
<div style="height: 5000px">نص طويل</div>
</body>
</html>
"""


class DirectoryBuilder:
    """A stand-in for the real build: the snapshot is every file under content/ and static/.

    A line containing `BROKEN` fails the build with `content/<file>:<line>: broken marker`.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self.builds = 0

    def __call__(self, changes: ChangeSet) -> PreviewBuild:
        self.builds += 1
        snapshot: dict[str, bytes] = {}
        problems = []
        for folder in ("content", "static"):
            for path in sorted((self.root / folder).rglob("*")):
                if not path.is_file():
                    continue
                data = path.read_bytes()
                key = path.relative_to(self.root / folder).as_posix()
                for number, line in enumerate(data.decode().splitlines(), start=1):
                    if "BROKEN" in line:
                        rel = path.relative_to(self.root).as_posix()
                        problems.append(error(rel, number, "broken marker"))
                snapshot[key] = data
        return PreviewBuild(None if problems else snapshot, tuple(problems))


def write_atomically(path: Path, text: str) -> None:
    """Save like an editor does: write a temp file beside it, then rename over it."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
