"""Working days in England and Wales: Monday to Friday except bank holidays.

Bank holidays come from the maintained `holidays` package (England subdivision of GB, which
England and Wales share), including substitute days when a holiday falls at a weekend.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays

_SUBDIVISION = "ENG"


@lru_cache(maxsize=64)
def _holidays_for_year(year: int) -> dict[dt.date, str]:
    calendar = holidays.country_holidays("GB", subdiv=_SUBDIVISION, years=year)
    return dict(calendar.items())


def bank_holiday_name(day: dt.date) -> str | None:
    """The bank holiday on this day (England and Wales), or None."""
    return _holidays_for_year(day.year).get(day)


def is_working_day(day: dt.date) -> bool:
    """True on Monday to Friday unless it is a bank holiday (or a substitute day)."""
    return day.weekday() < 5 and bank_holiday_name(day) is None


def add_working_days(start: dt.date, n: int) -> dt.date:
    """The date n working days after `start` (before it, for negative n); `start` itself never counts.

    ``add_working_days(d, 0)`` is `d` when it is a working day, else the next working day.
    """
    day = start
    if n == 0:
        while not is_working_day(day):
            day += dt.timedelta(days=1)
        return day
    step = dt.timedelta(days=1 if n > 0 else -1)
    remaining = abs(n)
    while remaining:
        day += step
        if is_working_day(day):
            remaining -= 1
    return day


def _weekdays_up_to(day: dt.date) -> int:
    """Mondays to Fridays from 1 January of year 1 (a Monday) up to and including `day`."""
    weeks, days = divmod(day.toordinal(), 7)
    return 5 * weeks + min(days, 5)


def _weekday_holidays(after: dt.date, until: dt.date) -> int:
    """Bank holidays on a Monday to Friday after `after`, up to and including `until`."""
    return sum(
        1
        for year in range(after.year, until.year + 1)
        for day in _holidays_for_year(year)
        if after < day <= until and day.weekday() < 5
    )


def working_days_between(a: dt.date, b: dt.date) -> int:
    """Working days after `a` up to and including `b` (negative when b is before a).

    This is the notice given by a request made on `a` for an event on `b`:
    ``working_days_between(d, add_working_days(d, n)) == n`` for n >= 1.

    Counted, not walked: every booking request asks this several times for a date up to a year
    ahead, and walking the days one at a time was a tenth of the request's CPU.
    """
    if b < a:
        return -working_days_between(b, a)
    return _weekdays_up_to(b) - _weekdays_up_to(a) - _weekday_holidays(a, b)


def bank_holidays(start: dt.date, end: dt.date) -> list[tuple[dt.date, str]]:
    """Bank holidays in England and Wales from `start` to `end` inclusive, in date order."""
    if end < start:
        return []
    out: list[tuple[dt.date, str]] = []
    for year in range(start.year, end.year + 1):
        out.extend((d, name) for d, name in _holidays_for_year(year).items() if start <= d <= end)
    return sorted(out)
