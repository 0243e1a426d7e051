"""`sitegen serve` against `hugo server` on the same corpus, both as whole processes.

    python3 bench/shared/make_corpus.py --count 10000 --out /tmp/v10k
    python3 bench/shared/make_corpus.py --count 10000 --out /tmp/h10k --flavor hugo
    python3 bench/serve_latency.py /tmp/v10k --hugo-site /tmp/h10k --runs 5

For each server (`sitegen serve` with the corpus's default config, `sitegen serve` with
`search: false`, and `hugo server` with its defaults) it measures, polling over HTTP like a
reader's browser would:

  start     process start → the first GET of the article's page that answers 200
  edit      one article saved the way editors do (temp file + rename; a paragraph added) →
            the first GET of that article's page holding the new paragraph (median of --runs)
  restart   the server stopped (Ctrl-C) and started again on the same folder, its caches
            as the previous run left them → the first page

The same article (the same file name in both corpora) is edited in every server. Between
edits the server is left to finish its rebuild (its "built" / "Total in" line). Servers run
one after the other, so compare each with Hugo's figures of the same run. `--results`
writes the table into bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import queue
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

REPO = Path(__file__).resolve().parents[1]
SECTION_BEGIN = "<!-- bench/serve_latency.py: begin -->"
SECTION_END = "<!-- bench/serve_latency.py: end -->"


@dataclass
class Server:
    """How to run one preview server on one site and find the edited article in it."""

    name: str
    site: Path
    article: Path  # the source file edited
    url_path: str  # its page, percent-encoded, starting with /
    command: list[str]  # `{port}` is replaced
    rebuilt: re.Pattern[str]  # a line the server prints once a rebuild is over
    env: dict[str, str] = field(default_factory=dict)


class Running:
    """A started server process, its output read line by line on a thread."""

    def __init__(self, server: Server, port: int) -> None:
        self.server = server
        self.port = port
        command = [part.replace("{port}", str(port)) for part in server.command]
        self.proc = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env={**os.environ, **server.env},
            start_new_session=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))

    def get(self) -> tuple[int, bytes]:
        url = f"http://127.0.0.1:{self.port}{self.server.url_path}"
        try:
            with urllib.request.urlopen(url, timeout=30) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, b""
        except (OSError, urllib.error.URLError):
            return 0, b""

    def wait_for(self, test: bytes | None, timeout: float = 900) -> float:
        """Poll the article's page until it answers 200 (holding `test`); returns the time."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"{self.server.name} exited: {self.drain()}")
            status, body = self.get()
            if status == 200 and (test is None or test in body):
                return time.perf_counter()
            time.sleep(0.01)
        raise SystemExit(f"{self.server.name}: no page after {timeout} s")

    def drain(self) -> str:
        found = []
        while not self.lines.empty():
            found.append(self.lines.get())
        return "\n".join(found)

    def wait_line(self, pattern: re.Pattern[str], timeout: float = 900) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=1)
            except queue.Empty:
                continue
            if pattern.search(line):
                return
        raise SystemExit(f"{self.server.name}: no {pattern.pattern!r} line in {timeout} s")

    def stop(self) -> None:
        os.killpg(self.proc.pid, signal.SIGINT)
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def save_atomically(path: Path, text: str) -> float:
    """Write `text` through a temp file renamed over `path`; returns the time of the rename."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    saved = time.perf_counter()
    os.replace(tmp, path)
    return saved


@dataclass
class Figures:
    start: float
    edits: list[float]
    restart: float

    @property
    def edit(self) -> float:
        return statistics.median(self.edits)


def measure(server: Server, runs: int, log: callable) -> Figures:  # type: ignore[valid-type]
    original = server.article.read_text(encoding="utf-8")
    running = Running(server, free_port())
    began = time.perf_counter()
    start = running.wait_for(None) - began
    log(f"{server.name}: start → first page {start:.2f} s")
    running.wait_line(server.rebuilt)  # the initial build is over
    edits = []
    try:
        for run in range(1, runs + 1):
            marker = f"فقرة التعديل {run} {time.time_ns()}"
            running.drain()
            saved = save_atomically(server.article, original + f"\n{marker}\n")
            edits.append(running.wait_for(marker.encode()) - saved)
            log(f"{server.name}: edit {run} → page served {edits[-1]:.3f} s")
            running.wait_line(server.rebuilt)  # let the rebuild finish before the next save
            time.sleep(1)
    finally:
        save_atomically(server.article, original)
    running.wait_line(server.rebuilt)
    time.sleep(1)
    running.stop()
    running = Running(server, free_port())
    began = time.perf_counter()
    restart = running.wait_for(None) - began
    log(f"{server.name}: restart → first page {restart:.2f} s")
    running.stop()
    return Figures(start, edits, restart)


def sitegen_url(site: Path, article: Path) -> str:
    """The URL path of an article's page in a sitegen site."""
    sys.path.insert(0, str(REPO))
    from sitegen.build.group import build_index
    from sitegen.build.load import read_source
    from sitegen.build.model import model_articles
    from sitegen.build.parse import parse, parse_setup, prepare_parser
    from sitegen.build.routes import Routes
    from sitegen.core.config import load_site

    loaded, problems = load_site(site)
    assert loaded is not None, problems
    source, _ = read_source(article, loaded.root, None, (loaded.root,))
    assert source is not None
    document, _ = parse(source, *prepare_parser(parse_setup(loaded.config)))
    assert document is not None
    now = dt.datetime.now(dt.UTC)
    visible, _ = model_articles([document], loaded.config, drafts=False, future=False, now=now)
    index = build_index(visible.articles, loaded.config)
    (a,) = index.articles
    topic = index.topic_by_name.get(a.topic) if a.topic else None
    routes = Routes(loaded.config)
    return quote(routes.url(routes.article(a, topic.slug if topic else None)))


def middle_article(content: Path) -> Path:
    files = sorted(content.rglob("*.md"), key=lambda p: p.name)
    return files[len(files) // 2]


def sitegen_server(name: str, site: Path, article_name: str) -> Server:
    article = next(site.joinpath("content").rglob(article_name))
    return Server(
        name,
        site,
        article,
        sitegen_url(site, article),
        [sys.executable, "-m", "sitegen", "serve", "--source", str(site), "--port", "{port}"],
        re.compile(r": built [\d,]+ pages? in "),
        {"PYTHONPATH": str(REPO)},
    )


def hugo_server(hugo: str, site: Path, article_name: str) -> Server:
    article = next(site.joinpath("content").rglob(article_name))
    url = "/" + article.relative_to(site / "content").with_suffix("").as_posix().lower() + "/"
    command = [hugo, "server", "--source", str(site), "--port", "{port}", "--bind", "127.0.0.1"]
    return Server(
        "hugo server", site, article, url, command, re.compile(r"(Total|Built) in \d+ ms")
    )


def copy_site(site: Path, into: Path, search: bool | None = None) -> Path:
    """A copy of a corpus without its output and caches; a sitegen copy with `search` set
    as asked (True: the default, on)."""
    shutil.copytree(site, into, ignore=shutil.ignore_patterns(".sitegen", "output", "public"))
    if search is not None:
        config = into / "sitegen.yaml"
        lines = config.read_text(encoding="utf-8").splitlines(keepends=True)
        kept = [line for line in lines if not line.startswith("search:")]
        config.write_text("".join(kept) + ("" if search else "search: false\n"), "utf-8")
    return into


def write_section(path: Path, section: str) -> None:
    """Put `section` into `path` in place of the previous one (other sections are kept)."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmark results\n"
    if SECTION_BEGIN in text and SECTION_END in text:
        before, _, rest = text.partition(SECTION_BEGIN)
        _, _, after = rest.partition(SECTION_END)
        text = before + section + after
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("site", type=Path, help="a sitegen corpus (make_corpus.py)")
    ap.add_argument("--hugo-site", type=Path, help="the same corpus, --flavor hugo")
    ap.add_argument("--hugo", default=shutil.which("hugo") or "/work/venv/bin/hugo")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--results", type=Path, help="write the table into this Markdown file")
    args = ap.parse_args(argv)
    scratch = Path(tempfile.mkdtemp(prefix="serve-bench-"))
    article_name = middle_article(args.site / "content").name
    servers = [
        sitegen_server(
            "sitegen serve", copy_site(args.site, scratch / "default", True), article_name
        ),
        sitegen_server(
            "sitegen serve, search off",
            copy_site(args.site, scratch / "nosearch", search=False),
            article_name,
        ),
    ]
    if args.hugo_site:
        hugo_site = copy_site(args.hugo_site, scratch / "hugo")
        servers.append(hugo_server(args.hugo, hugo_site, article_name))
    load_before = os.getloadavg()
    started = dt.datetime.now(dt.UTC)
    figures = {s.name: measure(s, args.runs, lambda line: print(line, flush=True)) for s in servers}
    load_after = os.getloadavg()
    hugo = figures.get("hugo server")
    rows = [
        "| server | start → first page | edit → page served (median) | restart → first page |",
        "|---|---|---|---|",
    ]
    for name, f in figures.items():
        cells = [f"{f.start:.2f} s", f"{f.edit:.3f} s", f"{f.restart:.2f} s"]
        if hugo is not None and name != "hugo server":
            ratios = (f.start / hugo.start, f.edit / hugo.edit, f.restart / hugo.start)
            cells = [f"{c} ({r:.2f} × Hugo)" for c, r in zip(cells, ratios, strict=True)]
        rows.append(f"| {name} | " + " | ".join(cells) + " |")
    print("\n".join(rows))
    shutil.rmtree(scratch, ignore_errors=True)
    if args.results:
        section = [
            SECTION_BEGIN,
            "## Live preview: `sitegen serve` and `hugo server`",
            "",
            f"Measured {started:%Y-%m-%d %H:%M} UTC with `python bench/serve_latency.py "
            f"{' '.join(argv if argv is not None else sys.argv[1:])}`: whole processes, "
            f"polled over HTTP, {args.runs} edits each (median), article `{article_name}`. "
            f"Load average before / after: {load_before[0]:.2f} / {load_after[0]:.2f}. "
            "Restart ratios are to Hugo's start.",
            "",
            *rows,
            SECTION_END,
        ]
        write_section(args.results, "\n".join(section))
    return 0


if __name__ == "__main__":
    sys.exit(main())
