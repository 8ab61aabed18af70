"""The council cancels a booking: the same reason rules as a refusal, recorded as a decision."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

from casework import alert_triggers, messages
from casework.decision_records import new_decision, validate_ground
from casework.deps import CaseDeps, get_case, utcnow
from casework.transition import transition
from vetting.actors import Actor
from vetting.errors import Forbidden
from vetting.lifecycle import Outcome
from vetting.models import VettingCase
from vetting.policy_store import policy_version


async def cancel(
    deps: CaseDeps,
    actor: Actor,
    case_id: UUID,
    reason_code: str | None,
    reason: str,
    *,
    now: dt.datetime | None = None,
) -> VettingCase:
    if not actor.is_officer:
        raise Forbidden("only officers cancel bookings")
    now = now or utcnow()
    case = await get_case(deps, case_id)
    policy = await policy_version(deps.session, case.policy_id, case.policy_version)
    ground = validate_ground(policy, reason_code, (reason or "").strip())
    await transition(deps.session, case, "cancel", actor, {"reason_code": ground})
    deps.session.add(
        new_decision(
            case,
            actor,
            policy,
            now,
            kind="cancellation",
            outcome=Outcome.CANCEL.value,
            reason=reason.strip(),
            reason_code=ground,
            conditions=[],
            effective=True,
        )
    )
    booking = await deps.bookings.booking_for_case(case.id)
    await deps.bookings.release(booking, status="cancelled", now=now)
    await messages.mail_hirer(deps, case, messages.cancelled(case.reference, reason))
    # Only bookings holding their room can be cancelled: the venue's managers had it.
    room, venue = await deps.bookings.room_and_venue(booking.room_id)
    await alert_triggers.booking_changed(
        deps, case, "cancelled by the council", venue_id=venue.id, venue=venue.name, room=room.name
    )
    return case
