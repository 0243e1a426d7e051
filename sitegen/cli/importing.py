"""`sitegen import`: plain-text news articles, or another tool's archive (docs/import.md)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from sitegen.cli.common import EXIT_CONTENT, EXIT_USAGE, open_site, report, source_option
from sitegen.core.config import Site
from sitegen.core.diagnostics import error, has_errors
from sitegen.importers.kinds import FOLDER_KINDS, KINDS


@click.command("import")
@source_option
@click.argument("sources", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--from",
    "kind",
    type=click.Choice(["text", *KINDS]),
    default="text",
    show_default=True,
    help="What SOURCES are: plain-text articles, or one archive of another tool.",
)
@click.option("--topic", "-t", help="(text) Topic written into each article's front matter.")
@click.option(
    "--out",
    "-o",
    type=click.Path(file_okay=False, path_type=Path),
    help="(text) Folder for the Markdown files.  [default: the site's content/]",
)
@click.option("--force", is_flag=True, help="Replace files that exist with other content.")
@click.option("--dry-run", is_flag=True, help="Report what would be written; write nothing.")
def import_command(
    source: Path,
    sources: tuple[Path, ...],
    kind: str,
    topic: str | None,
    out: Path | None,
    force: bool,
    dry_run: bool,
) -> None:
    """Bring content written elsewhere into the site: plain-text news articles (FILES), or a
    Jekyll, Hugo or Zola folder, a WordPress export or an RSS/Atom feed (docs/import.md)."""
    site = open_site(source)
    if kind == "text":
        import_texts(site, sources, topic, out, force, dry_run)
        return
    usage = _archive_usage(kind, sources, topic, out)
    if usage:
        report([error(str(sources[0]), None, usage)])
        sys.exit(EXIT_USAGE)
    from sitegen.importers.run import import_archive  # only here: quick `build` start

    result = import_archive(kind, sources[0], site, dry_run=dry_run, force=force)
    report(result.diagnostics)
    click.echo(result.summary(dry_run))
    if has_errors(result.diagnostics):
        sys.exit(EXIT_CONTENT)


def _archive_usage(
    kind: str, sources: tuple[Path, ...], topic: str | None, out: Path | None
) -> str:
    """Why these arguments do not name one archive of `kind`, or ''."""
    if len(sources) != 1:
        return f"--from {kind} takes one SOURCE, not {len(sources)}"
    if topic or out:
        return "--topic and --out are for plain-text articles (--from text)"
    want_folder = kind in FOLDER_KINDS
    if want_folder and not sources[0].is_dir():
        return f"--from {kind} reads a site folder; this is not one"
    if not want_folder and not sources[0].is_file():
        return f"--from {kind} reads one file; this is not one"
    return ""


def import_texts(
    site: Site,
    files: tuple[Path, ...],
    topic: str | None,
    out: Path | None,
    force: bool,
    dry_run: bool,
) -> None:
    """`sitegen import FILES`: plain-text news articles into Markdown files."""
    out_dir = out or site.content_dir
    limit = site.config.limits.max_file_bytes
    from sitegen.importers.plaintext import import_news_texts  # only here: quick start

    result = import_news_texts(files, out_dir, topic, force, site.config.tz, limit, dry_run=dry_run)
    for _, target in result.written:
        click.echo(f"{'would write' if dry_run else 'wrote'} {target}")
    report(result.diagnostics)
    if has_errors(result.diagnostics):
        sys.exit(EXIT_CONTENT)
