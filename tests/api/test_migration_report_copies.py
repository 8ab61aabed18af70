"""Migration d20r00000001 gives every date its booking's room (occurrence.room_id) and every
decision its case's organisation (decision.provider_id), for the reports. The bench's data set
(two councils) is written without the columns, migrated up, down and up again: each row gets its
own booking's room and its own case's organisation, and the downgrade loses no row."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
import sqlalchemy as sa

from api.db.engine import create_engine
from api.db.migrate import upgrade
from bench import reports_data
from tests.api.test_migration_decision_effect import _count, _write
from tests.api.test_migration_providers import blank_url  # noqa: F401  # fixture
from tests.api.test_migration_weak_aliases import _downgrade
from venues.models import Booking, Occurrence
from vetting.models import Decision, VettingCase

PREVIOUS = "d19c00000001"
REVISION = "d20r00000001"


async def _copies(url: str) -> dict[str, dict[Any, Any]]:
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            rooms = await conn.execute(sa.select(Occurrence.id, Occurrence.room_id))
            providers = await conn.execute(sa.select(Decision.id, Decision.provider_id))
            return {"room": dict(rooms.tuples().all()), "provider": dict(providers.tuples().all())}
    finally:
        await engine.dispose()


@pytest.mark.slow
def test_every_date_gets_its_room_and_every_decision_its_organisation(blank_url: str) -> None:  # noqa: F811
    rows, _ = reports_data.build(120, 60, seed=7)
    room_of_booking = {b["id"]: b["room_id"] for b in rows.rows[Booking]}
    provider_of_case = {c["id"]: c["provider_id"] for c in rows.rows[VettingCase]}
    expected: dict[str, dict[Any, Any]] = {"room": {}, "provider": {}}
    for occurrence in rows.rows[Occurrence]:
        del occurrence["room_id"]  # the old schema has no such column
        expected["room"][occurrence["id"]] = room_of_booking[occurrence["booking_id"]]
    for decision in rows.rows[Decision]:
        del decision["provider_id"]
        expected["provider"][decision["id"]] = provider_of_case[decision["case_id"]]
    # several rooms and both councils: a wrong join would show
    assert len(set(expected["room"].values())) > 1 and len(set(expected["provider"].values())) == 2
    upgrade(blank_url, PREVIOUS)
    asyncio.run(_write(blank_url, rows))
    before = {t: asyncio.run(_count(blank_url, t)) for t in ("occurrence", "booking", "decision")}

    upgrade(blank_url, REVISION)
    assert asyncio.run(_copies(blank_url)) == expected

    _downgrade(blank_url, PREVIOUS)
    assert {t: asyncio.run(_count(blank_url, t)) for t in before} == before

    upgrade(blank_url, REVISION)
    assert asyncio.run(_copies(blank_url)) == expected
