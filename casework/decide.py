"""An officer decides a case: approve (with or without conditions), refuse with a ground the
policy allows, or ask the hirer for more information; and a second officer countersigns a refusal
where the policy asks for it.

Where the venue's policy delegates the case's tier to venue managers, the venue's own managers
decide and countersign by the same rules (casework/delegation.py says who may).

Every decision is checked against the revision the officer was looking at, so a decision on a case
that has changed since (another officer asked for information, the hirer answered) is refused (409).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from casework import alert_triggers, messages
from casework.check_evidence import checks_in_review
from casework.decision_effect import note_first_decision, stamp_countersigned
from casework.decision_records import new_decision, pending_refusal, validate_conditions, validate_ground
from casework.delegation import require_decider
from casework.deps import CaseDeps, get_case, utcnow
from casework.transition import bump_revision, transition
from policies import Policy
from vetting.actors import Actor
from vetting.case_screening import open_referrals
from vetting.errors import Conflict, Forbidden, Invalid
from vetting.history import record
from vetting.lifecycle import OPEN_STATUSES, Outcome
from vetting.models import Decision, Organisation, VettingCase
from vetting.policy_store import policy_version
from vetting.workdays import add_working_days


@dataclass
class DecisionInput:
    outcome: str  # an Outcome: approve, refuse, request_information
    reason: str
    reason_code: str | None = None
    conditions: list[dict[str, Any]] = field(default_factory=list)
    options_considered: str | None = None
    # The case revision the officer was looking at; a decision on a case that has changed since
    # (another officer asked for information, the hirer answered) is refused with 409.
    expected_revision: int | None = None
    # Approving while checks still need review (no officer outcome recorded from the evidence,
    # casework/check_evidence.py) takes the officer's confirmation and their reason.
    checks_in_review_confirmed: bool = False
    checks_in_review_reason: str | None = None


async def decide(
    deps: CaseDeps, actor: Actor, case_id: UUID, data: DecisionInput, *, now: dt.datetime | None = None
) -> VettingCase:
    if not actor.is_staff:
        raise Forbidden("only officers decide")
    now = now or utcnow()
    session = deps.session
    case = await get_case(deps, case_id)
    await require_decider(deps, actor, case)
    expected = case.revision
    if data.expected_revision is not None and data.expected_revision != expected:
        raise Conflict("the case has changed since you opened it; reload it")
    if case.status not in OPEN_STATUSES:
        raise Conflict(f"the case is {case.status.replace('_', ' ')}; it cannot be decided again")
    if await pending_refusal(session, case.id):
        raise Conflict("a refusal on this case is waiting for a second officer's countersignature")
    if await open_referrals(session, case.id):
        raise Conflict("resolve the open screening referrals before deciding")
    policy = await policy_version(session, case.policy_id, case.policy_version)
    reason = (data.reason or "").strip()
    if data.outcome == Outcome.REQUEST_INFORMATION:
        return await _request_information(deps, actor, case, reason, expected)
    if data.outcome == Outcome.APPROVE:
        return await _approve(deps, actor, case, policy, data, reason, expected, now)
    if data.outcome == Outcome.REFUSE:
        return await _refuse(deps, actor, case, policy, data, reason, expected, now)
    raise Invalid("unknown outcome", {"outcome": "must be approve, refuse or request_information"})


async def _request_information(
    deps: CaseDeps, actor: Actor, case: VettingCase, reason: str, expected: int
) -> VettingCase:
    if not reason:
        raise Invalid("say what information is needed", {"reason": "is required"})
    await transition(
        deps.session, case, "request_information", actor, {"requested": reason}, expected_revision=expected
    )
    case.information_request = reason
    case.information_response = None
    await deps.session.flush()
    await messages.mail_hirer(deps, case, messages.information_requested(case.reference, reason))
    return case


async def _approve(
    deps: CaseDeps,
    actor: Actor,
    case: VettingCase,
    policy: Policy,
    data: DecisionInput,
    reason: str,
    expected: int,
    now: dt.datetime,
) -> VettingCase:
    session = deps.session
    conditions = validate_conditions(policy, data.conditions)
    in_review = _confirmed_checks_in_review(case, data)
    action = "approve_with_conditions" if conditions else "approve"
    decision = new_decision(
        case,
        actor,
        policy,
        now,
        kind="decision",
        outcome=Outcome.APPROVE.value,
        reason=reason or "Approved",
        reason_code=None,
        conditions=conditions,
        options_considered=data.options_considered,
        effective=True,
    )
    await transition(
        session,
        case,
        action,
        actor,
        {"conditions": [c["code"] for c in conditions], **in_review},
        expected_revision=expected,
    )
    session.add(decision)
    note_first_decision(case, now)
    booking = await deps.bookings.booking_for_case(case.id)
    await deps.bookings.hold(booking, now=now)
    organisation = await session.get(Organisation, case.organisation_id)
    assert organisation is not None
    organisation.last_cleared_at = now
    await session.flush()
    listed = await messages.hirer_conditions(deps, case, conditions)
    await messages.mail_hirer(deps, case, messages.approved(case.reference, listed))
    return case


def _confirmed_checks_in_review(case: VettingCase, data: DecisionInput) -> dict[str, Any]:
    """The approval's record of the checks it goes over while they still need review; refused
    without the officer's confirmation and reason."""
    pending = checks_in_review(case)
    if not pending:
        return {}
    reason = (data.checks_in_review_reason or "").strip()
    problems: dict[str, str] = {}
    if not data.checks_in_review_confirmed:
        problems["checks_in_review_confirmed"] = (
            "Confirm that you are approving with checks that still need review"
        )
    if not reason:
        problems["checks_in_review_reason"] = "Enter why you are approving with checks that still need review"
    if problems:
        raise Invalid("checks still need review: confirm and say why you approve anyway", problems)
    return {"checks_in_review": pending, "checks_in_review_reason": reason}


async def _refuse(
    deps: CaseDeps,
    actor: Actor,
    case: VettingCase,
    policy: Policy,
    data: DecisionInput,
    reason: str,
    expected: int,
    now: dt.datetime,
) -> VettingCase:
    ground = validate_ground(policy, data.reason_code, reason)
    decision = new_decision(
        case,
        actor,
        policy,
        now,
        kind="decision",
        outcome=Outcome.REFUSE.value,
        reason=reason,
        reason_code=ground,
        conditions=[],
        options_considered=data.options_considered,
        effective=not policy.countersign_refusals,
    )
    if not (data.options_considered or "").strip():
        raise Invalid(
            "record the less restrictive options considered (for example conditions)",
            {"options_considered": "is required for a refusal"},
        )
    deps.session.add(decision)
    if policy.countersign_refusals:
        await bump_revision(deps.session, case, expected)
        await record(deps.session, case, actor, "refusal_proposed", {"reason_code": ground})
        allowed = policy.refusal_ground(ground)
        await alert_triggers.countersignature(
            deps, case, actor, f"{allowed.text}. {reason}" if allowed is not None else reason
        )
        return case
    await finish_refusal(deps, case, actor, decision, now)
    return case


async def countersign(
    deps: CaseDeps,
    actor: Actor,
    case_id: UUID,
    *,
    agree: bool,
    note: str | None = None,
    now: dt.datetime | None = None,
) -> VettingCase:
    if not actor.is_staff:
        raise Forbidden("only officers countersign")
    now = now or utcnow()
    case = await get_case(deps, case_id)
    await require_decider(deps, actor, case)
    pending = await pending_refusal(deps.session, case.id)
    if pending is None:
        raise Conflict("there is no refusal waiting for a countersignature")
    if pending.officer_id is not None and pending.officer_id == actor.id:
        raise Forbidden("a second, different person must countersign a refusal")
    pending.countersigned_by_id = actor.id
    pending.countersigned_by_name = actor.name
    pending.countersigned_at = now
    stamp_countersigned(pending, now, agreed=agree)
    if not agree:
        await record(deps.session, case, actor, "refusal_not_countersigned", {"note": note or ""})
        await deps.session.flush()
        return case
    pending.effective = True
    await finish_refusal(deps, case, actor, pending, now)
    return case


async def finish_refusal(
    deps: CaseDeps, case: VettingCase, actor: Actor, decision: Decision, now: dt.datetime
) -> None:
    await transition(deps.session, case, "refuse", actor, {"reason_code": decision.reason_code})
    note_first_decision(case, now)
    booking = await deps.bookings.booking_for_case(case.id)
    await deps.bookings.release(booking, now=now)
    policy = await policy_version(deps.session, case.policy_id, case.policy_version)
    appeal_until = add_working_days(decision.decided_at.date(), policy.appeal_window_working_days)
    await messages.mail_hirer(
        deps, case, messages.refused(case.reference, decision.reason, appeal_until, case.language)
    )
