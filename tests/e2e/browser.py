"""Real-browser support: build a site into a folder, serve it on 127.0.0.1, find Chromium and
axe-core. Used by the browser tests and by `scripts/screenshots`.
"""

from __future__ import annotations

import dataclasses
import functools
import shutil
import subprocess
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from http.server import BaseHTTPRequestHandler, SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from sitegen.build.pipeline import BuildOptions, build
from sitegen.core.config import Site, load_site

REPO = Path(__file__).resolve().parents[2]
AXE_DIR = REPO / "tests" / "e2e" / "axe"  # package.json + lock; node_modules is git-ignored
AXE_SCRIPT = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
# Pages of the repository's sample site that every browser check and screenshot covers.
SAMPLE_PAGES = {
    "home": "/",
    "day": "/2022/01/06/",
    "topic": "/topics/politics/",
    "article": "/2022/01/06/قمة-nato-في-مدريد-2022-تبحث-تعزيز-الشراكة-مع-دول-الخليج/",
}
# The Persian golden site: Jalali dates, Persian digits and catalog.
PERSIAN_SITE = REPO / "tests" / "golden" / "sites" / "persian"
PERSIAN_PAGES = {"article": "/2022/01/07/شورای-شهر-طرح-گسترش-پارک‌های-عمومی-را-تصویب-کرد/"}
# The bilingual golden site's English edition (left to right, under /en/).
BILINGUAL_SITE = REPO / "tests" / "golden" / "sites" / "bilingual"
ENGLISH_PAGES = {
    "home": "/en/",
    "article": "/en/2022/01/07/city-council-approves-plan-to-expand-public-parks/",
}


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or "/usr/bin/chromium"


def chromium_path() -> str | None:
    """Debian's Chromium (never a Playwright-downloaded browser), or None when not installed."""
    return CHROMIUM if Path(CHROMIUM).exists() else None


def build_to(root: Path, dest: Path, options: BuildOptions | None = None) -> Path:
    """Build the site at `root`, served from `/`, into the folder `dest`."""
    site, problems = load_site(root)
    assert site is not None, [p.format() for p in problems]
    local = Site(site.root, dataclasses.replace(site.config, base_url="/"))
    result = build(local, options or BuildOptions())
    assert result.ok, [d.format() for d in result.diagnostics]
    for name, data in result.files.items():
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return dest


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def serve(folder: Path) -> AbstractContextManager[str]:
    """Serve `folder` over HTTP on 127.0.0.1 with a free port; yields the base URL."""
    return serving(functools.partial(_QuietHandler, directory=str(folder)))


@contextmanager
def serving(handler: Callable[..., BaseHTTPRequestHandler]) -> Iterator[str]:
    """Run `handler` on 127.0.0.1 (free port) while the block runs; yields the base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def ensure_axe() -> tuple[Path | None, str]:
    """axe-core's script, installed with `npm ci` into tests/e2e/axe when missing.

    Returns (path, '') or (None, the reason it is unavailable).
    """
    if AXE_SCRIPT.is_file():
        return AXE_SCRIPT, ""
    npm = shutil.which("npm")
    if npm is None:
        return None, "axe-core is not installed and npm is missing (apt-get install npm)"
    try:
        subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund", "--silent"],
            cwd=AXE_DIR,
            check=True,
            capture_output=True,
            timeout=300,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        return None, f"could not install axe-core with npm: {exc}"
    if not AXE_SCRIPT.is_file():
        return None, f"npm ci ran but {AXE_SCRIPT} is missing"
    return AXE_SCRIPT, ""
