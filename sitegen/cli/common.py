"""What every `sitegen` verb shares: exit codes, the `--source` option, printing diagnostics,
opening the site, usage errors and paths as the user would type them."""

from __future__ import annotations

import dataclasses
import os
import sys
from pathlib import Path
from typing import NoReturn

import click

from sitegen.core.config import Site, base_url_problem, load_site
from sitegen.core.diagnostics import Diagnostic, diagnostic_order, error, summary

EXIT_CONTENT = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 70
EXIT_INTERRUPTED = 130

source_option = click.option(
    "--source",
    "-s",
    "source",
    type=click.Path(file_okay=False, path_type=Path),
    default=".",
    show_default=True,
    help="The site folder (holding sitegen.yaml).",
)


def report(diagnostics: tuple[Diagnostic, ...] | list[Diagnostic]) -> None:
    """Print every diagnostic, then a count, to stderr."""
    items = sorted(diagnostics, key=diagnostic_order)
    for d in items:
        click.echo(d.format(), err=True)
    if items:
        click.echo(summary(items), err=True)


def open_site(source: Path, base_url: str | None = None) -> Site:
    """Load the site config or exit 2 with its problems."""
    site, diagnostics = load_site(source)
    if site is None:
        report(diagnostics)
        sys.exit(EXIT_USAGE)
    if base_url:
        if base_url_problem(base_url):
            report([error("--base-url", None, base_url_problem(base_url))])  # type: ignore[arg-type]
            sys.exit(EXIT_USAGE)
        site = dataclasses.replace(site, config=site.config.with_base_url(base_url))
    return site


def fail_usage(message: str) -> NoReturn:
    """Exit 2 with one line."""
    click.echo(f"error: {message}", err=True)
    sys.exit(EXIT_USAGE)


def shown(path: Path) -> str:
    """A path as the user would type it: relative to the current folder when inside it."""
    return os.path.relpath(path) if path.resolve().is_relative_to(Path.cwd()) else str(path)
