"""Migration d22queue0001 adds the index on vetting_case (provider_id, status, first_start), by which
the API's queue of one status, sorted by first date, reads its cases in order instead of sorting
every case of the organisation in that status (issue 22: 15.6 ms of a 19 ms page at ten years on
SQLite); its downgrade drops it and a second upgrade makes it again, on both engines. On SQLite the
queue's plan reads the index."""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.api.migration_indexes import index_comes_and_goes
from tests.api.test_migration_providers import blank_url  # noqa: F401  # fixture
from tests.factories import application_payload, bearer, next_weekday
from tests.statements import sqlite_plan, statements_run

PREVIOUS = "d22feed0001"
REVISION = "d22queue0001"
INDEX = "ix_vetting_case_status_start"


def test_the_index_comes_and_goes_with_the_migration(blank_url: str) -> None:  # noqa: F811
    index_comes_and_goes(
        blank_url, PREVIOUS, REVISION, "vetting_case", INDEX, ["provider_id", "status", "first_start"]
    )


async def test_the_queue_of_one_status_reads_the_index(
    client: AsyncTestClient[Litestar], seeded: dict[str, Any], engine: AsyncEngine
) -> None:
    if engine.dialect.name != "sqlite":
        return  # the plan below is SQLite's
    for weeks in (3, 5):
        created = await client.post(
            "/api/v1/applications",
            json=application_payload(
                seeded["hall_a"].id, next_weekday(1, weeks_ahead=weeks), organisation="Queue Choir"
            ),
        )
        assert created.status_code == 201, created.text
    with statements_run() as captured:
        queue = await client.get(
            "/api/v1/applications", params={"status": "under_review"}, headers=bearer(seeded["officer_token"])
        )
    assert queue.status_code == 200, queue.text
    assert [case["organisation"] for case in queue.json()] == ["Queue Choir", "Queue Choir"]
    (sql, parameters) = next((s, p) for s, p in captured if "AS chosen" in s)
    plan = await sqlite_plan(engine, sql, parameters)
    assert f"USING INDEX {INDEX}" in plan or f"COVERING INDEX {INDEX}" in plan, plan
