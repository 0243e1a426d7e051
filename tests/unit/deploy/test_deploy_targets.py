"""The `deploy` section of sitegen.yaml."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.deploy.git import GitPublisher
from sitegen.deploy.publisher import DeployError
from sitegen.deploy.rsync import RsyncPublisher
from sitegen.deploy.targets import DeployConfig, DeployTarget, deploy_problems, select_target

PAGES = DeployTarget(type="git")
SERVER = DeployTarget(type="rsync", destination="me@host:/var/www/news", headers=True)


def test_git_defaults(tmp_path: Path):
    target = select_target(DeployConfig({"pages": PAGES}), None, tmp_path)
    assert target.name == "pages"
    assert target.publisher == GitPublisher("origin", tmp_path, "gh-pages", nojekyll=True)


def test_rsync_target_and_its_extras(tmp_path: Path):
    config = DeployConfig({"pages": PAGES, "server": SERVER}, default="server")
    target = select_target(config, None, tmp_path)
    assert target.publisher == RsyncPublisher("me@host:/var/www/news", tmp_path)
    assert target.headers and not target.redirects


def test_a_named_target_beats_the_default(tmp_path: Path):
    config = DeployConfig({"pages": PAGES, "server": SERVER}, default="server")
    assert select_target(config, "pages", tmp_path).name == "pages"


@pytest.mark.parametrize(
    ("config", "name", "message"),
    [
        (DeployConfig(), None, "no deploy targets in sitegen.yaml"),
        (
            DeployConfig({"pages": PAGES, "server": SERVER}),
            None,
            "several deploy targets (pages, server): name one, or set deploy.default",
        ),
        (DeployConfig({"pages": PAGES}), "page", "no deploy target named 'page'; did you mean"),
        (DeployConfig({"pages": PAGES}), "zzz", "no deploy target named 'zzz'; known: pages"),
    ],
)
def test_choosing_fails_clearly(config: DeployConfig, name: str | None, message: str):
    with pytest.raises(DeployError) as caught:
        select_target(config, name, Path("/site"))
    assert str(caught.value).startswith(message)


def test_problems_name_the_key():
    config = DeployConfig(
        {
            "pages": DeployTarget(type="git", destination="/var/www"),
            "server": DeployTarget(type="rsync", branch="main"),
        },
        default="nope",
    )
    assert deploy_problems(config) == [
        (
            ("deploy", "targets", "pages", "destination"),
            "'destination' is for rsync targets, 'pages' is git",
        ),
        (
            ("deploy", "targets", "server", "branch"),
            "'branch' is for git targets, 'server' is rsync",
        ),
        (("deploy", "targets", "server"), "rsync target 'server' needs a 'destination'"),
        (("deploy", "default"), "no deploy target named 'nope'"),
    ]
