"""PostgreSQL plans every statement with its values (api/db/engine.py): asyncpg prepares each
statement, and from a statement's sixth run PostgreSQL may keep a generic plan made without them,
which for the feed's bookings took 240-420 ms where a plan with the values took 40-60 ms
(bench/scale.py at a year of data)."""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.factories import application_payload, next_weekday
from tests.statements import statements_run


async def test_statements_are_planned_with_their_values(engine: AsyncEngine) -> None:
    if engine.dialect.name != "postgresql":
        return  # SQLite plans each statement as it is prepared
    async with engine.connect() as conn:
        for _ in range(2):  # a pooled connection keeps the setting too
            assert (await conn.execute(text("SHOW plan_cache_mode"))).scalar_one() == "force_custom_plan"


async def test_a_booking_request_runs_on_generic_plans_and_only_it(
    client: AsyncTestClient[Litestar], seeded: dict[str, Any], engine: AsyncEngine
) -> None:
    """The booking request's own transaction lets PostgreSQL keep generic plans (its statements
    plan alike whatever the values; planning each run was 40% of PostgreSQL's CPU for it,
    bench/submit_cpu.py), before its first statement, and the setting ends with it."""
    with statements_run() as captured:
        created = await client.post(
            "/api/v1/applications",
            json=application_payload(seeded["hall_a"].id, next_weekday(1, weeks_ahead=3)),
            headers={"Idempotency-Key": "generic-plans-1"},
        )
    assert created.status_code == 201, created.text
    statements = [s for s, _ in captured if not s.startswith(("BEGIN", "SAVEPOINT", "select pg_", ";"))]
    if engine.dialect.name != "postgresql":
        assert not any("plan_cache_mode" in s for s in statements)
        return
    assert statements[0] == "SET LOCAL plan_cache_mode = auto", statements[:3]
    assert sum("plan_cache_mode" in s for s in statements) == 1
    async with engine.connect() as conn:
        assert (await conn.execute(text("SHOW plan_cache_mode"))).scalar_one() == "force_custom_plan"
