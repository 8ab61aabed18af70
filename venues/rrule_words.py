"""A recurrence rule in words: ``FREQ=WEEKLY;UNTIL=20270303`` read as "every Wednesday until
3 March 2027", for pages and messages, where a hirer or an officer should never meet RFC 5545.

Pure: it covers the subset `venues.rrule_spec` accepts (and so every rule the service stores).
The first date of the series supplies the weekday or day of the month a rule leaves implicit.
"""

from __future__ import annotations

import datetime as dt

from venues.rrule_spec import WEEKDAY_NAMES, ByDay, RecurrenceError, RRuleSpec, parse_rrule

_EVERY_NTH = {2: "other"}
_WEEKDAYS = frozenset(range(5))


def long_date_text(day: dt.date) -> str:
    """ "3 March 2027": the GOV.UK date style, without the weekday."""
    return f"{day.day} {day:%B %Y}"


def ordinal_day(n: int) -> str:
    """1st, 2nd, 3rd, 11th, 22nd; -1 is "last", -2 "second to last"."""
    if n == -1:
        return "last"
    if n < 0:
        return f"{ordinal_day(-n)} to last"
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _join(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def _every(interval: int, unit: str) -> str:
    """ "every week", "every other week", "every 3 weeks"."""
    if interval == 1:
        return f"every {unit}"
    if interval in _EVERY_NTH:
        return f"every {_EVERY_NTH[interval]} {unit}"
    return f"every {interval} {unit}s"


def _plain_days(days: tuple[ByDay, ...]) -> list[int]:
    return sorted({d.weekday for d in days})


def _daily(spec: RRuleSpec) -> str:
    days = _plain_days(spec.byday)
    if not days:
        return _every(spec.interval, "day")
    named = "every weekday" if set(days) == _WEEKDAYS else "every " + _join([WEEKDAY_NAMES[d] for d in days])
    return named if spec.interval == 1 else f"{_every(spec.interval, 'day')}, on {named[6:]}"


def _weekly(spec: RRuleSpec, first: dt.date | None) -> str:
    days = _plain_days(spec.byday) or ([first.weekday()] if first else [])
    if not days:
        return _every(spec.interval, "week")
    names = _join([WEEKDAY_NAMES[d] for d in days])
    if spec.interval == 1:
        return f"every {names}"
    if spec.interval == 2:
        return f"every other {names}"
    return f"every {spec.interval} weeks on {names}"


def _monthly(spec: RRuleSpec, first: dt.date | None) -> str:
    months = _every(spec.interval, "month")
    if spec.byday:
        which = _join([d.describe() for d in spec.byday if d.ordinal is not None])
        return f"the {which} of {months}"
    monthdays = list(spec.bymonthday) or ([first.day] if first else [])
    if not monthdays:
        return months
    named = _join([("last day" if n == -1 else f"{ordinal_day(n)}") for n in monthdays])
    return f"the {named} of {months}"


def _end(spec: RRuleSpec) -> str:
    if spec.count is not None:
        return ", once" if spec.count == 1 else f", {spec.count} times"
    if spec.until is not None:
        until = spec.until
        day = until.date() if isinstance(until, dt.datetime) else until
        return f" until {long_date_text(day)}"
    return ""


def describe_spec(spec: RRuleSpec, first: dt.date | None = None) -> str:
    """The rule in words, starting in lower case ("every Wednesday until 3 March 2027")."""
    if spec.freq == "DAILY":
        body = _daily(spec)
    elif spec.freq == "WEEKLY":
        body = _weekly(spec, first)
    else:
        body = _monthly(spec, first)
    return body + _end(spec)


def describe_rrule(rule: str | None, first: dt.date | None = None) -> str:
    """Words for a stored rule; "once" without one. A rule the parser refuses (none is stored)
    still never shows its RFC 5545 text."""
    if not rule:
        return "once"
    try:
        spec = parse_rrule(rule)
    except RecurrenceError:
        return "on a repeating pattern"
    return describe_spec(spec, first)


__all__ = ["describe_rrule", "describe_spec", "long_date_text", "ordinal_day"]
