"""Today's direct serializer (venues/calendar.py before the icalendar writer), frozen as the
benchmark baseline of bench/feeds.py: it plans the events as the package did then and writes
their content lines by hand. Not part of the package and not to be edited: it is what the new
writer is measured against, and tests/venues/test_calendar_writer.py checks that both say the same.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Literal, NamedTuple
from zoneinfo import ZoneInfo

from dateutil import rrule as du_rrule

from venues.calendar.model import (
    DEFAULT_CANCELLED_GRACE,
    DetailLevel,
    DueCase,
    FeedBooking,
    FeedOccurrence,
    FeedSpec,
)
from venues.ical_timezone import vtimezone_lines

RENDERER_VERSION = "1"


def occurrence_uid(uid: str, original_start_utc: datetime) -> str:
    """UID of one occurrence written as its own VEVENT (stable as long as its slot is)."""
    return f"{uid}#{_utc_stamp(original_start_utc)}"


# --------------------------------------------------------------------------------------------
# The plan: calendar properties and events as (name, value) pairs with typed values, shared by
# both serializers. The value wrappers are NamedTuples because a 2,000-event feed creates some
# 30,000 of them and hashes them again in the serializer's memo; a property name always carries
# the same kind of value, so tuple equality across kinds never matters.


class _Local(NamedTuple):
    """A wall-clock time in the feed's zone, written with TZID."""

    value: datetime  # naive


class _Text(NamedTuple):
    value: str


class _Token(NamedTuple):
    """A value written verbatim (enumerations, integers, durations, rules)."""

    value: str


_Value = _Local | _Text | _Token | datetime | date
_Prop = tuple[str, _Value]


@dataclass
class _PlannedEvent:
    props: list[_Prop] = field(default_factory=list)


@lru_cache(maxsize=4096)
def _utc_stamp(dt: datetime) -> str:
    return f"{_local_stamp(dt.astimezone(UTC))}Z"


@lru_cache(maxsize=8)
def _zone(tzid: str) -> ZoneInfo:
    return ZoneInfo(tzid)


def _repeated(local: datetime) -> bool:
    """Whether this wall-clock time happens twice (the October hour), so naming it is ambiguous."""
    return local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset()


def _when(dt: datetime, zone: ZoneInfo) -> _Value:
    """TZID form when the local time names this instant unambiguously; UTC otherwise.

    Both passes of the repeated October hour are written in UTC: RFC 5545 says a TZID time there
    means the first, but readers differ (ical.js takes the second), so no TZID form is safe.
    """
    local = dt.astimezone(zone)
    if _repeated(local):
        return dt.astimezone(UTC)
    return _Local(local.replace(tzinfo=None))


_STATUS = {
    # booking status -> (STATUS, TRANSP, X-MICROSOFT-CDO-BUSYSTATUS)
    key: (("STATUS", _Token(a)), ("TRANSP", _Token(b)), ("X-MICROSOFT-CDO-BUSYSTATUS", _Token(c)))
    for key, (a, b, c) in {
        "confirmed": ("CONFIRMED", "OPAQUE", "BUSY"),
        "awaiting_acceptance": ("TENTATIVE", "OPAQUE", "TENTATIVE"),
        "cancelled": ("CANCELLED", "TRANSPARENT", "FREE"),
    }.items()
}


def _hhmm(dt: datetime, zone: ZoneInfo) -> str:
    local = dt.astimezone(zone)
    return f"{local.hour:02d}:{local.minute:02d}"


def _describe(booking: FeedBooking, detail: DetailLevel, occ: FeedOccurrence, zone: ZoneInfo) -> str:
    lines = [f"Organisation: {booking.organisation_name}", f"Event: {booking.event_title}"]
    if booking.expected_attendance is not None:
        lines.append(f"Expected attendance: {booking.expected_attendance}")
    setup_from = occ.start_utc - timedelta(minutes=booking.setup_minutes)
    clear_until = occ.end_utc + timedelta(minutes=booking.cleardown_minutes)
    lines.append(f"Set-up: {booking.setup_minutes} min (from {_hhmm(setup_from, zone)})")
    lines.append(f"Clear-down: {booking.cleardown_minutes} min (until {_hhmm(clear_until, zone)})")
    if booking.conditions:
        lines.append("Conditions of hire:")
        for cond in booking.conditions:
            text = f"- {cond.code}: {cond.text}"
            if cond.rationale:
                text += f" (reason: {cond.rationale})"
            lines.append(text)
    else:
        lines.append("Conditions of hire: none beyond the standard terms")
    if booking.decision is not None:
        outcome, decided_at, officer = booking.decision
        lines.append(f"Decision: {outcome} on {decided_at.astimezone(zone).date().isoformat()} by {officer}")
    lines.append(f"Reference: {booking.reference}")
    if detail == "full":
        if booking.contact_name:
            lines.append(f"Contact: {booking.contact_name}")
        if booking.contact_phone:
            lines.append(f"Phone: {booking.contact_phone}")
    return "\n".join(lines)


def _content(
    booking: FeedBooking, detail: DetailLevel, occ: FeedOccurrence, cancelled: bool, zone: ZoneInfo
) -> list[_Prop]:
    """STATUS to DESCRIPTION: what the event says, at the feed's detail level."""
    title = "Booked" if detail == "busy" else f"{booking.event_title} ({booking.organisation_name})"
    if cancelled:
        title = f"Cancelled: {title}"
    props: list[_Prop] = [
        *_STATUS["cancelled" if cancelled else booking.status],
        ("SUMMARY", _Text(title)),
        ("LOCATION", _Text(f"{booking.venue_name}, {booking.room_name}, {booking.venue_address}")),
    ]
    if detail != "busy":
        props.append(("DESCRIPTION", _Text(_describe(booking, detail, occ, zone))))
    return props


def _head(uid: str, booking: FeedBooking) -> list[_Prop]:
    return [("UID", _Text(uid)), ("DTSTAMP", booking.last_modified)]


def _tail(booking: FeedBooking) -> list[_Prop]:
    return [("SEQUENCE", _Token(str(booking.sequence))), ("LAST-MODIFIED", booking.last_modified)]


def _slot(occ: FeedOccurrence) -> datetime:
    return occ.original_start_utc or occ.start_utc


_RULE_PARTS = ("FREQ", "INTERVAL", "BYDAY", "BYMONTHDAY", "WKST")
_FREQS: dict[str, Literal[1, 2, 3]] = {
    "DAILY": du_rrule.DAILY,
    "WEEKLY": du_rrule.WEEKLY,
    "MONTHLY": du_rrule.MONTHLY,
}
_DU_DAYS = {"MO": du_rrule.MO, "TU": du_rrule.TU, "WE": du_rrule.WE, "TH": du_rrule.TH}
_DU_DAYS |= {"FR": du_rrule.FR, "SA": du_rrule.SA, "SU": du_rrule.SU}


@lru_cache(maxsize=1024)
def _rule_parts(rule: str) -> tuple[tuple[str, str], ...] | None:
    """The supported parts of a stored rule, in a canonical order, without COUNT/UNTIL; None if unusable."""
    text = rule.strip()
    if text.upper().startswith("RRULE:"):
        text = text[6:]
    parts: dict[str, str] = {}
    for piece in text.split(";"):
        if not piece:
            continue
        key, sep, value = piece.partition("=")
        key, value = key.strip().upper(), value.strip().upper()
        if not sep or not value or key in parts:
            return None
        parts[key] = value
    parts.pop("COUNT", None)
    parts.pop("UNTIL", None)
    if set(parts) - set(_RULE_PARTS) or parts.get("FREQ") not in _FREQS:
        return None
    return tuple((k, parts[k]) for k in _RULE_PARTS if k in parts)


def _expand(parts: tuple[tuple[str, str], ...], first: datetime, count: int) -> list[datetime] | None:
    """The rule's first `count` wall-clock dates from `first`, as dateutil reads RFC 5545; None if invalid."""
    kw = dict(parts)
    step = _simple_step(kw, first)
    if step is not None:
        return [first + step * k for k in range(count)]
    try:
        byweekday = None
        if "BYDAY" in kw:
            byweekday = []
            for item in kw["BYDAY"].split(","):
                day = _DU_DAYS[item[-2:]]
                byweekday.append(day(int(item[:-2])) if item[:-2] else day)
        bymonthday = [int(x) for x in kw["BYMONTHDAY"].split(",")] if "BYMONTHDAY" in kw else None
        rule = du_rrule.rrule(
            _FREQS[kw["FREQ"]],
            dtstart=first,
            interval=int(kw.get("INTERVAL", "1")),
            byweekday=byweekday,
            bymonthday=bymonthday,
            wkst=_DU_DAYS[kw["WKST"]] if "WKST" in kw else None,
            count=count,
        )
        return list(rule)
    except (KeyError, ValueError, TypeError):
        return None


def _simple_step(kw: dict[str, str], first: datetime) -> timedelta | None:
    """The fixed step of a plain daily rule, or a weekly one on DTSTART's own weekday; else None."""
    if not kw.get("INTERVAL", "1").isdigit() or set(kw) - {"FREQ", "INTERVAL", "BYDAY", "WKST"}:
        return None
    interval = int(kw.get("INTERVAL", "1"))
    if interval < 1:
        return None
    if kw["FREQ"] == "DAILY" and "BYDAY" not in kw:
        return timedelta(days=interval)
    own_day = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")[first.weekday()]
    if kw["FREQ"] == "WEEKLY" and kw.get("BYDAY", own_day) == own_day:
        return timedelta(weeks=interval)
    return None


def _series_events(
    booking: FeedBooking, occs: list[FeedOccurrence], detail: DetailLevel, zone: ZoneInfo
) -> list[_PlannedEvent] | None:
    """RRULE + EXDATE + RECURRENCE-ID for `occs` (in-window, sorted by slot), or None if the rule
    cannot regenerate exactly these slots."""
    if booking.rrule is None:
        return None
    parts = _rule_parts(booking.rrule)
    if parts is None:
        return None
    booking_cancelled = booking.status == "cancelled"
    if not booking_cancelled and all(o.status == "cancelled" for o in occs):
        return None  # a rule whose every date is excluded shows nothing in some clients
    slots = [_slot(o) for o in occs]
    if len(set(slots)) != len(slots):
        return None
    aware = [s.astimezone(zone) for s in slots]
    if any(_repeated(a) for a in aware):
        return None  # a slot in the repeated October hour cannot be named safely by a TZID time
    # Each slot's local time maps back to exactly that slot (fold 0, and it exists since it came
    # from a real instant), so comparing wall-clock times is comparing instants.
    locals_ = [a.replace(tzinfo=None) for a in aware]
    if _expand(parts, locals_[0], len(slots)) != locals_:
        return None

    base = next((o for o in occs if o.original_start_utc is None and o.status == "held"), occs[0])
    duration = base.end_utc - base.start_utc
    first_local = locals_[0]
    rule = ";".join(f"{k}={v}" for k, v in parts) + f";COUNT={len(slots)}"
    master_cancelled = booking_cancelled
    master = _PlannedEvent(_head(booking.uid, booking))
    master.props += [
        ("DTSTART", _Local(first_local)),
        ("DTEND", _when(slots[0] + duration, zone)),
        ("RRULE", _Token(rule)),
    ]
    overrides: list[_PlannedEvent] = []
    for occ, slot, local in zip(occs, slots, locals_, strict=True):
        cancelled = booking_cancelled or occ.status == "cancelled"
        if occ.status == "cancelled" and not booking_cancelled:
            master.props.append(("EXDATE", _Local(local)))
            continue
        if occ.start_utc == slot and occ.end_utc - occ.start_utc == duration:
            continue
        ov = _PlannedEvent(_head(booking.uid, booking))
        ov.props += [
            ("RECURRENCE-ID", _Local(local)),
            ("DTSTART", _when(occ.start_utc, zone)),
            ("DTEND", _when(occ.end_utc, zone)),
        ]
        ov.props += _tail(booking) + _content(booking, detail, occ, cancelled, zone)
        overrides.append(ov)
    master.props += _tail(booking) + _content(booking, detail, base, master_cancelled, zone)
    return [master, *overrides]


def _single_event(
    uid: str, booking: FeedBooking, occ: FeedOccurrence, cancelled: bool, detail: DetailLevel, zone: ZoneInfo
) -> _PlannedEvent:
    ev = _PlannedEvent(_head(uid, booking))
    ev.props += [("DTSTART", _when(occ.start_utc, zone)), ("DTEND", _when(occ.end_utc, zone))]
    ev.props += _tail(booking) + _content(booking, detail, occ, cancelled, zone)
    return ev


def _plan_booking(
    booking: FeedBooking,
    detail: DetailLevel,
    zone: ZoneInfo,
    window_start: datetime,
    window_end: datetime,
    in_grace: bool,
) -> list[_PlannedEvent]:
    occs = [o for o in booking.occurrences if o.end_utc > window_start and o.start_utc < window_end]
    if not occs:
        return []
    occs.sort(key=_slot)
    booking_cancelled = booking.status == "cancelled"
    if len(occs) > 1:
        series = _series_events(booking, occs, detail, zone)
        if series is not None:
            return series
    events = []
    for occ in occs:
        cancelled = booking_cancelled or occ.status == "cancelled"
        if cancelled and not in_grace:
            continue
        uid = booking.uid if len(booking.occurrences) == 1 else occurrence_uid(booking.uid, _slot(occ))
        events.append(_single_event(uid, booking, occ, cancelled, detail, zone))
    return events


@dataclass(frozen=True)
class _Plan:
    calendar: list[_Prop]
    events: list[_PlannedEvent]
    tzid: str


def _calendar_props(spec: FeedSpec, name: str, description: str) -> list[_Prop]:
    return [
        ("VERSION", _Token("2.0")),
        ("PRODID", _Text(f"-//{spec.council_name}//Venue hire feeds {RENDERER_VERSION}//EN")),
        ("CALSCALE", _Token("GREGORIAN")),
        ("NAME", _Text(name)),
        ("X-WR-CALNAME", _Text(name)),
        ("DESCRIPTION", _Text(description)),
        ("X-WR-CALDESC", _Text(description)),
        ("X-WR-TIMEZONE", _Token(spec.tz)),
        ("REFRESH-INTERVAL", _Token("PT1H")),
        ("X-PUBLISHED-TTL", _Token("PT1H")),
    ]


def _plan_feed(
    spec: FeedSpec,
    bookings: Sequence[FeedBooking],
    window_start: datetime,
    window_end: datetime,
    cancelled_grace: timedelta,
    now: datetime,
) -> _Plan:
    zone = _zone(spec.tz)
    grace_cutoff = now - cancelled_grace
    events: list[_PlannedEvent] = []
    for booking in sorted(bookings, key=lambda b: b.uid):
        in_grace = booking.last_modified >= grace_cutoff
        if booking.status == "cancelled" and not in_grace:
            continue  # as visible_in_feed
        events += _plan_booking(booking, spec.detail, zone, window_start, window_end, in_grace)
    return _Plan(_calendar_props(spec, spec.calendar_name, spec.description), events, spec.tz)


def _plan_due(spec: FeedSpec, cases: Sequence[DueCase]) -> _Plan:
    events = []
    for case in sorted(cases, key=lambda c: c.uid):
        events.append(
            _PlannedEvent(
                [
                    ("UID", _Text(case.uid)),
                    ("DTSTAMP", case.last_modified),
                    ("DTSTART", case.target_date),
                    ("DTEND", case.target_date + timedelta(days=1)),
                    ("SEQUENCE", _Token(str(case.sequence))),
                    ("LAST-MODIFIED", case.last_modified),
                    ("STATUS", _Token("CONFIRMED")),
                    ("TRANSP", _Token("TRANSPARENT")),
                    ("X-MICROSOFT-CDO-BUSYSTATUS", _Token("FREE")),
                    ("SUMMARY", _Text(f"Decision due: {case.reference} {case.title}")),
                    (
                        "DESCRIPTION",
                        _Text(f"Case {case.reference}, tier {case.tier}: decide by {case.target_date}"),
                    ),
                ]
            )
        )
    return _Plan(_calendar_props(spec, spec.calendar_name, spec.description), events, spec.tz)


# --------------------------------------------------------------------------------------------
# Direct serializer.

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _escape(text: str) -> str:
    if _CONTROL.search(text):
        text = _CONTROL.sub(" ", text.replace("\r\n", "\n"))
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _odd_backslashes_before(text: str | bytes, start: int, end: int) -> bool:
    """Whether the character before `end` is a backslash that starts an escape sequence."""
    backslash = "\\" if isinstance(text, str) else 0x5C
    run = 0
    while end - 1 - run >= start and text[end - 1 - run] == backslash:
        run += 1
    return run % 2 == 1


def _fold(line: str) -> str:
    """RFC 5545 folding: at most 75 octets a line, never splitting a UTF-8 sequence.

    A backslash escape is also kept on one line: some clients unescape before unfolding.
    """
    if len(line) <= 75 and line.isascii():
        return line
    if line.isascii():
        text: str | bytes = line
        size = len(line)
    else:
        text = line.encode()
        size = len(text)
        if size <= 75:
            return line
    pieces = []
    start, limit = 0, 75
    while start < size:
        end = min(start + limit, size)
        if isinstance(text, bytes):
            while end < size and (text[end] & 0xC0) == 0x80:
                end -= 1
        if end < size and _odd_backslashes_before(text, start, end):
            end -= 1
        piece = text[start:end]
        pieces.append(piece if isinstance(piece, str) else piece.decode())
        start, limit = end, 74  # continuation lines start with one space
    return "\r\n ".join(pieces)


def _local_stamp(dt: datetime) -> str:
    return f"{dt.year:04d}{dt.month:02d}{dt.day:02d}T{dt.hour:02d}{dt.minute:02d}{dt.second:02d}"


def _line(name: str, value: _Value, tzid: str) -> str:
    """One folded content line (date-time lines are always short, so only text is folded)."""
    if isinstance(value, _Text):
        return _fold(f"{name}:{_escape(value.value)}")
    if isinstance(value, _Token):
        if name == "REFRESH-INTERVAL":
            return f"{name};VALUE=DURATION:{value.value}"
        return _fold(f"{name}:{value.value}")
    if isinstance(value, _Local):
        return f"{name};TZID={tzid}:{_local_stamp(value.value)}"
    if isinstance(value, datetime):
        return f"{name}:{_utc_stamp(value)}"
    return f"{name};VALUE=DATE:{value:%Y%m%d}"


def _head_lines(calendar: list[_Prop], tzid: str) -> list[str]:
    return ["BEGIN:VCALENDAR", *(_line(n, v, tzid) for n, v in calendar), *vtimezone_lines(tzid)]


def _event_lines(events: list[_PlannedEvent], tzid: str, memo: dict[_Prop, str]) -> list[str]:
    out = []
    for ev in events:
        out.append("BEGIN:VEVENT")
        for prop in ev.props:
            line = memo.get(prop)
            if line is None:
                line = memo[prop] = _line(prop[0], prop[1], tzid)
            out.append(line)
        out.append("END:VEVENT")
    return out


def _serialize(plan: _Plan) -> bytes:
    tzid = plan.tzid
    out = _head_lines(plan.calendar, tzid)
    # Locations, statuses and stamps repeat across a venue's events: format each once.
    out += _event_lines(plan.events, tzid, {})
    out.append("END:VCALENDAR")
    out.append("")
    return "\r\n".join(out).encode()


# The feed in pieces, for a renderer that caches each booking's events (venues.feed_render):
# feed_head(spec) + booking_events(...) of each booking `render_feed` keeps, by UID + FEED_END
# is exactly `render_feed`'s output.
FEED_END = b"END:VCALENDAR\r\n"


def feed_head(spec: FeedSpec) -> bytes:
    """Everything before the first event: the calendar's properties and its VTIMEZONE."""
    calendar = _calendar_props(spec, spec.calendar_name, spec.description)
    return ("\r\n".join(_head_lines(calendar, spec.tz)) + "\r\n").encode()


def booking_events(
    booking: FeedBooking,
    spec: FeedSpec,
    window_start: datetime,
    window_end: datetime,
    in_grace: bool,
    memo: dict[_Prop, str] | None = None,
) -> bytes:
    """The VEVENTs of one booking as `render_feed` writes them (empty when it shows nothing).

    `in_grace`: the booking changed within the cancelled-grace period before `now`; a cancelled
    booking outside it is left out of the feed altogether (`visible_in_feed`), not passed here.
    """
    events = _plan_booking(booking, spec.detail, _zone(spec.tz), window_start, window_end, in_grace)
    if not events:
        return b""
    lines = _event_lines(events, spec.tz, {} if memo is None else memo)
    return ("\r\n".join(lines) + "\r\n").encode()


def render_feed(
    spec: FeedSpec,
    bookings: Sequence[FeedBooking],
    *,
    window_start: datetime,
    window_end: datetime,
    cancelled_grace: timedelta = DEFAULT_CANCELLED_GRACE,
    now: datetime,
) -> bytes:
    """The feed as iCalendar bytes (UTF-8, CRLF, folded); occurrences overlapping the window only."""
    return _serialize(_plan_feed(spec, bookings, window_start, window_end, cancelled_grace, now))


def render_decisions_due(spec: FeedSpec, cases: Sequence[DueCase]) -> bytes:
    """The officers' feed: one all-day event per case on its target date."""
    return _serialize(_plan_due(spec, cases))
