"""The officer's whole case: the request as submitted, dates, checks, screening detail,
competing requests, decisions and history. Reading it is recorded in the case history."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from casework.birth_dates import askable, asked, birth_notes
from casework.decision_records import decisions
from casework.deps import CaseDeps, get_case
from venues.models import Occurrence
from vetting.actors import Actor
from vetting.birth_dates import BirthComparison
from vetting.case_screening import matches_for
from vetting.errors import Forbidden
from vetting.history import history, record
from vetting.lifecycle import OPEN_STATUSES
from vetting.models import CaseEvent, Decision, ScreeningMatch, VettingCase
from vetting.organisation_links import link_view
from vetting.policy_store import policy_version
from vetting.shared_findings import findings_for


def occurrence_json(o: Occurrence) -> dict[str, Any]:
    return {
        "id": str(o.id),
        "seq": o.seq,
        "start": o.start_utc.isoformat(),
        "end": o.end_utc.isoformat(),
        "local_start": o.local_start.isoformat(timespec="minutes"),
        "local_end": o.local_end.isoformat(timespec="minutes"),
        "status": o.status,
        "moved_from": o.original_start_utc.isoformat() if o.original_start_utc else None,
    }


def decision_json(d: Decision) -> dict[str, Any]:
    return {
        "kind": d.kind,
        "outcome": d.outcome,
        "reason": d.reason,
        "reason_code": d.reason_code,
        "conditions": d.conditions,
        "options_considered": d.options_considered,
        "officer": d.officer_name,
        "decided_at": d.decided_at.isoformat(),
        "policy_version": d.policy_version,
        "countersigned_by": d.countersigned_by_name,
        "effective": d.effective,
    }


def match_json(m: ScreeningMatch, birth: BirthComparison | None = None) -> dict[str, Any]:
    return {
        "id": str(m.id),
        "subject_kind": m.subject_kind,
        "subject_role": m.subject_role,
        "query_name": m.query_name,
        "entry_id": str(m.entry_id),
        "matched_name": m.matched_name,
        "score": m.score,
        "explanation": m.explanation,
        "list_version": m.list_version,
        "disposition": m.disposition,
        "note": m.note,
        "disposed_by": m.disposed_by,
        # What dates of birth say (a person's match only): an annotation, never a disposition.
        "birth_date": None
        if birth is None
        else {
            "verdict": birth.verdict,
            "likely_different_person": birth.likely_different,
            "sentence": birth.sentence,
        },
    }


def event_json(e: CaseEvent) -> dict[str, Any]:
    return {
        "at": e.at.isoformat(),
        "actor": e.actor_name,
        "action": e.action,
        "detail": e.detail,
        "policy_version": e.policy_version,
    }


async def case_view(deps: CaseDeps, actor: Actor, case_id: UUID) -> dict[str, Any]:
    if not actor.is_officer:
        raise Forbidden("only officers see whole cases")
    session = deps.session
    case = await get_case(deps, case_id)
    booking = await deps.bookings.booking_for_case(case.id)
    room, venue = await deps.bookings.room_and_venue(booking.room_id)
    occs = await deps.bookings.occurrences(booking.id)
    await record(session, case, actor, "viewed")
    case_decisions = await decisions(session, case.id)
    # What partners share about this organisation or its people: findings, never decisions.
    shared = await findings_for(session, case)
    if shared and deps.findings_shown is not None:
        await deps.findings_shown(session, actor, case, shared)
    events = [event_json(e) for e in await history(session, case.id)]
    matches = await matches_for(session, case.id)
    policy = await policy_version(session, case.policy_id, case.policy_version)
    births = await birth_notes(session, case, matches, policy)
    return {
        "id": str(case.id),
        "reference": case.reference,
        "status": case.status,
        "revision": case.revision,
        "policy": {"id": case.policy_id, "version": case.policy_version, "language": case.language},
        "tier": case.tier,
        "target_date": case.target_date.isoformat() if case.target_date else None,
        "request": {
            # As this request gave it; the record it is filed under may say otherwise.
            "organisation": {"id": str(case.organisation_id), **case.organisation_submitted},
            "contact": case.contact,
            "people": case.people,
            "event": case.event,
            "declarations": case.declarations,
            "answers": case.answers,
            "room": {"id": str(room.id), "name": room.name, "capacity": room.capacity},
            "venue": {"id": str(venue.id), "name": venue.name},
            "rrule": booking.rrule,
        },
        "organisation_link": await link_view(session, case),
        "information_request": case.information_request,
        "information_response": case.information_response,
        "occurrences": [occurrence_json(o) for o in occs],
        "checks": case.checks,
        "screening": [match_json(m, births.get(m.id)) for m in matches],
        "dates_of_birth": asked(case),
        "dates_of_birth_askable": [
            {"name": name, "role": role} for name, role in await askable(session, case)
        ],
        "shared_findings": [f.as_dict() for f in shared],
        "competing_requests": await deps.bookings.competing(booking) if case.status in OPEN_STATUSES else [],
        "decisions": [decision_json(d) for d in case_decisions],
        "history": events,
        "assignment": assignment_json(case, events),
    }


def assignment_json(case: VettingCase, events: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Who has the case, since when, and who gave it to them (the history's latest assignment)."""
    if case.assigned_to_id is None or case.assigned_at is None:
        return None
    given = next((e for e in reversed(events) if e["action"] == "assigned"), None)
    return {
        "officer_id": str(case.assigned_to_id),
        "officer": case.assigned_to_name or "",
        "at": case.assigned_at.isoformat(),
        "by": given["actor"] if given else None,
    }
