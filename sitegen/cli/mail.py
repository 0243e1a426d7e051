"""`sitegen email`: a day's digest as an .eml file, or sent over SMTP (docs/email.md)."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from sitegen.cli.common import EXIT_CONTENT, fail_usage, open_site, shown, source_option
from sitegen.core.config_sections import SMTP_PASSWORD_VARIABLE


@click.command("email")
@source_option
@click.argument("day", required=False)
@click.option(
    "--out", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write the .eml file."
)
@click.option("--smtp", "server", metavar="HOST:PORT", help="Send it through this SMTP server.")
@click.option("--starttls", is_flag=True, help="Encrypt the SMTP session with STARTTLS.")
@click.option("--user", help=f"SMTP login; the password is read from ${SMTP_PASSWORD_VARIABLE}.")
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
    from sitegen import mailer  # only here: quick `build` start

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
