"""What the hirer sees through the private status link: never screening detail, never other hirers."""

from __future__ import annotations

from typing import Any

from casework.birth_date_words import reworded
from casework.birth_dates import latest_asked, waiting
from casework.decision_records import effective_decision, latest_appeal, pending_refusal
from casework.deps import CaseDeps, case_by_token
from casework.messages import base_url_for
from policies import Policy
from policies.welsh import condition_words
from vetting.lifecycle import CaseStatus, Outcome
from vetting.models import Decision
from vetting.policy_store import policy_version
from vetting.workdays import add_working_days


def _decision_json(decision: Decision, appeal_window_working_days: int) -> dict[str, Any]:
    return {
        "outcome": decision.outcome,
        "reason": decision.reason,
        "reason_code": decision.reason_code,
        "decided_at": decision.decided_at.isoformat(),
        "appeal_until": (
            add_working_days(decision.decided_at.date(), appeal_window_working_days).isoformat()
            if decision.outcome == Outcome.REFUSE
            else None
        ),
    }


def _conditions_read(conditions: list[dict[str, Any]], policy: Policy, language: str) -> list[dict[str, Any]]:
    """The decision's conditions as the reader reads them: the policy's Welsh for its own wording
    (the decision keeps what the officer attached, in English)."""
    return [
        c | {"text": condition_words(policy, c.get("code"), str(c.get("text") or ""), language)}
        for c in conditions
    ]


async def applicant_view(deps: CaseDeps, token: str, language: str = "en") -> dict[str, Any]:
    """What the status page and the API show the hirer; `language` words the policy's own texts
    (the API answers in English, the page in the reader's language)."""
    session = deps.session
    case = await case_by_token(deps, token)
    booking = await deps.bookings.booking_for_case(case.id)
    room, venue = await deps.bookings.room_and_venue(booking.room_id)
    decision = await effective_decision(session, case.id)
    waiting_countersignature = await pending_refusal(session, case.id)
    appeal = await latest_appeal(session, case.id)
    policy = await policy_version(session, case.policy_id, case.policy_version)
    return {
        "reference": case.reference,
        "status": case.status,
        "organisation": case.organisation_name,
        "event": {"title": case.event.get("title")},
        "room": room.name,
        "venue": venue.name,
        "target_date": case.target_date.isoformat() if case.target_date else None,
        "occurrences": [
            {
                "start": o.local_start.isoformat(timespec="minutes"),
                "end": o.local_end.isoformat(timespec="minutes"),
                # A hirer sees whether a date is held or cancelled, never why it is not (yet).
                "status": o.status if o.status in ("held", "cancelled") else "requested",
            }
            for o in await deps.bookings.occurrences(booking.id)
        ],
        "information_request": reworded(case.information_request or "", latest_asked(case), language) or None
        if case.status == CaseStatus.AWAITING_INFORMATION
        else None,
        # The people whose date of birth the open request asks for (names only: never why).
        "dates_of_birth_asked": [str(item["name"]) for item in waiting(case)],
        "conditions": _conditions_read(decision.conditions, policy, language)
        if decision and decision.outcome == Outcome.APPROVE
        else [],
        "decision": _decision_json(decision, policy.appeal_window_working_days)
        if decision and not waiting_countersignature
        else None,
        "appeal": {"status": appeal.outcome, "reason": appeal.reason if appeal.outcome != "pending" else None}
        if appeal
        else None,
    }


async def status_link(deps: CaseDeps, token: str) -> str:
    """The private link as the hirer's mail gave it: on the case's organisation's own host name
    when it has one, so the page and the mail show the same address."""
    case = await case_by_token(deps, token)
    return f"{await base_url_for(deps, case.provider_id)}/status/{token}"
