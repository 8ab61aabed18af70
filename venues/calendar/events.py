"""The event plan of a feed: each VEVENT as a tuple of (name, typed value) properties, before any
serializing. A plan is what an event is built from, so the writer caches each event's bytes keyed
on it (venues.calendar.writer).

Series are planned as one VEVENT with an RRULE, EXDATE for cancelled dates and RECURRENCE-ID
overrides for moved dates, but only when the stored rule (parsed by `venues.rrule_spec`, expanded by
`venues.recurrence.rule_dates`) regenerates exactly the held dates; otherwise each occurrence
becomes its own VEVENT (see docs/calendar-feeds.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from itertools import islice
from typing import NamedTuple
from zoneinfo import ZoneInfo

from venues.calendar.model import DetailLevel, DueCase, FeedBooking, FeedOccurrence, FeedSpec, occurrence_uid
from venues.recurrence import RecurrenceError, RRuleSpec, parse_rrule, rule_dates

# Named in PRODID; bump when the output format changes.
RENDERER_VERSION = "2"

# Values are typed NamedTuples because a 2,000-event feed creates some 30,000 of them and the
# writer hashes each event's tuple of them as its cache key; a property name always carries the
# same kind of value, so tuple equality across kinds never matters.


class Local(NamedTuple):
    """A wall-clock time in the feed's zone, written with TZID."""

    value: datetime  # naive


class Text(NamedTuple):
    value: str


class Token(NamedTuple):
    """A value written verbatim (enumerations, integers, durations, rules)."""

    value: str


Value = Local | Text | Token | datetime | date
Prop = tuple[str, Value]


@dataclass
class _Draft:
    props: list[Prop] = field(default_factory=list)


PlannedEvent = tuple[Prop, ...]


@lru_cache(maxsize=8)
def zone_of(tzid: str) -> ZoneInfo:
    return ZoneInfo(tzid)


def _repeated(local: datetime) -> bool:
    """Whether this wall-clock time happens twice (the October hour), so naming it is ambiguous."""
    return local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset()


def _when(dt: datetime, zone: ZoneInfo) -> Value:
    """TZID form when the local time names this instant unambiguously; UTC otherwise.

    Both passes of the repeated October hour are written in UTC: RFC 5545 says a TZID time there
    means the first, but readers differ (ical.js takes the second), so no TZID form is safe.
    """
    local = dt.astimezone(zone)
    if _repeated(local):
        return dt.astimezone(UTC)
    return Local(local.replace(tzinfo=None))


_STATUS = {
    # booking status -> (STATUS, TRANSP, X-MICROSOFT-CDO-BUSYSTATUS)
    key: (("STATUS", Token(a)), ("TRANSP", Token(b)), ("X-MICROSOFT-CDO-BUSYSTATUS", Token(c)))
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
) -> list[Prop]:
    """STATUS to DESCRIPTION: what the event says, at the feed's detail level."""
    title = "Booked" if detail == "busy" else f"{booking.event_title} ({booking.organisation_name})"
    if cancelled:
        title = f"Cancelled: {title}"
    props: list[Prop] = [
        *_STATUS["cancelled" if cancelled else booking.status],
        ("SUMMARY", Text(title)),
        ("LOCATION", Text(f"{booking.venue_name}, {booking.room_name}, {booking.venue_address}")),
    ]
    if detail != "busy":
        props.append(("DESCRIPTION", Text(_describe(booking, detail, occ, zone))))
    return props


def _head(uid: str, booking: FeedBooking) -> list[Prop]:
    return [("UID", Text(uid)), ("DTSTAMP", booking.last_modified)]


def _tail(booking: FeedBooking) -> list[Prop]:
    return [("SEQUENCE", Token(str(booking.sequence))), ("LAST-MODIFIED", booking.last_modified)]


def _slot(occ: FeedOccurrence) -> datetime:
    return occ.original_start_utc or occ.start_utc


def _series_events(
    booking: FeedBooking, occs: list[FeedOccurrence], detail: DetailLevel, zone: ZoneInfo
) -> list[_Draft] | None:
    """RRULE + EXDATE + RECURRENCE-ID for `occs` (in-window, sorted by slot), or None if the rule
    cannot regenerate exactly these slots."""
    if booking.rrule is None:
        return None
    rule = _stored_rule(booking.rrule)
    if rule is None:
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
    if _rule_dates(rule, locals_[0], len(slots)) != tuple(locals_):
        return None

    base = next((o for o in occs if o.original_start_utc is None and o.status == "held"), occs[0])
    duration = base.end_utc - base.start_utc
    first_local = locals_[0]
    master_cancelled = booking_cancelled
    master = _Draft(_head(booking.uid, booking))
    master.props += [
        ("DTSTART", Local(first_local)),
        ("DTEND", _when(slots[0] + duration, zone)),
        ("RRULE", Token(replace(rule, count=len(slots), until=None).to_text())),
    ]
    overrides: list[_Draft] = []
    for occ, slot, local in zip(occs, slots, locals_, strict=True):
        cancelled = booking_cancelled or occ.status == "cancelled"
        if occ.status == "cancelled" and not booking_cancelled:
            master.props.append(("EXDATE", Local(local)))
            continue
        if occ.start_utc == slot and occ.end_utc - occ.start_utc == duration:
            continue
        ov = _Draft(_head(booking.uid, booking))
        ov.props += [
            ("RECURRENCE-ID", Local(local)),
            ("DTSTART", _when(occ.start_utc, zone)),
            ("DTEND", _when(occ.end_utc, zone)),
        ]
        ov.props += _tail(booking) + _content(booking, detail, occ, cancelled, zone)
        overrides.append(ov)
    master.props += _tail(booking) + _content(booking, detail, base, master_cancelled, zone)
    return [master, *overrides]


def _single_event(
    uid: str, booking: FeedBooking, occ: FeedOccurrence, cancelled: bool, detail: DetailLevel, zone: ZoneInfo
) -> _Draft:
    ev = _Draft(_head(uid, booking))
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
) -> list[_Draft]:
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


def calendar_props(spec: FeedSpec) -> tuple[Prop, ...]:
    """The VCALENDAR's own properties."""
    return (
        ("VERSION", Token("2.0")),
        ("PRODID", Text(f"-//{spec.council_name}//Venue hire feeds {RENDERER_VERSION}//EN")),
        ("CALSCALE", Token("GREGORIAN")),
        ("NAME", Text(spec.calendar_name)),
        ("X-WR-CALNAME", Text(spec.calendar_name)),
        ("DESCRIPTION", Text(spec.description)),
        ("X-WR-CALDESC", Text(spec.description)),
        ("X-WR-TIMEZONE", Token(spec.tz)),
        ("REFRESH-INTERVAL", Token("PT1H")),
        ("X-PUBLISHED-TTL", Token("PT1H")),
    )


def plan_booking(
    booking: FeedBooking, spec: FeedSpec, window_start: datetime, window_end: datetime, in_grace: bool
) -> list[PlannedEvent]:
    """The VEVENTs of one booking within the window (none when it shows nothing there).

    `in_grace`: the booking changed within the cancelled-grace period; a cancelled booking outside
    it is left out of the feed altogether (`visible_in_feed`), not passed here.
    """
    drafts = _plan_booking(booking, spec.detail, zone_of(spec.tz), window_start, window_end, in_grace)
    return [tuple(d.props) for d in drafts]


def plan_due(cases: Sequence[DueCase]) -> list[PlannedEvent]:
    """The officers' feed: one all-day event per case on its target date, by UID."""
    return [
        (
            ("UID", Text(case.uid)),
            ("DTSTAMP", case.last_modified),
            ("DTSTART", case.target_date),
            ("DTEND", case.target_date + timedelta(days=1)),
            ("SEQUENCE", Token(str(case.sequence))),
            ("LAST-MODIFIED", case.last_modified),
            ("STATUS", Token("CONFIRMED")),
            ("TRANSP", Token("TRANSPARENT")),
            ("X-MICROSOFT-CDO-BUSYSTATUS", Token("FREE")),
            ("SUMMARY", Text(f"Decision due: {case.reference} {case.title}")),
            ("DESCRIPTION", Text(f"Case {case.reference}, tier {case.tier}: decide by {case.target_date}")),
        )
        for case in sorted(cases, key=lambda c: c.uid)
    ]


@lru_cache(maxsize=1024)
def _stored_rule(text: str) -> RRuleSpec | None:
    """The stored rule as the booking form's parser reads it; None if it would not accept it now
    (the events are then written one by one, which needs no rule)."""
    try:
        return parse_rrule(text)
    except RecurrenceError:
        return None


@lru_cache(maxsize=4096)
def _rule_dates(rule: RRuleSpec, first: datetime, count: int) -> tuple[datetime, ...]:
    """The rule's first `count` wall-clock dates from `first` (cached: a series is checked on
    every render of every feed that shows it)."""
    return tuple(islice(rule_dates(rule, first), count))
