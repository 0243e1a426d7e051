"""The wheel ships every sitegen package and the built-in themes."""

from __future__ import annotations

import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_every_python_package_is_listed_for_the_wheel() -> None:
    setup = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]
    found = {
        ".".join(p.parent.relative_to(REPO).parts) for p in (REPO / "sitegen").rglob("__init__.py")
    }
    assert found | {"sitegen.themes"} == set(setup["packages"])
    assert setup["package-dir"]["sitegen.themes"] == "themes"
