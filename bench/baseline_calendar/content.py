"""What one event says: status, summary, location, description, and the UID/SEQUENCE frame."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bench.baseline_calendar.values import _Prop, _Text, _Token
from venues.calendar.model import DetailLevel, FeedBooking, FeedOccurrence

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
