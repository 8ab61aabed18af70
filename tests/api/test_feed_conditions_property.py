"""Each feed event carries its own booking's conditions of hire and decision, and nobody else's.

A property test over the real app and database: N bookings, each approved with its own set of
conditions (some with none, every reason distinct) by one of two officers, then the room, venue
and owner feeds at every detail level, parsed with the `icalendar` package (not string search).
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from typing import Any
from uuid import UUID

import icalendar
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from tests.factories import (
    LONDON,
    application_payload,
    bearer,
    make_provider,
    make_room,
    make_staff,
    make_venue,
)
from venues.models import Booking

Client = AsyncTestClient[Litestar]
CODES = ("stewarding", "no_alcohol", "finish_time", "leave_as_found", "capacity_limit", "fire_briefing")
_example = itertools.count(1)

# Per booking: which conditions (possibly none) and which of the two officers decides.
bookings_st = st.lists(
    st.tuples(st.sets(st.sampled_from(CODES), max_size=3), st.integers(0, 1)), min_size=1, max_size=4
)
_CONDITION = re.compile(r"^- (?P<code>[a-z_]+): (?P<text>.+?)(?: \(reason: (?P<reason>.+)\))?$")


def _parse_description(description: str) -> tuple[set[tuple[str, str | None]], str | None]:
    """(code, reason) of each condition listed, and the decision line."""
    conditions: set[tuple[str, str | None]] = set()
    decision = None
    for line in description.split("\n"):
        m = _CONDITION.match(line)
        if m:
            conditions.add((m["code"], m["reason"]))
        elif line.startswith("Decision: "):
            decision = line
    return conditions, decision


async def _uid_of_case(engine: AsyncEngine, case_id: str) -> str:
    async with async_sessionmaker(engine)() as s:
        uid = (await s.execute(select(Booking.uid).where(Booking.case_id == UUID(case_id)))).scalar_one()
    return str(uid)


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(plan=bookings_st)
async def test_each_event_shows_only_its_own_conditions_and_decision(
    plan: list[tuple[set[str], int]], client: Client, seeded: dict[str, Any], engine: AsyncEngine
) -> None:
    n = next(_example)
    owner = f"Testshire Parish {n}"
    async with async_sessionmaker(engine, expire_on_commit=False)() as s:
        venue = await make_venue(s, f"Property Hall {n}", owner_name=owner)
        room = await make_room(s, venue, f"Property Room {n}")
        # Each owner's cases are decided by its own officers.
        provider = await make_provider(s, owner)
        staff = [await make_staff(s, "officer", provider=provider) for _ in range(2)]
        await s.commit()
    officers = [(token, actor.name) for actor, token in staff]
    day = dt.datetime.now(LONDON).date() + dt.timedelta(weeks=5)
    while day.weekday() != 2:  # a Wednesday, clear of weekend-only rules
        day += dt.timedelta(days=1)
    expected: dict[str, tuple[set[tuple[str, str | None]], str]] = {}
    for i, (codes, who) in enumerate(plan):
        start = dt.datetime(day.year, day.month, day.day, 9 + 3 * i, tzinfo=LONDON)
        created = await client.post(
            "/api/v1/applications",
            json=application_payload(room.id, start, organisation=f"Property Choir {n}-{i}"),
        )
        assert created.status_code == 201, created.text
        app = created.json()
        token, officer_name = officers[who]
        conditions = [{"code": c, "rationale": f"Reason {n}-{i} for {c}"} for c in sorted(codes)]
        decided = await client.post(
            f"/api/v1/applications/{app['id']}/decision",
            json={"outcome": "approve", "reason": "ok", "conditions": conditions},
            headers=bearer(token),
        )
        assert decided.status_code == 200, decided.text
        outcome = "approved with conditions" if codes else "approved"
        expected[await _uid_of_case(engine, app["id"])] = (
            {(c["code"], c["rationale"]) for c in conditions},
            f"Decision: {outcome} on {dt.datetime.now(LONDON).date().isoformat()} by {officer_name}",
        )

    scopes = {"room_id": str(room.id), "venue_id": str(venue.id), "owner": owner}
    for (scope, target), detail in itertools.product(scopes.items(), ("busy", "standard", "full")):
        made = await client.post(
            "/api/v1/feeds", json={scope: target, "detail": detail}, headers=bearer(seeded["admin_token"])
        )
        assert made.status_code == 201, made.text
        response = await client.get("/" + made.json()["url"].split("/", 3)[3])
        assert response.status_code == 200
        events = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
        assert sorted(str(ev["UID"]) for ev in events) == sorted(expected), (scope, detail)
        for ev in events:
            own_conditions, own_decision = expected[str(ev["UID"])]
            if detail == "busy":
                assert "DESCRIPTION" not in ev
                continue
            description = str(ev["DESCRIPTION"])
            shown, decision = _parse_description(description)
            assert shown == own_conditions, (scope, detail, description)
            assert decision == own_decision, (scope, detail, description)
            if not own_conditions:
                assert "Conditions of hire: none beyond the standard terms" in description.split("\n")
