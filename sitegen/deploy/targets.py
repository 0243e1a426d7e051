"""Choosing a deploy target from the `deploy` section of `sitegen.yaml` (see `DeployConfig`):

deploy:
  default: pages
  targets:
    pages:  {type: git, remote: origin, branch: gh-pages}
    server: {type: rsync, destination: "deploy@example.org:/var/www/news"}
"""

from __future__ import annotations

import difflib
from pathlib import Path

from sitegen.core.config_sections import DeployConfig
from sitegen.deploy.git import GitPublisher
from sitegen.deploy.publisher import DeployError
from sitegen.deploy.rsync import RsyncPublisher
from sitegen.deploy.run import Target


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
