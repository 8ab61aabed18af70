"""Weekly opening hours with several ranges a day, and whether a local slot fits inside them.

Input shape (the API's): ``{"mon": [["09:00", "12:00"], ["13:00", "22:00"]], "sat": [], ...}``.
A missing or empty day is closed. Times are ``HH:MM``; ``24:00`` is allowed as an end only.
Ranges within a day must not overlap or be inverted; ranges that touch (12:00-13:00 and
13:00-18:00) are fine and count as one stretch.

Fit rule: a slot fits when it lies inside one unbroken stretch of opening time on the weekly
timeline. Stretches join across midnight when one day's range ends at ``24:00`` and the next day's
starts at ``00:00`` (also Sunday into Monday), so an overnight booking is accepted only when the
venue is open through midnight.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import pairwise

from venues.rrule_spec import WEEKDAY_NAMES
from venues.slot_text import describe_minutes

DAY_KEYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_TIME_RE = re.compile(r"^(\d{2}):(\d{2})$")
_DAY_SECONDS = 24 * 60 * 60
_WEEK_SECONDS = 7 * _DAY_SECONDS


class OpeningHoursError(ValueError):
    """Opening hours that cannot be understood; the message names the day and range."""


@dataclass(frozen=True)
class TimeRange:
    """Minutes after local midnight, ``start`` < ``end`` <= 1440."""

    start: int
    end: int

    def describe(self) -> str:
        return f"{describe_minutes(self.start)}-{describe_minutes(self.end)}"


@dataclass(frozen=True)
class OpeningHours:
    """Ranges per weekday (0 = Monday), sorted; build with :meth:`parse`."""

    days: tuple[tuple[TimeRange, ...], ...]
    _stretches: tuple[tuple[int, int], ...] = field(init=False, repr=False, compare=False)
    _stretch_starts: tuple[int, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if len(self.days) != 7:
            raise OpeningHoursError("Opening hours need an entry for each of the seven days")
        stretches = _week_stretches(self.days)
        object.__setattr__(self, "_stretches", stretches)
        object.__setattr__(self, "_stretch_starts", tuple(s for s, _ in stretches))

    @classmethod
    def parse(cls, raw: Mapping[str, Sequence[Sequence[str]]]) -> OpeningHours:
        """Validate the API shape; raises :class:`OpeningHoursError`."""
        if not isinstance(raw, Mapping):
            raise OpeningHoursError('Opening hours must be an object such as {"mon": [["09:00", "17:00"]]}')
        unknown = sorted(str(k) for k in raw if k not in DAY_KEYS)
        if unknown:
            raise OpeningHoursError(f"'{unknown[0]}' is not a day: use {', '.join(DAY_KEYS)}")
        days = tuple(_parse_day(key, raw.get(key) or ()) for key in DAY_KEYS)
        return cls(days)

    @classmethod
    def always_open(cls) -> OpeningHours:
        return cls(tuple((TimeRange(0, 1440),) for _ in DAY_KEYS))

    def to_json(self) -> dict[str, list[list[str]]]:
        """The API shape back, closed days included as empty lists."""
        return {
            key: [[describe_minutes(r.start), describe_minutes(r.end)] for r in ranges]
            for key, ranges in zip(DAY_KEYS, self.days, strict=True)
        }

    def describe_day(self, weekday: int) -> str:
        """``Tuesday 09:00-12:00, 13:00-18:00`` or ``closed on Tuesdays``."""
        ranges = self.days[weekday]
        if not ranges:
            return f"closed on {WEEKDAY_NAMES[weekday]}s"
        return f"{WEEKDAY_NAMES[weekday]} " + ", ".join(r.describe() for r in ranges)

    def fits(self, local_start: datetime, local_end: datetime) -> bool:
        """True when ``[local_start, local_end)`` lies inside one stretch of opening time."""
        if local_end <= local_start:
            return False
        length = (local_end - local_start).total_seconds()
        if length > _WEEK_SECONDS:
            return False
        offset = (
            local_start.weekday() * _DAY_SECONDS
            + (local_start.hour * 3600 + local_start.minute * 60 + local_start.second)
            + local_start.microsecond / 1_000_000
        )
        # The stretches list covers two weeks back to back, so a slot that wraps past Sunday fits too.
        i = bisect_right(self._stretch_starts, offset) - 1
        if i < 0:
            return False
        stretch_start, stretch_end = self._stretches[i]
        return stretch_start <= offset and offset + length <= stretch_end


def within_opening_hours(hours: OpeningHours, local_start: datetime, local_end: datetime) -> bool:
    """Whether a slot in venue-local wall-clock time fits the opening hours (see module docstring)."""
    return hours.fits(local_start, local_end)


def _parse_day(key: str, raw_ranges: Sequence[Sequence[str]]) -> tuple[TimeRange, ...]:
    if isinstance(raw_ranges, str) or not isinstance(raw_ranges, Sequence):
        raise OpeningHoursError(f'{key}: give a list of ranges such as [["09:00", "17:00"]]')
    ranges: list[TimeRange] = []
    for pair in raw_ranges:
        if isinstance(pair, str) or not isinstance(pair, Sequence) or len(pair) != 2:
            raise OpeningHoursError(f'{key}: each range must be a pair of times such as ["09:00", "17:00"]')
        start = _parse_time(key, pair[0], allow_24=False)
        end = _parse_time(key, pair[1], allow_24=True)
        if end <= start:
            raise OpeningHoursError(f"{key}: {pair[0]}-{pair[1]} ends before it starts")
        ranges.append(TimeRange(start, end))
    ranges.sort(key=lambda r: r.start)
    for before, after in pairwise(ranges):
        if after.start < before.end:
            raise OpeningHoursError(f"{key}: {before.describe()} and {after.describe()} overlap")
    return tuple(ranges)


def _parse_time(key: str, value: object, *, allow_24: bool) -> int:
    m = _TIME_RE.match(value) if isinstance(value, str) else None
    if m is None:
        raise OpeningHoursError(f"{key}: '{value}' is not a time: write HH:MM, e.g. 09:00")
    hour, minute = int(m[1]), int(m[2])
    if hour == 24 and minute == 0:
        if allow_24:
            return 1440
        raise OpeningHoursError(f"{key}: 24:00 can only end a range")
    if hour > 23 or minute > 59:
        raise OpeningHoursError(f"{key}: '{value}' is not a time of day")
    return hour * 60 + minute


def _week_stretches(days: Sequence[Sequence[TimeRange]]) -> tuple[tuple[int, int], ...]:
    """Merged opening stretches in seconds from Monday 00:00, laid out over two weeks."""
    spans = [
        (
            week * _WEEK_SECONDS + weekday * _DAY_SECONDS + r.start * 60,
            week * _WEEK_SECONDS + weekday * _DAY_SECONDS + r.end * 60,
        )
        for week in (0, 1)
        for weekday, ranges in enumerate(days)
        for r in ranges
    ]
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return tuple(merged)
