"""Serve a folder with Debian's nginx and the `server` block documented in docs/deploy.md.

nginx runs unprivileged-style: a temporary prefix, config, pid file, logs and temp folders,
bound to 127.0.0.1 on a free port, in the foreground, stopped by the fixture.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

DEPLOY_DOC = Path(__file__).resolve().parents[3] / "docs/deploy.md"
MIME_TYPES = Path("/etc/nginx/mime.types")


def nginx_binary() -> str | None:
    """nginx on PATH, or Debian's /usr/sbin/nginx (not on a normal user's PATH)."""
    found = shutil.which("nginx") or "/usr/sbin/nginx"
    return found if os.access(found, os.X_OK) and MIME_TYPES.exists() else None


def documented_server_block(port: int, root: Path) -> str:
    """The ```nginx block of docs/deploy.md, listening on 127.0.0.1:`port`, serving `root`."""
    text = DEPLOY_DOC.read_text(encoding="utf-8")
    block = re.search(r"```nginx\n(.*?)```", text, re.S)
    assert block, "docs/deploy.md has no ```nginx block"
    server = block.group(1)
    for documented, local in (
        ("listen 80;", f"listen 127.0.0.1:{port};"),
        ("root /var/www/news;", f'root "{root}";'),
    ):
        assert server.count(documented) == 1, f"the snippet must contain {documented!r} once"
        server = server.replace(documented, local)
    return server


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(port: int, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"nginx exited: {log.read_text() if log.exists() else ''}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    pytest.fail("nginx did not start listening within 10 s")


@pytest.fixture
def nginx(tmp_path: Path) -> Iterator[Callable[[Path], int]]:
    """A function that serves a folder with the documented config and returns the port."""
    binary = nginx_binary()
    if binary is None:
        pytest.skip("needs nginx (apt-get install -y nginx)")
    running: list[subprocess.Popen[bytes]] = []

    def serve(root: Path) -> int:
        prefix = tmp_path / f"nginx-{len(running)}"
        prefix.mkdir()
        port = free_port()
        temp_paths = "\n".join(
            f"    {kind}_temp_path {prefix / kind};"
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        # Run as root (a container), workers would drop to `nobody` and could not read tmp_path.
        user = "user root;\n" if os.geteuid() == 0 else ""
        (prefix / "nginx.conf").write_text(
            f"{user}worker_processes 1;\npid {prefix / 'nginx.pid'};\n"
            "events { worker_connections 64; }\n"
            f"http {{\n    include {MIME_TYPES};\n    default_type application/octet-stream;\n"
            f"    access_log off;\n{temp_paths}\n{documented_server_block(port, root)}\n}}\n",
            encoding="utf-8",
        )
        log = prefix / "error.log"
        proc = subprocess.Popen(
            [binary, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-e", str(log),
             "-g", "daemon off;"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )  # fmt: skip
        running.append(proc)
        _wait_for(port, proc, log)
        return port

    yield serve
    for proc in running:
        proc.terminate()
        proc.wait(timeout=10)
