"""`sitegen email`: the .eml file, sending to a local SMTP server (aiosmtpd), and one clear
line for every mistake."""

from __future__ import annotations

import email
import email.policy
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message
from aiosmtpd.smtp import AuthResult, LoginPassword

from tests.conftest import FIXED_NOW, MINIMAL_CONFIG, article, write_files

ROOT = Path(__file__).resolve().parents[2]
CONFIG = MINIMAL_CONFIG + "email:\n  from: 'المرصد <news@example.org>'\n  to: [a@example.org]\n"


class Inbox(Message):
    """Keeps every message the server accepts."""

    def __init__(self) -> None:
        super().__init__()
        self.received: list[email.message.Message] = []

    def handle_message(self, message: email.message.Message) -> None:
        self.received.append(message)

    async def handle_RCPT(self, server, session, envelope, address, options):  # type: ignore[no-untyped-def]
        if address.endswith("@refused.example"):
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp() -> Iterator[tuple[Controller, Inbox]]:
    """An SMTP server on 127.0.0.1 that accepts the login editor/secret (without TLS)."""

    def authenticate(server, session, envelope, mechanism, auth_data):  # type: ignore[no-untyped-def]
        ok = isinstance(auth_data, LoginPassword) and auth_data == (b"editor", b"secret")
        return AuthResult(success=ok)

    inbox = Inbox()
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=free_port(),
        authenticator=authenticate,
        auth_require_tls=False,
    )
    controller.start()
    yield controller, inbox
    controller.stop()


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return write_files(
        tmp_path / "site",
        {
            "sitegen.yaml": CONFIG,
            "content/a.md": article("خبر اليوم", "2022-01-07T09:00:00+03:00", topic="سياسة"),
            "content/b.md": article("خبر الأمس", "2022-01-06T09:00:00+03:00", topic="سياسة"),
        },
    )


def run(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "SOURCE_DATE_EPOCH": str(int(FIXED_NOW.timestamp())),
        **env,
    }
    return subprocess.run(
        [sys.executable, "-m", "sitegen", "email", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
    )


def read_eml(path: Path) -> email.message.EmailMessage:
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert isinstance(message, email.message.EmailMessage)
    return message


def test_the_latest_day_is_written_as_an_eml(site: Path) -> None:
    done = run("--out", "day.eml", cwd=site)
    assert done.returncode == 0, done.stderr
    message = read_eml(site / "day.eml")
    assert message["Subject"] == "موقع تجريبي — خبر اليوم"
    assert (str(message["From"]), str(message["To"])) == (
        "المرصد <news@example.org>",
        "a@example.org",
    )
    assert message.get_content_type() == "multipart/alternative"
    text, html = message.iter_parts()
    assert text.get_content_type() == "text/plain" and "خبر اليوم" in text.get_content()
    assert html.get_content_type() == "text/html"
    assert "https://example.org/2022/01/07/" in html.get_content()
    assert not (site / "output").exists()  # built in memory, the site untouched


def test_a_named_day_and_addresses_from_flags(site: Path) -> None:
    done = run(
        "2022-01-06",
        "-o",
        "d.eml",
        "--from",
        "x@example.net",
        "--to",
        "b@example.net",
        "--to",
        "c@example.net",
        cwd=site,
    )
    assert done.returncode == 0, done.stderr
    message = read_eml(site / "d.eml")
    assert message["Subject"] == "موقع تجريبي — خبر الأمس"
    assert str(message["To"]) == "b@example.net, c@example.net"


def test_sent_over_smtp_with_a_login(site: Path, smtp: tuple[Controller, Inbox]) -> None:
    controller, inbox = smtp
    server = f"127.0.0.1:{controller.port}"
    done = run("--smtp", server, "--user", "editor", cwd=site, SITEGEN_SMTP_PASSWORD="secret")
    assert done.returncode == 0, done.stderr
    (received,) = inbox.received
    assert received["X-RcptTo"] == "a@example.org"
    assert received.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in received.get_payload()] == ["text/plain", "text/html"]


@pytest.mark.parametrize(
    ("args", "env", "code", "line"),
    [
        (
            ("2021-02-03", "-o", "x.eml"),
            {},
            1,
            "error: no digest on 2021-02-03: the latest is 2022-01-07",
        ),
        (
            ("07-01-2022", "-o", "x.eml"),
            {},
            2,
            "error: DAY must be a date such as 2022-01-07, got '07-01-2022'",
        ),
        (
            ("-o", "x.eml", "--to", "nobody"),
            {},
            1,
            "error: 'nobody' is not an e-mail address such as news@example.org",
        ),
        ((), {}, 2, "error: give --out FILE.eml, --smtp HOST:PORT, or both"),
        (("--smtp", "localhost"), {}, 1, "error: --smtp must be HOST:PORT, got 'localhost'"),
        (
            ("--smtp", "127.0.0.1:9", "--user", "u"),
            {},
            1,
            "error: --user needs the password in the SITEGEN_SMTP_PASSWORD variable",
        ),
    ],
)
def test_mistakes_are_one_line(
    site: Path, args: tuple[str, ...], env: dict[str, str], code: int, line: str
) -> None:
    done = run(*args, cwd=site, **env)
    assert (done.returncode, done.stderr.strip()) == (code, line)
    assert not (site / "x.eml").exists()


def test_smtp_failures_are_one_line(site: Path, smtp: tuple[Controller, Inbox]) -> None:
    controller, inbox = smtp
    server = f"127.0.0.1:{controller.port}"
    refused = run("--smtp", server, "--to", "x@refused.example", cwd=site)
    assert refused.returncode == 1 and not inbox.received
    assert (
        refused.stderr == f"error: SMTP {server}: every recipient was refused: x@refused.example\n"
    )
    closed = run("--smtp", f"127.0.0.1:{free_port()}", cwd=site)
    assert closed.returncode == 1 and closed.stderr.count("\n") == 1
    assert "Connection refused" in closed.stderr
