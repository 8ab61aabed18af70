"""Two `venue-hire worker` processes (SAQ on Redis) deliver a shared outbox: every message
exactly once, counted at the SMTP server; a service in worker mode wakes them after its commits."""

from __future__ import annotations

import asyncio
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from api.app import create_app
from api.settings import Settings
from tests.factories import application_payload, next_weekday
from tests.outbox.processes import service_env, start_worker, stop
from tests.outbox.smtp_server import smtp_server
from vetting.notify import Mail, send_after_commit
from vetting.outbox_models import SENT, OutboxMessage

REDIS_URL = "redis://127.0.0.1:6379/0"
WRITTEN = 60
# A booking request writes the hirer's receipt and the new-request alert to each of the two
# seeded officers.
PER_BOOKING = 3


def _redis_up() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


async def _rows(engine: AsyncEngine) -> list[OutboxMessage]:
    async with async_sessionmaker(engine, expire_on_commit=False)() as s:
        return list((await s.execute(select(OutboxMessage))).scalars())


@pytest.mark.slow
async def test_two_workers_deliver_every_message_exactly_once(
    db_url: str,
    engine: AsyncEngine,
    session: AsyncSession,
    seeded: dict[str, Any],
    settings: Settings,
    tmp_path: Path,
) -> None:
    if not _redis_up():
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    for n in range(WRITTEN):  # written while no worker ran
        send_after_commit(
            session, None, Mail(to=f"hirer{n}@testtown.example", subject=f"Message {n}", body="x")
        )
    await session.commit()
    queue = f"venue-hire-test-{uuid.uuid4().hex[:8]}"
    with smtp_server() as (inbox, port):
        extra = {
            "VENUE_HIRE_DELIVERY": "worker",
            "VENUE_HIRE_REDIS_URL": REDIS_URL,
            "VENUE_HIRE_WORKER_QUEUE": queue,
        }
        env = service_env(db_url, port, tmp_path, **extra)
        workers = [start_worker(env, tmp_path / f"worker{i}.log") for i in range(2)]
        try:
            # A service in worker mode: its commits put a wake-up on the queue.
            service = settings.model_copy(
                update={
                    "delivery": "worker",
                    "redis_url": REDIS_URL,
                    "worker_queue": queue,
                    "smtp_host": None,
                }
            )
            async with AsyncTestClient(app=create_app(service), base_url="http://testserver.local") as client:
                for n in range(5):
                    body = application_payload(seeded["hall_b"].id, next_weekday(2, weeks_ahead=3 + n))
                    assert (await client.post("/api/v1/applications", json=body)).status_code == 201
            deadline = time.monotonic() + 45
            while time.monotonic() < deadline:
                rows = await _rows(engine)
                if len(rows) == WRITTEN + 5 * PER_BOOKING and all(r.status == SENT for r in rows):
                    break
                await asyncio.sleep(0.2)
        finally:
            for worker in workers:
                stop(worker)
    rows = await _rows(engine)
    assert [r.status for r in rows] == [SENT] * (WRITTEN + 5 * PER_BOOKING), [
        (tmp_path / f"worker{i}.log").read_text()[-1500:] for i in range(2)
    ]
    assert len(inbox.messages) == WRITTEN + 5 * PER_BOOKING
    assert set(inbox.message_ids().values()) == {1}
    assert set(inbox.message_ids()) == {f"<outbox-{r.id.hex}@example.invalid>" for r in rows}
    assert all(w.returncode is not None for w in workers)
