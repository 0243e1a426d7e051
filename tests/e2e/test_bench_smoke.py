"""CI's run of the benchmark: 200 articles, sitegen with and without search, every mode and
the preview's reload (no peers, no RESULTS.md)."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import shared_bench_dir

REPO = Path(__file__).resolve().parents[2]


def load_bench(script: str = "run") -> ModuleType:
    """bench/<script>.py as a module."""
    name = f"bench_{script}"
    spec = importlib.util.spec_from_file_location(name, REPO / "bench" / f"{script}.py")
    assert spec and spec.loader
    bench = importlib.util.module_from_spec(spec)
    sys.modules[name] = bench  # dataclasses look their module up
    spec.loader.exec_module(bench)
    return bench


def test_the_stage_timer_names_functions_that_exist() -> None:
    """bench/stage_cpu.py wraps the stages by name: a moved function must be renamed there."""
    stages = load_bench("stage_cpu").STAGES
    for module, attribute in stages:
        owner: object = importlib.import_module(module)
        for part in attribute.split("."):
            assert hasattr(owner, part), (module, attribute)
            owner = getattr(owner, part)


SHARED = shared_bench_dir()


@pytest.mark.skipif(
    not (SHARED / "make_corpus.py").is_file(),
    reason=f"no shared benchmark folder at {SHARED} (set SITEGEN_BENCH_SHARED)",
)
def test_bench_smoke(tmp_path: Path) -> None:
    env = {**os.environ, "SITEGEN_BENCH_SHARED": str(SHARED)}
    done = subprocess.run(
        [sys.executable, str(REPO / "bench" / "run.py"), "--smoke", "--serve", "--work",
         str(tmp_path)],
        capture_output=True, text=True, timeout=600, env=env, cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    rows = [line for line in done.stdout.splitlines() if line.startswith("| sitegen | 200 |")]
    assert [row.split("|")[3].strip() for row in rows] == ["clean", "no-change", "one-edit"]
    assert all(int(row.split("|")[7].strip()) > 200 for row in rows), rows
    searched = [line for line in done.stdout.splitlines() if line.startswith("| sitegen+search |")]
    assert len(searched) == 3
    row = r"^\| sitegen serve \| [\d.]+ s \| [\d.]+ s \| [\d.]+ s \|$"  # start, edit, restart
    assert re.search(row, done.stdout, re.M), done.stdout
    assert not (tmp_path / "RESULTS.md").exists()


def test_plot_draws_every_series() -> None:
    bench = load_bench()
    rows = [
        bench.Row(tool, size, mode, [bench.Sample(seconds, 1.0, 100.0)])
        for tool, mode, seconds in [("sitegen", "clean", 2.0), ("hugo", "clean", 1.0)]
        for size in (1000, 10000)
    ]
    svg = bench.svg_plot(rows)
    assert svg.startswith("<svg") and svg.count("<polyline") == 2
    assert "sitegen clean" in svg and "hugo clean" in svg


def test_results_section_replaces_only_its_own(tmp_path: Path) -> None:
    bench = load_bench()
    results = tmp_path / "RESULTS.md"
    results.write_text("# Benchmark results\n\n## Serve\n\nkept\n", encoding="utf-8")
    first = f"{bench.SECTION_BEGIN}\none\n{bench.SECTION_END}"
    bench.write_section(results, first)
    bench.write_section(results, first.replace("one", "two"))
    text = results.read_text(encoding="utf-8")
    assert text.count(bench.SECTION_BEGIN) == 1 and "two" in text and "one" not in text
    assert text.startswith("# Benchmark results\n") and text.endswith("## Serve\n\nkept\n")
