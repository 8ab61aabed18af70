"""A hirer appeals a refusal within the policy's window; an officer who took no part in the
decision upholds it, saying what the case becomes (approved again, approved with varied conditions
for the hirer to accept, or reviewed afresh), or dismisses it; the hirer is told exactly that."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from advanced_alchemy.types import GUID
from sqlalchemy import Boolean, String, bindparam, column, text

from casework import alert_triggers, messages
from casework.decision_records import (
    effective_decision,
    latest_appeal,
    new_decision,
    took_part,
    validate_conditions,
)
from casework.deps import CaseDeps, case_by_token, get_case, utcnow
from casework.transition import transition
from venues.models import Booking
from vetting.actors import HIRER, Actor
from vetting.errors import Conflict, Forbidden, Invalid
from vetting.history import record
from vetting.lifecycle import APPEAL_DECISIONS, APPEAL_OVERTURNS, AppealOutcome, CaseStatus, Outcome
from vetting.models import Decision, Organisation, VettingCase
from vetting.policy_store import policy_version
from vetting.workdays import add_working_days

# The staff table belongs to the api package, which casework must not import: plain SQL over it.
# The case's council or partner's officers and administrators, and the service's administrators
# (no organisation: they run the service and may decide any appeal in which they took no part).
_OFFICERS = (
    text(
        "SELECT u.id, u.name, u.provider_id IS NULL AS service FROM app_user u"
        " WHERE u.role IN ('officer', 'admin') AND u.active = :active"
        " AND (u.provider_id = :provider OR (u.role = 'admin' AND u.provider_id IS NULL))"
        " ORDER BY u.provider_id IS NULL, u.name"
    )
    .bindparams(bindparam("provider", type_=GUID))
    .columns(column("id", GUID), column("name", String), column("service", Boolean))
)
SERVICE_ADMIN = "service administrator"


@dataclass(frozen=True)
class AppealDeciders:
    """Who may decide a case's appeal: the active officers and administrators of the case's
    council or partner, then the service's administrators, who took no part in the decision
    (`eligible`, by name; a service administrator's marked as such), and those who did."""

    eligible: list[tuple[UUID, str]]
    took_part: frozenset[UUID]

    def may_decide(self, actor: Actor) -> bool:
        return actor.is_officer and actor.id not in self.took_part


async def appeal_deciders(deps: CaseDeps, case_id: UUID) -> AppealDeciders:
    case = await get_case(deps, case_id)
    part = await took_part(deps.session, case.id)
    rows = await deps.session.execute(_OFFICERS, {"active": True, "provider": case.provider_id})
    eligible = [
        (user_id, f"{name} ({SERVICE_ADMIN})" if service else name)
        for user_id, name, service in rows.tuples()
        if user_id not in part
    ]
    return AppealDeciders(eligible, frozenset(part))


async def appeal(deps: CaseDeps, token: str, grounds: str, *, now: dt.datetime | None = None) -> VettingCase:
    now = now or utcnow()
    session = deps.session
    case = await case_by_token(deps, token)
    if case.status != CaseStatus.REFUSED:
        raise Conflict("only a refusal can be appealed")
    if await latest_appeal(session, case.id):
        raise Conflict("this refusal has already been appealed")
    decision = await effective_decision(session, case.id)
    assert decision is not None
    policy = await policy_version(session, case.policy_id, case.policy_version)
    deadline = add_working_days(decision.decided_at.date(), policy.appeal_window_working_days)
    if now.date() > deadline:
        raise Conflict(f"the appeal window closed on {deadline:%d %B %Y}")
    text = (grounds or "").strip()
    if not text:
        raise Invalid("give the grounds of your appeal", {"grounds": "is required"})
    session.add(
        Decision(
            case_id=case.id,
            provider_id=case.provider_id,
            kind="appeal",
            outcome=AppealOutcome.PENDING.value,
            reason=text,
            reason_code=None,
            conditions=[],
            officer_id=None,
            officer_name="",
            decided_at=now,
            policy_id=policy.id,
            policy_version=str(policy.version),
            effective=False,
        )
    )
    await record(session, case, HIRER, "appealed", {})
    await session.flush()
    booking = await deps.bookings.booking_for_case(case.id)
    _, venue = await deps.bookings.room_and_venue(booking.room_id)
    await alert_triggers.appeal_lodged(deps, case, venue.name)
    await messages.mail_hirer(deps, case, messages.appeal_lodged(case.reference))
    return case


async def decide_appeal(
    deps: CaseDeps,
    actor: Actor,
    case_id: UUID,
    outcome: str,
    reason: str,
    conditions: list[dict[str, Any]] | None = None,
    *,
    now: dt.datetime | None = None,
) -> VettingCase:
    """Settle the appeal. Upholding it says what the case becomes: `reapproved` (approved as an
    ordinary approval would be: confirmed, or waiting for the hirer to accept the conditions
    given), `varied` (approved with the new conditions, which the hirer accepts), or `upheld`
    (reviewed afresh by an officer). `dismissed` leaves the refusal standing."""
    if not actor.is_officer:
        raise Forbidden("only officers decide appeals")
    now = now or utcnow()
    session = deps.session
    case = await get_case(deps, case_id)
    pending = await latest_appeal(session, case.id)
    if pending is None or pending.outcome != AppealOutcome.PENDING:
        raise Conflict("there is no appeal waiting for a decision")
    if actor.id in await took_part(session, case.id):
        raise Forbidden("an appeal must be decided by an officer who took no part in the decision")
    if outcome not in APPEAL_DECISIONS:
        raise Invalid(
            "unknown appeal outcome", {"outcome": "must be reapproved, varied, upheld or dismissed"}
        )
    text = (reason or "").strip()
    if not text:
        raise Invalid("give reasons", {"reason": "is required"})
    policy = await policy_version(session, case.policy_id, case.policy_version)
    checked = validate_conditions(policy, conditions or []) if outcome in _APPROVING else []
    if outcome == AppealOutcome.VARIED and not checked:
        raise Invalid(
            "choose the conditions the hirer is to accept", {"conditions": "choose at least one condition"}
        )
    original = await effective_decision(session, case.id)
    pending.outcome = outcome
    pending.officer_id, pending.officer_name, pending.decided_at = actor.id, actor.name, now
    pending.effective = True
    pending.reason = pending.reason + "\n\nDecision: " + text
    if outcome in APPEAL_OVERTURNS and original is not None:
        original.effective = False
    if outcome == AppealOutcome.UPHELD:
        await transition(session, case, "appeal_upheld", actor, {"reason": text})
        await _reopen_released(deps, case)
    elif outcome in _APPROVING:
        await transition(
            session,
            case,
            _approving_action(outcome, checked),
            actor,
            {"conditions": [c["code"] for c in checked]},
        )
        session.add(
            new_decision(
                case,
                actor,
                policy,
                now,
                kind="decision",
                outcome=Outcome.APPROVE.value,
                reason=text,
                conditions=checked,
                effective=True,
            )
        )
        booking = await _reopen_released(deps, case)
        await session.flush()
        await deps.bookings.hold(booking, now=now)
        # Approved again, so cleared as an ordinary approval clears it (casework/decide.py).
        organisation = await session.get(Organisation, case.organisation_id)
        if organisation is not None:
            organisation.last_cleared_at = now
    else:
        await record(session, case, actor, "appeal_dismissed", {"reason": text})
    await session.flush()
    listed = await messages.hirer_conditions(deps, case, checked)
    await messages.mail_hirer(deps, case, messages.appeal_decided(case.reference, outcome, text, listed))
    return case


_APPROVING = (AppealOutcome.REAPPROVED, AppealOutcome.VARIED)


def _approving_action(outcome: str, conditions: list[dict[str, Any]]) -> str:
    """The lifecycle action: an approval again is confirmed at once unless it carries conditions."""
    if outcome == AppealOutcome.VARIED:
        return "appeal_varied"
    return "appeal_reapproved_with_conditions" if conditions else "appeal_reapproved"


async def _reopen_released(deps: CaseDeps, case: VettingCase) -> Booking:
    """Dates given up by a refusal ask for their slots again (appeal upheld or varied)."""
    booking = await deps.bookings.booking_for_case(case.id)
    for occ in await deps.bookings.occurrences(booking.id):
        if occ.status == "released":
            occ.status = "requested"
    return booking
