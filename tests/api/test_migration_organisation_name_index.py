"""Migration d22org0001 adds the indexes on organisation (provider_id, lower(name)), (provider_id,
charity_number) and (provider_id, company_number), by which a booking request finds its
organisation within its scope's councils in one index descent, and drops the indexes on
provider_id, charity_number and company_number alone; its downgrade puts them back. On both
engines the request's lookup by name reads its new index with both conditions (on SQLite, which
keeps no statistics, so do the lookups by number), on PostgreSQL even when the statistics were
taken before the council's organisations arrived (which made it read every organisation of the
council through the provider_id index: issue 22, 0.65 ms of PostgreSQL's time per booking
request at 1,200 organisations)."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import sqlalchemy as sa
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from api.db.engine import create_engine
from api.db.migrate import upgrade
from tests.api.test_migration_providers import _counts, blank_url  # noqa: F401  # blank_url: fixture
from tests.api.test_migration_weak_aliases import _downgrade
from tests.factories import application_payload, next_weekday
from tests.statements import sqlite_plan, statements_run

PREVIOUS = "d22queue0001"
REVISION = "d22org0001"
INDEX = "ix_organisation_provider_name_lower"
OLD_INDEX = "ix_organisation_provider_id"
# Each lookup of the booking request, by what its statement compares, and the index it should read.
LOOKUPS = {
    "organisation.charity_number =": "ix_organisation_provider_charity_number",
    "organisation.company_number =": "ix_organisation_provider_company_number",
    "lower(organisation.name) =": INDEX,
}
NEW_INDEXES = set(LOOKUPS.values())
OLD_INDEXES = {OLD_INDEX, "ix_organisation_charity_number", "ix_organisation_company_number"}
_COUNCIL = sa.text(
    "SELECT venue.provider_id FROM venue JOIN room ON room.venue_id = venue.id WHERE room.id = :room"
)


async def _index_names(url: str) -> set[str]:
    """Every index of the organisation table by name, expression indexes included (SQLAlchemy's
    reflection leaves those out on SQLite)."""
    engine = create_engine(url)
    query = (
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'organisation'"
        if url.startswith("sqlite")
        else "SELECT indexname FROM pg_indexes WHERE tablename = 'organisation'"
    )
    try:
        async with engine.connect() as conn:
            return {str(row[0]) for row in await conn.exec_driver_sql(query)}
    finally:
        await engine.dispose()


def test_the_indexes_replace_the_single_column_ones_and_go_back(blank_url: str) -> None:  # noqa: F811
    upgrade(blank_url, PREVIOUS)
    before = _counts(blank_url)
    names = asyncio.run(_index_names(blank_url))
    assert names >= OLD_INDEXES and not NEW_INDEXES & names
    upgrade(blank_url, REVISION)
    names = asyncio.run(_index_names(blank_url))
    assert names >= NEW_INDEXES and not OLD_INDEXES & names
    assert "ix_organisation_name_lower" in names  # subject access looks names up in every scope
    assert _counts(blank_url) == before
    _downgrade(blank_url, PREVIOUS)
    names = asyncio.run(_index_names(blank_url))
    assert names >= OLD_INDEXES and not NEW_INDEXES & names
    upgrade(blank_url, REVISION)
    assert asyncio.run(_index_names(blank_url)) >= NEW_INDEXES


async def _pg_plan(engine: AsyncEngine, statement: str, parameters: Any) -> str:
    async with engine.connect() as connection:
        rows = await connection.exec_driver_sql("EXPLAIN " + statement, parameters)
        return "\n".join(str(row[0]) for row in rows)


async def _invented_groups(connection: AsyncConnection, provider_id: uuid.UUID) -> None:
    await connection.execute(
        sa.text(
            "INSERT INTO organisation (id, provider_id, name, type, created_at, updated_at)"
            " VALUES (:id, :provider_id, :name, 'club', now(), now())"
        ),
        [
            {"id": uuid.uuid4(), "provider_id": provider_id, "name": f"Invented Group {n}"}
            for n in range(2_000)
        ],
    )


async def test_the_booking_requests_lookups_read_the_indexes(
    client: AsyncTestClient[Litestar], seeded: dict[str, Any], engine: AsyncEngine
) -> None:
    if engine.dialect.name == "postgresql":
        # Statistics taken while another council had every organisation, then this council's
        # arrive: what a growing table looks like between autovacuum's analyses. PostgreSQL then
        # took the council's few rows for granted and read them all through its provider_id index.
        async with engine.begin() as connection:
            provider_id = (await connection.execute(_COUNCIL, {"room": seeded["hall_a"].id})).scalar_one()
            await _invented_groups(connection, uuid.uuid4())
            await connection.exec_driver_sql("ANALYZE organisation")
            await _invented_groups(connection, provider_id)
    payload = application_payload(
        seeded["hall_a"].id, next_weekday(1, weeks_ahead=3), organisation="Index Choir"
    )
    # Numbers no organisation on file has, so the request looks up by each in turn.
    payload["organisation"].update(charity_number="1234567", company_number="01234567")
    with statements_run() as captured:
        created = await client.post("/api/v1/applications", json=payload)
    assert created.status_code == 201, created.text
    for compared, index in LOOKUPS.items():
        (sql, parameters) = next((s, p) for s, p in captured if compared in s and "FROM organisation" in s)
        if engine.dialect.name == "sqlite":
            plan = await sqlite_plan(engine, sql, parameters)
            assert f"USING INDEX {index} (provider_id=? AND " in plan, plan
            continue
        if index != INDEX:
            # With statistics that know no charity or company number, PostgreSQL may take any index
            # that leads with provider_id for these; the name is the lookup every request makes.
            continue
        plan = await _pg_plan(engine, sql, parameters)
        assert index in plan, plan
        assert "Filter" not in plan, plan  # both conditions are the index's, none read row by row
