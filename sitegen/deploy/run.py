"""The deploy entry point: check the target, build cleanly and strictly, add extras, publish."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sitegen.core.diagnostics import Diagnostic, UserError
from sitegen.deploy.extras import write_extras
from sitegen.deploy.publisher import Publisher, PublishResult


@dataclass(frozen=True)
class BuildOutcome:
    """What a deploy needs from a build: where the site is, what went wrong, and for the host
    extras the URL paths of fingerprinted assets, the alias → target URL pairs and the files
    of the redirect pages at the aliases (output-relative)."""

    output_dir: Path
    diagnostics: tuple[Diagnostic, ...] = ()
    assets: tuple[str, ...] = ()
    aliases: tuple[tuple[str, str], ...] = ()
    redirect_pages: tuple[str, ...] = ()


@dataclass(frozen=True)
class Target:
    """A named deploy target: a publisher plus the host extras it wants."""

    name: str
    publisher: Publisher
    headers: bool = False
    redirects: bool = False


def run_deploy(
    build: Callable[[], BuildOutcome], target: Target, *, dry_run: bool = False
) -> PublishResult:
    """Deploy the site that `build` makes to `target`.

    `build` must build from scratch into its output folder. The target is checked first, so a
    missing tool or an unsafe destination costs no build. Any diagnostic, warning or error,
    aborts with UserError before anything reaches the target. Raises DeployError when
    publishing fails.
    """
    target.publisher.check()
    outcome = build()
    if outcome.diagnostics:
        raise UserError(outcome.diagnostics)
    write_extras(
        outcome.output_dir,
        assets=outcome.assets,
        aliases=outcome.aliases,
        redirect_pages=outcome.redirect_pages,
        headers=target.headers,
        redirects=target.redirects,
    )
    return target.publisher.publish(outcome.output_dir, dry_run=dry_run)
