"""A real SMTP server (aiosmtpd) for the message tests, and a mailer that keeps each `Mail` it
hands on: SMTP carries the plain text, the kept `Mail` shows the HTML part beside it."""

from __future__ import annotations

import asyncio
import re
import socket
import time
from collections.abc import Iterator
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from litestar import Litestar
from litestar.testing import AsyncTestClient

from api.app import create_app
from api.settings import Settings
from tests.mail_parsing import parse
from vetting.channels import Channel
from vetting.notify import Mail

LINK = re.compile(r"/status/([A-Za-z0-9_-]{20,})")


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(parse(envelope.content))
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
    """Keeps every mail the service's deliverer hands to its channels, then lets it go on
    (SMTP carries the text and HTML; the kept `Mail` shows what the message was)."""

    def __init__(self) -> None:
        self.sent: list[Mail] = []

    def around(self, channel: Channel) -> Channel:
        keeping = self

        class _Kept:
            def deliver(self, mail: Mail) -> str | None:
                keeping.sent.append(mail)
                return channel.deliver(mail)

        return _Kept()

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
    app = create_app(
        settings.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": port, "delivery": "embedded"})
    )
    keeping = Keeping()

    async def keep(app: Litestar) -> None:  # after the outbox's deliverer has started
        deliverer = app.state.outbox_runner.deliverer
        deliverer.channels = {kind: keeping.around(c) for kind, c in deliverer.channels.items()}

    app.on_startup.append(keep)
    return app, keeping


def client_of(app: Litestar, base_url: str = "http://testserver.local") -> AsyncTestClient[Litestar]:
    return AsyncTestClient(app=app, base_url=base_url)


def token_in(text: str) -> str:
    found = LINK.search(text)
    assert found, f"no status link in {text!r}"
    return found.group(1)
