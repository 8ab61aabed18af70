"""The service killed (SIGKILL) between the commit of a booking request and the delivery of its
mail, 20 times; afterwards every message is delivered exactly once, counted at the SMTP server.

To kill *between* commit and delivery every time, the SMTP server (aiosmtpd) takes 5 s to accept
a message during the kill loop: the service commits, answers 201, starts delivering, and dies
while the server is still holding the message; a client that goes away cancels that delivery at
the server, so nothing is counted. Then the server is made prompt and the service started once
more: it takes over the claims of the killed processes (their leases lapse) and delivers.
"""

from __future__ import annotations

import asyncio
import json
import signal
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from tests.factories import application_payload, next_weekday
from tests.outbox.processes import service_env, start_service, stop
from tests.outbox.smtp_server import smtp_server
from vetting.outbox_models import SENT, OutboxMessage

ROUNDS = 20
# A booking request writes the hirer's receipt and the new-request alert to each of the two
# seeded officers.
PER_BOOKING = 3


def _post_booking(base: str, body: dict[str, Any]) -> int:
    request = urllib.request.Request(  # noqa: S310  # loopback
        f"{base}/api/v1/applications",
        data=json.dumps(body, default=str).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310
        return int(answer.status)


async def _rows(engine: AsyncEngine) -> list[OutboxMessage]:
    async with async_sessionmaker(engine, expire_on_commit=False)() as s:
        return list((await s.execute(select(OutboxMessage))).scalars())


@pytest.mark.slow
async def test_killed_between_commit_and_delivery_every_message_is_delivered_exactly_once(
    db_url: str, engine: AsyncEngine, seeded: dict[str, Any], tmp_path: Path
) -> None:
    log = tmp_path / "service.log"
    with smtp_server() as (inbox, port):
        env = service_env(db_url, port, tmp_path, VENUE_HIRE_OUTBOX_LEASE_SECONDS="2",
                          VENUE_HIRE_OUTBOX_MAX_ATTEMPTS="100")  # fmt: skip
        inbox.delay = 5.0
        for n in range(ROUNDS):
            proc, base = await asyncio.to_thread(start_service, env, log)
            try:
                body = application_payload(seeded["hall_b"].id, next_weekday(2, weeks_ahead=3 + n))
                assert await asyncio.to_thread(_post_booking, base, body) == 201
            finally:
                stop(proc, signal.SIGKILL)  # right after the commit, mid-delivery
        rows = await _rows(engine)
        assert len(rows) == ROUNDS * PER_BOOKING
        assert not any(r.status == SENT for r in rows)  # every delivery was cut off
        assert inbox.messages == []

        inbox.delay = 0.0
        proc, _ = await asyncio.to_thread(start_service, env, log)
        try:
            deadline = time.monotonic() + 60  # leases of 2 s lapse, then one pass delivers all
            while time.monotonic() < deadline:
                if all(r.status == SENT for r in await _rows(engine)):
                    break
                await asyncio.sleep(0.2)
        finally:
            stop(proc)
    rows = await _rows(engine)
    assert [r.status for r in rows] == [SENT] * (ROUNDS * PER_BOOKING)
    counted = inbox.message_ids()
    assert len(inbox.messages) == ROUNDS * PER_BOOKING
    assert counted == {f"<outbox-{r.id.hex}@example.invalid>": 1 for r in rows}
