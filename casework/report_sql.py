"""SQL expressions the reports need on both engines alike: the Europe/London month of a UTC
instant (compared with each month's first instant, worked out by Python's zoneinfo, so SQLite and
PostgreSQL agree to the second) and the hours between two wall-clock times, which the engines
spell differently.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Float, case, cast, func, literal
from sqlalchemy.sql.elements import ColumnElement

LONDON = ZoneInfo("Europe/London")


def utc_bounds(start: dt.date, end: dt.date, tz: ZoneInfo = LONDON) -> tuple[dt.datetime, dt.datetime]:
    """The UTC instants of local midnight at `start` and at the day after `end` (half-open)."""
    lo = dt.datetime.combine(start, dt.time.min, tzinfo=tz).astimezone(dt.UTC)
    hi = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz).astimezone(dt.UTC)
    return lo, hi


def month_of(column: Any, start: dt.date, end: dt.date) -> ColumnElement[Any]:
    """The Europe/London month ("2027-03") of a UTC timestamp column whose rows are already kept
    to local dates `start` to `end`: compared with each month's first instant, so no row's date is
    worked out (the same on both engines, and cheaper than a date per row)."""
    months: list[dt.date] = []
    month = start.replace(day=1)
    while month <= end:
        months.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    whens = [
        (column < literal(utc_bounds(m, m)[0], column.type), literal(f"{previous:%Y-%m}"))
        for previous, m in itertools.pairwise(months)
    ]
    last = literal(f"{months[-1]:%Y-%m}")
    return case(*whens, else_=last) if whens else last


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
