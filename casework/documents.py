"""Documents hirers send as evidence (issue 20): taking one in, scanning it, listing a case's.

A document is checked (casework/document_intake.py), scanned when a scanner is configured, and
only then kept: an infected file never reaches the store, its refusal is recorded in the case
history. When the scanner cannot answer, the document is kept in quarantine (served to no one)
until `rescan_quarantined` finds it clean.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID

from sqlalchemy import or_, select

from casework.deps import CaseDeps, case_by_token, utcnow
from casework.document_intake import Refused, Spooled, reencode_image, sniff
from policies import Policy
from policies.model import DocumentKind
from policies.welsh import in_language
from vetting.actors import HIRER, Actor
from vetting.document_files import DocumentStore
from vetting.documents import CaseDocument, ReviewState, ScanState
from vetting.errors import Conflict, Invalid
from vetting.history import record
from vetting.lifecycle import OPEN_STATUSES
from vetting.models import VettingCase
from vetting.organisation_links import LINKED
from vetting.policy_store import policy_version
from vetting.scanner import ScannerUnavailable

log = logging.getLogger(__name__)
INLINE_TYPES = ("application/pdf", "image/png", "image/jpeg")


@dataclass
class DocumentDetails:
    """What the hirer says about a document: its kind, what it answers, insurance particulars."""

    kind: str
    answers: str | None = None  # "information_request" or a question id
    insurer: str | None = None
    cover_gbp: int | None = None
    expires_on: dt.date | None = None


@dataclass
class Received:
    case_id: UUID
    document: CaseDocument | None
    refused: Refused | None = None


def document_kind(policy: Policy, code: str) -> DocumentKind:
    kind = policy.documents.kind(code)
    if kind is None:
        raise Invalid("choose the kind of document", {"kind": "Choose what the document is"})
    return kind


def check_details(policy: Policy, details: DocumentDetails, today: dt.date) -> DocumentKind:
    """The hirer's particulars, refused field by field before the file is looked at."""
    kind = document_kind(policy, details.kind)
    errors: dict[str, str] = {}
    if kind.insurance:
        if not (details.insurer or "").strip():
            errors["insurer"] = "Enter the name of the insurer"
        if details.cover_gbp is None or details.cover_gbp <= 0:
            errors["cover_gbp"] = "Enter the amount of cover in pounds, for example 5000000"
    if kind.expires and details.expires_on is None:
        errors["expires_on"] = "Enter the date the cover or check expires"
    elif kind.expires and details.expires_on is not None and details.expires_on < today:
        errors["expires_on"] = "The expiry date must be today or in the future"
    if errors:
        raise Invalid("check the document's details", errors)
    return kind


async def receive_for_token(
    deps: CaseDeps, token: str, spooled: Spooled, details: DocumentDetails, *, now: dt.datetime | None = None
) -> Received:
    """A document the hirer sends from their private link (the booking form stages its own:
    casework/staged_documents.py)."""
    case = await case_by_token(deps, token)
    return await receive(deps, HIRER, case, spooled, details, now=now)


async def receive(
    deps: CaseDeps,
    actor: Actor,
    case: VettingCase,
    spooled: Spooled,
    details: DocumentDetails,
    *,
    now: dt.datetime | None = None,
) -> Received:
    """Check, scan and keep one spooled upload for a case. The spooled file is always removed."""
    now = now or utcnow()
    store = _store(deps)
    try:
        if case.status not in OPEN_STATUSES:
            raise Conflict("this request is closed; documents can no longer be sent for it")
        policy = await policy_version(deps.session, case.policy_id, case.policy_version)
        vetted = await vet_upload(deps, policy, spooled, details, now.date(), where=str(case.id))
        kind, mime, scan_state = vetted.kind, vetted.mime, vetted.scan_state
        if vetted.signature is not None:
            await record(
                deps.session,
                case,
                actor,
                "document_refused",
                {"reason": "infected", "signature": vetted.signature, "kind": kind.code},
            )
            await deps.session.flush()
            return Received(case.id, None, INFECTED)
        file = await store.put(spooled.path, mime)
        document = CaseDocument(
            case_id=case.id,
            organisation_id=case.organisation_id,
            check=kind.check,
            answers=details.answers,
            kind=kind.code,
            original_name=spooled.original_name,
            content_type=mime,
            size=spooled.size,
            sha256=spooled.sha256,
            file=file,
            scan_state=scan_state.value,
            review_state=ReviewState.SUBMITTED.value,
            insurer=(details.insurer or "").strip() or None if kind.insurance else None,
            cover_gbp=details.cover_gbp if kind.insurance else None,
            expires_on=details.expires_on if kind.expires else None,
            uploaded_at=now,
        )
        deps.session.add(document)
        await deps.session.flush()
        await record(
            deps.session,
            case,
            actor,
            "document_received",
            {
                "document_id": str(document.id),
                "kind": kind.code,
                "check": kind.check,
                "scan": scan_state.value,
            },
        )
        await deps.session.flush()
        return Received(case.id, document)
    except Refused as refused:
        return Received(case.id, None, refused)
    finally:
        spooled.discard()


INFECTED = Refused("infected", "The selected file contains a virus and was not kept. Send a clean copy")


@dataclass
class Vetted:
    """An upload that passed the checks: its kind, sniffed type and scan state; or, when the
    scanner found a virus, its signature (the file is then not kept)."""

    kind: DocumentKind
    mime: str
    scan_state: ScanState
    signature: str | None = None


async def vet_upload(
    deps: CaseDeps, policy: Policy, spooled: Spooled, details: DocumentDetails, today: dt.date, *, where: str
) -> Vetted:
    """The one pipeline every upload goes through, wherever it is sent from (the status page,
    the booking form): the particulars, the policy's size limit, the type from the content,
    photos re-encoded, then the virus scan. Raises `Refused`."""
    kind = check_details(policy, details, today)
    if spooled.size > policy.documents.max_size_mb * 1024 * 1024:
        raise Refused("too_large", f"The file must be smaller than {policy.documents.max_size_mb} MB")
    mime = sniff(spooled, policy.documents)
    await reencode_image(spooled, mime)
    if not deps.scanner.configured:
        return Vetted(kind, mime, ScanState.NOT_SCANNED)
    try:
        verdict = await deps.scanner.scan(spooled.path)
    except ScannerUnavailable:
        log.warning("documents.scan_unavailable", extra={"where": where})
        return Vetted(kind, mime, ScanState.QUARANTINED)
    if not verdict.clean:
        return Vetted(kind, mime, ScanState.CLEAN, verdict.signature or "unknown")
    return Vetted(kind, mime, ScanState.CLEAN)


async def rescan_quarantined(deps: CaseDeps, spool_dir: Path) -> int:
    """Scan again the documents the scanner could not answer for; returns how many came out clean."""
    store = _store(deps)
    if not deps.scanner.configured:
        return 0
    rows = await deps.session.execute(
        select(CaseDocument).where(CaseDocument.scan_state == ScanState.QUARANTINED.value)
    )
    cleaned = 0
    spool_dir.mkdir(parents=True, exist_ok=True)  # noqa: ASYNC240 (once, a local directory)
    for document in rows.scalars():
        copy = spool_dir / f"rescan-{document.id}.part"
        try:
            with copy.open("wb") as out:
                async for chunk in store.stream(document.file):
                    out.write(chunk)
            try:
                verdict = await deps.scanner.scan(copy)
            except ScannerUnavailable:
                continue
        finally:
            copy.unlink(missing_ok=True)
        case = await deps.session.get(VettingCase, document.case_id)
        assert case is not None
        if verdict.clean:
            document.scan_state = ScanState.CLEAN.value
            cleaned += 1
            continue
        await store.delete(document.file)
        await record(
            deps.session,
            case,
            Actor(id=None, name="system", role="system"),
            "document_refused",
            {"reason": "infected", "signature": verdict.signature, "kind": document.kind},
        )
        await deps.session.delete(document)
    await deps.session.flush()
    return cleaned


async def upload_limit_for_token(deps: CaseDeps, token: str) -> int:
    """The most bytes a document for this case may have (its policy's limit)."""
    case = await case_by_token(deps, token)
    policy = await policy_version(deps.session, case.policy_id, case.policy_version)
    return policy.documents.max_size_mb * 1024 * 1024


async def hirer_documents(deps: CaseDeps, token: str, language: str = "en") -> dict[str, Any]:
    """What the hirer's status page shows: the kinds they may send and what they have sent (the
    kinds named in `language` where the policy gives it)."""
    case = await case_by_token(deps, token)
    policy = in_language(await policy_version(deps.session, case.policy_id, case.policy_version), language)
    sent = await case_documents(deps, case.id)
    in_review = {c.get("check") for c in case.checks if c.get("outcome") == "review"}
    waiting = {d.kind for d in sent if d.review_state != ReviewState.REJECTED.value}
    return {
        "open": case.status in OPEN_STATUSES,
        # Evidence that would settle a check still waiting for it (never screening detail).
        "asked": [k.label for k in policy.documents.kinds if k.check in in_review and k.code not in waiting],
        "max_mb": policy.documents.max_size_mb,
        "kinds": [k.model_dump() for k in policy.documents.kinds],
        "sent": [
            {
                "kind_label": document_json(d, policy)["kind_label"],
                "name": d.original_name,
                "uploaded_at": d.uploaded_at.isoformat(),
                "state": d.review_state,
                "note": d.review_note if d.review_state == ReviewState.REJECTED.value else None,
            }
            for d in sent
        ],
    }


async def reusable_documents(deps: CaseDeps, case: VettingCase) -> list[tuple[CaseDocument, str]]:
    """The organisation's documents verified on its earlier requests that are still in date for
    this one (to its last date), with the reference of the request each came with. Only once
    the request is known to be from that organisation (confirmed by an officer or verified by a
    register), as for clearance (design principle 6)."""
    if case.organisation_link not in LINKED:
        return []
    booking = await deps.bookings.booking_for_case(case.id)
    dates = [
        o.local_end.date() for o in await deps.bookings.occurrences(booking.id) if o.status != "cancelled"
    ]
    last = max(dates) if dates else case.first_start.date()
    rows = await deps.session.execute(
        select(CaseDocument, VettingCase.reference)
        .join(VettingCase, VettingCase.id == CaseDocument.case_id)
        .where(
            CaseDocument.organisation_id == case.organisation_id,
            CaseDocument.case_id != case.id,
            CaseDocument.review_state == ReviewState.VERIFIED.value,
            CaseDocument.scan_state != ScanState.QUARANTINED.value,
            or_(CaseDocument.expires_on.is_(None), CaseDocument.expires_on >= last),
        )
        .order_by(CaseDocument.uploaded_at.desc())
    )
    return [(document, str(reference)) for document, reference in rows.all()]


async def case_documents(deps: CaseDeps, case_id: UUID) -> list[CaseDocument]:
    rows = await deps.session.execute(
        select(CaseDocument).where(CaseDocument.case_id == case_id).order_by(CaseDocument.uploaded_at)
    )
    return list(rows.scalars())


def document_json(document: CaseDocument, policy: Policy) -> dict[str, Any]:
    """A document as staff pages show it (never its stored name)."""
    kind = policy.documents.kind(document.kind)
    label = kind.label if kind else document.kind.replace("_", " ")
    return {
        "id": str(document.id),
        "kind": document.kind,
        "kind_label": label,
        "label": f"{label}: {document.original_name}",
        "check": document.check,
        "answers": document.answers,
        "original_name": document.original_name,
        "content_type": document.content_type,
        "size": document.size,
        "scan_state": document.scan_state,
        "review_state": document.review_state,
        "insurer": document.insurer,
        "cover_gbp": document.cover_gbp,
        "expires_on": document.expires_on.isoformat() if document.expires_on else None,
        "uploaded_at": document.uploaded_at.isoformat(),
        "reviewed_by": document.reviewed_by,
        "reviewed_at": document.reviewed_at.isoformat() if document.reviewed_at else None,
        "review_note": document.review_note,
        "usable": document.scan_state != ScanState.QUARANTINED.value,
        "inline": document.content_type in INLINE_TYPES,
    }


def _store(deps: CaseDeps) -> DocumentStore:
    if deps.documents is None:
        raise Conflict("documents cannot be received: no document store is configured")
    return deps.documents
