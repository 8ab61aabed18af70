"""Mail goes through a real SMTP server started by the test (and to the outbox otherwise)."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from litestar.testing import AsyncTestClient

from api.app import create_app
from api.settings import Settings
from tests.factories import application_payload, bearer, next_weekday
from tests.mail_parsing import parse


class _Inbox:
    def __init__(self, delay: float = 0.0) -> None:
        self.messages: list[Any] = []
        self.delay = delay

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        await asyncio.sleep(self.delay)  # a slow mail server
        self.messages.append(parse(envelope.content))
        return "250 OK"

    async def wait_for(self, subject: str, count: int = 1, within_s: float = 10.0) -> list[Any]:
        """Mail is delivered in the background: wait for it (and fail if it never comes)."""
        deadline = time.monotonic() + within_s
        while True:
            found = [m for m in self.messages if subject in m["Subject"]]
            if len(found) >= count or time.monotonic() > deadline:
                assert len(found) >= count, f"no mail {subject!r} within {within_s} s: {self.messages}"
                return found
            await asyncio.sleep(0.02)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp(request: pytest.FixtureRequest) -> Iterator[tuple[_Inbox, int]]:
    inbox = _Inbox(getattr(request, "param", 0.0))
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


def _client_mailing_through(settings: Settings, port: int) -> AsyncTestClient[Any]:
    app = create_app(settings.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": port}))
    return AsyncTestClient(app=app, base_url="http://testserver.local")


async def test_hirer_and_officers_are_mailed(
    smtp: tuple[_Inbox, int], settings: Settings, seeded: dict[str, Any]
) -> None:
    inbox, port = smtp
    async with _client_mailing_through(settings, port) as client:
        officer = bearer(seeded["officer_token"])
        await client.post(
            "/api/v1/flagged-entries",
            json={
                "kind": "person",
                "name": "Radomir Kestrel",
                "aliases": [],
                "source": "local",
                "reason": "x",
            },
            headers=officer,
        )
        created = await client.post(
            "/api/v1/applications",
            json=application_payload(
                seeded["hall_b"].id, next_weekday(2), people=[{"name": "Radomir Kestrel", "role": "speaker"}]
            ),
        )
        assert created.status_code == 201
        await inbox.wait_for("We have your booking request")
        referral = await inbox.wait_for("Screening referral")
        subjects = {m["To"]: m["Subject"] for m in inbox.messages}
        assert "We have your booking request" in subjects["morgan@testtown.example"]
        assert all(m["To"].endswith("@testshire.example") for m in referral)
        # The hirer's mail never mentions screening.
        hirer_mail = next(m for m in inbox.messages if m["To"] == "morgan@testtown.example")
        assert "screen" not in hirer_mail.get_content().lower()

        case = (await client.get(f"/api/v1/applications/{created.json()['id']}", headers=officer)).json()
        await client.post(
            f"/api/v1/screening-matches/{case['screening'][0]['id']}/disposition",
            json={"disposition": "cleared", "note": "Different person"},
            headers=officer,
        )
        await client.post(
            f"/api/v1/applications/{case['id']}/decision",
            json={"outcome": "request_information", "reason": "Please send your safeguarding policy"},
            headers=officer,
        )
        await inbox.wait_for("More information needed")


@pytest.mark.parametrize("smtp", [1.5], indirect=True)
async def test_a_slow_mail_server_does_not_hold_up_requests(
    smtp: tuple[_Inbox, int], settings: Settings, seeded: dict[str, Any]
) -> None:
    inbox, port = smtp
    async with _client_mailing_through(settings, port) as client:
        created = await client.post(
            "/api/v1/applications", json=application_payload(seeded["hall_b"].id, next_weekday(2))
        )
        assert created.status_code == 201
        # The server takes 1.5 s to accept a message: delivered before the answer, it would be here.
        assert not inbox.messages
    # Shutting down waits for what was queued: the hirer's mail and the officers' alerts.
    assert [m["To"] for m in inbox.messages if "New booking request" not in m["Subject"]] == [
        "morgan@testtown.example"
    ]


async def test_without_smtp_mail_goes_to_the_outbox(
    client: AsyncTestClient[Any], settings: Settings, seeded: dict[str, Any]
) -> None:
    created = await client.post(
        "/api/v1/applications", json=application_payload(seeded["hall_b"].id, next_weekday(3))
    )
    assert created.status_code == 201
    files: list[Path] = []
    deadline = time.monotonic() + 10  # written by the mailer's thread
    while time.monotonic() < deadline:
        # The officers' new-request alerts go to the outbox too; the hirer's is the one here.
        files = [
            p for p in Path(settings.outbox_dir).glob("*.eml") if b"morgan@testtown.example" in p.read_bytes()
        ]
        if files:
            break
        await asyncio.sleep(0.02)
    assert len(files) == 1
