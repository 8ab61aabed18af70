"""PostgreSQL plans every statement with its values (api/db/engine.py): asyncpg prepares each
statement, and from a statement's sixth run PostgreSQL may keep a generic plan made without them,
which for the feed's bookings took 240-420 ms where a plan with the values took 40-60 ms
(bench/scale.py at a year of data)."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine


async def test_statements_are_planned_with_their_values(engine: AsyncEngine) -> None:
    if engine.dialect.name != "postgresql":
        return  # SQLite plans each statement as it is prepared
    async with engine.connect() as conn:
        for _ in range(2):  # a pooled connection keeps the setting too
            assert (await conn.execute(text("SHOW plan_cache_mode"))).scalar_one() == "force_custom_plan"
