"""Mail to hirers and officers: SMTP when configured, otherwise files in a local outbox folder."""

from __future__ import annotations

import datetime as dt
import smtplib
import uuid
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    body: str


class Mailer(Protocol):
    def send(self, mail: Mail) -> None: ...


def _message(mail: Mail, sender: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = mail.to
    msg["Subject"] = mail.subject
    msg["Date"] = dt.datetime.now(dt.UTC).strftime("%a, %d %b %Y %H:%M:%S +0000")
    msg["Message-ID"] = f"<{uuid.uuid4().hex}@venue-hire>"
    msg.set_content(mail.body)
    return msg


class SmtpMailer:
    def __init__(self, host: str, port: int, sender: str) -> None:
        self.host, self.port, self.sender = host, port, sender

    def send(self, mail: Mail) -> None:
        with smtplib.SMTP(self.host, self.port, timeout=10) as smtp:
            smtp.send_message(_message(mail, self.sender))


class OutboxMailer:
    """Writes each message as an .eml file: the default when no SMTP server is configured."""

    def __init__(self, folder: Path, sender: str) -> None:
        self.folder, self.sender = folder, sender

    def send(self, mail: Mail) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%f")
        path = self.folder / f"{stamp}-{uuid.uuid4().hex[:8]}.eml"
        path.write_bytes(bytes(_message(mail, self.sender)))


class NullMailer:
    def send(self, mail: Mail) -> None:
        return None


def mailer_for(smtp_host: str | None, smtp_port: int, sender: str, outbox: Path) -> Mailer:
    if smtp_host:
        return SmtpMailer(smtp_host, smtp_port, sender)
    return OutboxMailer(outbox, sender)
