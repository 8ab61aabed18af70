"""A room's days as the public directory shows them: free, partly free, booked or closed.

Pure (no database): `venues.directory` reads the rooms, their holds and closures for many rooms
at once and hands each room's share to these functions. Everything here is in the venue's local
wall-clock time (naive datetimes); busy intervals already carry the buffers of the bookings that
hold them, and a new booking needs the room's own buffers around it as well, so busy time is
widened by those before free time is worked out, exactly as a booking request is checked.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from venues.closures import Closure
from venues.conflicts import merge_intervals
from venues.opening_hours import OpeningHours

DayState = Literal["free", "partly", "booked", "closed"]
Interval = tuple[dt.datetime, dt.datetime]

DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class RoomTime:
    """What decides when one room is free: its hours, closures, busy time and buffers."""

    hours: OpeningHours | None  # None: no opening hours set, open all day every day
    closures: Sequence[Closure]
    busy: Sequence[Interval]  # local, merged, sorted
    buffer_before: dt.timedelta = dt.timedelta(0)
    buffer_after: dt.timedelta = dt.timedelta(0)

    def closure_on(self, day: dt.date) -> Closure | None:
        return next((c for c in self.closures if c.covers(day)), None)

    def open_ranges(self, day: dt.date) -> list[Interval]:
        """The day's opening times; none on a closed day."""
        if self.closure_on(day) is not None:
            return []
        midnight = dt.datetime.combine(day, dt.time(0))
        if self.hours is None:
            return [(midnight, midnight + DAY)]
        return [
            (midnight + dt.timedelta(minutes=r.start), midnight + dt.timedelta(minutes=r.end))
            for r in self.hours.days[day.weekday()]
        ]

    def blocked(self, start: dt.datetime, end: dt.datetime) -> list[Interval]:
        """Busy time near [start, end), widened so that a booking outside it keeps its buffers."""
        return [
            (a - self.buffer_after, b + self.buffer_before)
            for a, b in self.busy
            if a - self.buffer_after < end and b + self.buffer_before > start
        ]

    def free_ranges(self, day: dt.date) -> list[Interval]:
        """Stretches of the day in which a booking could start and finish."""
        out: list[Interval] = []
        for start, end in self.open_ranges(day):
            cursor = start
            for a, b in self.blocked(start, end):
                if a > cursor:
                    out.append((cursor, min(a, end)))
                cursor = max(cursor, b)
            if cursor < end:
                out.append((cursor, end))
        return out

    def state(self, day: dt.date) -> DayState:
        opening = self.open_ranges(day)
        if not opening:
            return "closed"
        free = self.free_ranges(day)
        if not free:
            return "booked"
        return "free" if free == opening else "partly"

    def slot_free(self, start: dt.datetime, end: dt.datetime) -> bool:
        """Whether a booking from `start` to `end` (local) could be asked for."""
        if end <= start:
            return False
        if self.hours is not None and not self.hours.fits(start, end):
            return False
        day = start.date()
        while day <= (end - dt.timedelta(microseconds=1)).date():
            if self.closure_on(day) is not None:
                return False
            day += DAY
        return not self.blocked(start, end)


# Parts of a day a hirer thinks in; free time is offered in these pieces on a room's page.
DAY_PARTS = (
    ("Morning", dt.time(0), dt.time(12)),
    ("Afternoon", dt.time(12), dt.time(17)),
    ("Evening", dt.time(17), None),
)


def day_parts(day: dt.date, free: Sequence[Interval]) -> list[tuple[str, dt.datetime, dt.datetime]]:
    """Free time cut into morning, afternoon and evening: ("Evening", 17:00, 22:00), ..."""
    out: list[tuple[str, dt.datetime, dt.datetime]] = []
    for name, first, last in DAY_PARTS:
        part_start = dt.datetime.combine(day, first)
        part_end = (
            dt.datetime.combine(day, last) if last is not None else dt.datetime.combine(day + DAY, dt.time(0))
        )
        for start, end in free:
            a, b = max(start, part_start), min(end, part_end)
            if a < b:
                out.append((name, a, b))
    return out


def local_busy(
    held: Iterable[Interval], zone: dt.tzinfo, start: dt.datetime, end: dt.datetime
) -> list[Interval]:
    """Aware held intervals as merged local wall-clock intervals, cut to [start, end) (aware)."""
    clipped = [(max(a, start), min(b, end)) for a, b in held if a < end and b > start]
    return [
        (a.astimezone(zone).replace(tzinfo=None), b.astimezone(zone).replace(tzinfo=None))
        for a, b in merge_intervals(clipped)
    ]


def month_weeks(year: int, month: int) -> list[list[dt.date | None]]:
    """The month as weeks from Monday; None for days of the neighbouring months."""
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    return [[d if d.month == month else None for d in week] for week in weeks]


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    """First day of the month and first day of the next."""
    first = dt.date(year, month, 1)
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return first, following


__all__ = [
    "DAY_PARTS",
    "DayState",
    "Interval",
    "RoomTime",
    "day_parts",
    "local_busy",
    "month_bounds",
    "month_weeks",
]
