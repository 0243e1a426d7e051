"""The `sitegen` command: one function per verb; diagnostics become exit codes.

Exit codes: 0 success, 1 content errors (every problem listed as `path:line: message`),
2 usage or configuration errors, 70 an internal error (a bug: one line, no traceback unless
`SITEGEN_DEBUG=1`), 130 interrupted.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from sitegen import __version__
from sitegen.build.incremental.stores import DiskCache
from sitegen.build.load import shown_path
from sitegen.build.pipeline import BuildOptions, build
from sitegen.build.progress import progress_for
from sitegen.build.publish import write_build
from sitegen.build.result import build_time
from sitegen.cli.common import (
    EXIT_CONTENT,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_USAGE,
    open_site,
    report,
    shown,
    source_option,
)
from sitegen.cli.importing import import_command
from sitegen.cli.mail import email_command
from sitegen.core.config import CONFIG_FILE
from sitegen.core.diagnostics import UserError, error, has_errors
from sitegen.core.text import plural
from sitegen.scaffold import LANGUAGES, NewError, new_article, new_site, new_theme, split_tags


class GuardedGroup(click.Group):
    """Commands never show a traceback: user errors are diagnostics, bugs one line."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except UserError as exc:
            report(exc.diagnostics)
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(EXIT_INTERRUPTED)
        except Exception as exc:
            if os.environ.get("SITEGEN_DEBUG"):
                raise
            click.echo(f"sitegen: internal error: {type(exc).__name__}: {exc}", err=True)
            click.echo(
                "This is a bug in sitegen; please report it with the command you ran "
                "(SITEGEN_DEBUG=1 shows the traceback).",
                err=True,
            )
            sys.exit(EXIT_INTERNAL)


@click.group(cls=GuardedGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sitegen")
def main() -> None:
    """sitegen: a right-to-left first static site generator for news digests."""


main.add_command(import_command)
main.add_command(email_command)


@main.command("build")
@source_option
@click.option("--drafts", is_flag=True, help="Include articles marked as drafts.")
@click.option("--future", is_flag=True, help="Include articles dated in the future.")
@click.option("--base-url", help="Override base_url (e.g. for a preview deployment).")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option(
    "--clean",
    is_flag=True,
    help="Ignore the build cache: parse and render everything (the cache is then renewed).",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(0),
    default=0,
    show_default=True,
    help="Worker processes for parsing and rendering (0: one per CPU, 1: no workers).",
)
@click.option("--quiet", "-q", is_flag=True, help="Print only problems.")
@click.option("--verbose", "-v", is_flag=True, help="Also print what was parsed and rendered.")
def build_command(
    source: Path,
    drafts: bool,
    future: bool,
    base_url: str | None,
    strict: bool,
    clean: bool,
    jobs: int,
    quiet: bool,
    verbose: bool,
) -> None:
    """Build the site from content/ and the theme into the output folder."""
    site = open_site(source, base_url)
    cache = DiskCache(site.state_dir, site.output_dir, read=not clean)
    result = build(
        site,
        BuildOptions(drafts=drafts, future=future, jobs=jobs),
        cache=cache,
        progress=progress_for(sys.stderr, quiet),
    )
    for notice in result.notices:
        click.echo(notice.format(), err=True)
    report(result.diagnostics)
    try:
        written = write_build(site, result, cache, strict=strict)
    except OSError as exc:
        where = site.config.output
        if exc.filename:
            where = shown_path(Path(os.fsdecode(exc.filename)), site.root)
        report([error(where, None, f"cannot write: {exc.strerror or exc}")])
        sys.exit(EXIT_CONTENT)
    if written is None:
        click.echo(f"build failed; {site.config.output}/ left untouched", err=True)
        sys.exit(EXIT_CONTENT)
    s = result.stats
    if verbose:
        from sitegen.build.parallel import available_cpus  # only here: quick `build` start

        click.echo(
            f"parsed {some_of(s.parsed, s.sources, 'source file', 'cached')}, "
            f"rendered {some_of(s.rendered, s.pages, 'page', 'unchanged')}, "
            f"with {plural(jobs or available_cpus(), 'job')}"
        )
    if not quiet:
        images = f", {plural(s.images, 'image')} ({s.images_processed} processed)"
        click.echo(
            f"built {plural(s.pages, 'page')} from {plural(s.articles, 'article')}"
            f"{images if s.images else ''} in {s.seconds:.2f} s: "
            f"{written.written:,} written, {written.unchanged:,} unchanged, "
            f"{written.removed:,} removed"
        )


def some_of(done: int, total: int, noun: str, others: str) -> str:
    """`3 of 30 source files (27 cached)`; `30 of 30 source files`."""
    rest = f" ({total - done:,} {others})" if done < total else ""
    return f"{done:,} of {plural(total, noun)}{rest}"


@main.command("serve")
@source_option
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option(
    "--bind",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on. Any other than loopback shows the preview to the network.",
)
@click.option("--drafts", is_flag=True, help="Include articles marked as drafts.")
@click.option("--future", is_flag=True, help="Include articles dated in the future.")
@click.option("--poll", is_flag=True, help="Poll for changes (network drives, containers).")
@click.option("--open", "open_browser", is_flag=True, help="Open the preview in a browser.")
def serve_command(
    source: Path, port: int, bind: str, drafts: bool, future: bool, poll: bool, open_browser: bool
) -> None:
    """Preview the site with live reload, from memory (the output folder is not touched)."""
    if not (source / CONFIG_FILE).is_file():
        open_site(source)  # reports the missing config and exits 2
    from sitegen.serve.run import (  # only here: quick `build` start
        ServeOptions,
        serve_site,
    )

    options = ServeOptions(host=bind, port=port, poll=poll, open_browser=open_browser)
    code = serve_site(source.resolve(), options, sys.stdout, drafts=drafts, future=future)
    sys.exit(code)


@main.command("check")
@source_option
@click.option("--external", is_flag=True, help="Not supported: sitegen check works offline.")
def check_command(source: Path, external: bool) -> None:
    """Build in memory and report broken internal links and anchors, missing files, images
    without alt text, duplicate titles, articles without topic, invalid feeds and RTL lint."""
    site = open_site(source)
    if external:
        click.echo(
            "note: --external is out of scope: sitegen check never uses the network, "
            "so links to other sites are not checked",
            err=True,
        )
    from sitegen.check import check_site  # only here: quick `build` start

    found = check_site(site)
    report(found)
    if has_errors(found):
        sys.exit(EXIT_CONTENT)
    if not found:
        click.echo("no problems found")


@main.command("deploy")
@source_option
@click.argument("target", required=False)
@click.option(
    "--dry-run", is_flag=True, help="Build, then list what would change; publish nothing."
)
def deploy_command(source: Path, target: str | None, dry_run: bool) -> None:
    """Build from scratch (strictly), then publish to TARGET of sitegen.yaml (docs/deploy.md)."""
    from sitegen.deploy.clean_build import clean_build  # only here: quick `build` start
    from sitegen.deploy.publisher import DeployError
    from sitegen.deploy.run import run_deploy
    from sitegen.deploy.targets import select_target

    site = open_site(source)
    try:
        chosen = select_target(site.config.deploy, target, site.root)
        result = run_deploy(lambda: clean_build(site), chosen, dry_run=dry_run)
    except UserError as exc:
        report(exc.diagnostics)
        click.echo("deploy aborted: fix every problem above first; nothing was published", err=True)
        sys.exit(EXIT_CONTENT)
    except DeployError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_CONTENT)
    if dry_run:
        for line in result.changes.lines():
            click.echo(line)
    click.echo(result.message())


@main.group("new")
def new_group() -> None:
    """Create a site, an article or a theme."""


@new_group.command("site")
@click.argument("folder", type=click.Path(path_type=Path))
@click.option(
    "--language",
    type=click.Choice(LANGUAGES, case_sensitive=False),
    default="ar",
    show_default=True,
)
@click.option(
    "--languages",
    metavar="LANG,LANG…",
    help=f"A site in several languages ({', '.join(LANGUAGES)}), the first its default: "
    "the others are published under /<language>/.",
)
@click.option("--title", help="The site's title (default: one in the chosen language).")
def new_site_command(folder: Path, language: str, languages: str | None, title: str | None) -> None:
    """Create a working site in FOLDER (which must be new or empty)."""
    others: tuple[str, ...] = ()
    if languages:
        chosen = tuple(dict.fromkeys(x.strip().lower() for x in languages.split(",") if x.strip()))
        unknown = [x for x in chosen if x not in LANGUAGES]
        if unknown or len(chosen) < 2:
            wanted = f"two or more of {', '.join(LANGUAGES)}"
            raise click.BadParameter(f"{languages!r}: give {wanted}", param_hint="--languages")
        language, others = chosen[0], chosen[1:]
    try:
        written = new_site(folder, language, title, build_time(), others)
    except NewError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    for path in written:
        click.echo(f"created {shown(path)}")
    click.echo(f"next: cd {shown(folder)} && sitegen build")


@new_group.command("article")
@source_option
@click.argument("title")
@click.option("--topic", help="The article's topic; its slug names the folder under content/.")
@click.option("--tags", help="Comma-separated tags.")
def new_article_command(source: Path, title: str, topic: str | None, tags: str | None) -> None:
    """Write content/<topic>/YYYY-MM-DD-<slug>.md dated now, and print its path."""
    site = open_site(source)
    try:
        path = new_article(site, title, topic, split_tags(tags), build_time())
    except NewError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    click.echo(shown(path))


@new_group.command("theme")
@source_option
@click.argument("name")
def new_theme_command(source: Path, name: str) -> None:
    """Create themes/NAME/, a child theme of digest (set `theme: NAME` to use it)."""
    try:
        written = new_theme(source, name)
    except NewError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    for path in written:
        click.echo(f"created {shown(path)}")
    click.echo(f"next: set `theme: {name}` in sitegen.yaml")


if __name__ == "__main__":  # pragma: no cover
    main()
