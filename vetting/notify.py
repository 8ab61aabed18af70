"""Mail to hirers and officers: SMTP when configured, otherwise files in a local outbox folder."""

from __future__ import annotations

import datetime as dt
import queue
import smtplib
import threading
import uuid
from dataclasses import dataclass
from email.charset import QP, Charset
from email.header import Header
from email.mime.text import MIMEText
from pathlib import Path
from typing import Any, Protocol

import structlog


@dataclass(frozen=True)
class Mail:
    """One message to one person. Only ``to``, ``subject`` and ``body`` are needed to send it;
    the rest says what it is, for the case's history, the outbox and the channels."""

    to: str
    subject: str
    body: str
    html: str | None = None  # the same message as HTML, where the channel can carry it
    channel: str = "email"  # "email" or "sms" (an SMS has no subject; ``to`` is the number)
    template: str | None = None  # the message's name (casework/messages), shown in the history
    case_id: uuid.UUID | None = None  # the case it is about, if any: listed on that case
    provider_id: uuid.UUID | None = None  # whose message it is (council or partner)
    audience: str = "hirer"  # "hirer" or "staff": the hirer sees only their own on the status page
    dedupe_key: str | None = None  # a second message with the same key is never sent


class Mailer(Protocol):
    def send(self, mail: Mail) -> None: ...


_UTF8_QP = Charset("utf-8")
_UTF8_QP.body_encoding = QP  # readable in the outbox, unlike base64


def _message(mail: Mail, sender: str) -> MIMEText:
    # The compat32 classes, not EmailMessage: its header registry parsed every header again and
    # cost six times as much, which bench/loadtest.py saw on every booking request.
    body_charset = "us-ascii" if mail.body.isascii() else _UTF8_QP
    msg = MIMEText(mail.body, "plain", body_charset)  # type: ignore[arg-type]  # typeshed wants a str; email accepts a Charset
    msg["From"] = sender
    msg["To"] = mail.to
    msg["Subject"] = mail.subject if mail.subject.isascii() else Header(mail.subject, "utf-8")  # type: ignore[assignment]  # email accepts a Header
    msg["Date"] = dt.datetime.now(dt.UTC).strftime("%a, %d %b %Y %H:%M:%S +0000")
    msg["Message-ID"] = f"<{uuid.uuid4().hex}@venue-hire>"
    return msg


class _BackgroundMailer:
    """Hands each message to a thread of its own that delivers it.

    ``send`` runs in the event loop's thread, after a commit: a slow or unreachable mail server
    (10 s timeout) or a slow disk would otherwise hold up every request of the process meanwhile.
    A failed delivery is logged, as before, and the booking stands. ``close`` drains the queue.
    """

    thread_name = "mailer"

    def __init__(self) -> None:
        self._queue: queue.SimpleQueue[Mail | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def send(self, mail: Mail) -> None:
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name=self.thread_name, daemon=True)
                self._thread.start()
        self._queue.put(mail)

    def close(self, timeout: float = 15.0) -> None:
        """Deliver what is queued (waiting at most ``timeout`` seconds), then stop the thread."""
        with self._lock:
            thread, self._thread = self._thread, None
        if thread is not None and thread.is_alive():
            self._queue.put(None)
            thread.join(timeout)

    def _run(self) -> None:
        while (mail := self._queue.get()) is not None:
            try:
                self.deliver(mail)
            except Exception as exc:  # the booking stands even when mail cannot go
                structlog.get_logger("venue_hire.mail").warning("mail.failed", error=type(exc).__name__)

    def deliver(self, mail: Mail) -> None:
        raise NotImplementedError


class SmtpMailer(_BackgroundMailer):
    thread_name = "smtp-mailer"

    def __init__(self, host: str, port: int, sender: str) -> None:
        super().__init__()
        self.host, self.port, self.sender = host, port, sender

    def deliver(self, mail: Mail) -> None:
        with smtplib.SMTP(self.host, self.port, timeout=10) as smtp:
            smtp.send_message(_message(mail, self.sender))


class OutboxMailer(_BackgroundMailer):
    """Writes each message as an .eml file: the default when no SMTP server is configured."""

    thread_name = "outbox-mailer"

    def __init__(self, folder: Path, sender: str) -> None:
        super().__init__()
        self.folder, self.sender = folder, sender

    def deliver(self, mail: Mail) -> None:
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%f")
        path = self.folder / f"{stamp}-{uuid.uuid4().hex[:8]}.eml"
        data = _message(mail, self.sender).as_bytes()
        # Written under another name and renamed: whoever reads the outbox never sees half a file.
        partial = path.with_suffix(".part")
        try:
            partial.write_bytes(data)
        except FileNotFoundError:  # first mail, or the folder was removed: make it, once
            self.folder.mkdir(parents=True, exist_ok=True)
            partial.write_bytes(data)
        partial.replace(path)


class NullMailer:
    def send(self, mail: Mail) -> None:
        return None


def mailer_for(smtp_host: str | None, smtp_port: int, sender: str, outbox: Path) -> Mailer:
    if smtp_host:
        return SmtpMailer(smtp_host, smtp_port, sender)
    return OutboxMailer(outbox, sender)


_PENDING_KEY = "venue_hire_pending_mail"


def send_after_commit(session: Any, mailer: Mailer, mail: Mail) -> None:
    """Queue `mail` to go once the session's transaction commits, and never if it rolls back.

    Sending after the commit keeps slow mail servers out of the write transaction (on SQLite
    the write lock is held until COMMIT) and no one is told about work that was undone.
    """
    _install_listeners()
    session.info.setdefault(_PENDING_KEY, []).append((mailer, mail))


_installed = False


def _install_listeners() -> None:
    global _installed
    if _installed:
        return
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    event.listen(Session, "after_commit", _send_pending)
    event.listen(Session, "after_soft_rollback", _drop_pending)
    _installed = True


def _send_pending(session: Any) -> None:
    pending = session.info.pop(_PENDING_KEY, [])
    for mailer, mail in pending:
        try:
            mailer.send(mail)
        except Exception as exc:  # the booking stands even when the mail server is down
            structlog.get_logger("venue_hire.mail").warning("mail.failed", error=type(exc).__name__)


def _drop_pending(session: Any, previous_transaction: Any) -> None:
    if previous_transaction.parent is None:  # only the outermost transaction decides
        session.info.pop(_PENDING_KEY, None)
