"""Migration d20d00000001 replaces the holds index on (unit_id, held_from) by one on (unit_id,
held_from, held_to), losing no hold, and its downgrade puts the old one back, on both engines."""

from __future__ import annotations

import asyncio
import uuid

import sqlalchemy as sa
from advanced_alchemy.types import GUID, DateTimeUTC

from api.db.engine import create_engine
from api.db.migrate import upgrade
from tests.api.pre_provider_data import BEFORE, seed_old_data
from tests.api.test_migration_providers import _counts, blank_url, table_indexes  # noqa: F401  # fixture
from tests.api.test_migration_weak_aliases import _downgrade

PREVIOUS = "d20r00000001"
REVISION = "d20d00000001"


async def _hold_indexes(url: str) -> dict[str, list[str]]:
    found = await table_indexes(url, "occurrence_hold")
    return {name: columns for name, columns in found.items() if name.startswith("ix_occurrence_hold_unit")}


async def _hold_every_occurrence(url: str) -> int:
    """A hold for each occurrence of the old data (which has none), as plain inserts."""
    engine = create_engine(url)
    occurrence = sa.table(
        "occurrence",
        sa.column("id", GUID(length=16)),
        sa.column("start_utc", DateTimeUTC(timezone=True)),
        sa.column("end_utc", DateTimeUTC(timezone=True)),
    )
    hold = sa.table(
        "occurrence_hold",
        sa.column("id", GUID(length=16)),
        sa.column("occurrence_id", GUID(length=16)),
        sa.column("unit_id", GUID(length=16)),
        sa.column("held_from", DateTimeUTC(timezone=True)),
        sa.column("held_to", DateTimeUTC(timezone=True)),
    )
    try:
        async with engine.begin() as conn:
            rows = (
                await conn.execute(sa.select(occurrence.c.id, occurrence.c.start_utc, occurrence.c.end_utc))
            ).all()
            for occurrence_id, start, end in rows:
                await conn.execute(
                    sa.insert(hold).values(
                        id=uuid.uuid4(),
                        occurrence_id=occurrence_id,
                        unit_id=uuid.uuid4(),
                        held_from=start,
                        held_to=end,
                    )
                )
    finally:
        await engine.dispose()
    return len(rows)


async def _hold_count(url: str) -> int:
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            return int((await conn.execute(sa.text("SELECT count(*) FROM occurrence_hold"))).scalar_one())
    finally:
        await engine.dispose()


def test_holds_survive_and_the_index_covers_held_to_both_ways(blank_url: str) -> None:  # noqa: F811
    upgrade(blank_url, BEFORE)
    asyncio.run(seed_old_data(blank_url))
    upgrade(blank_url, PREVIOUS)
    held = asyncio.run(_hold_every_occurrence(blank_url))
    assert held >= 1
    before = _counts(blank_url)
    assert asyncio.run(_hold_indexes(blank_url)) == {"ix_occurrence_hold_unit_from": ["unit_id", "held_from"]}

    upgrade(blank_url, REVISION)
    assert _counts(blank_url) == before and asyncio.run(_hold_count(blank_url)) == held
    covering = {"ix_occurrence_hold_unit_from_to": ["unit_id", "held_from", "held_to"]}
    assert asyncio.run(_hold_indexes(blank_url)) == covering

    _downgrade(blank_url, PREVIOUS)
    assert _counts(blank_url) == before and asyncio.run(_hold_count(blank_url)) == held
    assert asyncio.run(_hold_indexes(blank_url)) == {"ix_occurrence_hold_unit_from": ["unit_id", "held_from"]}

    upgrade(blank_url, REVISION)
    assert asyncio.run(_hold_indexes(blank_url)) == covering
