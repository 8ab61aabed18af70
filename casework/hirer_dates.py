"""A hirer withdraws one date of a series through the private status link, the rest going ahead.

Before confirming they see what it gives back (`withdrawal_terms`): the date's charges, less the
rate card's cancellation fee for the notice given before it, credited on a partial credit note
(`casework.charging.credit_cancelled_dates`) when the booking is already invoiced. The last date
still booked cannot go this way: that is withdrawing the whole request."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from casework import alert_triggers, messages
from casework.charges_view import date_withdrawal_terms
from casework.charging import credit_cancelled_dates, local_today
from casework.date_change_words import DateChange
from casework.deps import CaseDeps, case_by_token, utcnow
from venues.models import Occurrence
from vetting.actors import HIRER
from vetting.errors import Conflict, NotFound
from vetting.history import record
from vetting.lifecycle import HOLDING_STATUSES, OPEN_STATUSES
from vetting.models import VettingCase

LIVE = ("requested", "conflicting", "held")
# A request still being considered, or a booking: a date of either may be given up.
WITHDRAWABLE = (*OPEN_STATUSES, *HOLDING_STATUSES)


@dataclass(frozen=True)
class HirerDate:
    id: UUID
    start: dt.datetime  # the venue's wall-clock time
    end: dt.datetime
    status: str
    withdrawable: bool


def _when(o: Occurrence) -> str:
    return f"{o.local_start:%A %-d %B %Y}, {o.local_start:%H:%M} to {o.local_end:%H:%M}"


async def _live_dates(deps: CaseDeps, case: VettingCase) -> list[Occurrence]:
    booking = await deps.bookings.booking_for_case(case.id)
    return [o for o in await deps.bookings.occurrences(booking.id) if o.status in LIVE]


async def hirer_dates(deps: CaseDeps, token: str, *, now: dt.datetime | None = None) -> list[HirerDate]:
    """The request's dates, each saying whether the hirer may withdraw it alone."""
    now = now or utcnow()
    case = await case_by_token(deps, token)
    booking = await deps.bookings.booking_for_case(case.id)
    dates = await deps.bookings.occurrences(booking.id)
    live = [o for o in dates if o.status in LIVE]
    several = len(live) > 1 and case.status in WITHDRAWABLE
    return [
        HirerDate(
            o.id,
            o.local_start,
            o.local_end,
            o.status,
            several and o.status in LIVE and o.start_utc > now,
        )
        for o in dates
    ]


async def _chosen(deps: CaseDeps, case: VettingCase, occurrence_id: UUID, now: dt.datetime) -> Occurrence:
    if case.status not in WITHDRAWABLE:
        raise Conflict(f"the request is {case.status.replace('_', ' ')}: its dates can no longer be changed")
    live = await _live_dates(deps, case)
    chosen = next((o for o in live if o.id == occurrence_id), None)
    if chosen is None:
        raise NotFound("no such date still booked in this request")
    if chosen.start_utc <= now:
        raise Conflict("this date has already begun")
    if len(live) == 1:
        raise Conflict("this is the only date left: withdraw the whole request instead")
    return chosen


async def withdrawal_terms(
    deps: CaseDeps, token: str, occurrence_id: UUID, *, now: dt.datetime | None = None
) -> dict[str, Any]:
    """The date and what withdrawing it would give back, before the hirer confirms."""
    now = now or utcnow()
    case = await case_by_token(deps, token)
    chosen = await _chosen(deps, case, occurrence_id, now)
    today = local_today(now)
    return {
        "when": _when(chosen),
        # The wall-clock times too, for a page that writes the date in its reader's language.
        "start": chosen.local_start,
        "end": chosen.local_end,
        "money": await date_withdrawal_terms(deps.session, case, chosen.local_start.date(), today=today),
    }


async def withdraw_date(
    deps: CaseDeps, token: str, occurrence_id: UUID, *, now: dt.datetime | None = None
) -> VettingCase:
    now = now or utcnow()
    case = await case_by_token(deps, token)
    chosen = await _chosen(deps, case, occurrence_id, now)
    when, held, day = _when(chosen), chosen.status == "held", chosen.local_start.date()
    booking = await deps.bookings.booking_for_case(case.id)
    await deps.bookings.cancel_occurrence(booking, chosen.id, now=now)
    await record(deps.session, case, HIRER, "date_withdrawn", {"date": when})
    await credit_cancelled_dates(deps.session, case, [day], by_council=False)
    withdrawn = DateChange("withdrawn", chosen.local_start, chosen.local_end)
    await messages.mail_hirer(
        deps, case, messages.date_changed(case.reference, [withdrawn], None, case.language)
    )
    if held:  # it was on the venue managers' calendar
        room, venue = await deps.bookings.room_and_venue(booking.room_id)
        await alert_triggers.booking_changed(
            deps,
            case,
            f"the date {when} withdrawn by the hirer",
            venue_id=venue.id,
            venue=venue.name,
            room=room.name,
        )
    return case
