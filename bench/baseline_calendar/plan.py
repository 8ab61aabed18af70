"""The plan of a feed: its calendar properties and the events of every booking in the window."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bench.baseline_calendar.content import _content, _head, _slot, _tail
from bench.baseline_calendar.series import _series_events
from bench.baseline_calendar.values import _PlannedEvent, _Prop, _Text, _Token, _utc_stamp, _when, _zone
from venues.calendar.model import DetailLevel, DueCase, FeedBooking, FeedOccurrence, FeedSpec

RENDERER_VERSION = "1"


def occurrence_uid(uid: str, original_start_utc: datetime) -> str:
    """UID of one occurrence written as its own VEVENT (stable as long as its slot is)."""
    return f"{uid}#{_utc_stamp(original_start_utc)}"


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
