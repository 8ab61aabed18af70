"""Benchmark: check a weekly series of 52 dates against a room that holds 50,000 occurrences.

    .venv/bin/python bench/availability.py [--runs N] [--quick] [--postgres URL] [--json PATH]

Runs on a fresh SQLite file in a temporary folder and, when ``--postgres URL`` or
``VENUE_HIRE_TEST_POSTGRES_URL`` names a server, on a temporary PostgreSQL database that it
creates and drops. Both are migrated with the service's own migrations. The room's holds are
written in bulk with SQLAlchemy core (one hour each, about 70% of the hours from 08:00 to 22:00
taken, going back years and one year ahead), so the series meets a realistic mix of free and
taken dates.

Measured: the code path a booking request takes (``BookingService.plan``): the database query
``venues.booking_queries.held_overlapping`` for the series' slots, then ``venues.conflicts.find_conflicts``
over what it returns, inside an open transaction. Same-run baseline: load every hold of the room
into Python and run ``find_conflicts`` over all of them. Both must find the same conflicting
dates; the script stops with an error if they do not. Target: median <= 20 ms on each engine.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _databases import pg_admin
from _figures import Figure, fmt, write_json
from sqlalchemy import insert, select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from api.db.engine import create_engine
from api.db.migrate import upgrade
from casework.input import ApplicationRequest
from casework.workflow import Workflow
from policies import default_declarations
from venues.availability import proposed_slots
from venues.booking_queries import held_overlapping, room_units
from venues.conflicts import HeldInterval, ProposedSlot, find_conflicts
from venues.models import Booking, Occurrence, OccurrenceHold, Room
from venues.recurrence import expand_series
from venues.venue_service import RoomInput, VenueAdmin, VenueInput
from vetting.actors import Actor

LONDON = ZoneInfo("Europe/London")
HOLDS = 50_000
SERIES = "FREQ=WEEKLY;COUNT=52"
TARGET_MS = 20.0
OCCUPANCY = 0.7
FIRST_HOUR, LAST_HOUR = 8, 22  # holds start on the hour from 08:00 to 21:00 local
ADMIN = Actor(id=None, name="benchmark", role="admin")


def series_start(now: dt.datetime) -> dt.datetime:
    """Next Tuesday 19:00 London at least two days ahead: 52 weeks then fit the 12-month horizon."""
    day = now.astimezone(LONDON).date() + dt.timedelta(days=2)
    while day.weekday() != 1:
        day += dt.timedelta(days=1)
    return dt.datetime(day.year, day.month, day.day, 19, tzinfo=LONDON)


def hold_times(now: dt.datetime, count: int, seed: int = 52) -> list[tuple[dt.datetime, dt.datetime]]:
    """`count` one-hour, non-overlapping slots (UTC) ending about a year from now."""
    rng = random.Random(seed)
    last_day = now.astimezone(LONDON).date() + dt.timedelta(days=366)
    slots: list[tuple[dt.datetime, dt.datetime]] = []
    day = last_day
    while len(slots) < count:
        for hour in range(LAST_HOUR - 1, FIRST_HOUR - 1, -1):
            if rng.random() < OCCUPANCY:
                start = dt.datetime(day.year, day.month, day.day, hour, tzinfo=LONDON).astimezone(dt.UTC)
                slots.append((start, start + dt.timedelta(hours=1)))
                if len(slots) == count:
                    break
        day -= dt.timedelta(days=1)
    slots.reverse()
    return slots


async def seed(
    maker: async_sessionmaker[AsyncSession], now: dt.datetime, holds: int
) -> tuple[Room, list[ProposedSlot]]:
    """A venue and room made by the admin service, one real request, then `holds` bulk holds."""
    async with maker() as session, session.begin():
        admin = VenueAdmin(session)
        venue = await admin.create_venue(
            ADMIN, VenueInput("Benchmark Hall", "council", "Benchmark Borough Council", "1 Bench Street")
        )
        room = await admin.create_room(
            ADMIN,
            venue.id,
            RoomInput(
                name="Main Room",
                capacity=80,
                opening_hours={
                    d: [["08:00", "22:00"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
                },
            ),
        )
        # One request through the real workflow gives the bulk occurrences a valid booking and case.
        request = ApplicationRequest.model_validate(
            {
                "room_id": str(room.id),
                "organisation": {"name": "Benchmark Bowls Club", "type": "club"},
                "contact": {"name": "Ada Benchmark", "email": "ada@bench.example", "phone": "07700 900001"},
                "people": [{"name": "Ada Benchmark", "role": "officer"}],
                "event": {"title": "Club night", "description": "", "expected_attendance": 20},
                "start": series_start(now).isoformat(),
                "end": (series_start(now) + dt.timedelta(hours=2)).isoformat(),
                "declarations": default_declarations(),
            }
        )
        submitted = await Workflow(session).submit(request, now=now)
        booking_id = (
            await session.execute(select(Booking.id).where(Booking.case_id == submitted.case.id))
        ).scalar_one()
        units = await room_units(session, room)
    (unit,) = units
    occurrence_rows: list[dict[str, Any]] = []
    hold_rows: list[dict[str, Any]] = []
    for seq, (start, end) in enumerate(hold_times(now, holds), start=1000):
        occ_id = uuid.uuid4()
        local_start = start.astimezone(LONDON).replace(tzinfo=None)
        occurrence_rows.append(
            {
                "id": occ_id,
                "booking_id": booking_id,
                "seq": seq,
                "start_utc": start,
                "end_utc": end,
                "local_start": local_start,
                "local_end": local_start + dt.timedelta(hours=1),
                "status": "held",
                "created_at": now,
                "updated_at": now,
            }
        )
        hold_rows.append(
            {
                "id": uuid.uuid4(),
                "occurrence_id": occ_id,
                "unit_id": uuid.UUID(unit),
                "held_from": start,
                "held_to": end,
            }
        )
    async with maker() as session, session.begin():
        for chunk in range(0, len(occurrence_rows), 5000):
            await session.execute(insert(Occurrence), occurrence_rows[chunk : chunk + 5000])
            await session.execute(insert(OccurrenceHold), hold_rows[chunk : chunk + 5000])
    occurrences = expand_series(
        series_start(now), series_start(now) + dt.timedelta(hours=2), SERIES, tz="Europe/London", now=now
    )
    slots = proposed_slots(occurrences, units, room.buffer_before_minutes, room.buffer_after_minutes)
    return room, slots


async def timed(fn: Callable[[], Awaitable[list[int]]], runs: int) -> tuple[list[float], list[int]]:
    result = await fn()  # warm-up: statement caches, page cache
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        await fn()
        times.append((time.perf_counter() - started) * 1000)
    return times, result


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) >= 2 else values[0]


async def measure(
    url: str, label: str, runs: int, baseline_runs: int, holds: int, now: dt.datetime
) -> list[Figure]:
    engine = create_engine(url)
    maker = async_sessionmaker(engine, expire_on_commit=False)
    try:
        started = time.perf_counter()
        room, slots = await seed(maker, now, holds)
        seeded_s = time.perf_counter() - started
        if not url.startswith("sqlite"):
            # Autovacuum would analyse a table this size within a minute in production.
            async with engine.connect() as conn:
                await conn.execute(text("ANALYZE occurrence_hold"))
                await conn.commit()
        units = [uuid.UUID(u) for u in next(iter(slots)).units]
        async with maker() as session:
            count = (
                await session.execute(
                    select(text("count(*)"))
                    .select_from(OccurrenceHold)
                    .where(OccurrenceHold.unit_id.in_(units))
                )
            ).scalar_one()

            async def real_path() -> list[int]:
                # A request builds its objects afresh; an identity map of earlier runs' rows would flatter.
                session.expunge_all()
                held = await held_overlapping(session, slots)
                return [c.index for c in find_conflicts(slots, held)]

            async def load_everything() -> list[int]:
                session.expunge_all()
                rows = await session.execute(
                    select(
                        OccurrenceHold.unit_id,
                        OccurrenceHold.held_from,
                        OccurrenceHold.held_to,
                        OccurrenceHold.occurrence_id,
                    ).where(OccurrenceHold.unit_id.in_(units))
                )
                held = [HeldInterval(str(u), a, b, str(o)) for u, a, b, o in rows]
                return [c.index for c in find_conflicts(slots, held)]

            times, found = await timed(real_path, runs)
            base_times, base_found = await timed(load_everything, baseline_runs)
            await session.rollback()
        if found != base_found:
            raise SystemExit(f"{label}: held_overlapping found {found}, the full scan found {base_found}")
    finally:
        await engine.dispose()
    median, base_median = statistics.median(times), statistics.median(base_times)
    print(
        f"{label}: room {room.name!r} holds {count:,} occurrences (seeded in {seeded_s:.1f} s); "
        f"series of {len(slots)} weekly dates, {len(found)} of them taken"
    )
    print(
        f"  held_overlapping + find_conflicts, {runs} runs: median {median:.2f} ms, "
        f"p95 {p95(times):.2f} ms (target <= {TARGET_MS:.0f} ms)"
    )
    print(
        f"  baseline: load all {count:,} holds + find_conflicts, {baseline_runs} runs: "
        f"median {base_median:.1f} ms, p95 {p95(base_times):.1f} ms"
    )
    print(f"  ratio baseline / real path: {base_median / median:.0f}x")
    return [
        Figure(
            f"availability: 52-date series vs 50k holds, {label} (median)",
            median,
            "ms",
            target=TARGET_MS,
            baseline=base_median,
            baseline_label="load all holds into Python",
            extra={"p95_ms": p95(times), "baseline_p95_ms": p95(base_times), "conflicts": len(found)},
        ),
        Figure(
            f"availability: same, {label} (p95)",
            p95(times),
            "ms",
            baseline=p95(base_times),
            baseline_label="load all holds into Python",
        ),
    ]


def run_migrated(
    url: str, label: str, runs: int, baseline_runs: int, holds: int, now: dt.datetime
) -> list[Figure]:
    # Migrations run their own event loop, so they go before (not inside) ours.
    upgrade(url)
    return asyncio.run(measure(url, label, runs, baseline_runs, holds, now))


def run_postgres(admin_url: str, runs: int, baseline_runs: int, holds: int, now: dt.datetime) -> list[Figure]:
    """Create a throwaway database beside `admin_url`'s, run, and always drop it."""
    name = f"vh_bench_avail_{uuid.uuid4().hex[:10]}"
    asyncio.run(pg_admin(admin_url, f'CREATE DATABASE "{name}"'))
    try:
        return run_migrated(
            f"{admin_url.rpartition('/')[0]}/{name}", "PostgreSQL", runs, baseline_runs, holds, now
        )
    finally:
        asyncio.run(pg_admin(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=200, help="timed runs of the real path per engine")
    parser.add_argument("--quick", action="store_true", help="fewer timed runs (same data size)")
    parser.add_argument(
        "--postgres",
        default=os.environ.get("VENUE_HIRE_TEST_POSTGRES_URL"),
        help="postgresql+asyncpg:// URL of a server where a temporary database may be created",
    )
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    parser.add_argument("--holds", type=int, default=HOLDS, help=argparse.SUPPRESS)
    parser.add_argument("--json", help="write the figures to this file for bench/run_all.py")
    parser.add_argument(
        "--now",
        type=dt.datetime.fromisoformat,
        default=dt.datetime.now(dt.UTC),
        help="the moment the run pretends it is (ISO 8601 with offset), to replay any day of the year",
    )
    args = parser.parse_args()
    if args.now.tzinfo is None:
        parser.error("--now needs a time zone offset, e.g. 2026-11-30T10:00:00+00:00")
    runs = 50 if args.quick else args.runs
    baseline_runs = 5 if args.quick else 15
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="vh-bench-avail-") as tmp:
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'bench.sqlite3'}"
        figures += run_migrated(url, "SQLite", runs, baseline_runs, args.holds, args.now)
    if args.postgres and not args.no_postgres:
        figures += run_postgres(args.postgres, runs, baseline_runs, args.holds, args.now)
    else:
        print("PostgreSQL: skipped (set VENUE_HIRE_TEST_POSTGRES_URL or pass --postgres URL)")
    headline = [f for f in figures if f.target is not None]
    for f in headline:
        verdict = "met" if f.met else "MISSED"
        print(f"{f.name}: {fmt(f.value, f.unit)} ({f.target_text()}): {verdict}")
    write_json(args.json, "availability", figures)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
