"""SQL expressions the reports need that SQLite and PostgreSQL spell differently: the local
(Europe/London) date of a UTC instant, and the hours between two wall-clock times.

Both engines group by the same local dates: PostgreSQL converts with the time-zone database;
SQLite has none, so the expression adds the offset for each stretch of the period's years that
is on summer time (the transitions come from Python's zoneinfo, so both agree to the second).
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Date, Float, case, cast, func, literal
from sqlalchemy.sql.elements import ColumnElement

LONDON = ZoneInfo("Europe/London")


def utc_bounds(start: dt.date, end: dt.date, tz: ZoneInfo = LONDON) -> tuple[dt.datetime, dt.datetime]:
    """The UTC instants of local midnight at `start` and at the day after `end` (half-open)."""
    lo = dt.datetime.combine(start, dt.time.min, tzinfo=tz).astimezone(dt.UTC)
    hi = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz).astimezone(dt.UTC)
    return lo, hi


@functools.lru_cache(maxsize=32)
def offset_stretches(first_year: int, last_year: int) -> tuple[tuple[dt.datetime, dt.datetime, int], ...]:
    """(from, to, offset in minutes) of every stretch with a non-zero London offset in the years,
    as UTC instants. Found a day at a time, then the changing day a minute at a time;
    cached, as the same few years are asked for again and again."""

    def offset(at: dt.datetime) -> int:
        delta = at.astimezone(LONDON).utcoffset()
        return int(delta.total_seconds() // 60) if delta is not None else 0

    out: list[tuple[dt.datetime, dt.datetime, int]] = []
    t = dt.datetime(first_year, 1, 1, tzinfo=dt.UTC)
    stop = dt.datetime(last_year + 1, 1, 1, tzinfo=dt.UTC)
    previous = offset(t)
    opened: dt.datetime | None = t if previous else None
    while t < stop:
        step = t + dt.timedelta(days=1)
        now = offset(step)
        if now != previous:
            edge = t
            while offset(edge) == previous:
                edge += dt.timedelta(minutes=1)
            if opened is not None:
                out.append((opened, edge, previous))
            opened = edge if now else None
            previous = now
        t = step
    if opened is not None:
        out.append((opened, stop, previous))
    return tuple(out)


def local_date(column: Any, dialect: str, start: dt.date, end: dt.date) -> ColumnElement[Any]:
    """The Europe/London date of a UTC timestamp column, for instants from `start` to `end`
    (a year either side is covered, so rows near the edges still get the right date)."""
    if dialect == "postgresql":
        return cast(func.timezone("Europe/London", column), Date)
    whens = [
        (
            (column >= literal(lo, column.type)) & (column < literal(hi, column.type)),
            func.date(column, f"+{minutes} minutes"),
        )
        for lo, hi, minutes in offset_stretches(start.year - 1, end.year + 1)
    ]
    if not whens:
        return func.date(column)
    return case(*whens, else_=func.date(column))


def hours_between(start: Any, end: Any, dialect: str) -> ColumnElement[Any]:
    """Hours from `start` to `end` (two wall-clock or two UTC columns of one row)."""
    if dialect == "postgresql":
        return cast(func.extract("epoch", end - start), Float) / 3600.0
    return (func.julianday(end) - func.julianday(start)) * 24.0


def list_not_empty(column: Any, dialect: str) -> ColumnElement[bool]:
    """A JSON list column holds at least one item (conditions attached to an approval)."""
    if dialect == "postgresql":
        return func.jsonb_array_length(column) > 0
    return func.json_array_length(column) > 0


def as_date(value: Any) -> dt.date:
    """A date as the driver returns a date expression: `date` (asyncpg) or ISO text (SQLite)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])
