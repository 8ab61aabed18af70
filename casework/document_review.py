"""Officers check the documents hirers send (issue 20 item 4): open one, verify it (its check
passes, through casework/check_evidence.py) or reject it (the hirer is asked for a new one)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from uuid import UUID

from casework import messages
from casework.check_evidence import automatic_outcome, record_check_outcome
from casework.deps import CaseDeps, get_case, utcnow
from casework.documents import document_json
from policies.welsh import in_language
from vetting.actors import Actor
from vetting.documents import CaseDocument, ReviewState, ScanState
from vetting.errors import Conflict, Forbidden, Invalid, NotFound
from vetting.history import record
from vetting.lifecycle import OPEN_STATUSES
from vetting.policy_store import policy_version


@dataclass
class Confirmed:
    """The insurance particulars as the officer confirms them (defaults: as the hirer gave them)."""

    insurer: str | None = None
    cover_gbp: int | None = None
    expires_on: dt.date | None = None


async def staff_document(deps: CaseDeps, actor: Actor, document_id: UUID) -> CaseDocument:
    """A document for staff eyes: officers of the case's own council or partner (the session's
    scope hides others'), never while it waits in quarantine for the scanner."""
    if not actor.is_officer:
        raise Forbidden("only officers open documents")
    document = await deps.session.get(CaseDocument, document_id)
    if document is None:
        raise NotFound("no such document")
    await get_case(deps, document.case_id)  # scoped: another organisation's case is not found
    if document.scan_state == ScanState.QUARANTINED.value:
        raise Conflict("the document is waiting for the virus scanner and cannot be opened yet")
    return document


async def review_document(
    deps: CaseDeps,
    actor: Actor,
    document_id: UUID,
    verify: bool,
    note: str,
    confirmed: Confirmed | None = None,
    *,
    now: dt.datetime | None = None,
) -> CaseDocument:
    now = now or utcnow()
    document = await staff_document(deps, actor, document_id)
    case = await get_case(deps, document.case_id)
    text = (note or "").strip()
    if not text:
        raise Invalid("say what you found", {"note": "Enter what you found in the document"})
    if case.status not in OPEN_STATUSES:
        raise Conflict("this request is closed; its documents can no longer be reviewed")
    if document.review_state != ReviewState.SUBMITTED.value:
        raise Conflict("this document has already been reviewed")
    policy = await policy_version(deps.session, case.policy_id, case.policy_version)
    label = document_json(document, policy)["kind_label"]
    document.review_state = (ReviewState.VERIFIED if verify else ReviewState.REJECTED).value
    document.reviewed_by = actor.name
    document.reviewed_at = now
    document.review_note = text
    if verify and confirmed is not None:
        document.insurer = confirmed.insurer or document.insurer
        document.cover_gbp = confirmed.cover_gbp if confirmed.cover_gbp is not None else document.cover_gbp
        document.expires_on = confirmed.expires_on or document.expires_on
    await record(
        deps.session,
        case,
        actor,
        "document_verified" if verify else "document_rejected",
        {"document_id": str(document.id), "kind": document.kind, "note": text},
    )
    await deps.session.flush()
    if not verify:
        # The kind as the hirer's request names it (the policy's Welsh for a Welsh request); the
        # officer's note is shown as written.
        hirer_label = document_json(document, in_language(policy, case.language))["kind_label"]
        await messages.mail_hirer(deps, case, messages.document_rejected(case.reference, hirer_label, text))
        return document
    check = next((c for c in case.checks if c.get("check") == document.check), None)
    if check is not None and automatic_outcome(check) == "review":
        await record_check_outcome(
            deps, actor, case.id, str(document.check), True, f"{label} verified: {text}", document.id, now=now
        )
    return document
