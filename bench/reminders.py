"""Benchmark: plan 10,000 due reminders across 2,000 confirmed bookings and hand them to the mailer.

    .venv/bin/python bench/reminders.py [--runs N] [--bookings N] [--json PATH]

Times one run of the scheduled job `casework.reminders_booking.send_booking_reminders` (find
the dates due, claim each reminder's key, read the bookings' conditions, word every message)
and its commit, after which each reminder is handed to the mailer (a counting mailer here: the
channels are not what is measured). Beside it, in the same run and on the same data, a baseline
that asks the database once per booking for its dates (and claims them per booking), as a
straightforward loop over the bookings would. The two alternate, and the claims are cleared
between runs, so both do the same work. Target: <= 10 s on SQLite and on PostgreSQL (the latter
when ``VENUE_HIRE_TEST_POSTGRES_URL`` names a server where a temporary database may be made).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

# After the path tweak so the script runs from anywhere.
from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from api.db.engine import create_engine
from api.db.migrate import upgrade
from bench._databases import pg_admin
from bench._figures import Figure, fmt, write_json
from casework.alert_models import ScheduledNotice
from casework.deps import CaseDeps
from casework.messages import mail_hirer
from casework.notice_claims import claim
from casework.reminders_booking import (
    DUE_DATES,
    collect_due,
    conditions_of,
    reminder_message,
    send_booking_reminders,
    wants_sms,
)
from tests import factories as f
from venues.models import Booking, Occurrence
from vetting.models import Decision, Organisation, VettingCase
from vetting.notify import Mail

TARGET_S = 10.0
DATES_PER_BOOKING = 5
NOW = dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC)  # a Monday; dates fall on the next three days


class CountingMailer:
    def __init__(self) -> None:
        self.count = 0

    def send(self, mail: Mail) -> None:
        self.count += 1


async def seed(url: str, bookings: int) -> None:
    """Confirmed bookings with five held dates each within the reminder window, and conditions."""
    engine = create_engine(url)
    maker = async_sessionmaker(engine, expire_on_commit=False)
    async with maker() as s:
        venue = await f.make_venue(s, "Bench Hall", access_instructions="Key safe by the door.")
        rooms = [await f.make_room(s, venue, f"Room {i}") for i in range(20)]
        await s.commit()
        org_id = uuid.uuid4()
        await s.execute(
            insert(Organisation),
            [{"id": org_id, "provider_id": venue.provider_id, "name": "Bench Society", "type": "club"}],
        )
        cases, books, occs, decisions = [], [], [], []
        for i in range(bookings):
            case_id, booking_id = uuid.uuid4(), uuid.uuid4()
            cases.append(
                {
                    "id": case_id,
                    "reference": f"VH-B{i:06d}",
                    "status": "confirmed",
                    "provider_id": venue.provider_id,
                    "organisation_id": org_id,
                    "organisation_name": "Bench Society",
                    "organisation_submitted": {"name": "Bench Society"},
                    "organisation_link": "new",
                    "contact": {"name": "Bench Hirer", "email": f"hirer{i}@bench.example"},
                    "people": [],
                    "event": {"title": "Bench meeting"},
                    "declarations": [],
                    "answers": {},
                    "policy_id": "council-default",
                    "policy_version": "1",
                    "first_start": NOW,
                    "checks": [],
                    "applicant_token_hash": uuid.uuid4().hex + uuid.uuid4().hex,
                    "revision": 3,
                }
            )
            room = rooms[i % len(rooms)]
            books.append(
                {
                    "id": booking_id,
                    "case_id": case_id,
                    "room_id": room.id,
                    "uid": f"{booking_id}@bench",
                    "sequence": 1,
                    "changed_at": NOW,
                }
            )
            for seq in range(DATES_PER_BOOKING):
                start = NOW + dt.timedelta(days=1 + seq % 3, hours=seq, minutes=(i // len(rooms)) % 50)
                occs.append(
                    {
                        "id": uuid.uuid4(),
                        "booking_id": booking_id,
                        "seq": seq,
                        "start_utc": start,
                        "end_utc": start + dt.timedelta(hours=1),
                        "local_start": start.replace(tzinfo=None),
                        "local_end": (start + dt.timedelta(hours=1)).replace(tzinfo=None),
                        "status": "held",
                    }
                )
            decisions.append(
                {
                    "id": uuid.uuid4(),
                    "case_id": case_id,
                    "kind": "decision",
                    "outcome": "approve",
                    "reason": "Fine",
                    "conditions": [{"code": "leave_as_found", "text": "Leave the room as found."}],
                    "officer_name": "Bench Officer",
                    "decided_at": NOW - dt.timedelta(days=20),
                    "policy_id": "council-default",
                    "policy_version": "1",
                    "effective": True,
                }
            )
        for model, rows in (
            (VettingCase, cases),
            (Booking, books),
            (Occurrence, occs),
            (Decision, decisions),
        ):
            for i in range(0, len(rows), 1000):
                await s.execute(insert(model), rows[i : i + 1000])
        await s.commit()
    await engine.dispose()


async def baseline(deps: CaseDeps, now: dt.datetime) -> int:
    """The same reminders planned booking by booking: a query per booking for its dates, then its
    claim and its conditions (three statements per booking instead of a handful in all)."""
    today = now.date()
    booking_ids = (
        (
            await deps.session.execute(
                select(Booking.id)
                .join(VettingCase, VettingCase.id == Booking.case_id)
                .where(VettingCase.status == "confirmed")
            )
        )
        .scalars()
        .all()
    )
    sent = 0
    for booking_id in booking_ids:
        rows = await deps.session.execute(
            DUE_DATES.where(Booking.id == booking_id, Occurrence.start_utc > now)
        )
        due = await collect_due(deps, rows.tuples(), today)
        claimed = await claim(deps.session, [d.key for d in due], now)
        chosen = [d for d in due if d.key in claimed]
        conditions = await conditions_of(deps, [d.case.id for d in chosen[:1]])
        for d in chosen:
            await mail_hirer(
                deps, d.case, reminder_message(d, conditions.get(d.case.id, [])), dedupe_key=d.key
            )
            if wants_sms(d.case):
                await mail_hirer(
                    deps, d.case, reminder_message(d, []), channel="sms", dedupe_key=f"{d.key}:sms"
                )
        sent += len(chosen)
    return sent


Job = Callable[[CaseDeps, dt.datetime], Awaitable[int]]


async def timed(maker: async_sessionmaker[AsyncSession], job: Job, expected: int) -> float:
    mailer = CountingMailer()
    async with maker() as s:
        await s.execute(delete(ScheduledNotice))
        await s.commit()
    started = time.perf_counter()
    async with maker() as s:
        done = await job(CaseDeps(session=s, mailer=mailer), NOW)
        await s.commit()  # the mail is handed over after the commit
    took = time.perf_counter() - started
    assert done == expected and mailer.count == expected, (done, mailer.count, expected)
    return took


async def measure(url: str, label: str, runs: int, bookings: int) -> list[Figure]:
    engine = create_engine(url)
    maker = async_sessionmaker(engine, expire_on_commit=False)
    expected = bookings * DATES_PER_BOOKING
    ours: list[float] = []
    base: list[float] = []
    try:
        for i in range(runs):
            order: list[tuple[list[float], Job]] = [(ours, send_booking_reminders), (base, baseline)]
            for sink, job in order if i % 2 == 0 else order[::-1]:
                sink.append(await timed(maker, job, expected))
    finally:
        await engine.dispose()
    mine, theirs = statistics.median(ours), statistics.median(base)
    print(
        f"{label}: {expected:,} reminders across {bookings:,} bookings: job median {mine:.2f} s "
        f"(runs {', '.join(f'{t:.2f}' for t in ours)}); one query per booking median {theirs:.2f} s "
        f"(runs {', '.join(f'{t:.2f}' for t in base)})"
    )
    return [
        Figure(
            f"reminders: {expected:,} due across {bookings:,} bookings, {label} (median)",
            mine,
            "s",
            TARGET_S,
            "lower",
            theirs,
            "one query per booking (+ its claim, conditions)",
        )
    ]


def run_migrated(url: str, label: str, runs: int, bookings: int) -> list[Figure]:
    upgrade(url)  # its own event loop, before ours
    asyncio.run(seed(url, bookings))
    return asyncio.run(measure(url, label, runs, bookings))


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each (alternating)")
    parser.add_argument("--bookings", type=int, default=2000)
    parser.add_argument("--quick", action="store_true", help="one run of each")
    parser.add_argument(
        "--postgres",
        default=os.environ.get("VENUE_HIRE_TEST_POSTGRES_URL"),
        help="postgresql+asyncpg:// URL of a server where a temporary database may be created",
    )
    parser.add_argument("--json", help="write the figures to this file for bench/run_all.py")
    args = parser.parse_args()
    runs = 1 if args.quick else args.runs
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="vh-bench-reminders-") as tmp:
        figures += run_migrated(
            f"sqlite+aiosqlite:///{Path(tmp) / 'bench.sqlite3'}", "SQLite", runs, args.bookings
        )
    if args.postgres:
        name = f"vh_bench_rem_{uuid.uuid4().hex[:10]}"
        asyncio.run(pg_admin(args.postgres, f'CREATE DATABASE "{name}"'))
        try:
            url = f"{args.postgres.rpartition('/')[0]}/{name}"
            figures += run_migrated(url, "PostgreSQL", runs, args.bookings)
        finally:
            asyncio.run(pg_admin(args.postgres, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    else:
        print("PostgreSQL: skipped (set VENUE_HIRE_TEST_POSTGRES_URL or pass --postgres URL)")
    for fig in figures:
        print(
            f"{fig.name}: {fmt(fig.value, fig.unit)} ({fig.target_text()}): {'met' if fig.met else 'MISSED'}"
        )
    write_json(args.json, "reminders", figures)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
