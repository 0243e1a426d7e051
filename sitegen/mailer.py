"""`sitegen email`: a day's digest, from a build held in memory, as one message written to a
`.eml` file or sent over SMTP (docs/email.md).

The build makes the email (`sitegen.build.email`); this edge picks the day, adds the envelope
(sender and recipients from `email:` or the command line) and talks to the mail server. Every
failure is a `MailError` holding one line for the user.
"""

from __future__ import annotations

import datetime as dt
import os
import smtplib
import ssl
from email.message import EmailMessage

from sitegen.build.email.message import make_message
from sitegen.build.email.stage import email_subject
from sitegen.build.group import build_index
from sitegen.build.pipeline import BuildOptions, build
from sitegen.build.result import build_time
from sitegen.build.routes import Routes
from sitegen.core.config import Site
from sitegen.core.config_sections import SMTP_PASSWORD_VARIABLE, address_problem
from sitegen.core.diagnostics import UserError

SMTP_TIMEOUT = 30  # seconds


class MailError(Exception):
    """Why no message was made or sent, in one line."""


def day_message(
    site: Site,
    day: dt.date | None,
    sender: str | None = None,
    recipients: tuple[str, ...] = (),
) -> EmailMessage:
    """Build the site in memory and return the email of `day` (default: the latest day).

    Raises `UserError` when the build fails, `MailError` for anything else that stops it."""
    config = site.config
    if not config.email.enabled:
        raise MailError("the email edition is off ('email: false' in sitegen.yaml)")
    if not config.origin:
        raise MailError("emails need absolute links: set 'base_url' to a full URL")
    sender = sender or config.email.from_
    recipients = recipients or config.email.to
    if not sender:
        raise MailError("no sender: set 'email.from' in sitegen.yaml or pass --from")
    if not recipients:
        raise MailError("no recipients: set 'email.to' in sitegen.yaml or pass --to")
    for address in (sender, *recipients):
        if problem := address_problem(address):
            raise MailError(problem)
    result = build(site, BuildOptions())
    if not result.ok:
        raise UserError(result.diagnostics)
    days = build_index(result.articles, config).days
    if not days:
        raise MailError("no articles: there is no digest to send")
    chosen = days[0] if day is None else next((d for d in days if d.date == day), None)
    if chosen is None:
        raise MailError(f"no digest on {day}: the latest is {days[0].date}")
    routes = Routes(config)
    html, text = (result.files[routes.day_email(chosen.date, s)].decode() for s in ("html", "txt"))
    subject = email_subject(config, chosen)
    return make_message(subject, text, html, sender, recipients, build_time())


def send(message: EmailMessage, server: str, starttls: bool, user: str | None) -> None:
    """Send over SMTP to `server` (`HOST:PORT`); with `user`, log in with the password in
    the `SITEGEN_SMTP_PASSWORD` environment variable."""
    host, _, port_text = server.rpartition(":")
    if not host or not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise MailError(f"--smtp must be HOST:PORT, got {server!r}")
    password = os.environ.get(SMTP_PASSWORD_VARIABLE)
    if user and password is None:
        raise MailError(f"--user needs the password in the {SMTP_PASSWORD_VARIABLE} variable")
    try:
        with smtplib.SMTP(host.strip("[]"), int(port_text), timeout=SMTP_TIMEOUT) as smtp:
            if starttls:
                smtp.starttls(context=ssl.create_default_context())
            if user:
                smtp.login(user, password or "")
            refused = smtp.send_message(message)
    except smtplib.SMTPResponseException as exc:
        reply = (
            exc.smtp_error.decode("utf-8", "replace")
            if isinstance(exc.smtp_error, bytes)
            else str(exc.smtp_error)
        )
        raise MailError(f"SMTP {server}: the server said {exc.smtp_code} {reply}") from None
    except smtplib.SMTPRecipientsRefused as exc:
        raise MailError(
            f"SMTP {server}: every recipient was refused: {', '.join(exc.recipients)}"
        ) from None
    except (smtplib.SMTPException, OSError) as exc:
        raise MailError(
            f"SMTP {server}: {exc.strerror if isinstance(exc, OSError) and exc.strerror else exc}"
        ) from None
    if refused:
        raise MailError(f"SMTP {server}: refused {', '.join(refused)} (sent to the others)")
