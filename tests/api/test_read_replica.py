"""With a standby configured (`read_replica_url`), calendar feeds and reports read it: they show
what it has replayed, and their writes (a feed's new validator, a report's audit record) still
reach the primary. A real primary and
streaming standby on loopback (tools/pg_pair.py), so replication lag is real, and pausing the
standby's replay shows which server a poll read."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine

from api.db.engine import create_engine
from api.db.migrate import upgrade
from api.settings import Settings
from tests.factories import application_payload, bearer, next_weekday
from tools.pg_pair import PgPair, server_bin, wait_for_replay
from venues.models import Feed

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(server_bin() is None, reason="needs PostgreSQL's server binaries (initdb)"),
]
Client = AsyncTestClient[Litestar]


async def _sql(url: str, statement: str) -> None:
    engine = create_async_engine(url, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as conn:
            await conn.execute(text(statement))
    finally:
        await engine.dispose()


@pytest.fixture(scope="module")
def pair() -> Iterator[PgPair]:
    with PgPair() as made:
        asyncio.run(_sql(made.url("postgres"), "CREATE DATABASE vh"))
        upgrade(made.url("vh"))
        wait_for_replay(made)
        yield made


@pytest.fixture
def engine_kind() -> str:
    return "postgres"


@pytest.fixture
def db_url(pair: PgPair) -> str:
    return pair.url("vh")


@pytest.fixture
async def engine(db_url: str) -> AsyncIterator[AsyncEngine]:
    made = create_engine(db_url)
    yield made
    await made.dispose()


@pytest.fixture
def settings(db_url: str, pair: PgPair, tmp_path: Path) -> Settings:
    return Settings(
        database_url=db_url,
        read_replica_url=pair.url("vh", standby=True),
        secret_key="test-secret-key-" + "x" * 32,
        environment="test",
        base_url="http://testserver.local",
        outbox_dir=tmp_path / "outbox",
        scheduler_enabled=False,
    )


async def _book(client: Client, seeded: dict[str, Any], org: str, weeks_ahead: int) -> None:
    start = next_weekday(2, weeks_ahead=weeks_ahead)
    made = await client.post(
        "/api/v1/applications", json=application_payload(seeded["hall_a"].id, start, organisation=org)
    )
    assert made.status_code == 201, made.text
    decided = await client.post(
        f"/api/v1/applications/{made.json()['id']}/decision",
        json={"outcome": "approve", "reason": "ok"},
        headers=bearer(seeded["officer_token"]),
    )
    assert decided.status_code == 200, decided.text


async def test_feeds_read_the_standby_and_write_the_primary(
    client: Client, seeded: dict[str, Any], pair: PgPair, engine: AsyncEngine
) -> None:
    await _book(client, seeded, "Replica Reading Circle", 3)
    made = await client.post(
        "/api/v1/feeds",
        json={"venue_id": str(seeded["venue"].id), "detail": "full"},
        headers=bearer(seeded["admin_token"]),
    )
    assert made.status_code == 201, made.text
    path = "/" + str(made.json()["url"]).split("/", 3)[3]
    await asyncio.to_thread(wait_for_replay, pair)
    first = await client.get(path)
    assert first.status_code == 200
    assert "Replica Reading Circle" in first.text

    standby = pair.url("vh", standby=True)
    await _sql(standby, "SELECT pg_wal_replay_pause()")
    try:
        await _book(client, seeded, "Lagging Lantern Society", 4)
        # The primary has it; the standby, paused, has not: the feed shows the standby's view.
        paused = await client.get(path)
        assert paused.status_code == 200
        assert "Lagging Lantern Society" not in paused.text
        assert "Replica Reading Circle" in paused.text
    finally:
        await _sql(standby, "SELECT pg_wal_replay_resume()")
    await asyncio.to_thread(wait_for_replay, pair)
    caught_up = await client.get(path)
    assert caught_up.status_code == 200
    assert "Lagging Lantern Society" in caught_up.text
    # The new validator was recorded on the primary (a standby refuses writes).
    async with async_sessionmaker(engine)() as session:
        recorded = (await session.execute(select(Feed.etag))).scalar_one()
    assert f'"{recorded}"' == caught_up.headers["etag"]
    # And the feed answers 304 for it, from the standby.
    again = await client.get(path, headers={"If-None-Match": caught_up.headers["etag"]})
    assert again.status_code == 304


async def test_reports_read_the_standby(client: Client, seeded: dict[str, Any], pair: PgPair) -> None:
    officer = bearer(seeded["officer_token"])
    await _book(client, seeded, "Replica Reading Circle", 3)
    await asyncio.to_thread(wait_for_replay, pair)
    before = await client.get("/api/v1/reports", headers=officer)
    assert before.status_code == 200, before.text
    standby = pair.url("vh", standby=True)
    await _sql(standby, "SELECT pg_wal_replay_pause()")
    try:
        for week in range(5, 11):
            await _book(client, seeded, f"Lagging Lantern Society {week}", week)
        paused = await client.get("/api/v1/reports", headers=officer)
        assert paused.status_code == 200
        assert paused.json() == before.json()
    finally:
        await _sql(standby, "SELECT pg_wal_replay_resume()")
    await asyncio.to_thread(wait_for_replay, pair)
    after = await client.get("/api/v1/reports", headers=officer)
    assert after.json() != before.json()
