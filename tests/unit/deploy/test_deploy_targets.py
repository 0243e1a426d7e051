"""The `deploy` section of sitegen.yaml."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.core.config import parse_config
from sitegen.core.config_sections import DeployConfig, DeployTarget
from sitegen.deploy.git import GitPublisher
from sitegen.deploy.publisher import DeployError
from sitegen.deploy.rsync import RsyncPublisher
from sitegen.deploy.targets import select_target

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


def test_config_file_with_targets():
    config, problems = parse_config(
        "title: t\n"
        "deploy:\n"
        "  default: server\n"
        "  targets:\n"
        "    pages: {type: git, branch: main}\n"
        "    server: {type: rsync, destination: /var/www/news, headers: true}\n"
    )
    assert problems == []
    assert config is not None
    assert config.deploy == DeployConfig(
        {
            "pages": DeployTarget(type="git", branch="main"),
            "server": DeployTarget(type="rsync", destination="/var/www/news", headers=True),
        },
        default="server",
    )


def test_config_problems_name_the_key_and_line():
    _, problems = parse_config(
        "title: t\n"
        "deploy:\n"
        "  default: nope\n"
        "  targets:\n"
        "    pages:\n"
        "      type: git\n"
        "      destination: /var/www\n"
        "    server:\n"
        "      type: rsync\n"
        "      branch: main\n"
        "    other: {type: ftp, brnch: x}\n"
    )
    assert sorted(d.format() for d in problems) == [
        "sitegen.yaml:10: 'branch' is for git targets, 'server' is rsync",
        "sitegen.yaml:11: 'deploy.targets.other.type' must be one of git, rsync, got 'ftp'",
        "sitegen.yaml:11: unknown key 'deploy.targets.other.brnch' (did you mean 'branch'?)",
        "sitegen.yaml:3: no deploy target named 'nope'",
        "sitegen.yaml:7: 'destination' is for rsync targets, 'pages' is git",
        "sitegen.yaml:8: rsync target 'server' needs a 'destination'",
    ]
