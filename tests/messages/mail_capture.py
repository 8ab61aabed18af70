"""A real SMTP server (aiosmtpd) for the message tests, and a mailer that keeps each `Mail` it
hands on: SMTP carries the plain text, the kept `Mail` shows the HTML part beside it."""

from __future__ import annotations

import asyncio
import re
import socket
import time
from collections.abc import Iterator
from email import message_from_bytes, policy
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from litestar import Litestar
from litestar.testing import AsyncTestClient

from api.app import create_app
from api.settings import Settings
from vetting.notify import Mail, Mailer

LINK = re.compile(r"/status/([A-Za-z0-9_-]{20,})")


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"

    async def wait_for(self, subject: str, count: int = 1, within_s: float = 10.0) -> list[Any]:
        """Mail is delivered in the background: wait for it (and fail if it never comes)."""
        deadline = time.monotonic() + within_s
        while True:
            found = [m for m in self.messages if subject in str(m["Subject"])]
            if len(found) >= count or time.monotonic() > deadline:
                assert len(found) >= count, f"no mail {subject!r} within {within_s} s: {self.subjects()}"
                return found
            await asyncio.sleep(0.02)

    def subjects(self) -> list[str]:
        return [str(m["Subject"]) for m in self.messages]


class Keeping:
    """Keeps every mail, then hands it to the real mailer."""

    def __init__(self, inner: Mailer) -> None:
        self.inner = inner
        self.sent: list[Mail] = []

    def send(self, mail: Mail) -> None:
        self.sent.append(mail)
        self.inner.send(mail)

    def close(self, timeout: float = 15.0) -> None:
        close = getattr(self.inner, "close", None)
        if close is not None:
            close(timeout)

    def named(self, template: str) -> list[Mail]:
        return [m for m in self.sent if m.template == template]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


def mailing_app(settings: Settings, port: int) -> tuple[Litestar, Keeping]:
    app = create_app(settings.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": port}))
    keeping = Keeping(app.state.mailer)
    app.state.mailer = keeping
    return app, keeping


def client_of(app: Litestar, base_url: str = "http://testserver.local") -> AsyncTestClient[Litestar]:
    return AsyncTestClient(app=app, base_url=base_url)


def token_in(text: str) -> str:
    found = LINK.search(text)
    assert found, f"no status link in {text!r}"
    return found.group(1)
