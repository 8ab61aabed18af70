"""A booking's dates as one RRULE series (with EXDATE and RECURRENCE-ID overrides), when exact."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import lru_cache
from typing import Literal
from zoneinfo import ZoneInfo

from dateutil import rrule as du_rrule

from bench.baseline_calendar.content import _content, _head, _slot, _tail
from bench.baseline_calendar.values import _Local, _PlannedEvent, _repeated, _Token, _when
from venues.calendar.model import DetailLevel, FeedBooking, FeedOccurrence

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
