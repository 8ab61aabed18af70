"""What a venue manager sees of the cases their venues' policy delegates to them: the list of
requests waiting for them, and one case with no screening detail beyond what the policy allows
(`Policy.delegation.screening_detail`). Reading a case is recorded in its history, as for officers.

Managers never see the flagged entry a name resembles, its score or the matcher's explanation,
nor partners' shared findings: those are an officer's to weigh (design.md principles 1 and 4).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import select

from casework.case_view import decision_json, event_json, occurrence_json
from casework.decision_records import decisions, pending_refusal
from casework.delegation import SCREENING_NEEDS_OFFICER, delegated_tier, manager_access, screening_state
from casework.deps import CaseDeps, get_case
from policies import Policy
from venues.models import Booking, Room, Venue
from vetting.actors import Actor
from vetting.case_screening import OPEN, matches_for
from vetting.errors import Forbidden
from vetting.history import history, record
from vetting.lifecycle import OPEN_STATUSES
from vetting.models import Decision, ScreeningMatch, VettingCase
from vetting.policy_store import policy_version

SCREENING_SUMMARIES = {
    "pass": "No possible match needs an officer",
    "review": "A possible match needs an officer",
    "fail": "An officer confirmed a match: an officer decides this request",
}


async def _policies(deps: CaseDeps, cases: list[VettingCase]) -> dict[tuple[str, str], Policy]:
    out: dict[tuple[str, str], Policy] = {}
    for case in cases:
        key = (case.policy_id, case.policy_version)
        if key not in out:
            out[key] = await policy_version(deps.session, *key)
    return out


async def manager_queue(deps: CaseDeps, actor: Actor) -> list[dict[str, Any]]:
    """Undecided requests at the manager's venues whose tier the policy leaves to managers,
    oldest target date first. Four statements whatever the number of cases (plus one per
    policy version in use)."""
    if actor.role != "venue_manager":
        raise Forbidden("only venue managers have a list of delegated requests")
    if not actor.venue_ids:
        return []
    rows = (
        await deps.session.execute(
            select(VettingCase, Room.name, Venue.name)
            .join(Booking, Booking.case_id == VettingCase.id)
            .join(Room, Room.id == Booking.room_id)
            .join(Venue, Venue.id == Room.venue_id)
            .where(Room.venue_id.in_(sorted(actor.venue_ids)), VettingCase.status.in_(OPEN_STATUSES))
            .order_by(VettingCase.target_date, VettingCase.first_start)
        )
    ).all()
    cases = [case for case, _, _ in rows]
    policies = await _policies(deps, cases)
    delegated = [
        (case, room, venue)
        for case, room, venue in rows
        if delegated_tier(policies[(case.policy_id, case.policy_version)], case.tier)
    ]
    ids = [case.id for case, _, _ in delegated]
    proposed = set(
        (
            await deps.session.execute(
                select(Decision.case_id).where(
                    Decision.case_id.in_(ids or [UUID(int=0)]),
                    Decision.kind == "decision",
                    Decision.outcome == "refuse",
                    Decision.effective.is_(False),
                    Decision.countersigned_at.is_(None),
                )
            )
        ).scalars()
    )
    # Screening as it stands (officers' dispositions), not the stored check result.
    waiting = set(
        (
            await deps.session.execute(
                select(ScreeningMatch.case_id).where(
                    ScreeningMatch.case_id.in_(ids or [UUID(int=0)]),
                    ScreeningMatch.disposition.in_((OPEN, "possible", "confirmed")),
                )
            )
        ).scalars()
    )
    out = []
    for case, room, venue in delegated:
        policy = policies[(case.policy_id, case.policy_version)]
        out.append(
            {
                "id": str(case.id),
                "reference": case.reference,
                "organisation": case.organisation_name,
                "title": case.event.get("title", ""),
                "room": room,
                "venue": venue,
                "status": case.status,
                "tier": case.tier,
                "policy": policy,
                "first_start": case.first_start,
                "target_date": case.target_date,
                "needs_officer": case.id in waiting,
                "awaiting_countersignature": case.id in proposed,
            }
        )
    return out


def manager_checks(
    case: VettingCase, screening: str, submitted_names: list[str] | None
) -> list[dict[str, Any]]:
    """Each check's outcome; the screening check as it stands now (`screening`: pass, review or
    fail) in the words above, without evidence, and with the request's own names a match
    concerns only where the policy allows it."""
    out = []
    for check in case.checks or []:
        if check.get("check") != "screening":
            out.append(check)
            continue
        shown: dict[str, Any] = {
            "check": "screening",
            "outcome": screening,
            "summary": SCREENING_SUMMARIES[screening],
        }
        if screening != "pass":
            shown["needed"] = "An officer's decision on each possible match"
            if submitted_names:
                shown["summary"] += f" (about: {', '.join(submitted_names)})"
        out.append(shown)
    return out


async def manager_case_view(deps: CaseDeps, actor: Actor, case_id: UUID) -> dict[str, Any]:
    """One case for a manager of its venue: 404 for anyone else's venue, 403 where the tier is
    decided by officers."""
    session = deps.session
    case = await get_case(deps, case_id)
    access = await manager_access(deps, actor, case)
    if not access.delegated:
        raise Forbidden("requests in this tier are decided by council officers, not venue managers")
    policy = await policy_version(session, case.policy_id, case.policy_version)
    booking = await deps.bookings.booking_for_case(case.id)
    room, venue = await deps.bookings.room_and_venue(booking.room_id)
    occs = await deps.bookings.occurrences(booking.id)
    await record(session, case, actor, "viewed")
    matches = await matches_for(session, case.id)
    undecided = [m for m in matches if m.disposition in (OPEN, "possible", "confirmed")]
    names = (
        sorted({m.query_name for m in undecided})
        if policy.delegation.screening_detail == "submitted_names"
        else None
    )
    screening = await screening_state(deps, case)
    proposed = await pending_refusal(session, case.id)
    return {
        "id": str(case.id),
        "reference": case.reference,
        "status": case.status,
        "revision": case.revision,
        "policy": {"id": case.policy_id, "version": case.policy_version},
        "tier": case.tier,
        "target_date": case.target_date.isoformat() if case.target_date else None,
        "request": {
            "organisation": dict(case.organisation_submitted),
            "contact": case.contact,
            "people": case.people,
            "event": case.event,
            "declarations": case.declarations,
            "answers": case.answers,
            "room": {"id": str(room.id), "name": room.name, "capacity": room.capacity},
            "venue": {"id": str(venue.id), "name": venue.name},
            "rrule": booking.rrule,
        },
        "information_request": case.information_request,
        "information_response": case.information_response,
        "occurrences": [occurrence_json(o) for o in occs],
        "checks": manager_checks(case, screening, names),
        "referral": SCREENING_NEEDS_OFFICER if not access.screening_clear else None,
        "may_decide": access.may_decide and case.status in OPEN_STATUSES and proposed is None,
        "pending_refusal": decision_json(proposed) if proposed is not None else None,
        "proposed_by_me": proposed is not None and proposed.officer_id == actor.id,
        "decisions": [decision_json(d) for d in await decisions(session, case.id)],
        "history": [
            {"at": e["at"], "actor": e["actor"], "action": e["action"]}
            for e in map(event_json, await history(session, case.id))
        ],
    }
