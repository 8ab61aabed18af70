"""What a feed is built from: frozen inputs the caller loads from the database, and the rules on
which bookings a feed shows (the window, the grace period of cancelled bookings, occurrence UIDs)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Literal, NamedTuple

DEFAULT_CANCELLED_GRACE = timedelta(days=30)
WINDOW_BACK = timedelta(days=30)
WINDOW_AHEAD = timedelta(days=548)  # about 18 months

OccurrenceStatus = Literal["held", "cancelled"]
BookingStatus = Literal["confirmed", "awaiting_acceptance", "cancelled"]
DetailLevel = Literal["busy", "standard", "full"]


@dataclass(frozen=True)
class FeedOccurrence:
    """One date of a booking as held in the database (UTC, aware)."""

    start_utc: datetime
    end_utc: datetime
    status: OccurrenceStatus
    original_start_utc: datetime | None = None  # the slot the series rule gave it, when moved


class FeedCondition(NamedTuple):
    """A condition of hire attached to the decision."""

    code: str
    text: str
    rationale: str | None = None


class FeedDecision(NamedTuple):
    """The officer's decision on the booking."""

    outcome: str  # e.g. "approved", "approved with conditions"
    decided_at: datetime
    officer_name: str


@dataclass(frozen=True)
class FeedBooking:
    """Everything a feed may show about one booking; it must never carry screening detail or emails."""

    uid: str  # random, stored when the booking is created
    sequence: int
    last_modified: datetime  # aware, UTC; becomes DTSTAMP and LAST-MODIFIED
    status: BookingStatus
    reference: str
    venue_name: str
    room_name: str
    venue_address: str
    organisation_name: str
    event_title: str
    expected_attendance: int | None
    setup_minutes: int
    cleardown_minutes: int
    conditions: tuple[FeedCondition, ...]
    decision: FeedDecision | None
    contact_name: str | None
    contact_phone: str | None
    rrule: str | None  # the series rule as requested; None for a single booking
    occurrences: tuple[FeedOccurrence, ...]


@dataclass(frozen=True)
class FeedSpec:
    """Who the feed is for and how much it shows."""

    calendar_name: str
    council_name: str
    description: str
    detail: DetailLevel
    tz: str = "Europe/London"


@dataclass(frozen=True)
class DueCase:
    """A case awaiting a decision, for the officers' "decisions due" feed (all-day events)."""

    uid: str
    sequence: int
    last_modified: datetime
    reference: str
    title: str
    target_date: date
    tier: str


def default_window(now: datetime) -> tuple[datetime, datetime]:
    """30 days back to about 18 months ahead, from the start of `now`'s UTC day (stable within a day)."""
    day = now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    return day - WINDOW_BACK, day + WINDOW_AHEAD


def visible_in_feed(
    status: BookingStatus, last_modified: datetime, now: datetime, grace: timedelta = DEFAULT_CANCELLED_GRACE
) -> bool:
    """Whether a booking belongs in feeds at all: cancelled ones stay for `grace` after cancelling."""
    return status != "cancelled" or last_modified >= now - grace


def utc_stamp(dt: datetime) -> str:
    """``YYYYMMDDTHHMMSSZ``."""
    return dt.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def occurrence_uid(uid: str, original_start_utc: datetime) -> str:
    """UID of one occurrence written as its own VEVENT (stable as long as its slot is)."""
    return f"{uid}#{utc_stamp(original_start_utc)}"
