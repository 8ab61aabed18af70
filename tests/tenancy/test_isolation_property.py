"""Issue 24: random organisations, venues, staff, cases and feeds; no read path crosses.

For every member of staff of every organisation, every answer of the read paths (the API's lists
and details, the officer queue page, the feeds they can make and what those feeds show) is
checked against the database read without any scope: nothing of another organisation appears,
and everything of their own that the path lists does.
"""

from __future__ import annotations

import itertools
import re
from typing import Any
from uuid import UUID

import icalendar
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from tests.factories import (
    application_payload,
    bearer,
    make_provider,
    make_room,
    make_staff,
    make_venue,
    next_weekday,
)
from venues.models import Booking, Feed, Venue
from vetting.actors import Actor
from vetting.models import VettingCase

Client = AsyncTestClient[Litestar]
_example = itertools.count(1)
REFERENCE = re.compile(r"VH-[A-Z0-9]{4}-[A-Z0-9]{4}")

# Per organisation: how many venues, which staff roles besides an officer, and its cases as
# (venue index, approved?).
org_st = st.tuples(
    st.integers(1, 2),
    st.sets(st.sampled_from(["admin", "venue_manager"])),
    st.lists(st.tuples(st.integers(0, 1), st.booleans()), max_size=3),
)
plan_st = st.lists(org_st, min_size=2, max_size=3)


async def _owner_of(engine: AsyncEngine, model: Any, ids: list[UUID]) -> dict[UUID, UUID | None]:
    """Each row's organisation, read without any scope."""
    async with async_sessionmaker(engine)() as s:
        rows = (await s.execute(select(model.id, model.provider_id).where(model.id.in_(ids)))).all()
    return {r[0]: r[1] for r in rows}


async def _booking_owners(engine: AsyncEngine, uids: list[str]) -> dict[str, UUID]:
    async with async_sessionmaker(engine)() as s:
        rows = (
            await s.execute(
                select(Booking.uid, VettingCase.provider_id)
                .join(VettingCase, VettingCase.id == Booking.case_id)
                .where(Booking.uid.in_(uids))
            )
        ).all()
    return {str(uid): pid for uid, pid in rows}


def _uids(body: bytes) -> list[str]:
    calendar = icalendar.Calendar.from_ical(body)
    return sorted({str(e["UID"]) for e in calendar.walk("VEVENT")})


async def _build(client: Client, engine: AsyncEngine, plan: list[Any], n: int) -> list[dict[str, Any]]:
    orgs: list[dict[str, Any]] = []
    async with async_sessionmaker(engine, expire_on_commit=False)() as s:
        for i, (venue_count, roles, _) in enumerate(plan):
            name = f"Prop{n} Org{i}"
            provider = await make_provider(s, name, "partner" if i else "council")
            venues = [await make_venue(s, f"{name} Hall {v}", owner_name=name) for v in range(venue_count)]
            rooms = [await make_room(s, v, f"{name} Room {k}") for k, v in enumerate(venues)]
            staff: list[tuple[Actor, str]] = [await make_staff(s, "officer", provider=provider)]
            for role in sorted(roles):
                managed = [venues[0].id] if role == "venue_manager" else None
                staff.append(await make_staff(s, role, provider=provider, venue_ids=managed))
            orgs.append(
                {"name": name, "provider": provider.id, "venues": venues, "rooms": rooms, "staff": staff}
            )
        await s.commit()
    for i, (_, _, cases) in enumerate(plan):
        org = orgs[i]
        org["cases"] = []
        for k, (venue_index, approved) in enumerate(cases):
            room = org["rooms"][venue_index % len(org["rooms"])]
            start = next_weekday(k % 5, weeks_ahead=3 + n % 20 + i)
            made = await client.post(
                "/api/v1/applications",
                json=application_payload(room.id, start, organisation=f"{org['name']} Club {k}"),
            )
            assert made.status_code == 201, made.text
            case_id = made.json()["id"]
            org["cases"].append(UUID(case_id))
            if approved:
                decided = await client.post(
                    f"/api/v1/applications/{case_id}/decision",
                    json={"outcome": "approve", "reason": "Approved", "conditions": []},
                    headers=bearer(org["staff"][0][1]),
                )
                assert decided.status_code == 200, decided.text
    return orgs


@pytest.mark.slow  # about 30 s on SQLite
@settings(
    max_examples=5,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(plan=plan_st)
async def test_no_read_path_returns_anything_of_another_organisation(
    plan: list[Any], client: Client, engine: AsyncEngine
) -> None:
    n = next(_example)
    orgs = await _build(client, engine, plan, n)
    every_case = [c for org in orgs for c in org["cases"]]
    every_venue = [v for org in orgs for v in org["venues"]]
    case_owner = await _owner_of(engine, VettingCase, every_case)
    for org in orgs:
        mine = org["provider"]
        for actor, token in org["staff"]:
            auth = bearer(token)
            who = f"{actor.role} of {org['name']}"
            if actor.role in ("officer", "admin"):
                listed = (await client.get("/api/v1/applications?limit=500", headers=auth)).json()
                owners = await _owner_of(engine, VettingCase, [UUID(row["id"]) for row in listed])
                assert set(owners.values()) <= {mine}, who
                assert set(org["cases"]) <= set(owners), who
                for case_id in every_case:
                    status = (await client.get(f"/api/v1/applications/{case_id}", headers=auth)).status_code
                    assert status == (200 if case_owner[case_id] == mine else 404), (who, case_id)
                queue = await client.get("/officer?status=all", headers=auth)
                assert queue.status_code == 200
                async with async_sessionmaker(engine)() as s:
                    shown = set(REFERENCE.findall(queue.text))
                    refs = dict(
                        (await s.execute(select(VettingCase.reference, VettingCase.provider_id).where(
                            VettingCase.reference.in_(shown)))).tuples().all()
                    )  # fmt: skip
                assert set(refs.values()) <= {mine}, who
            venues = (await client.get("/api/v1/venues", headers=auth)).json()
            venue_owner = await _owner_of(engine, Venue, [UUID(v["id"]) for v in venues])
            assert set(venue_owner.values()) <= {mine}, who
            for venue in every_venue:
                rooms = await client.get(f"/api/v1/venues/{venue.id}/rooms", headers=auth)
                assert rooms.status_code == (200 if venue.provider_id == mine else 404), who
                # The feeds they can make: their own organisation's venues (a manager's own only).
                ok = venue.provider_id == mine and (
                    actor.role != "venue_manager" or venue.id in actor.venue_ids
                )
                made = await client.post("/api/v1/feeds", json={"venue_id": str(venue.id)}, headers=auth)
                assert made.status_code == (201 if ok else 404), (who, made.text)
            if actor.role != "venue_manager":
                for other in orgs:
                    made = await client.post("/api/v1/feeds", json={"owner": other["name"]}, headers=auth)
                    assert made.status_code == (201 if other is org else 404), (who, made.text)
                made = await client.post("/api/v1/feeds", json={"decisions_due": True}, headers=auth)
                assert made.status_code == 201
            feeds = (await client.get("/api/v1/feeds", headers=auth)).json()
            feed_owner = await _owner_of(engine, Feed, [UUID(f["id"]) for f in feeds])
            assert set(feed_owner.values()) <= {mine}, who
            # What each of their feeds shows: only their organisation's bookings and cases.
            for feed in feeds:
                rotated = await client.post(f"/api/v1/feeds/{feed['id']}/rotate", headers=auth)
                assert rotated.status_code == 200
                ics = await client.get("/feeds/" + rotated.json()["url"].rsplit("/feeds/", 1)[1])
                assert ics.status_code == 200
                uids = _uids(ics.content)
                if feed["scope"] == "decisions":
                    shown_cases = [UUID(u.split("@", 1)[0]) for u in uids]
                    assert {case_owner.get(c, mine) for c in shown_cases} <= {mine}, who
                    assert set((await _owner_of(engine, VettingCase, shown_cases)).values()) <= {mine}
                else:
                    assert set((await _booking_owners(engine, uids)).values()) <= {mine}, who
