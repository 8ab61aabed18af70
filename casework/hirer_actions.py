"""What a hirer does through the private status link: answer a request for information, accept
the conditions of an approval, or withdraw the request. Each is acknowledged by mail, with a
fresh link (a hirer who acts from a shared computer still has their own way back)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from casework import alert_triggers, messages
from casework.birth_dates import record_answers
from casework.deps import CaseDeps, case_by_token, utcnow
from casework.transition import transition
from venues.models import Room, Venue
from vetting.actors import HIRER
from vetting.errors import Invalid
from vetting.lifecycle import HOLDING_STATUSES
from vetting.models import VettingCase

MAX_RESPONSE = 5000


async def provide_information(
    deps: CaseDeps, token: str, response: str, dates_of_birth: Mapping[str, dt.date] | None = None
) -> VettingCase:
    """The hirer's answer: free text, and the dates of birth when the request asked for them
    (then the text is optional)."""
    case = await case_by_token(deps, token)
    text = (response or "").strip()
    if len(text) > MAX_RESPONSE:
        raise Invalid("the answer is too long", {"response": f"at most {MAX_RESPONSE} characters"})
    # Out of that state the transition below refuses the answer, saying why.
    births = record_answers(case, dates_of_birth or {}) if case.status == "awaiting_information" else None
    if not text and births is None:
        raise Invalid("write your answer", {"response": "is required"})
    await transition(
        deps.session, case, "provide_information", HIRER, {"dates_of_birth": True} if births else {}
    )
    case.information_response = text or None
    if births is not None:
        case.birth_dates = births
    await deps.session.flush()
    _, venue = await _room_and_venue(deps, case)
    await alert_triggers.information_received(deps, case, venue.name)
    await messages.mail_hirer(deps, case, messages.information_received(case.reference))
    return case


async def accept_conditions(deps: CaseDeps, token: str, *, now: dt.datetime | None = None) -> VettingCase:
    case = await case_by_token(deps, token)
    await transition(deps.session, case, "accept_conditions", HIRER, {})
    booking = await deps.bookings.booking_for_case(case.id)
    # The calendar event changes (tentative to confirmed), so its sequence moves on.
    booking.sequence += 1
    booking.changed_at = now or utcnow()
    await deps.session.flush()
    await messages.mail_hirer(deps, case, messages.conditions_accepted(case.reference))
    return case


async def withdraw(deps: CaseDeps, token: str, *, now: dt.datetime | None = None) -> VettingCase:
    case = await case_by_token(deps, token)
    held = case.status in HOLDING_STATUSES
    await transition(deps.session, case, "withdraw", HIRER, {})
    booking = await deps.bookings.booking_for_case(case.id)
    await deps.bookings.release(booking, status="cancelled", now=now)
    if held:  # the venue's managers had it on their calendar
        room, venue = await deps.bookings.room_and_venue(booking.room_id)
        await alert_triggers.booking_changed(
            deps, case, "withdrawn by the hirer", venue_id=venue.id, venue=venue.name, room=room.name
        )
    await messages.mail_hirer(deps, case, messages.withdrawn(case.reference))
    return case


async def _room_and_venue(deps: CaseDeps, case: VettingCase) -> tuple[Room, Venue]:
    booking = await deps.bookings.booking_for_case(case.id)
    return await deps.bookings.room_and_venue(booking.room_id)
