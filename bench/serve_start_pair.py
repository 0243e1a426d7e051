"""`sitegen serve`'s start in the default configuration, two checkouts paired.

    python bench/serve_start_pair.py CORPUS BEFORE AFTER --rounds 2

Each round starts `sitegen serve` from each checkout in turn (run from the checkout's own
folder, with PYTHONPATH set to it: `python -m` puts the working folder first on `sys.path`)
on a fresh copy of CORPUS (a make_corpus.py site: cards and search on, no `.sitegen/`), and
prints process start → the middle article's page answering 200, then → the server's first
"built … pages" line (the first build over: cards drawn, search indexed). Servers run one
after the other; compare the checkouts round by round.
"""

from __future__ import annotations

import argparse
import os
import queue
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from serve_latency import Running, copy_site, free_port, middle_article, sitegen_server


def start(checkout: Path, site: Path, article: str) -> tuple[float, float | None]:
    """Seconds to the first page and to the end of the first build (None: not in 15 min)."""
    server = sitegen_server(checkout.name, site, article)
    server.env = {"PYTHONPATH": str(checkout)}
    os.chdir(checkout)
    began = time.perf_counter()
    running = Running(server, free_port())
    try:
        first = running.wait_for(None) - began
        deadline, built = began + 900, None
        while built is None and time.perf_counter() < deadline:
            try:
                line = running.lines.get(timeout=5)
            except queue.Empty:
                continue
            if server.rebuilt.search(line):
                built = time.perf_counter() - began
        return first, built
    finally:
        os.killpg(running.proc.pid, signal.SIGINT)
        try:
            running.proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(running.proc.pid, signal.SIGKILL)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("checkouts", type=Path, nargs="+")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument(
        "--no-search",
        action="store_true",
        help="the copies say `search: false` (and keep CORPUS's `card:`): bench/run.py's sitegen row",
    )
    args = ap.parse_args()
    article = middle_article(args.corpus / "content").name
    scratch = Path(tempfile.mkdtemp(prefix="serve-start-"))
    for number in range(1, args.rounds + 1):
        for checkout in args.checkouts:
            checkout = checkout.resolve()
            site = copy_site(args.corpus, scratch / f"{number}-{checkout.name}", not args.no_search)
            load = os.getloadavg()[0]
            first, built = start(checkout, site, article)
            over = f"{built:.1f} s" if built is not None else "not in 15 min"
            print(
                f"round {number} {checkout}: first page {first:.2f} s, "
                f"first build over {over}, load {load:.2f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
