"""Where `sitegen serve`'s start goes: each stage's begin and end, process start → first page.

    PYTHONPATH=<checkout> python bench/serve_timeline.py SITE

Starts `sitegen serve` on SITE (a copy you may spoil: it gets a `.sitegen/` folder) with
the pipeline's stages, the planned site's handing out and its page renders wrapped, polls
the middle article's page as bench/serve_latency.py does, and prints one line an event:
seconds since the process was started, and the server's own CPU seconds so far (its main
process: parse and render wait on workers, their CPU is not counted). Stops the server once
its first build is over.
"""

from __future__ import annotations

import functools
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from stage_cpu import STAGES, wrap

# (module, attribute): the functions timed in the server: the build's stages, and what
# `serve` does between its plan and its first page
EVENTS = (
    *STAGES,
    ("sitegen.build.collisions", "check_outputs"),
    ("sitegen.build.quick", "PageBasis.prepare"),
    ("sitegen.build.quick", "prepare_renderer"),
    ("sitegen.serve.state", "PreviewState.provisional"),
    ("sitegen.build.quick", "PlannedSite.__getitem__"),
)
# Generator functions timed from their first item to their last: the load stage's reading of
# the sources, which the parse stage takes as they come (`Reuse.parse` spans both)
STREAMS = (("sitegen.build.inputs", "read_sources"),)
CHILD = "--serve-child"


def child(args: list[str]) -> None:
    """The server: `sitegen serve` with every event printed to stderr."""
    began = float(os.environ["SERVE_TIMELINE_T0"])

    def log(what: str) -> None:
        stamp = f"{time.time() - began:7.2f} s  CPU {time.process_time():6.2f} s"
        print(f"[timeline] {stamp}  {what}", file=sys.stderr, flush=True)

    def timed(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(function)
        def run(*a: Any, **k: Any) -> Any:
            log(f"> {name}")
            try:
                return function(*a, **k)
            finally:
                log(f"< {name}")

        return run

    def streamed(name: str, function: Callable[..., Iterator[Any]]) -> Callable[..., Any]:
        @functools.wraps(function)
        def run(*a: Any, **k: Any) -> Iterator[Any]:
            log(f"> {name}")
            try:
                yield from function(*a, **k)
            finally:
                log(f"< {name}")

        return run

    log("python started")
    for module, attribute in EVENTS:
        wrap(module, attribute, timed)
    for module, attribute in STREAMS:
        wrap(module, attribute, streamed)
    log("sitegen imported")
    sys.argv = ["sitegen", "serve", *args]
    from sitegen.cli import main as sitegen

    sitegen()


def main(site: Path) -> int:
    from serve_latency import Running, free_port, middle_article, sitegen_server

    article = middle_article(site / "content")
    server = sitegen_server("sitegen serve", site, article.name)
    began, clock = time.time(), time.perf_counter()
    server.command = [sys.executable, __file__, CHILD, *server.command[4:]]
    server.env["SERVE_TIMELINE_T0"] = repr(began)
    running = Running(server, free_port())
    stop = threading.Event()

    def show() -> None:
        while not stop.is_set():
            line = running.lines.get()
            print(line, flush=True)
            if server.rebuilt.search(line):
                stop.set()

    threading.Thread(target=show, daemon=True).start()
    page = running.wait_for(None)
    print(f"[timeline] {time.time() - began:7.2f} s  first page answered 200", flush=True)
    stop.wait(900)
    os.killpg(running.proc.pid, signal.SIGINT)
    try:
        running.proc.wait(30)
    except subprocess.TimeoutExpired:
        running.stop()
    print(f"first page {page - clock:.2f} s after start")
    print(f"load average {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == [CHILD]:
        child(sys.argv[2:])
    else:
        sys.exit(main(Path(sys.argv[1])))
