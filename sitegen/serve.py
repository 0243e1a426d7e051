"""`sitegen serve`: build, serve the last good build from memory, rebuild on every change.

Data flows one way: watchdog → Collector → RebuildLoop (main thread) → PreviewState →
PreviewServer threads → browsers. This module only starts and stops those pieces.
"""

from __future__ import annotations

import threading
import webbrowser
from dataclasses import dataclass
from typing import TextIO

from sitegen.devserver import PreviewServer, is_loopback
from sitegen.preview import PreviewState
from sitegen.rebuild import Builder, RebuildLoop
from sitegen.watch import ChangeSet, Collector, WatchedSite, start_observer


@dataclass(frozen=True)
class ServeOptions:
    """Where to listen and how to watch."""

    host: str = "127.0.0.1"
    port: int = 8000
    poll: bool = False
    open_browser: bool = False


def run_preview(builder: Builder, site: WatchedSite, options: ServeOptions, out: TextIO) -> int:
    """Serve until Ctrl-C; returns the exit code (0, or 2 when the address is unusable)."""
    state = PreviewState()
    try:
        server = PreviewServer(state, options.host, options.port)
    except OSError as exc:
        out.write(f"error: cannot listen on {options.host}:{options.port}: {exc.strerror}\n")
        if exc.errno is not None and options.port:
            out.write("hint: another server may be running; try --port with another number\n")
        return 2
    if not is_loopback(options.host):
        out.write(
            f"warning: listening on {options.host}: anyone who can reach this address can read "
            "the preview, drafts included\n"
        )
    loop = RebuildLoop(builder, state, out, root=site.root)
    collector = Collector(site)
    observer = start_observer(collector, poll=options.poll)
    stop = threading.Event()
    server_thread = threading.Thread(target=server.serve_forever, name="preview-http", daemon=True)
    try:
        loop.build(ChangeSet(initial=True))
        server_thread.start()
        out.write(f"Serving {server.url} (Ctrl-C to stop)\n")
        out.flush()
        if options.open_browser:
            webbrowser.open(server.url)
        loop.run(collector, stop)
    except KeyboardInterrupt:
        out.write("\nStopped.\n")
    finally:
        stop.set()
        state.close()
        observer.stop()
        if server_thread.is_alive():
            server.shutdown()
        server.server_close()
        observer.join(timeout=2)
    return 0
