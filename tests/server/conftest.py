"""Shared fixtures for the preview server tests: a live server on a free loopback port."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest

from sitegen.devserver import PreviewServer
from sitegen.preview import PreviewState


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes


@contextmanager
def _serving(state: PreviewState, ping_seconds: float = 15.0) -> Iterator[PreviewServer]:
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


def _raw_request(port: int, target: bytes, method: bytes = b"GET", body: bytes = b"") -> Response:
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


@pytest.fixture
def state() -> PreviewState:
    return PreviewState()


@pytest.fixture
def serving():
    """`serving(state, ping_seconds=15.0)`: a context manager yielding a running PreviewServer."""
    return _serving


@pytest.fixture
def raw_request():
    """`raw_request(port, target: bytes, method=b"GET", body=b"") -> Response`."""
    return _raw_request
