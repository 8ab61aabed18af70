"""A fresh database seeded through the service's own code, and the POST bodies the load replays.

A venue whose room has 200 confirmed bookings and a venue feed of them, rooms for new requests,
and 100,000 flagged entries imported with ``vetting.flagged.import_entries`` (invented names,
generated like ``bench/screening.py``'s). Every prepared request asks for a slot no other does.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import async_sessionmaker

from api.db.engine import create_engine
from api.users import create_user
from bench.screening import synthetic_entries
from casework.input import ApplicationRequest
from casework.workflow import DecisionInput, Workflow
from policies import default_declarations
from venues.closures import uk_bank_holiday_closures
from venues.feeds import create_feed
from venues.venue_service import RoomInput, VenueAdmin, VenueInput
from vetting.actors import Actor
from vetting.flagged import import_entries
from vetting.importers import ImportedEntry

BENCH = Path(__file__).resolve().parents[1]
LONDON = ZoneInfo("Europe/London")
ALL_WEEK = {d: [["08:00", "22:00"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
DECLARATIONS = default_declarations()
FEED_EVENTS = 200
FLAGGED = 100_000
POST_ROOMS = 8
SLOT_HOURS = (8, 10, 12, 14, 16, 18, 20)  # two-hour slots inside 08:00-22:00
ADMIN = Actor(id=None, name="load test seeding", role="admin")


@dataclass
class Seeded:
    feed_room: str
    feed_token: str
    post_rooms: list[str]
    seconds: dict[str, float] = field(default_factory=dict)


def request_body(room_id: object, start: dt.datetime, org: str, person: str, title: str) -> dict[str, Any]:
    return {
        "room_id": str(room_id),
        "organisation": {"name": org, "type": "club", "address": "3 Load Street"},
        "contact": {"name": person, "email": "contact@loadtest.example", "phone": "07700 900777"},
        "people": [{"name": person, "role": "officer"}],
        "event": {
            "title": title,
            "description": "Members' meeting",
            "expected_attendance": 25,
            "open_to_public": False,
            "under_18s": False,
            "adults_at_risk": False,
        },
        "start": start.isoformat(),
        "end": (start + dt.timedelta(hours=2)).isoformat(),
        "declarations": DECLARATIONS,
        "answers": {},
    }


async def seed(url: str, now: dt.datetime, flagged: int) -> Seeded:
    engine = create_engine(url)
    maker = async_sessionmaker(engine, expire_on_commit=False)
    seconds: dict[str, float] = {}
    try:
        started = time.perf_counter()
        async with maker() as session, session.begin():
            admin_user = await create_user(
                session,
                email="admin@loadtest.example",
                name="Load Test Admin",
                role="admin",
                password=uuid.uuid4().hex,
            )
            admin = VenueAdmin(session)
            feed_venue = await admin.create_venue(
                ADMIN,
                VenueInput("Loadtest Civic Hall", "council", "Loadtest Borough Council", "1 Load Street"),
            )
            # An officer of the council whose hall the feed shows (staff belong to an organisation).
            officer_user = await create_user(
                session,
                email="officer@loadtest.example",
                name="Load Test Officer",
                role="officer",
                password=uuid.uuid4().hex,
                provider_id=feed_venue.provider_id,
            )
            feed_room = await admin.create_room(
                ADMIN, feed_venue.id, RoomInput("Assembly Room", 120, ["step_free"], ALL_WEEK)
            )
            post_venue = await admin.create_venue(
                ADMIN, VenueInput("Loadtest Community Centre", "partner", "Loadtest Trust", "2 Load Street")
            )
            post_rooms = [
                await admin.create_room(
                    ADMIN, post_venue.id, RoomInput(f"Room {n}", 60, ["step_free"], ALL_WEEK)
                )
                for n in range(1, POST_ROOMS + 1)
            ]
            officer = Actor(
                id=officer_user.id,
                name=officer_user.name,
                role="officer",
                provider_id=officer_user.provider_id,
            )
            workflow = Workflow(session)
            for i, day in enumerate(open_days(now, FEED_EVENTS)):
                start = dt.datetime(day.year, day.month, day.day, 18 if i % 2 else 10, tzinfo=LONDON)
                body = request_body(
                    feed_room.id, start, f"Loadtest Society {i}", "Robin Fielding", f"Meeting {i}"
                )
                submitted = await workflow.submit(ApplicationRequest.model_validate(body), now=now)
                await workflow.decide(
                    officer,
                    submitted.case.id,
                    DecisionInput(
                        "approve",
                        "Routine",
                        checks_in_review_confirmed=True,
                        checks_in_review_reason="Seeded",
                    ),
                    now=now,
                )
            _feed, token = await create_feed(
                session,
                Actor(id=admin_user.id, name=admin_user.name, role="admin"),
                "venue",
                str(feed_venue.id),
                "standard",
            )
        seconds["venues, rooms, 200 confirmed bookings, feed"] = time.perf_counter() - started
        started = time.perf_counter()
        entries = [
            ImportedEntry(
                kind=e.kind, name=e.name, aliases=tuple(e.aliases), source="uk-sanctions", source_ref=e.id
            )
            for e in synthetic_entries(flagged)
        ]
        async with maker() as session, session.begin():
            await import_entries(session, officer, entries)
        seconds[f"{flagged:,} flagged entries (import_entries)"] = time.perf_counter() - started
        return Seeded(str(feed_room.id), token, [str(r.id) for r in post_rooms], seconds)
    finally:
        await engine.dispose()


def ordinary_names() -> list[str]:
    with (BENCH / "data" / "screening_eval" / "ordinary.csv").open(encoding="utf-8") as handle:
        return [row["name"] for row in csv.DictReader(handle) if row.get("kind", "person") == "person"]


def post_bodies(path: Path, rooms: list[str], slots: Iterator[tuple[int, dt.datetime]], count: int) -> int:
    """Write `count` requests, each for a slot no other request in this run asks for."""
    names = ordinary_names()
    written = 0
    with path.open("w", encoding="utf-8") as out:
        for n in range(count):
            try:
                room_index, start = next(slots)
            except StopIteration:
                break
            person = names[n % len(names)]
            body = request_body(
                rooms[room_index], start, f"{person.split()[-1]} Community Group {n}", person, "Meeting"
            )
            out.write(f"{uuid.uuid4()}\t{json.dumps(body, separators=(',', ':'))}\n")
            written += 1
    return written


def open_days(now: dt.datetime, count: int | None = None) -> list[dt.date]:
    """Days from two days ahead to 360 days ahead (inside the 12-month horizon), bank holidays
    in England left out: the venues close on them, as councils' venues do."""
    first = now.astimezone(LONDON).date() + dt.timedelta(days=2)
    last = first + dt.timedelta(days=358)
    closed = {c.start_date for c in uk_bank_holiday_closures(first, last, subdiv="ENG")}
    days = [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
    return [d for d in days if d not in closed][:count]


def free_slots(rooms: int, now: dt.datetime) -> Iterator[tuple[int, dt.datetime]]:
    """Every two-hour slot of the new-request rooms on open days, day by day."""
    for day in open_days(now):
        for hour in SLOT_HOURS:
            for room in range(rooms):
                yield room, dt.datetime(day.year, day.month, day.day, hour, tzinfo=LONDON)
