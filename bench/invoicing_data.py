"""Invented data for bench/invoicing.py: two councils (9 in 10 bookings in the first), each with 8
charging venues of 5 rooms (the bundled `council-halls` rate card), and confirmed bookings without
invoices, each one to four weekly dates in March 2027 at day or evening times, made by community
groups, charities and companies (each priced at its own rate).

Written in bulk with SQLAlchemy core in the shapes the services write (bench/reports_data.Rows).
The same seed gives the same bookings, references and order (each case is made a second after the
one before), so two databases seeded alike can be compared invoice by invoice.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
import uuid
from typing import Any
from zoneinfo import ZoneInfo

from bench.reports_data import ALL_WEEK, Rows
from venues.models import Booking, Occurrence, Room, Venue
from vetting.models import Organisation, VettingCase
from vetting.providers import Provider

LONDON = ZoneInfo("Europe/London")
MONTH = "2027-03"
MADE = dt.datetime(2027, 1, 10, 9, tzinfo=dt.UTC)
KINDS = ("club", "club", "charity", "company", "faith_group")


def _times(at: dt.datetime) -> dict[str, Any]:
    return {"created_at": at, "updated_at": at}


def _council(rows: Rows, name: str, slug: str) -> tuple[uuid.UUID, list[uuid.UUID], uuid.UUID]:
    provider = rows.add(
        Provider,
        slug=slug,
        name=name,
        kind="unitary_council",
        policy_ids=[],
        message_templates={},
        active=True,
        **_times(MADE),
    )
    rooms: list[uuid.UUID] = []
    for v in range(8):
        venue = rows.add(
            Venue,
            name=f"{name} Venue {v + 1}",
            provider_id=provider,
            owner_kind="council",
            owner_name=name,
            address=f"{v + 1} Bench Street",
            timezone="Europe/London",
            policy_id="council-default",
            bank_holidays_region="ENG",
            rate_card_id="council-halls",
            **_times(MADE),
        )
        for r in range(5):
            rooms.append(
                rows.add(
                    Room,
                    venue_id=venue,
                    name=f"Room {r + 1}",
                    capacity=40,
                    accessibility=[],
                    opening_hours=ALL_WEEK,
                    buffer_before_minutes=(0, 15)[r % 2],
                    buffer_after_minutes=15,
                    active=True,
                    **_times(MADE),
                )
            )
    organisation = rows.add(
        Organisation, provider_id=provider, name=f"Bench Group {slug}", type="club", **_times(MADE)
    )
    return provider, rooms, organisation


def build(bookings: int, seed: int = 19) -> Rows:
    rng = random.Random(seed)
    rows = Rows()
    councils = [
        _council(rows, "Benchshire Council", "benchshire"),
        _council(rows, "Otherbench Council", "otherbench"),
    ]
    for n in range(bookings):
        provider, rooms, organisation = councils[0] if n % 10 else councils[1]
        made = MADE + dt.timedelta(seconds=n)
        kind = rng.choice(KINDS)
        first = dt.datetime(
            2027, 3, rng.randint(1, 10), rng.choice((9, 10, 13, 16, 18, 19)), rng.choice((0, 30))
        )
        case = rows.add(
            VettingCase,
            reference=f"VH-INV-{n:06d}",
            status="confirmed",
            provider_id=provider,
            organisation_id=organisation,
            organisation_name=f"Bench Group {n}",
            organisation_submitted={"name": f"Bench Group {n}", "type": kind, "address": f"{n} Bench Road"},
            organisation_link="new",
            contact={},
            people=[],
            event={"title": "Bench event"},
            declarations=[],
            answers={},
            policy_id="council-default",
            policy_version="1",
            tier="standard",
            target_date=None,
            first_start=first.replace(tzinfo=LONDON).astimezone(dt.UTC),
            checks=[],
            applicant_token_hash=secrets.token_hex(32),
            revision=1,
            **_times(made),
        )
        booking = rows.add(
            Booking,
            case_id=case,
            room_id=rng.choice(rooms),
            rrule=None,
            uid=f"{uuid.uuid4().hex}@bench",
            sequence=0,
            changed_at=made,
            **_times(made),
        )
        for seq in range(rng.randint(1, 4)):
            local = first + dt.timedelta(weeks=seq)
            start = local.replace(tzinfo=LONDON).astimezone(dt.UTC)
            hours = rng.choice((1.0, 1.5, 2.0, 3.0))
            rows.add(
                Occurrence,
                booking_id=booking,
                seq=seq,
                start_utc=start,
                end_utc=start + dt.timedelta(hours=hours),
                local_start=local,
                local_end=local + dt.timedelta(hours=hours),
                status="held",
                original_start_utc=None,
                **_times(made),
            )
    return rows
