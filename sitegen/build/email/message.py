"""A day's email as one message: `multipart/alternative`, the text twin first and the HTML
last (the part a client prefers), both UTF-8. Pure: sending is `sitegen.mailer`'s."""

from __future__ import annotations

import datetime as dt
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid


def make_message(
    subject: str,
    text: str,
    html: str,
    sender: str,
    recipients: tuple[str, ...],
    date: dt.datetime,
) -> EmailMessage:
    """The message: headers, then the text part, then the HTML part."""
    message = EmailMessage(policy=SMTP)
    message["Subject"] = subject
    message["From"] = sender
    message["To"] = ", ".join(recipients)
    message["Date"] = format_datetime(date)
    domain = sender.rpartition("@")[2].strip(">") or None
    message["Message-ID"] = make_msgid(domain=domain)
    message.set_content(text, subtype="plain", charset="utf-8")
    message.add_alternative(html, subtype="html", charset="utf-8")
    return message
