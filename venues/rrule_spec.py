"""Parse and validate the supported subset of RFC 5545 recurrence rules.

Supported: FREQ=DAILY|WEEKLY|MONTHLY, INTERVAL, BYDAY, BYMONTHDAY (monthly only), COUNT or UNTIL,
and WKST (accepted; it only matters for INTERVAL>1 weekly rules with several BYDAY days).

BYDAY by frequency:
* DAILY: plain days (``BYDAY=MO,TU,WE,TH,FR`` is "every weekday").
* WEEKLY: plain days.
* MONTHLY: days with a position only (``1MO``, ``2TU``, ``-1FR``). RFC 5545 reads a plain day in a
  monthly rule as "every such day of the month", which is a weekly series in disguise and a common
  mistake, so it is rejected with a hint instead.
BYDAY and BYMONTHDAY together (RFC: their intersection, e.g. Friday the 13th) are rejected.

Every rejection raises :class:`RecurrenceError` with a sentence a hirer can act on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Literal

Frequency = Literal["DAILY", "WEEKLY", "MONTHLY"]

MAX_COUNT = 500
MAX_INTERVAL = 99

WEEKDAY_CODES: tuple[str, ...] = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
WEEKDAY_NAMES: tuple[str, ...] = (
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
)
_SUPPORTED_FREQS: tuple[Frequency, ...] = ("DAILY", "WEEKLY", "MONTHLY")
_OTHER_FREQS = ("YEARLY", "HOURLY", "MINUTELY", "SECONDLY")
_KNOWN_UNSUPPORTED_PARTS = {
    "BYSETPOS": "BYSETPOS is not supported: for 'the last Friday' write BYDAY=-1FR with FREQ=MONTHLY",
    "BYHOUR": "BYHOUR is not supported: the time of day comes from the booking's start time",
    "BYMINUTE": "BYMINUTE is not supported: the time of day comes from the booking's start time",
    "BYSECOND": "BYSECOND is not supported: the time of day comes from the booking's start time",
    "BYWEEKNO": "BYWEEKNO is not supported: use FREQ=WEEKLY with INTERVAL, COUNT or UNTIL",
    "BYYEARDAY": "BYYEARDAY is not supported: use FREQ=DAILY, WEEKLY or MONTHLY",
    "BYMONTH": "BYMONTH is not supported: book separate series for the months you need",
}
_ORDINAL_WORDS = {
    1: "first",
    2: "second",
    3: "third",
    4: "fourth",
    5: "fifth",
    -1: "last",
    -2: "second to last",
    -3: "third to last",
    -4: "fourth to last",
    -5: "fifth to last",
}

_BYDAY_RE = re.compile(r"^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$")
_INT_RE = re.compile(r"^[+-]?\d+$")
_UNTIL_DATE_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_UNTIL_DATETIME_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(Z?)$")


class RecurrenceError(ValueError):
    """A recurrence rule or series the service will not book; the message is meant for the hirer."""


@dataclass(frozen=True)
class ByDay:
    """One BYDAY entry: ``weekday`` 0=Monday..6=Sunday, ``ordinal`` e.g. 1, 2, -1 or None."""

    weekday: int
    ordinal: int | None = None

    def to_text(self) -> str:
        prefix = "" if self.ordinal is None else str(self.ordinal)
        return f"{prefix}{WEEKDAY_CODES[self.weekday]}"

    def describe(self) -> str:
        name = WEEKDAY_NAMES[self.weekday]
        if self.ordinal is None:
            return name
        return f"{_ORDINAL_WORDS[self.ordinal]} {name}"


@dataclass(frozen=True)
class RRuleSpec:
    """A validated rule. ``until`` is a ``date`` (last local day, inclusive), an aware UTC
    ``datetime`` (``...Z``), or a naive ``datetime`` read as the venue's local wall-clock time."""

    freq: Frequency
    interval: int = 1
    count: int | None = None
    until: date | datetime | None = None
    byday: tuple[ByDay, ...] = ()
    bymonthday: tuple[int, ...] = ()
    wkst: str | None = None

    def to_text(self) -> str:
        """The rule in canonical RFC 5545 form (without the ``RRULE:`` prefix)."""
        parts = [f"FREQ={self.freq}"]
        if self.interval != 1:
            parts.append(f"INTERVAL={self.interval}")
        if self.byday:
            parts.append("BYDAY=" + ",".join(d.to_text() for d in self.byday))
        if self.bymonthday:
            parts.append("BYMONTHDAY=" + ",".join(str(d) for d in self.bymonthday))
        if self.count is not None:
            parts.append(f"COUNT={self.count}")
        if self.until is not None:
            parts.append(f"UNTIL={format_until(self.until)}")
        if self.wkst is not None:
            parts.append(f"WKST={self.wkst}")
        return ";".join(parts)


def format_until(until: date | datetime) -> str:
    """UNTIL in RFC 5545 form: ``YYYYMMDD``, ``YYYYMMDDTHHMMSSZ`` (aware) or floating (naive)."""
    if isinstance(until, datetime):
        if until.tzinfo is not None:
            return until.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
        return until.strftime("%Y%m%dT%H%M%S")
    return until.strftime("%Y%m%d")


def parse_rrule(text: str) -> RRuleSpec:
    """Parse ``FREQ=WEEKLY;COUNT=6`` (optionally prefixed ``RRULE:``) into an :class:`RRuleSpec`."""
    body = text.strip()
    if body.upper().startswith("RRULE:"):
        body = body[len("RRULE:") :]
    if not body:
        raise RecurrenceError("The recurrence rule is empty: give at least FREQ, e.g. FREQ=WEEKLY;COUNT=6")
    raw = _split_parts(body)

    freq = _parse_freq(raw.pop("FREQ", None))
    for name in list(raw):
        if name in _KNOWN_UNSUPPORTED_PARTS:
            raise RecurrenceError(_KNOWN_UNSUPPORTED_PARTS[name])
    allowed = {"INTERVAL", "COUNT", "UNTIL", "BYDAY", "BYMONTHDAY", "WKST"}
    unknown = sorted(set(raw) - allowed)
    if unknown:
        raise RecurrenceError(
            f"{unknown[0]} is not a recurrence rule part we understand: "
            "use FREQ, INTERVAL, BYDAY, BYMONTHDAY, COUNT or UNTIL"
        )

    interval = _parse_int(raw, "INTERVAL", 1, MAX_INTERVAL) if "INTERVAL" in raw else 1
    count = _parse_int(raw, "COUNT", 1, MAX_COUNT) if "COUNT" in raw else None
    until = _parse_until(raw["UNTIL"]) if "UNTIL" in raw else None
    if count is not None and until is not None:
        raise RecurrenceError("COUNT and UNTIL cannot be used together: give one or the other")
    byday = _parse_byday(raw["BYDAY"], freq) if "BYDAY" in raw else ()
    bymonthday = _parse_bymonthday(raw["BYMONTHDAY"], freq) if "BYMONTHDAY" in raw else ()
    if byday and bymonthday:
        raise RecurrenceError(
            "BYDAY and BYMONTHDAY cannot be used together: choose days of the week "
            "(e.g. BYDAY=1MO) or days of the month (e.g. BYMONTHDAY=15)"
        )
    wkst = _parse_wkst(raw["WKST"]) if "WKST" in raw else None
    return RRuleSpec(
        freq=freq, interval=interval, count=count, until=until, byday=byday, bymonthday=bymonthday, wkst=wkst
    )


def _split_parts(body: str) -> dict[str, str]:
    parts: dict[str, str] = {}
    for chunk in body.split(";"):
        chunk = chunk.strip()
        if not chunk:
            continue  # a trailing ";" is a harmless slip
        name, sep, value = chunk.partition("=")
        name = name.strip().upper()
        value = value.strip().upper()
        if not sep or not name or not value:
            raise RecurrenceError(f"'{chunk}' is not a valid rule part: write NAME=VALUE, e.g. COUNT=6")
        if name in parts:
            raise RecurrenceError(f"{name} appears more than once in the recurrence rule")
        parts[name] = value
    return parts


def _parse_freq(value: str | None) -> Frequency:
    if value is None:
        raise RecurrenceError("The recurrence rule needs FREQ: use FREQ=DAILY, WEEKLY or MONTHLY")
    for freq in _SUPPORTED_FREQS:
        if value == freq:
            return freq
    if value in _OTHER_FREQS:
        raise RecurrenceError(f"FREQ={value} is not supported: use DAILY, WEEKLY or MONTHLY")
    raise RecurrenceError(f"FREQ={value} is not a frequency: use DAILY, WEEKLY or MONTHLY")


def _parse_int(raw: dict[str, str], name: str, low: int, high: int) -> int:
    value = raw[name]
    if not _INT_RE.match(value):
        raise RecurrenceError(f"{name}={value} is not a whole number")
    # A long run of digits is a whole number too, just far out of range: say so without
    # converting it (int() of thousands of digits is refused, or slow).
    number = int(value) if len(value) <= 10 else (high + 1 if not value.startswith("-") else low - 1)
    if not low <= number <= high:
        raise RecurrenceError(f"{name}={value} is out of range: it must be between {low} and {high}")
    return number


def _parse_until(value: str) -> date | datetime:
    if m := _UNTIL_DATE_RE.match(value):
        try:
            return date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            pass
    elif m := _UNTIL_DATETIME_RE.match(value):
        try:
            moment = datetime(int(m[1]), int(m[2]), int(m[3]), int(m[4]), int(m[5]), int(m[6]))
        except ValueError:
            pass
        else:
            return moment.replace(tzinfo=UTC) if m[7] else moment
    raise RecurrenceError(
        f"UNTIL={value} is not a valid date: write it as YYYYMMDD (e.g. 20270731) or YYYYMMDDTHHMMSSZ in UTC"
    )


def _parse_byday(value: str, freq: Frequency) -> tuple[ByDay, ...]:
    days: list[ByDay] = []
    for item in value.split(","):
        item = item.strip()
        m = _BYDAY_RE.match(item)
        if not m:
            raise RecurrenceError(
                f"BYDAY={value} is not understood: '{item}' should be a day code "
                "(MO, TU, WE, TH, FR, SA, SU), with a position for monthly rules (e.g. 1MO, -1FR)"
            )
        weekday = WEEKDAY_CODES.index(m[2])
        ordinal = int(m[1]) if m[1] is not None else None
        if ordinal is not None:
            if freq != "MONTHLY":
                raise RecurrenceError(
                    f"BYDAY={item}: a position such as 1MO or -1FR is only supported with FREQ=MONTHLY; "
                    f"for FREQ={freq} list plain days, e.g. BYDAY={m[2]}"
                )
            if ordinal == 0 or not -5 <= ordinal <= 5:
                raise RecurrenceError(
                    f"BYDAY={item}: the position must be 1 to 5 (first to fifth) "
                    "or -1 to -5 (last to fifth to last)"
                )
        elif freq == "MONTHLY":
            raise RecurrenceError(
                f"BYDAY={item} in a monthly rule needs a position, e.g. 1{m[2]} for the first "
                f"{WEEKDAY_NAMES[weekday]} or -1{m[2]} for the last; for every {WEEKDAY_NAMES[weekday]} "
                "use FREQ=WEEKLY"
            )
        day = ByDay(weekday, ordinal)
        if day in days:
            raise RecurrenceError(f"BYDAY={value} lists {item} more than once")
        days.append(day)
    return tuple(days)


def _parse_bymonthday(value: str, freq: Frequency) -> tuple[int, ...]:
    if freq != "MONTHLY":
        raise RecurrenceError(f"BYMONTHDAY is only supported with FREQ=MONTHLY, not FREQ={freq}")
    days: list[int] = []
    for item in value.split(","):
        item = item.strip()
        if not _INT_RE.match(item) or int(item) == 0 or not -31 <= int(item) <= 31:
            raise RecurrenceError(
                f"BYMONTHDAY={value} is not understood: '{item}' should be a day of the month "
                "from 1 to 31, or -1 for the last day"
            )
        if int(item) in days:
            raise RecurrenceError(f"BYMONTHDAY={value} lists {item} more than once")
        days.append(int(item))
    return tuple(days)


def _parse_wkst(value: str) -> str:
    if value not in WEEKDAY_CODES:
        raise RecurrenceError(f"WKST={value} is not a day code: use MO, TU, WE, TH, FR, SA or SU")
    return value
