"""An officer records a check's outcome from the evidence (issue 17 item 2): a check the
automatic run left in review becomes pass (satisfied) or fail (not satisfied), with who, when,
the note and, optionally, the document it rests on.

The automatic result is never lost: the check keeps it under ``automatic`` and the history event
carries both. Running the checks again keeps the officer's outcome while the automatic result
is still the one the officer looked at (casework/checks_context.py, `apply_result`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from casework.deps import CaseDeps, get_case, utcnow
from casework.documents import reusable_documents
from casework.transition import bump_revision
from vetting.actors import Actor
from vetting.documents import CaseDocument
from vetting.errors import Conflict, Forbidden, Invalid, NotFound
from vetting.history import record
from vetting.lifecycle import OPEN_STATUSES
from vetting.models import VettingCase

NOTE_LIMIT = 2000


def automatic_outcome(check: dict[str, Any]) -> str:
    """What the automatic run found for this check, whatever an officer has recorded since."""
    automatic = check.get("automatic")
    return str(automatic["outcome"]) if isinstance(automatic, dict) else str(check.get("outcome"))


def checks_in_review(case: VettingCase) -> list[str]:
    """The checks still waiting for an officer: automatic review and no officer outcome yet."""
    return [str(c.get("check")) for c in case.checks if c.get("outcome") == "review"]


def with_officer_outcome(check: dict[str, Any], officer: dict[str, Any]) -> dict[str, Any]:
    """The check as shown once an officer has recorded its outcome; the automatic result kept."""
    automatic = check.get("automatic") or {
        "outcome": check.get("outcome"),
        "summary": check.get("summary"),
        "needed": check.get("needed"),
    }
    return {
        **check,
        "outcome": "pass" if officer["satisfied"] else "fail",
        "automatic": automatic,
        "officer": officer,
    }


def carry_officer_outcomes(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """New automatic results, keeping each officer outcome whose automatic result is unchanged
    (a new finding, say a breach recorded since, puts the check back in front of the officer)."""
    recorded = {c.get("check"): c for c in old if isinstance(c.get("officer"), dict)}
    out: list[dict[str, Any]] = []
    for check in new:
        before = recorded.get(check.get("check"))
        if before is not None and automatic_outcome(before) == check.get("outcome"):
            out.append(with_officer_outcome(check, before["officer"]))
        else:
            out.append(check)
    return out


async def record_check_outcome(
    deps: CaseDeps,
    actor: Actor,
    case_id: UUID,
    check_id: str,
    satisfied: bool,
    note: str,
    document_id: UUID | None = None,
    *,
    now: dt.datetime | None = None,
) -> VettingCase:
    """Record an officer's outcome for one check of an open case.

    Only a check the automatic run put in review can be settled this way (a pass needs nothing;
    a fail is a finding with a refusal ground, weighed in the decision). Recording again replaces
    the previous officer outcome; the history keeps every one.
    """
    if not actor.is_officer:
        raise Forbidden("only officers record the outcome of a check")
    now = now or utcnow()
    text = (note or "").strip()
    if not text:
        raise Invalid("say what the evidence showed", {"note": "is required"})
    if len(text) > NOTE_LIMIT:
        raise Invalid("the note is too long", {"note": f"at most {NOTE_LIMIT} characters"})
    case = await get_case(deps, case_id)
    if case.status not in OPEN_STATUSES:
        raise Conflict(f"the case is {case.status.replace('_', ' ')}; its checks can no longer be changed")
    index = next((i for i, c in enumerate(case.checks) if c.get("check") == check_id), None)
    if index is None:
        raise NotFound("no such check on this case")
    check = case.checks[index]
    automatic = automatic_outcome(check)
    if automatic != "review":
        raise Conflict("only a check that needs review can be settled by an officer")
    if document_id is not None:
        await _require_case_document(deps, case, document_id)
    await bump_revision(deps.session, case, case.revision)
    officer = {
        "satisfied": satisfied,
        "note": text,
        "by": actor.name,
        "by_id": str(actor.id) if actor.id else None,
        "at": now.isoformat(),
        "document_id": str(document_id) if document_id else None,
    }
    checks = list(case.checks)
    checks[index] = with_officer_outcome(check, officer)
    # A new list, so the JSON column is seen as changed.
    case.checks = checks
    await record(
        deps.session,
        case,
        actor,
        "check_outcome_recorded",
        {
            "check": check_id,
            "automatic": automatic,
            "outcome": checks[index]["outcome"],
            "note": text,
            "document_id": officer["document_id"],
        },
    )
    await deps.session.flush()
    return case


async def _require_case_document(deps: CaseDeps, case: VettingCase, document_id: UUID) -> None:
    """The document must be one sent for this case, or one of its organisation's verified
    documents still in date (casework/documents.py, `reusable_documents`)."""
    document = await deps.session.get(CaseDocument, document_id)
    if document is not None and document.case_id != case.id:
        reusable = {d.id for d, _ in await reusable_documents(deps, case)}
        document = document if document.id in reusable else None
    if document is None:
        raise Invalid("no such document on this case", {"document_id": "is not a document of this case"})
