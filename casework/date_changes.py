"""An officer cancels or moves one date of a booking, or cancels the rest of a series from a date
on, with a reason: the hirer is told which dates and why, and the venue's managers are told when
a date was holding its room (it was on their calendar). The venues code gives up the slots (the
feeds pick the change up) and frees them for competing requests waiting on them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from uuid import UUID

from casework import alert_triggers, messages
from casework.charging import credit_cancelled_dates
from casework.date_change_words import REASONS, DateChange, Reason
from casework.deps import CaseDeps, get_case
from venues.models import Occurrence
from vetting.actors import Actor
from vetting.errors import Conflict, Forbidden, Invalid, NotFound
from vetting.history import record
from vetting.models import VettingCase

HELD = "held"
# Dates that no longer ask for their slot: nothing to cancel or move.
GONE = ("cancelled", "released")
# A chosen reason or free text: the hirer's message words a chosen one in the case's language.
ReasonGiven = Reason | str


def _when(start: dt.datetime, end: dt.datetime) -> str:
    return f"{start:%A %-d %B %Y}, {start:%H:%M} to {end:%H:%M}"


def reason_text(code: str | None, details: str | None) -> Reason:
    """The chosen reason (``str()`` is its English words), or Invalid naming the form field to fix."""
    details = (details or "").strip()
    if code not in REASONS:
        raise Invalid("choose a reason", {"reason": "choose a reason"})
    if code == "other" and not details:
        raise Invalid("say what the reason is", {"details": "say what the reason is"})
    return Reason(code, details)


async def _dates(deps: CaseDeps, case: VettingCase) -> list[Occurrence]:
    booking = await deps.bookings.booking_for_case(case.id)
    return await deps.bookings.occurrences(booking.id)


async def _date_of(deps: CaseDeps, case: VettingCase, occurrence_id: UUID) -> Occurrence | None:
    """The date, or None when it is not one of the booking's."""
    return next((o for o in await _dates(deps, case) if o.id == occurrence_id), None)


def _words(o: Occurrence | None) -> str:
    return _when(o.local_start, o.local_end) if o is not None else ""


async def _tell_hirer(deps: CaseDeps, case: VettingCase, changes: list[DateChange], reason: Reason) -> None:
    message = messages.date_changed(case.reference, changes, reason, case.language)
    await messages.mail_hirer(deps, case, message)


async def _local_day(deps: CaseDeps, case: VettingCase, occurrence_id: UUID) -> dt.date | None:
    """The venue's calendar day of one date of the booking (the day its invoice lines carry)."""
    return next((o.local_start.date() for o in await _dates(deps, case) if o.id == occurrence_id), None)


async def _tell_managers(deps: CaseDeps, case: VettingCase, change: str) -> None:
    booking = await deps.bookings.booking_for_case(case.id)
    room, venue = await deps.bookings.room_and_venue(booking.room_id)
    await alert_triggers.booking_changed(
        deps, case, change, venue_id=venue.id, venue=venue.name, room=room.name
    )


def _officer(actor: Actor) -> None:
    if not actor.is_officer:
        raise Forbidden("only officers change the dates of a booking")


def _required(reason: ReasonGiven) -> Reason:
    """Every date change carries the council's reason: recorded and told to the hirer (the pages
    and the API alike; casework.date_changes.reason_text makes a chosen one, and free text is
    the officer's own words)."""
    if isinstance(reason, str):
        reason = Reason(None, (reason or "").strip())
    if not reason:
        raise Invalid("choose a reason", {"reason": "choose a reason"})
    return reason


async def cancel_date(
    deps: CaseDeps,
    actor: Actor,
    case_id: UUID,
    occurrence_id: UUID,
    *,
    reason: ReasonGiven,
    now: dt.datetime | None = None,
) -> VettingCase:
    _officer(actor)
    reason = _required(reason)
    case = await get_case(deps, case_id)
    chosen = await _date_of(deps, case, occurrence_id)
    when, status = _words(chosen), chosen.status if chosen is not None else ""
    booking = await deps.bookings.booking_for_case(case.id)
    day = await _local_day(deps, case, occurrence_id)
    await deps.bookings.cancel_occurrence(booking, occurrence_id, now=now)
    await record(deps.session, case, actor, "date_cancelled", {"date": when, "reason": str(reason)})
    if day is not None and status not in GONE:
        await credit_cancelled_dates(deps.session, case, [day], by_council=True)
    if chosen is not None and status != "cancelled":
        await _tell_hirer(deps, case, [DateChange("cancelled", chosen.local_start, chosen.local_end)], reason)
    if status == HELD:
        await _tell_managers(deps, case, f"the date {when} cancelled")
    return case


async def cancel_rest(
    deps: CaseDeps,
    actor: Actor,
    case_id: UUID,
    occurrence_id: UUID,
    *,
    reason: ReasonGiven,
    now: dt.datetime | None = None,
) -> VettingCase:
    """Cancel this date and every later one still booked or asked for; earlier dates stay. One
    message to the hirer lists them all; the managers hear of those that held the room."""
    _officer(actor)
    reason = _required(reason)
    case = await get_case(deps, case_id)
    dates = await _dates(deps, case)
    chosen = next((o for o in dates if o.id == occurrence_id), None)
    if chosen is None:
        raise NotFound("no such date in this booking")
    live = [o for o in dates if o.status not in GONE]
    rest = [o for o in live if o.start_utc >= chosen.start_utc]
    if not rest:
        raise Conflict("this date and the ones after it are already cancelled")
    if len(rest) == len(live):
        raise Conflict(
            "no date before this one is still booked: cancelling the rest would cancel the whole"
            " booking, so cancel the booking instead"
        )
    booking = await deps.bookings.booking_for_case(case.id)
    words = [(_when(o.local_start, o.local_end), o.status) for o in rest]
    days = [o.local_start.date() for o in rest]
    for o in rest:
        await deps.bookings.cancel_occurrence(booking, o.id, now=now)
    await credit_cancelled_dates(deps.session, case, days, by_council=True)
    listed = [w for w, _ in words]
    await record(
        deps.session, case, actor, "rest_of_series_cancelled", {"dates": listed, "reason": str(reason)}
    )
    await _tell_hirer(deps, case, [DateChange("cancelled", o.local_start, o.local_end) for o in rest], reason)
    held = [w for w, status in words if status == HELD]
    if held:
        await _tell_managers(deps, case, f"the dates from {held[0]} on cancelled ({len(held)} in all)")
    return case


async def move_date(
    deps: CaseDeps,
    actor: Actor,
    case_id: UUID,
    occurrence_id: UUID,
    start: dt.datetime,
    end: dt.datetime,
    *,
    reason: ReasonGiven,
    now: dt.datetime | None = None,
) -> VettingCase:
    _officer(actor)
    reason = _required(reason)
    case = await get_case(deps, case_id)
    old = await _date_of(deps, case, occurrence_id)
    before, status = _words(old), old.status if old is not None else ""
    # The wall-clock times before the move (the row itself is changed by moving it).
    old_times = (old.local_start, old.local_end) if old is not None else None
    booking = await deps.bookings.booking_for_case(case.id)
    await deps.bookings.move_occurrence(booking, occurrence_id, start, end, now=now)
    new = await _date_of(deps, case, occurrence_id)
    after = _words(new)
    await record(
        deps.session, case, actor, "date_moved", {"from": before, "to": after, "reason": str(reason)}
    )
    if old_times is not None and new is not None and after != before:
        moved = DateChange("moved", *old_times, new_start=new.local_start, new_end=new.local_end)
        await _tell_hirer(deps, case, [moved], reason)
        if status == HELD:
            await _tell_managers(deps, case, f"the date {before} moved to {after}")
    return case


@dataclass(frozen=True)
class DateChoice:
    """What the officer's date-change pages show: the case, the chosen date and, for the rest of a
    series, every date that would go with it."""

    case_id: UUID
    reference: str
    case_status: str
    occurrence_id: UUID
    when: str
    status: str
    local_start: dt.datetime
    local_end: dt.datetime
    timezone: str
    venue: str
    room: str
    rest: list[str]  # this date and the later ones still booked or asked for
    earlier_live: int  # dates before this one still booked or asked for


async def date_choice(deps: CaseDeps, actor: Actor, case_id: UUID, occurrence_id: UUID) -> DateChoice:
    _officer(actor)
    case = await get_case(deps, case_id)
    booking = await deps.bookings.booking_for_case(case.id)
    room, venue = await deps.bookings.room_and_venue(booking.room_id)
    dates = await deps.bookings.occurrences(booking.id)
    chosen = next((o for o in dates if o.id == occurrence_id), None)
    if chosen is None:
        raise NotFound("no such date in this booking")
    live = [o for o in dates if o.status not in GONE]
    return DateChoice(
        case_id=case.id,
        reference=case.reference,
        case_status=case.status,
        occurrence_id=chosen.id,
        when=_when(chosen.local_start, chosen.local_end),
        status=chosen.status,
        local_start=chosen.local_start,
        local_end=chosen.local_end,
        timezone=venue.timezone,
        venue=venue.name,
        room=room.name,
        rest=[_when(o.local_start, o.local_end) for o in live if o.start_utc >= chosen.start_utc],
        earlier_live=sum(1 for o in live if o.start_utc < chosen.start_utc),
    )
