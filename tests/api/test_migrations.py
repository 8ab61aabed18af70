"""The models and the migrations agree, on every engine the suite runs on."""

from __future__ import annotations

from typing import Any

import pytest
from advanced_alchemy.base import metadata_registry
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import AsyncEngine

# api.db.config imports every model module: the metadata below is complete.
from api.db.config import compare_type


def _diff(connection: Any) -> list[Any]:
    context = MigrationContext.configure(connection, opts={"compare_type": compare_type})
    return list(compare_metadata(context, metadata_registry.get(None)))


async def test_autogenerate_finds_no_difference(engine: AsyncEngine) -> None:
    async with engine.connect() as conn:
        diff = await conn.run_sync(_diff)
    assert diff == []


async def test_migrated_database_has_every_table(engine: AsyncEngine) -> None:
    async with engine.connect() as conn:
        tables = set(await conn.run_sync(lambda c: inspect(c).get_table_names()))
    expected = set(metadata_registry.get(None).tables)
    assert expected <= tables


async def test_postgres_refuses_overlapping_holds(engine: AsyncEngine, engine_kind: str) -> None:
    if engine_kind != "postgres":
        pytest.skip("the exclusion constraint is PostgreSQL's; SQLite serialises writers instead")
    async with engine.connect() as conn:
        rows = await conn.exec_driver_sql(
            "SELECT conname FROM pg_constraint WHERE conname = 'ex_occurrence_hold_no_overlap'"
        )
        assert rows.scalar() == "ex_occurrence_hold_no_overlap"
