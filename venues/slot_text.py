"""Human wording for dates, times and slots, fixed to British English whatever the server locale."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

_DAY_ABBR = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def describe_date(day: date) -> str:
    """``Tue 12 Jan 2027``."""
    return f"{_DAY_ABBR[day.weekday()]} {day.day} {_MONTH_ABBR[day.month - 1]} {day.year}"


def describe_time(moment: datetime | time) -> str:
    """``19:00``."""
    return f"{moment.hour:02d}:{moment.minute:02d}"


def describe_minutes(minutes: int) -> str:
    """Minutes after midnight as ``HH:MM``; 1440 is ``24:00``."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def describe_slot(local_start: datetime, local_end: datetime) -> str:
    """``Tue 12 Jan 2027 19:00-21:00``; a slot ending on a later day names that day too."""
    head = f"{describe_date(local_start.date())} {describe_time(local_start)}"
    if local_end.date() == local_start.date():
        return f"{head}-{describe_time(local_end)}"
    if local_end.date() == local_start.date() + timedelta(days=1) and local_end.time() == time(0):
        return f"{head}-24:00"
    return f"{head} to {describe_date(local_end.date())} {describe_time(local_end)}"
