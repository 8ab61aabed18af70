"""Invented bookings for the calendar feed tests and the benchmark."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from venues.calendar import (
    BookingStatus,
    DetailLevel,
    FeedBooking,
    FeedCondition,
    FeedDecision,
    FeedOccurrence,
    FeedSpec,
)

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2027, 2, 15, 9, 30, tzinfo=UTC)
WINDOW = (datetime(2027, 1, 1, tzinfo=UTC), datetime(2028, 7, 1, tzinfo=UTC))


def london(y: int, mo: int, d: int, h: int, mi: int = 0) -> datetime:
    """A London wall-clock time as an aware UTC datetime, as the database holds it."""
    return datetime(y, mo, d, h, mi, tzinfo=LONDON).astimezone(UTC)


def spec(detail: DetailLevel = "standard") -> FeedSpec:
    return FeedSpec(
        calendar_name="Millbrook Community Centre: Main Hall",
        council_name="Millbrook Borough Council",
        description="Bookings of the Main Hall, Millbrook Community Centre",
        detail=detail,
    )


def weekly(first_local: datetime, weeks: int, hours: int = 2) -> tuple[FeedOccurrence, ...]:
    """`weeks` occurrences at the same London wall time each week (so UTC shifts at clock changes)."""
    out = []
    for i in range(weeks):
        local = first_local + timedelta(weeks=i)
        start = london(local.year, local.month, local.day, local.hour, local.minute)
        out.append(FeedOccurrence(start, start + timedelta(hours=hours), "held"))
    return tuple(out)


def cancel(occs: tuple[FeedOccurrence, ...], index: int) -> tuple[FeedOccurrence, ...]:
    changed = list(occs)
    changed[index] = replace(occs[index], status="cancelled")
    return tuple(changed)


def move(occs: tuple[FeedOccurrence, ...], index: int, by: timedelta) -> tuple[FeedOccurrence, ...]:
    changed = list(occs)
    occ = occs[index]
    changed[index] = FeedOccurrence(occ.start_utc + by, occ.end_utc + by, "held", occ.start_utc)
    return tuple(changed)


def booking(
    uid: str,
    occurrences: tuple[FeedOccurrence, ...],
    *,
    rrule: str | None = None,
    status: BookingStatus = "confirmed",
    sequence: int = 2,
    last_modified: datetime = datetime(2027, 2, 1, 11, 15, tzinfo=UTC),
    title: str = "Spring lecture series",
    organisation: str = "Millbrook Local History Society",
) -> FeedBooking:
    return FeedBooking(
        uid=uid,
        sequence=sequence,
        last_modified=last_modified,
        status=status,
        reference=f"VH-2027-{sum(map(ord, uid)) % 10000:04d}",
        venue_name="Millbrook Community Centre",
        room_name="Main Hall",
        venue_address="12 Station Road, Millbrook MB1 2AB",
        organisation_name=organisation,
        event_title=title,
        expected_attendance=45,
        setup_minutes=30,
        cleardown_minutes=15,
        conditions=(
            FeedCondition("STEWARDS", "Two stewards at the entrance throughout", "Attendance above 40"),
            FeedCondition("CAPACITY", "No more than 60 people in the hall", None),
        ),
        decision=FeedDecision(
            "approved with conditions", datetime(2027, 1, 28, 14, 5, tzinfo=UTC), "Aled Fenwick"
        ),
        contact_name="Rosalind Achterberg",
        contact_phone="01632 960482",
        rrule=rrule,
        occurrences=occurrences,
    )


def held(occs: tuple[FeedOccurrence, ...]) -> list[tuple[datetime, datetime]]:
    return [(o.start_utc, o.end_utc) for o in occs if o.status == "held"]
