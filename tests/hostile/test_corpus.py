"""Every case of the bad-input corpus gives exactly its expected diagnostics (or a safe site)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.core.config import load_site
from tests.conftest import build_site, write_files
from tests.hostile.corpus import CASES, CONFIG_CASES, Case, write_case


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_build_reports_the_expected_diagnostics(case: Case, tmp_path: Path) -> None:
    site, problems = load_site(write_case(case, tmp_path / "site"))
    assert site is not None, [p.format() for p in problems]
    result = build_site(site)
    assert sorted(d.format() for d in result.diagnostics) == sorted(case.expected)
    if case.check is not None:
        assert result.ok
        case.check(result.files)
    elif any(d.is_error for d in result.diagnostics):
        assert result.files == {}


@pytest.mark.parametrize("name,config,expected", CONFIG_CASES, ids=[c[0] for c in CONFIG_CASES])
def test_config_reports_the_expected_diagnostics(
    name: str, config: str, expected: tuple[str, ...], tmp_path: Path
) -> None:
    site, problems = load_site(write_files(tmp_path, {"sitegen.yaml": config}))
    assert site is None
    assert sorted(d.format() for d in problems) == sorted(expected)
