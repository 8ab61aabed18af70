"""Migration d22feed0001 adds the index on occurrence (room_id, start_utc), by which a calendar feed
reads its own rooms' dates in its window; its downgrade drops it and a second upgrade makes it
again, on both engines. On SQLite the feed's statement reads the index (before it, the window's
dates of every room were read and each tested through its booking: issue 22, 103 ms of a 105 ms
feed render on PostgreSQL at ten years)."""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.api.migration_indexes import index_comes_and_goes
from tests.api.test_migration_providers import blank_url  # noqa: F401  # fixture
from tests.factories import application_payload, bearer, next_weekday
from tests.statements import sqlite_plan, statements_run

PREVIOUS = "d22event0001"
REVISION = "d22feed0001"
INDEX = "ix_occurrence_room_start"


def test_the_index_comes_and_goes_with_the_migration(blank_url: str) -> None:  # noqa: F811
    index_comes_and_goes(blank_url, PREVIOUS, REVISION, "occurrence", INDEX, ["room_id", "start_utc"])


async def test_a_feed_reads_its_rooms_dates_by_the_index(
    client: AsyncTestClient[Litestar], seeded: dict[str, Any], engine: AsyncEngine
) -> None:
    if engine.dialect.name != "sqlite":
        return  # the plan below is SQLite's
    created = await client.post(
        "/api/v1/applications",
        json=application_payload(
            seeded["hall_a"].id, next_weekday(1, weeks_ahead=4), organisation="Indexed Choir"
        ),
    )
    assert created.status_code == 201, created.text
    decided = await client.post(
        f"/api/v1/applications/{created.json()['id']}/decision",
        json={"outcome": "approve", "reason": "ok", "conditions": []},
        headers=bearer(seeded["officer_token"]),
    )
    assert decided.status_code == 200, decided.text
    made = await client.post(
        "/api/v1/feeds",
        json={"venue_id": str(seeded["venue"].id), "detail": "full"},
        headers=bearer(seeded["admin_token"]),
    )
    assert made.status_code == 201, made.text
    with statements_run() as captured:
        served = await client.get("/" + made.json()["url"].split("/", 3)[3])
    assert served.status_code == 200, served.text
    assert "Indexed Choir" in served.text
    (sql, parameters) = next((s, p) for s, p in captured if "FROM booking" in s and "FROM occurrence" in s)
    plan = await sqlite_plan(engine, sql, parameters)
    assert f"occurrence USING INDEX {INDEX}" in plan or f"COVERING INDEX {INDEX}" in plan, plan
