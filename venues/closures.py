"""Closures (whole local days, inclusive ranges) and UK bank holidays from the ``holidays`` package.

Bank holidays come from the maintained ``holidays`` package rather than a hand-typed list, so
one-off days (a state funeral, a coronation) and substitute days ("Boxing Day (observed)") arrive
with package updates. England and Wales share a calendar; Scotland and Northern Ireland differ.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from venues.slot_text import describe_date

UK_SUBDIVISIONS: dict[str, str] = {
    "ENG": "England",
    "WLS": "Wales",
    "SCT": "Scotland",
    "NIR": "Northern Ireland",
}


class ClosureError(ValueError):
    """A closure that makes no sense (ends before it starts, unknown region)."""


@dataclass(frozen=True)
class Closure:
    """The venue or room is closed from ``start_date`` to ``end_date`` inclusive, local dates."""

    start_date: date
    end_date: date
    reason: str

    def __post_init__(self) -> None:
        if self.end_date < self.start_date:
            raise ClosureError(
                f"Closure '{self.reason}' ends ({describe_date(self.end_date)}) "
                f"before it starts ({describe_date(self.start_date)})"
            )

    def covers(self, day: date) -> bool:
        return self.start_date <= day <= self.end_date


def occupied_dates(local_start: datetime, local_end: datetime) -> tuple[date, date]:
    """First and last local date a slot touches; a slot ending at midnight does not touch the next day."""
    last = local_end.date()
    if local_end.time() == time(0) and local_end > local_start:
        last -= timedelta(days=1)
    return local_start.date(), max(last, local_start.date())


def closure_hits(closures: Iterable[Closure], local_start: datetime, local_end: datetime) -> list[Closure]:
    """Closures that cover any local date the slot touches, in date order."""
    first, last = occupied_dates(local_start, local_end)
    hits = [c for c in closures if c.start_date <= last and first <= c.end_date]
    return sorted(hits, key=lambda c: (c.start_date, c.end_date, c.reason))


def uk_bank_holiday_closures(start: date, end: date, subdiv: str = "ENG") -> list[Closure]:
    """One single-day closure per UK bank holiday from ``start`` to ``end`` inclusive.

    ``subdiv``: ENG (England, default), WLS (Wales), SCT (Scotland) or NIR (Northern Ireland).
    Several holidays on one day are joined in the reason ("A; B").
    """
    code = subdiv.upper()
    if code not in UK_SUBDIVISIONS:
        raise ClosureError(f"Unknown UK region '{subdiv}': use {', '.join(UK_SUBDIVISIONS)}")
    if end < start:
        raise ClosureError("The end date is before the start date")
    return [
        Closure(day, day, reason)
        for year in range(start.year, end.year + 1)
        for day, reason in _bank_holidays(code, year)
        if start <= day <= end
    ]


def load_bank_holidays(today: date) -> None:
    """Import the holiday tables and build this year's and next year's calendars of every UK
    region. A pre-forking server calls this before it forks (api/cli/prefork.py): importing the
    tables (every country's module, about 250) in each worker at its first booking request had
    made each worker's memory its own."""
    for code in ("ENG", "WLS", "SCT", "NIR"):
        for year in (today.year, today.year + 1):
            _bank_holidays(code, year)


@functools.lru_cache(maxsize=64)
def _bank_holidays(code: str, year: int) -> tuple[tuple[date, str], ...]:
    """One region's bank holidays in one year, in date order. Cached: every booking request asks,
    and building the calendar cost more than the rest of planning a date."""
    import holidays  # imported here: loading its country tables is only needed for this function

    calendar = holidays.country_holidays("GB", subdiv=code, years=year)
    return tuple((day, "; ".join(calendar.get_list(day))) for day in sorted(calendar))
