"""Expand a booking's first slot and recurrence rule into concrete occurrences.

Wall-clock rule: every occurrence keeps the first occurrence's local start time and local
(wall-clock) duration in the venue's timezone, so a weekly 19:00-21:00 series stays 19:00-21:00
across the March and October clock changes while its UTC instants move by an hour.

Clock-change edge cases, resolved deterministically (PEP 495 ``fold=0``):
* a local time that does not exist (inside the spring-forward gap, 01:00-02:00 in the UK) moves
  forward by the length of the gap (01:30 becomes 02:30 BST); if that would leave the end at or
  before the start, the end becomes start plus the wall-clock duration;
* a local time that happens twice (the autumn fall-back hour) takes its first instance (BST).
The first occurrence is always exactly the ``start``/``end`` given (RFC 5545: DTSTART is the first
instance, counted by COUNT, even when it does not match the rule).

A series must end: a rule needs COUNT or UNTIL, and every occurrence must start within the
booking horizon; otherwise :class:`RecurrenceError` says why.

The horizon is a day, not an instant: bookings can be made up to and including the day
``horizon_months`` after today in the venue's time zone, whatever the hour. (An instant made the
message contradict itself: "up to Tue 30 Nov 2027" while a 19:00 start on that Tuesday, later in
the day than the clock read when asking, was refused.)
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil import rrule as du
from dateutil.relativedelta import relativedelta

from venues.rrule_spec import (
    MAX_COUNT,
    WEEKDAY_CODES,
    ByDay,
    RecurrenceError,
    RRuleSpec,
    format_until,
    parse_rrule,
)
from venues.slot_text import describe_date, describe_slot

__all__ = [
    "MAX_DURATION",
    "ByDay",
    "Occurrence",
    "RRuleSpec",
    "RecurrenceError",
    "expand_series",
    "format_until",
    "parse_rrule",
    "rule_dates",
]

MAX_DURATION = timedelta(hours=24)

# dateutil's stubs type the frequency as a literal, so spell out its values (DAILY=3, WEEKLY=2, MONTHLY=1).
_DU_FREQ: dict[str, Literal[1, 2, 3]] = {"DAILY": 3, "WEEKLY": 2, "MONTHLY": 1}
_DU_WEEKDAYS = (du.MO, du.TU, du.WE, du.TH, du.FR, du.SA, du.SU)


@dataclass(frozen=True)
class Occurrence:
    """One slot of a series: aware UTC instants plus naive wall-clock times in the venue timezone."""

    start_utc: datetime
    end_utc: datetime
    local_start: datetime
    local_end: datetime
    index: int

    def describe(self) -> str:
        """``Tue 12 Jan 2027 19:00-21:00`` (local time)."""
        return describe_slot(self.local_start, self.local_end)


def expand_series(
    start: datetime,
    end: datetime,
    rrule: str | None,
    tz: str = "Europe/London",
    horizon_months: int = 12,
    now: datetime | None = None,
) -> list[Occurrence]:
    """All occurrences of the series starting ``start``-``end`` and repeating by ``rrule``.

    ``rrule`` ``None`` or blank means a single occurrence. Raises :class:`RecurrenceError`.
    """
    zone = _zone(tz)
    if start.tzinfo is None or end.tzinfo is None:
        raise RecurrenceError(
            "Start and end times must include a time zone offset, e.g. 2027-01-12T19:00:00+00:00"
        )
    if end <= start:
        raise RecurrenceError("The end time must be after the start time")
    if end - start > MAX_DURATION:
        raise RecurrenceError("A single booking can last at most 24 hours: book a series instead")
    current = datetime.now(UTC) if now is None else now
    if current.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    horizon_day = horizon_last_day(current, horizon_months, zone)

    local_start = start.astimezone(zone)
    local_end = end.astimezone(zone)
    first = Occurrence(
        start_utc=start.astimezone(UTC),
        end_utc=end.astimezone(UTC),
        local_start=local_start.replace(tzinfo=None),
        local_end=local_end.replace(tzinfo=None),
        index=0,
    )
    wall_duration = first.local_end - first.local_start
    if wall_duration <= timedelta(0):
        raise RecurrenceError(
            "The start and end times fall either side of the autumn clock change in a way that makes "
            "the booking end before it starts on the clock: adjust the times"
        )
    _check_horizon(first, horizon_day, horizon_months)
    if rrule is None or not rrule.strip():
        return [first]

    spec = parse_rrule(rrule)
    if spec.count is None and spec.until is None:
        raise RecurrenceError(
            f"The series has no end: add COUNT (how many times) or UNTIL (the last date); "
            f"bookings can be made up to {horizon_months} months ahead"
        )
    if spec.until is not None and not _within_until(first, spec.until):
        raise RecurrenceError(f"UNTIL={format_until(spec.until)} is before the first occurrence")

    occurrences = [first]
    for index, wall_start in enumerate(_wall_starts(spec, first.local_start), start=1):
        if spec.count is not None and index >= spec.count:
            break
        occurrence = _resolve(wall_start, wall_duration, zone, index)
        if spec.until is not None and not _within_until(occurrence, spec.until):
            break
        _check_horizon(occurrence, horizon_day, horizon_months)
        if index >= MAX_COUNT:
            raise RecurrenceError(f"A series can have at most {MAX_COUNT} occurrences")
        occurrences.append(occurrence)
    return occurrences


def _zone(tz: str) -> ZoneInfo:
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise RecurrenceError(f"Unknown time zone '{tz}'") from exc


def horizon_last_day(now: datetime, months: int, zone: ZoneInfo) -> date:
    """The last day a booking may start on: today in the venue's zone plus ``months``."""
    # relativedelta clamps 31 Jan + 1 month to 28/29 Feb, which is what a horizon wants.
    result: date = now.astimezone(zone).date() + relativedelta(months=months)
    return result


def rule_dates(spec: RRuleSpec, dtstart: datetime) -> du.rrule:
    """The rule's wall-clock dates from ``dtstart`` as dateutil reads RFC 5545, ignoring COUNT and
    UNTIL (callers bound it). The one expander: booking plans (below) and the calendar writer,
    which checks that a stored rule regenerates exactly the held dates before writing it.

    ``dtstart`` itself comes first only when the rule matches it (dateutil's reading); seconds
    are kept, microseconds dropped.
    """
    return du.rrule(
        _DU_FREQ[spec.freq],
        dtstart=dtstart,
        interval=spec.interval,
        wkst=WEEKDAY_CODES.index(spec.wkst) if spec.wkst else None,
        byweekday=[_du_weekday(d) for d in spec.byday] or None,
        bymonthday=list(spec.bymonthday) or None,
        cache=False,
    )


def _wall_starts(spec: RRuleSpec, dtstart: datetime) -> Iterator[datetime]:
    """Wall-clock starts after DTSTART (which is always the first occurrence and emitted by the caller)."""
    base = dtstart.replace(microsecond=0)  # dateutil drops microseconds; put them back below
    for wall in rule_dates(spec, base):
        if wall > base:
            yield wall.replace(microsecond=dtstart.microsecond)


def _du_weekday(day: ByDay) -> du.weekday:
    weekday = _DU_WEEKDAYS[day.weekday]
    return weekday if day.ordinal is None else weekday(day.ordinal)


def _to_utc(wall: datetime, zone: ZoneInfo) -> datetime:
    return wall.replace(tzinfo=zone, fold=0).astimezone(UTC)


def _resolve(wall_start: datetime, wall_duration: timedelta, zone: ZoneInfo, index: int) -> Occurrence:
    start_utc = _to_utc(wall_start, zone)
    end_utc = _to_utc(wall_start + wall_duration, zone)
    if end_utc <= start_utc:
        end_utc = start_utc + wall_duration
    return Occurrence(
        start_utc=start_utc,
        end_utc=end_utc,
        local_start=start_utc.astimezone(zone).replace(tzinfo=None),
        local_end=end_utc.astimezone(zone).replace(tzinfo=None),
        index=index,
    )


def _within_until(occurrence: Occurrence, until: date | datetime) -> bool:
    if isinstance(until, datetime):
        if until.tzinfo is not None:
            return occurrence.start_utc <= until
        return occurrence.local_start <= until
    return occurrence.local_start.date() <= until


def _check_horizon(occurrence: Occurrence, horizon_day: date, horizon_months: int) -> None:
    if occurrence.local_start.date() <= horizon_day:
        return
    limit = (
        f"bookings can be made up to and including {describe_date(horizon_day)}, "
        f"{horizon_months} months ahead"
    )
    if occurrence.index == 0:
        raise RecurrenceError(f"The booking is past the booking horizon: {limit}")
    raise RecurrenceError(
        f"The series goes past the booking horizon: {occurrence.describe()} is too far ahead ({limit}); "
        "end the series earlier with COUNT or UNTIL"
    )
