"""SQL the reports need on both engines alike: the UTC bounds of each Europe/London month of a
period (worked out by Python's zoneinfo, so SQLite and PostgreSQL agree to the second) and the
hours between two wall-clock times, which the engines spell differently.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Float, cast, func
from sqlalchemy.sql.elements import ColumnElement

LONDON = ZoneInfo("Europe/London")


def utc_bounds(start: dt.date, end: dt.date, tz: ZoneInfo = LONDON) -> tuple[dt.datetime, dt.datetime]:
    """The UTC instants of local midnight at `start` and at the day after `end` (half-open)."""
    lo = dt.datetime.combine(start, dt.time.min, tzinfo=tz).astimezone(dt.UTC)
    hi = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz).astimezone(dt.UTC)
    return lo, hi


def month_ranges(start: dt.date, end: dt.date) -> list[tuple[str, dt.datetime, dt.datetime]]:
    """Each Europe/London month of local dates `start` to `end` ("2027-03"), with the UTC instants
    of its first moment and of the next month's (half-open), clipped to the period; worked out by
    Python's zoneinfo, so the same on both engines to the second."""
    out = []
    month = start.replace(day=1)
    while month <= end:
        following = (month + dt.timedelta(days=32)).replace(day=1)
        first, last = max(month, start), min(following - dt.timedelta(days=1), end)
        lo, hi = utc_bounds(first, last)
        out.append((f"{month:%Y-%m}", lo, hi))
        month = following
    return out


def hours_between(start: Any, end: Any, dialect: str) -> ColumnElement[Any]:
    """Hours from `start` to `end` (two wall-clock or two UTC columns of one row)."""
    if dialect == "postgresql":
        return cast(func.extract("epoch", end - start), Float) / 3600.0
    return (func.julianday(end) - func.julianday(start)) * 24.0


def as_date(value: Any) -> dt.date:
    """A date as the driver returns a date expression: `date` (asyncpg) or ISO text (SQLite)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])
