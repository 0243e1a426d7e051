"""The `sitegen` command: one function per verb; diagnostics become exit codes.

Exit codes: 0 success, 1 content errors (every problem listed as `path:line: message`),
2 usage or configuration errors, 70 an internal error (a bug: one line, no traceback unless
`SITEGEN_DEBUG=1`), 130 interrupted.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import sys
from pathlib import Path
from typing import Any, NoReturn

import click

from sitegen import __version__, mailer
from sitegen.build.incremental.stores import DiskCache
from sitegen.build.load import shown_path
from sitegen.build.parallel import available_cpus
from sitegen.build.pipeline import BuildOptions, build
from sitegen.build.progress import progress_for
from sitegen.build.publish import write_build
from sitegen.build.result import build_time
from sitegen.core.config import CONFIG_FILE, Site, base_url_problem, load_site
from sitegen.core.diagnostics import (
    Diagnostic,
    UserError,
    diagnostic_order,
    error,
    has_errors,
    summary,
)
from sitegen.core.text import plural
from sitegen.scaffold import LANGUAGES, NewError, new_article, new_site, new_theme, split_tags

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


@main.command("import")
@source_option
@click.argument("sources", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--from",
    "kind",
    type=click.Choice(["text", *SOURCES]),
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
    want_folder = kind in FOLDER_SOURCES
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
    result = import_news_texts(files, out_dir, topic, force, site.config.tz, limit, dry_run=dry_run)
    for _, target in result.written:
        click.echo(f"{'would write' if dry_run else 'wrote'} {target}")
    report(result.diagnostics)
    if has_errors(result.diagnostics):
        sys.exit(EXIT_CONTENT)


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


@main.command("email")
@source_option
@click.argument("day", required=False)
@click.option(
    "--out", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write the .eml file."
)
@click.option("--smtp", "server", metavar="HOST:PORT", help="Send it through this SMTP server.")
@click.option("--starttls", is_flag=True, help="Encrypt the SMTP session with STARTTLS.")
@click.option("--user", help=f"SMTP login; the password is read from ${mailer.PASSWORD_VARIABLE}.")
@click.option("--from", "sender", help="The sender (default: email.from of sitegen.yaml).")
@click.option(
    "--to", "recipients", multiple=True, help="A recipient, repeatable (default: email.to)."
)
def email_command(
    source: Path,
    day: str | None,
    out: Path | None,
    server: str | None,
    starttls: bool,
    user: str | None,
    sender: str | None,
    recipients: tuple[str, ...],
) -> None:
    """The digest of DAY (YYYY-MM-DD; default: the latest) as an email: a multipart .eml
    file (--out), or sent over SMTP (--smtp). See docs/email.md."""
    if not (out or server):
        fail_usage("give --out FILE.eml, --smtp HOST:PORT, or both")
    try:
        date = dt.date.fromisoformat(day) if day else None
    except ValueError:
        fail_usage(f"DAY must be a date such as 2022-01-07, got {day!r}")
    site = open_site(source)
    try:
        message = mailer.day_message(site, date, sender, recipients)
        if out:
            out.write_bytes(message.as_bytes())
            click.echo(f"wrote {shown(out)}")
        if server:
            mailer.send(message, server, starttls, user)
            click.echo(f"sent to {message['To']} through {server}")
    except mailer.MailError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_CONTENT)
    except OSError as exc:
        click.echo(f"error: cannot write {out}: {exc.strerror or exc}", err=True)
        sys.exit(EXIT_CONTENT)


def fail_usage(message: str) -> NoReturn:
    """Exit 2 with one line."""
    click.echo(f"error: {message}", err=True)
    sys.exit(EXIT_USAGE)


def shown(path: Path) -> str:
    """A path as the user would type it: relative to the current folder when inside it."""
    return os.path.relpath(path) if path.resolve().is_relative_to(Path.cwd()) else str(path)


@main.group("new")
def new_group() -> None:
    """Create a site, an article or a theme."""


@new_group.command("site")
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--language", type=click.Choice(LANGUAGES), default="ar", show_default=True)
@click.option("--title", help="The site's title (default: one in the chosen language).")
def new_site_command(folder: Path, language: str, title: str | None) -> None:
    """Create a working site in FOLDER (which must be new or empty)."""
    try:
        written = new_site(folder, language, title, build_time())
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
