"""Time from saving an article to the preview's reload event, on a real site.

    python bench/serve_latency.py /tmp/c10k --runs 3

Starts the preview (pipeline build, real watchdog, HTTP server on a free loopback port),
listens on the Server-Sent Events stream like a browser, then saves one article the way
editors do (temp file + rename) and measures save → `event: reload`. Between saves it waits
for the search index the preview makes after each reload (not with --no-settle: the next save
then competes with Pagefind for the CPUs, as when an editor saves again at once). The article is restored
afterwards. Prints the initial build time, each run, and the median.
"""

from __future__ import annotations

import argparse
import io
import os
import re
import socket
import statistics
import threading
import time
from pathlib import Path

from sitegen.serve.run import Preview, ServeOptions, site_builder, watched_site


def save_atomically(path: Path, text: str) -> float:
    """Write `text` through a temp file and rename it over `path`; returns the save time."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    saved = time.perf_counter()
    os.replace(tmp, path)
    return saved


def open_events(preview: Preview) -> socket.socket:
    """Connect to the event stream as a page of the current epoch would."""
    state = preview.state
    sock = socket.create_connection(("127.0.0.1", preview.server.server_port), timeout=600)
    query = f"boot={state.boot}&epoch={state.current.epoch}"
    sock.sendall(f"GET /_sitegen/events?{query} HTTP/1.1\r\nHost: bench\r\n\r\n".encode())
    return sock


def wait_for_reload(sock: socket.socket) -> float:
    """Block until the next `event: reload` arrives; returns its arrival time."""
    buffer = b""
    while b"event: reload" not in buffer:
        chunk = sock.recv(65536)
        if not chunk:
            raise SystemExit("event stream closed")
        buffer += chunk
    return time.perf_counter()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--no-settle",
        action="store_true",
        help="save again without waiting for the search index of the previous save",
    )
    args = parser.parse_args()
    root = args.site.resolve()
    article = next(iter(sorted((root / "content").rglob("*.md"))))
    original = article.read_text(encoding="utf-8")

    log = io.StringIO()
    preview = Preview(site_builder(root), watched_site(root), ServeOptions(port=0), log)
    started = time.perf_counter()
    preview.start()
    print(f"initial build: {time.perf_counter() - started:.2f} s")
    preview.loop.followups.idle(3600)
    print(f"... and its search index: {time.perf_counter() - started:.2f} s")
    print(f"pages in snapshot: {sum(p.endswith('.html') for p in preview.state.current.files)}")
    worker = threading.Thread(target=preview.run, daemon=True)
    worker.start()
    events = open_events(preview)
    latencies = []
    try:
        for run in range(1, args.runs + 1):
            saved = save_atomically(article, original + f"\nتعديل رقم {run}.\n")
            latencies.append(wait_for_reload(events) - saved)
            print(f"run {run}: save → reload event {latencies[-1]:.2f} s")
            if not args.no_settle:
                preview.loop.followups.idle(3600)  # the next save starts on an idle machine
    finally:
        save_atomically(article, original)
        events.close()
        preview.stop()
    builds = [
        float(s) for s in re.findall(r"changed: built [\d,]+ pages? in ([\d.]+) s", log.getvalue())
    ]
    overhead = [total - build for total, build in zip(latencies, builds, strict=True)]
    print(f"median: {statistics.median(latencies):.2f} s over {len(latencies)} runs")
    print(f"of which outside the build (debounce, diff, event): {max(overhead):.2f} s at most")
    print("rebuild log:\n" + log.getvalue())


if __name__ == "__main__":
    main()
