"""Load: 20 concurrent clients for 10 s while rebuilds swap snapshots underneath them.

Every request must succeed, and every HTML body must be one complete page of a single build.
Set SITEGEN_LOAD_SECONDS to run shorter or longer.
"""

from __future__ import annotations

import http.client
import io
import os
import random
import re
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import pytest
from serve_support import serving

from sitegen.serve.loop import PreviewBuild, RebuildLoop
from sitegen.serve.state import PreviewState
from sitegen.serve.watch import ChangeSet

pytestmark = pytest.mark.load

CLIENTS = 20
SECONDS = float(os.environ.get("SITEGEN_LOAD_SECONDS", "10"))
PAGES = [f"2022/01/{day:02d}/خبر-{day}/index.html" for day in range(1, 31)] + ["index.html"]
SCRIPT = re.compile(rb'<script src="/_sitegen/livereload.js"[^>]*></script>')
BUILD = re.compile(rb"<!-- build (\d+) -->")


def page_bytes(build: int, path: str) -> bytes:
    """A page of about 20 KB whose every part names its build, so a mix would show."""
    body = f"<p>فقرة من البناء {build} للصفحة {path}</p>\n" * 300
    return (
        f'<!doctype html><html lang="ar" dir="rtl"><head><!-- build {build} -->'
        f"<title>{path}</title></head><body>{body}<!-- build {build} --></body></html>"
    ).encode()


def snapshot(build: int) -> dict[str, bytes]:
    files = {path: page_bytes(build, path) for path in PAGES}
    files["css/site.css"] = f"/* build {build} */ body {{ margin: 0 }}".encode()
    return files


@dataclass
class Tally:
    ok: int = 0
    failures: list[str] = field(default_factory=list)
    builds_seen: Counter = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)


def client(port: int, deadline: float, tally: Tally, seed: int) -> None:
    """Request random pages until the deadline; odd seeds open a new connection each time."""
    rng = random.Random(seed)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    while time.monotonic() < deadline:
        if seed % 2:
            conn.close()
        path = rng.choice(PAGES)
        url = "/" + quote(path.removesuffix("index.html"))
        try:
            conn.request("GET", url)
            response = conn.getresponse()
            body = response.read()
        except (OSError, http.client.HTTPException) as exc:
            with tally.lock:
                tally.failures.append(f"{url}: {exc!r}")
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            continue
        problem = check(response.status, body, path)
        with tally.lock:
            if problem:
                tally.failures.append(f"{url}: {problem}")
            else:
                tally.ok += 1
                tally.builds_seen[int(BUILD.search(body).group(1))] += 1
    conn.close()


def check(status: int, body: bytes, path: str) -> str | None:
    if status != 200:
        return f"status {status}"
    builds = set(BUILD.findall(body))
    if len(builds) != 1:
        return f"builds mixed or missing: {builds}"
    build = int(builds.pop())
    if SCRIPT.sub(b"", body, count=1) != page_bytes(build, path):
        return f"not a complete page of build {build}"
    return None


def test_concurrent_clients_see_whole_builds_while_rebuilding() -> None:
    state = PreviewState()
    counter = iter(range(1, 1_000_000))

    def builder(changes: ChangeSet) -> PreviewBuild:
        return PreviewBuild(snapshot(next(counter)))

    loop = RebuildLoop(builder, state, io.StringIO(), root=Path("/"))
    loop.build(ChangeSet(initial=True))
    change = ChangeSet((Path("/content/a.md"),))
    tally = Tally()
    with serving(state) as server:
        deadline = time.monotonic() + SECONDS
        clients = [
            threading.Thread(target=client, args=(server.server_port, deadline, tally, n))
            for n in range(CLIENTS)
        ]
        for thread in clients:
            thread.start()
        rebuilds = 0
        while time.monotonic() < deadline:
            loop.build(change)
            rebuilds += 1
            time.sleep(0.05)
        for thread in clients:
            thread.join(SECONDS + 10)
    assert not tally.failures, tally.failures[:5]
    assert tally.ok > CLIENTS * 10
    assert len(tally.builds_seen) > 10, "responses should span many builds"
    print(f"\n{tally.ok} requests ok, {rebuilds} rebuilds, {len(tally.builds_seen)} builds seen")
