"""Bookings at the test venue for the manager's grid tests: one of each state, a linked hall, and
a booking at a venue the manager does not look after (invented names only)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from tests import factories as f
from tests.factories import application_payload, bearer, next_weekday

Client = AsyncTestClient[Litestar]
CONDITION = "responsible_person"


async def _submit(client: Client, room_id: Any, start: dt.datetime, **kw: Any) -> dict[str, Any]:
    answer = await client.post("/api/v1/applications", json=application_payload(room_id, start, **kw))
    assert answer.status_code == 201, answer.text
    created: dict[str, Any] = answer.json()
    return created


async def _approve(client: Client, token: str, case_id: str, conditions: list[dict[str, Any]]) -> None:
    answer = await client.post(
        f"/api/v1/applications/{case_id}/decision",
        json={"outcome": "approve", "reason": "Approved", "conditions": conditions},
        headers=bearer(token),
    )
    assert answer.status_code == 200, answer.text


async def build_schedule(client: Client, engine: AsyncEngine, seeded: dict[str, Any]) -> dict[str, Any]:
    """On one Wednesday: a confirmed weekly series in Hall A at 7pm (with a condition, accepted),
    an approved booking waiting for acceptance in the Main Hall (Hall A and B together) at 10am,
    an undecided request in Hall B at 2:30pm, and a confirmed booking at another venue at 7pm."""
    start = next_weekday(2, weeks_ahead=6)
    officer = seeded["officer_token"]
    confirmed = await _submit(
        client,
        seeded["hall_a"].id,
        start,
        organisation="Quillmere Chess Club",
        rrule="FREQ=WEEKLY;COUNT=3",
        answers={"alcohol": False},
    )
    await _approve(client, officer, confirmed["id"], [{"code": CONDITION, "text": None, "rationale": None}])
    accepted = await client.post(f"/api/v1/applicant/{confirmed['applicant_token']}/accept-conditions")
    assert accepted.status_code == 200, accepted.text
    awaiting = await _submit(
        client,
        seeded["main"].id,
        start.replace(hour=10),
        organisation="Larkbeck Knitting Circle",
        attendance=8,
    )
    await _approve(client, officer, awaiting["id"], [{"code": CONDITION, "text": None, "rationale": None}])
    pending = await _submit(
        client, seeded["hall_b"].id, start.replace(hour=14, minute=30), organisation="Fenwold Choir"
    )
    async with async_sessionmaker(engine, expire_on_commit=False)() as s:
        other = await f.make_venue(s, "Othertown Library")
        reading = await f.make_room(s, other, "Reading Room", capacity=30)
        await s.commit()
    elsewhere = await _submit(client, reading.id, start, organisation="Zarrowby Poetry Society")
    await _approve(client, officer, elsewhere["id"], [])
    return {
        "day": start.date(),
        "start": start,
        "confirmed": confirmed,
        "awaiting": awaiting,
        "pending": pending,
        "elsewhere": elsewhere,
        "other_venue": other,
        "reading_room": reading,
    }
