"""The Server-Sent Events stream: one `reload` event per new epoch, pings, restarts, close."""

from __future__ import annotations

import json
import socket

import pytest
from serve_support import serving

from sitegen.core.diagnostics import error
from sitegen.serve.state import PreviewState

SITE = {"index.html": b"<html><body>1</body></html>", "site.css": b"a{}"}


class EventStream:
    """A raw SSE client: reads blank-line separated messages from one connection."""

    def __init__(self, port: int, query: str) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        self.sock.sendall(f"GET /_sitegen/events?{query} HTTP/1.1\r\nHost: t\r\n\r\n".encode())
        self.buffer = b""
        self.head = self._read_until(b"\r\n\r\n").decode()

    def _read_until(self, mark: bytes) -> bytes:
        while mark not in self.buffer:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise EOFError(self.buffer)
            self.buffer += chunk
        item, _, self.buffer = self.buffer.partition(mark)
        return item

    def next_message(self) -> str:
        return self._read_until(b"\n\n").decode()

    def next_reload(self) -> dict:
        while True:
            message = self.next_message()
            if message.startswith("event: reload"):
                return json.loads(message.split("data: ", 1)[1])

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def live(state: PreviewState):
    state.publish(SITE)
    with serving(state, ping_seconds=0.05) as server:
        streams: list[EventStream] = []

        def connect(query: str) -> EventStream:
            streams.append(EventStream(server.server_port, query))
            return streams[-1]

        yield connect
        for stream in streams:
            stream.close()


def test_stream_headers_and_retry(live, state: PreviewState) -> None:
    stream = live(f"boot={state.boot}&epoch=1")
    assert "200 OK" in stream.head
    assert "Content-Type: text/event-stream" in stream.head
    assert "Cache-Control: no-store" in stream.head
    assert stream.next_message() == "retry: 1000"


def test_up_to_date_client_waits_then_gets_each_epoch(live, state: PreviewState) -> None:
    stream = live(f"boot={state.boot}&epoch=1")
    assert stream.next_message() == "retry: 1000"
    assert stream.next_message() == ": ping"  # nothing new yet
    state.publish({**SITE, "site.css": b"b{}"})
    assert stream.next_reload() == {"epoch": 2, "action": "css", "stylesheets": {}}
    state.publish({**SITE, "index.html": b"<html><body>2</body></html>"})
    assert stream.next_reload() == {"epoch": 3, "action": "reload"}


def test_client_behind_by_one_css_epoch_swaps_css(live, state: PreviewState) -> None:
    state.publish({**SITE, "site.css": b"b{}"})
    assert live(f"boot={state.boot}&epoch=1").next_reload() == {
        "epoch": 2,
        "action": "css",
        "stylesheets": {},
    }


def test_a_page_only_change_lists_the_pages_it_changed(live, state: PreviewState) -> None:
    stream = live(f"boot={state.boot}&epoch=1")
    state.publish({**SITE, "a/index.html": b"<p>a</p>"})
    assert stream.next_reload() == {"epoch": 2, "action": "reload", "pages": ["/a/"]}


def test_client_behind_by_more_reloads(live, state: PreviewState) -> None:
    state.publish({**SITE, "site.css": b"b{}"})
    state.publish({**SITE, "site.css": b"c{}"})
    assert live(f"boot={state.boot}&epoch=1").next_reload() == {"epoch": 3, "action": "reload"}


@pytest.mark.parametrize("query", ["boot=000000000000&epoch=1", "epoch=1", "boot=x&epoch=zz", ""])
def test_page_from_another_server_run_reloads(live, query: str) -> None:
    assert live(query).next_reload() == {"epoch": 1, "action": "reload"}


def test_failure_is_a_reload_event(live, state: PreviewState) -> None:
    stream = live(f"boot={state.boot}&epoch=1")
    state.fail((error("a.md", 1, "bad"),))
    assert stream.next_reload() == {"epoch": 2, "action": "reload"}


def test_close_ends_the_stream(live, state: PreviewState) -> None:
    stream = live(f"boot={state.boot}&epoch=1")
    stream.next_message()
    state.close()
    with pytest.raises(EOFError):
        while True:
            stream.next_message()
