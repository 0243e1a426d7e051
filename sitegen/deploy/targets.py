"""The `deploy` section of `sitegen.yaml`: named targets, and choosing one.

deploy:
  default: pages
  targets:
    pages:  {type: git, remote: origin, branch: gh-pages}
    server: {type: rsync, destination: "deploy@example.org:/var/www/news"}
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from sitegen.deploy.git import GitPublisher
from sitegen.deploy.publisher import DeployError
from sitegen.deploy.rsync import RsyncPublisher
from sitegen.deploy.run import Target

_ONLY_FOR = {"remote": "git", "branch": "git", "nojekyll": "git", "destination": "rsync"}


@dataclass(frozen=True)
class DeployTarget:
    """One deploy target. `git`: `remote` (default `origin`), `branch` (default `gh-pages`),
    `nojekyll` (default true). `rsync`: `destination` (required). Both: `headers` and
    `redirects` write Netlify/Cloudflare Pages `_headers` and `_redirects` files."""

    type: Literal["git", "rsync"]
    remote: str | None = None
    branch: str | None = None
    nojekyll: bool | None = None
    destination: str | None = None
    headers: bool = False
    redirects: bool = False


@dataclass(frozen=True)
class DeployConfig:
    """Named targets and the one `sitegen deploy` uses without an argument."""

    targets: dict[str, DeployTarget] = field(default_factory=dict)
    default: str | None = None


def deploy_problems(config: DeployConfig) -> list[tuple[tuple[str, ...], str]]:
    """Mistakes the schema cannot see, as (key path, message) pairs."""
    found: list[tuple[tuple[str, ...], str]] = []
    for name, target in config.targets.items():
        where = ("deploy", "targets", name)
        for key, kind in _ONLY_FOR.items():
            if getattr(target, key) is not None and target.type != kind:
                found.append(
                    ((*where, key), f"'{key}' is for {kind} targets, '{name}' is {target.type}")
                )
        if target.type == "rsync" and not target.destination:
            found.append((where, f"rsync target '{name}' needs a 'destination'"))
    if config.default is not None and config.default not in config.targets:
        found.append((("deploy", "default"), f"no deploy target named '{config.default}'"))
    return found


def select_target(config: DeployConfig, name: str | None, site_root: Path) -> Target:
    """The target called `name`, else the default one (or the only one)."""
    names = sorted(config.targets)
    if not names:
        raise DeployError("no deploy targets in sitegen.yaml; see docs/deploy.md")
    chosen = name or config.default or (names[0] if len(names) == 1 else None)
    if chosen is None:
        raise DeployError(
            f"several deploy targets ({', '.join(names)}): name one, or set deploy.default"
        )
    if chosen not in config.targets:
        close = difflib.get_close_matches(chosen, names, n=1)
        hint = f"; did you mean '{close[0]}'?" if close else f"; known: {', '.join(names)}"
        raise DeployError(f"no deploy target named '{chosen}'{hint}")
    target = config.targets[chosen]
    publisher: GitPublisher | RsyncPublisher
    if target.type == "git":
        publisher = GitPublisher(
            remote=target.remote or "origin",
            site_root=site_root,
            branch=target.branch or "gh-pages",
            nojekyll=target.nojekyll is not False,
        )
    else:
        publisher = RsyncPublisher(destination=target.destination or "", site_root=site_root)
    return Target(chosen, publisher, headers=target.headers, redirects=target.redirects)
