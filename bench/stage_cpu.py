"""CPU and wall time of each stage of one real `sitegen build`, without a profiler.

    PYTHONPATH=<checkout> python bench/stage_cpu.py -q -j1 -s SITE

Runs `sitegen build` with the given arguments, each stage function wrapped in a timer
(`time.process_time()` of the main process, all its threads, and `time.monotonic()`), and
prints one line per stage, then the process's and its children's CPU. At `-j1` the main
process does all the work, so the lines add up to the build; with workers, the parse and
render lines show only the main process's share (its wait is their wall time). cProfile
inflates Jinja's generators about threefold; this does not. Compare two checkouts by running
each on its own fresh copy of the site, one after the other.
"""

from __future__ import annotations

import atexit
import functools
import importlib
import resource
import sys
import time
from collections.abc import Callable
from typing import Any

# (module, attribute): the pipeline's stage functions, looked up when `build` runs them
STAGES = (
    ("sitegen.build.pipeline", "start_load"),
    ("sitegen.build.incremental.reuse", "Reuse.parse"),
    ("sitegen.build.pages", "model_pages"),
    ("sitegen.build.incremental.reuse", "Reuse.model"),
    ("sitegen.build.images.articles", "process_site_images"),
    ("sitegen.build.editions", "group_editions"),
    ("sitegen.build.plan", "plan_site"),
    ("sitegen.build.email.stage", "plan_emails"),
    ("sitegen.build.page_plan", "plan_pages"),
    ("sitegen.build.cards.stage", "plan_site_cards"),
    ("sitegen.build.syndication.stage", "syndicate"),
    ("sitegen.build.incremental.pages", "page_fingerprints"),
    ("sitegen.build.incremental.pages", "render_pages"),
    ("sitegen.build.cards.stage", "draw_cards"),
    ("sitegen.build.incremental.reuse", "Reuse.search"),
    ("sitegen.build.incremental.edit_record", "record_edits"),  # within Reuse.finish
    ("sitegen.build.incremental.reuse", "Reuse.finish"),
    ("sitegen.build.publish", "write_site"),
    ("sitegen.build.pipeline", "build"),
)

times: dict[str, list[float]] = {}  # name → [CPU s, wall s, calls]


def timed(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(function)
    def run(*args: Any, **kwargs: Any) -> Any:
        cpu, wall = time.process_time(), time.monotonic()
        try:
            return function(*args, **kwargs)
        finally:
            t = times.setdefault(name, [0.0, 0.0, 0])
            t[0] += time.process_time() - cpu
            t[1] += time.monotonic() - wall
            t[2] += 1

    return run


def wrap(
    module: str, attribute: str, wrapper: Callable[[str, Callable[..., Any]], Callable[..., Any]]
) -> None:
    """Replace `module`'s `attribute` (`Class.method` too) by `wrapper(attribute, it)`."""
    owner: Any = importlib.import_module(module)
    *path, name = attribute.split(".")
    for part in path:
        owner = getattr(owner, part)
    setattr(owner, name, wrapper(attribute, getattr(owner, name)))


def report() -> None:
    for name, (cpu, wall, calls) in times.items():
        print(f"{name:24s} CPU {cpu:7.2f} s  wall {wall:7.2f} s  ×{calls}", file=sys.stderr)
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(
        f"process CPU {own.ru_utime + own.ru_stime:.2f} s, "
        f"children {children.ru_utime + children.ru_stime:.2f} s",
        file=sys.stderr,
    )


def main() -> None:
    for module, attribute in STAGES:
        wrap(module, attribute, timed)
    atexit.register(report)
    sys.argv = ["sitegen", "build", *sys.argv[1:]]
    from sitegen.cli import main as sitegen

    sitegen()


if __name__ == "__main__":
    main()
