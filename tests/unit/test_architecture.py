"""The house rules that keep the code readable: the architecture page names every module and
the stages in pipeline order, modules stay small, and `build/pipeline.py` only orders stages.
The layer contract itself is checked by import-linter (`lint-imports`, in scripts/test)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from sitegen.build import pipeline

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "sitegen"
ARCHITECTURE = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
MAX_MODULE_LINES = 450
MAX_PIPELINE_LINES = 175  # eleven stages: their order (load overlapping parse), and nothing else


def modules() -> list[Path]:
    """Every Python module of the package, but `__init__.py` files holding only a docstring."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "__init__.py":
            body = ast.parse(path.read_text(encoding="utf-8")).body
            if all(isinstance(node, ast.Expr) for node in body):
                continue
        found.append(path)
    return found


def test_every_module_is_on_the_map() -> None:
    named = set(re.findall(r"`([\w/]+\.py)`", ARCHITECTURE))
    missing = [p.relative_to(PACKAGE).as_posix() for p in modules()]
    missing = [m for m in missing if m not in named]
    assert not missing, f"docs/architecture.md does not name: {missing}"


def test_the_map_names_no_missing_module() -> None:
    named = set(re.findall(r"`((?:[\w]+/)+[\w]+\.py|[\w]+\.py)`", ARCHITECTURE))
    stale = sorted(n for n in named if not (PACKAGE / n).is_file())
    assert not stale, f"docs/architecture.md names modules that do not exist: {stale}"


# The call that runs each stage in `pipeline.build` (write: `publish.write_build`, elsewhere).
STAGE_CALLS = {
    "load": "start_load",
    "parse": "reuse.parse",
    "model": "reuse.model",
    "images": "process_site_images",
    "group": "group_editions",
    "plan": "plan_site",
    "email": "plan_emails",
    "cards": "plan_site_cards",
    "syndication": "syndicate",
    "render": "reuse.render",
    "search": "reuse.search",
}


def test_the_pipeline_runs_the_stages_in_their_order() -> None:
    tree = ast.parse((PACKAGE / "build" / "pipeline.py").read_text(encoding="utf-8"))
    first_line: dict[str, int] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = ast.unparse(node.func)
            first_line[name] = min(node.lineno, first_line.get(name, node.lineno))
    assert all(call in first_line for call in STAGE_CALLS.values())
    order = sorted(STAGE_CALLS, key=lambda stage: first_line[STAGE_CALLS[stage]])
    assert [*order, "write"] == list(pipeline.STAGES)


def test_the_map_lists_the_stages_in_pipeline_order() -> None:
    diagram = ARCHITECTURE.split("```")[1]
    shown = re.findall(r"^ +──(\w+)──►", diagram, flags=re.M)
    assert shown == list(pipeline.STAGES)


def test_modules_stay_small() -> None:
    sizes = {p.relative_to(PACKAGE).as_posix(): len(p.read_text().splitlines()) for p in modules()}
    large = {name: n for name, n in sizes.items() if n > MAX_MODULE_LINES}
    assert not large, f"modules over {MAX_MODULE_LINES} lines: {large}"


def test_the_pipeline_only_orders_stages() -> None:
    lines = len((PACKAGE / "build" / "pipeline.py").read_text().splitlines())
    assert lines <= MAX_PIPELINE_LINES
