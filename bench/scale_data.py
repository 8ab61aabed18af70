"""Years of an invented large council, loaded in bulk (issue 22 item 1).

A year is 12,000 cases; five years (`--years 5`) is the issue's large council: 60 venues of 5
rooms, 400 venue managers each with a calendar feed, 24 officers, 100,000 flagged entries,
60,000 cases with their people, checks, screening results, decisions, history and messages,
about 600,000 dates (held ones with their holds) and audit records of the changes, hash-chained
as `venue-hire audit verify` expects.

One real request goes through the service first (`Workflow.submit`): its case row is the template
for every generated case, so generated cases have exactly the JSON shapes (people, checks,
answers) that the pages read. Everything else is written in chunks of 1,000 cases, in foreign-key
order, one transaction per chunk, with a progress bar on stderr: PostgreSQL's COPY on PostgreSQL,
SQLAlchemy Core's multi-row INSERTs on SQLite (`scale_parts.bulk_insert`).

Dates are relative to `now` (the real clock by default; `--now` replays a moment): cases were
made over the years before it, and their dates run from ten days after each was made, so the last
months' cases are upcoming. Nothing else depends on today's date.

    python bench/scale_data.py --url sqlite+aiosqlite:///var/scale.sqlite3 --years 5
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import random
import secrets
import sys
import time
import uuid
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scale_cases import OFFICERS, Batch, World, add_case
from scale_parts import AuditChain, NameMaker, Progress, bulk_insert
from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from api.audit import GENESIS_HASH
from api.auth.passwords import hash_password
from api.db.engine import create_engine
from api.db.migrate import upgrade
from api.models import AuditRecord, User, UserVenue
from casework.input import ApplicationRequest
from casework.workflow import Workflow
from policies import default_declarations
from venues.models import Closure, Feed, Room, Venue
from venues.venue_service import RoomInput, VenueAdmin, VenueInput
from vetting.actors import Actor
from vetting.models import FlaggedEntry, FlaggedListVersion, Organisation

LONDON = ZoneInfo("Europe/London")
CASES_PER_YEAR = 12_000
VENUES, ROOMS_PER_VENUE, MANAGERS = 60, 5, 400
FLAGGED = 100_000
# Groups a council has on file: those of the years' cases (a group books again and again), so they
# grow with the years as a council's do; 9,000 at every size hid a lookup that read them all
# (migration d22org0001).
ORGANISATIONS_PER_YEAR, ORGANISATIONS_AT_LEAST = 3_000, 1_000
CHUNK = 1_000
ALL_WEEK = {d: [["08:00", "22:00"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
ADMIN = Actor(id=None, name="scale loader", role="admin")


def _times(at: dt.datetime) -> dict[str, Any]:
    return {"created_at": at, "updated_at": at}


async def template_case(
    maker: async_sessionmaker[AsyncSession], now: dt.datetime
) -> tuple[uuid.UUID, uuid.UUID, dict[str, Any]]:
    """A venue and room made by the admin service and one request through the real workflow."""
    async with maker() as session, session.begin():
        admin = VenueAdmin(session)
        venue = await admin.create_venue(
            ADMIN, VenueInput("Scale Hall 0", "council", "Scaleshire Council", "1 Scale Street")
        )
        room = await admin.create_room(
            ADMIN, venue.id, RoomInput(name="Room 1", capacity=60, opening_hours=ALL_WEEK)
        )
        day = (now + dt.timedelta(days=30)).astimezone(LONDON).date()
        start = dt.datetime(day.year, day.month, day.day, 19, tzinfo=LONDON)
        request = ApplicationRequest.model_validate(
            {
                "room_id": str(room.id),
                "organisation": {"name": "Scaleshire Walking Group", "type": "club"},
                "contact": {"name": "Ivo Template", "email": "ivo@scale.example", "phone": "07700 900123"},
                "people": [
                    {"name": "Ivo Template", "role": "officer"},
                    {"name": "Una Placeholder", "role": "speaker"},
                ],
                "event": {"title": "Walk planning", "description": "Routes", "expected_attendance": 25},
                "start": start.isoformat(),
                "end": (start + dt.timedelta(hours=2)).isoformat(),
                "declarations": default_declarations(),
            }
        )
        submitted = await Workflow(session).submit(request, now=now)
        case = submitted.case
        keep = (
            "contact",
            "people",
            "event",
            "declarations",
            "answers",
            "checks",
            "policy_id",
            "organisation_submitted",
        )
        template = {c: getattr(case, c) for c in (*keep, "policy_version", "tier")}
        assert venue.provider_id is not None
        return venue.provider_id, room.id, template


def organisations_for(years: float) -> int:
    return max(ORGANISATIONS_AT_LEAST, int(ORGANISATIONS_PER_YEAR * years))


async def fixed_parts(
    maker: async_sessionmaker[AsyncSession],
    provider: uuid.UUID,
    names: NameMaker,
    now: dt.datetime,
    organisation_count: int,
) -> tuple[
    list[uuid.UUID], list[tuple[uuid.UUID, str]], list[tuple[uuid.UUID, str]], list[tuple[uuid.UUID, str]]
]:
    """Venues, rooms, closures, staff with feeds, `organisation_count` organisations and the flagged list."""
    password = hash_password(secrets.token_urlsafe(16))  # one hash for all: argon2 is slow on purpose
    rooms: list[uuid.UUID] = []
    venue_rows, room_rows, closures, users, links, feeds = [], [], [], [], [], []
    venue_ids: list[uuid.UUID] = []
    for v in range(VENUES):
        venue_id = uuid.uuid4()
        venue_ids.append(venue_id)
        venue_rows.append(
            {
                "id": venue_id,
                "name": f"{names.word(2)} Community Centre",
                "provider_id": provider,
                "owner_kind": "council",
                "owner_name": "Scaleshire Council",
                "address": f"{v + 2} Scale Street",
                "timezone": "Europe/London",
                "policy_id": "council-default",
                "bank_holidays_region": "ENG",
                **_times(now),
            }
        )
        for year in range(now.year - 11, now.year + 2):
            closures.append(
                {
                    "id": uuid.uuid4(),
                    "venue_id": venue_id,
                    "room_id": None,
                    "reason": "Christmas",
                    "start_date": dt.date(year, 12, 24),
                    "end_date": dt.date(year, 12, 27),
                    **_times(now),
                }
            )
        for r in range(ROOMS_PER_VENUE):
            room_id = uuid.uuid4()
            rooms.append(room_id)
            room_rows.append(
                {
                    "id": room_id,
                    "venue_id": venue_id,
                    "name": f"Room {r + 1}",
                    "capacity": 20 + 20 * r,
                    "accessibility": [],
                    "opening_hours": ALL_WEEK,
                    "buffer_before_minutes": 0,
                    "buffer_after_minutes": 0,
                    "active": True,
                    **_times(now),
                }
            )
    staff: list[tuple[uuid.UUID, str]] = []
    for m in range(MANAGERS + OFFICERS):
        user_id, name = uuid.uuid4(), names.person()
        role = "venue_manager" if m < MANAGERS else "officer"
        users.append(
            {
                "id": user_id,
                "email": f"staff{m}@scaleshire.example",
                "name": name,
                "role": role,
                "provider_id": provider,
                "password_hash": password,
                "active": True,
                **_times(now),
            }
        )
        if role == "officer":
            staff.append((user_id, name))
            continue
        venue_id = venue_ids[m % VENUES]
        links.append({"id": uuid.uuid4(), "user_id": user_id, "venue_id": venue_id})
        feeds.append(
            {
                "id": uuid.uuid4(),
                "token_hash": secrets.token_hex(32),
                "owner_id": user_id,
                "provider_id": provider,
                "scope": "venue",
                "target": str(venue_id),
                "detail": "standard",
                **_times(now),
            }
        )
    organisations = [(uuid.uuid4(), names.group()) for _ in range(organisation_count)]
    entries = [(uuid.uuid4(), names.person() if i % 3 else names.group()) for i in range(FLAGGED)]
    async with maker() as session, session.begin():
        version = (
            await session.execute(
                insert(FlaggedListVersion).returning(FlaggedListVersion.id),
                [{"created_at": now, "source": "local", "added": FLAGGED, "actor_name": "scale loader"}],
            )
        ).scalar_one()
        for model, rows in (
            (Venue, venue_rows),
            (Room, room_rows),
            (Closure, closures),
            (User, users),
            (UserVenue, links),
            (Feed, feeds),
        ):
            await bulk_insert(session, model, rows)
        org_rows = [
            {"id": i, "provider_id": provider, "name": n, "type": "club", **_times(now)}
            for i, n in organisations
        ]
        entry_rows = [
            {
                "id": i,
                "kind": "person" if k % 3 else "organisation",
                "name": n,
                "aliases": [],
                "provider_id": provider,
                "source": "local",
                "source_ref": f"scale-{k}",
                "added_by": "scale loader",
                "active": True,
                "list_version": version,
                "content_hash": secrets.token_hex(32),
                **_times(now),
            }
            for k, (i, n) in enumerate(entries)
        ]
        await bulk_insert(session, Organisation, org_rows)
        await bulk_insert(session, FlaggedEntry, entry_rows)
    return rooms, staff, organisations, entries


async def load(url: str, years: float, *, now: dt.datetime, seed: int = 22) -> dict[str, int]:
    """Fill the migrated database at `url` with `years` of data; returns rows written per table."""
    engine = create_engine(url)
    maker = async_sessionmaker(engine, expire_on_commit=False)
    names = NameMaker(seed)
    rng = random.Random(seed)
    try:
        provider, _room, template = await template_case(maker, now)
        rooms, officers, organisations, entries = await fixed_parts(
            maker, provider, names, now, organisations_for(years)
        )
        async with maker() as session:
            # The organisation's own chain goes on from its last record (api/audit.py).
            prev = (
                await session.execute(
                    select(AuditRecord.hash)
                    .where(AuditRecord.provider_id == provider)
                    .order_by(AuditRecord.id.desc())
                    .limit(1)
                )
            ).scalar_one_or_none()
        world = World(
            provider,
            template,
            rooms,
            officers,
            organisations,
            entries,
            AuditChain({provider: prev or GENESIS_HASH}),
        )
        total = int(CASES_PER_YEAR * years)
        span = dt.timedelta(days=365 * years)
        made_times = sorted(now - span * rng.random() for _ in range(total))
        progress = Progress("cases", total)
        for start in range(0, total, CHUNK):
            batch = Batch()
            for n in range(start, min(start + CHUNK, total)):
                add_case(world, batch, rng, names, n, made_times[n], now)
            async with maker() as session, session.begin():
                await batch.write(session, world.counts)
            progress.advance(min(CHUNK, total - start))
        return world.counts | {"venue": VENUES + 1, "room": len(rooms) + 1, "flagged_entry": FLAGGED}
    finally:
        await engine.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--url", required=True, help="database URL (SQLite file or PostgreSQL database)")
    parser.add_argument("--years", type=float, default=5.0, help="years of cases (12,000 a year; default 5)")
    parser.add_argument(
        "--now",
        type=dt.datetime.fromisoformat,
        default=dt.datetime.now(dt.UTC),
        help="the moment the data ends (ISO 8601 with offset)",
    )
    args = parser.parse_args()
    started = time.perf_counter()
    upgrade(args.url)
    counts = asyncio.run(load(args.url, args.years, now=args.now))
    for table, count in sorted(counts.items()):
        print(f"  {table:<22} {count:>10,}")
    print(f"loaded in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
