"""`run_deploy`: target check first, strict build, extras, publish."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from sitegen.core.diagnostics import UserError, warning
from sitegen.deploy.publisher import Changes, DeployError, PublishResult
from sitegen.deploy.run import BuildOutcome, Target, run_deploy


@dataclass
class RecordingPublisher:
    """A publisher that records what it was asked to do."""

    broken: bool = False
    calls: list[str] = field(default_factory=list)

    def describe(self) -> str:
        return "recorder"

    def check(self) -> None:
        self.calls.append("check")
        if self.broken:
            raise DeployError("rsync is not installed")

    def publish(self, site_dir: Path, *, dry_run: bool = False) -> PublishResult:
        self.calls.append(f"publish {site_dir.name} dry_run={dry_run}")
        return PublishResult("recorder", Changes(added=("index.html",)), dry_run)


def builder(outcome: BuildOutcome, log: list[str]):
    def build() -> BuildOutcome:
        log.append("build")
        return outcome

    return build


def test_order_is_check_build_publish(tmp_path: Path):
    publisher = RecordingPublisher()
    result = run_deploy(
        builder(BuildOutcome(tmp_path), publisher.calls), Target("t", publisher), dry_run=True
    )
    assert publisher.calls == ["check", "build", f"publish {tmp_path.name} dry_run=True"]
    assert result.message() == "would deploy to recorder: 1 added, 0 changed, 0 deleted"


def test_a_broken_target_costs_no_build(tmp_path: Path):
    publisher = RecordingPublisher(broken=True)
    with pytest.raises(DeployError):
        run_deploy(builder(BuildOutcome(tmp_path), publisher.calls), Target("t", publisher))
    assert publisher.calls == ["check"]


def test_any_diagnostic_aborts_before_publishing(tmp_path: Path):
    publisher = RecordingPublisher()
    problem = warning("content/a.md", 3, "image without alt text")
    outcome = BuildOutcome(tmp_path, diagnostics=(problem,))
    with pytest.raises(UserError) as caught:
        run_deploy(builder(outcome, publisher.calls), Target("t", publisher))
    assert caught.value.diagnostics == (problem,)
    assert publisher.calls == ["check", "build"]


def test_extras_are_written_before_publishing(tmp_path: Path):
    publisher = RecordingPublisher()
    outcome = BuildOutcome(
        tmp_path, assets=("/theme/style.0123456789.css",), aliases=(("/old/", "/new/"),)
    )
    run_deploy(
        builder(outcome, publisher.calls),
        Target("t", publisher, headers=True, redirects=True),
    )
    assert (tmp_path / "_redirects").read_text() == "/old/ /new/ 301\n"
    assert "/theme/style.0123456789.css" in (tmp_path / "_headers").read_text()
