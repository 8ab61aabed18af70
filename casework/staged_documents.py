"""Documents sent from inside the booking form (issue 20 item 1), before the request exists.

The form's draft lives in a signed hidden field and cannot carry a file, so an upload from the
form goes through the same pipeline as any other (`casework.documents.vet_upload`: size while
streaming, type from the content, photos re-encoded, virus scan) into the document store, and
is kept as a `StagedDocument` tied to the draft by the SHA-256 of its random token. The draft
lists the staged documents it shows on its check page; when that draft's request is sent, those
and only those become the case's documents (the same stored files: what was shown is what is
kept). Staged documents of a draft never sent are purged with their files after `STAGED_HOURS`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from sqlalchemy import select

from casework.deps import CaseDeps, utcnow
from casework.document_intake import Refused, Spooled
from casework.documents import INFECTED, DocumentDetails, vet_upload
from policies import Policy
from vetting.actors import HIRER
from vetting.documents import CaseDocument, ReviewState, StagedDocument
from vetting.history import record
from vetting.models import VettingCase

# A booking form is filled in within a sitting or two; the draft itself carries no expiry.
STAGED_HOURS = 48


def draft_hash(draft_token: str) -> str:
    return hashlib.sha256(draft_token.encode()).hexdigest()


@dataclass
class Staged:
    document: StagedDocument | None
    refused: Refused | None = None
    signature: str | None = None  # set when the scanner found a virus (the file is not kept)


async def stage(
    deps: CaseDeps,
    policy: Policy,
    draft_token: str,
    spooled: Spooled,
    details: DocumentDetails,
    *,
    now: dt.datetime | None = None,
) -> Staged:
    """Check, scan and keep one upload from the form. The spooled file is always removed."""
    now = now or utcnow()
    if deps.documents is None:
        spooled.discard()
        return Staged(
            None, Refused("unavailable", "Documents cannot be sent here; send them after your request")
        )
    try:
        vetted = await vet_upload(deps, policy, spooled, details, now.date(), where="booking form")
        if vetted.signature is not None:
            return Staged(None, INFECTED, vetted.signature)
        kind = vetted.kind
        file = await deps.documents.put(spooled.path, vetted.mime)
        document = StagedDocument(
            draft_hash=draft_hash(draft_token),
            check=kind.check,
            kind=kind.code,
            original_name=spooled.original_name,
            content_type=vetted.mime,
            size=spooled.size,
            sha256=spooled.sha256,
            file=file,
            scan_state=vetted.scan_state.value,
            insurer=(details.insurer or "").strip() or None if kind.insurance else None,
            cover_gbp=details.cover_gbp if kind.insurance else None,
            expires_on=details.expires_on if kind.expires else None,
            uploaded_at=now,
        )
        deps.session.add(document)
        await deps.session.flush()
        return Staged(document)
    except Refused as refused:
        return Staged(None, refused)
    finally:
        spooled.discard()


async def _staged(deps: CaseDeps, draft_token: str, ids: Sequence[str]) -> list[StagedDocument]:
    wanted = []
    for raw in ids:
        try:
            wanted.append(UUID(str(raw)))
        except ValueError:
            continue
    if not wanted:
        return []
    rows = await deps.session.execute(
        select(StagedDocument)
        .where(StagedDocument.draft_hash == draft_hash(draft_token), StagedDocument.id.in_(wanted))
        .order_by(StagedDocument.uploaded_at)
    )
    return list(rows.scalars())


async def unstage(deps: CaseDeps, draft_token: str, document_id: str) -> None:
    """The hirer removes a document from the form before sending: the row and its file go."""
    for document in await _staged(deps, draft_token, [document_id]):
        if deps.documents is not None:
            await deps.documents.delete(document.file)
        await deps.session.delete(document)
    await deps.session.flush()


async def attach_staged(
    deps: CaseDeps, case: VettingCase, draft_token: str, ids: Sequence[str], *, now: dt.datetime | None = None
) -> list[CaseDocument]:
    """The documents the sent draft listed become the new case's, in the same transaction as
    the case (the same stored files, nothing copied)."""
    now = now or utcnow()
    attached: list[CaseDocument] = []
    for staged in await _staged(deps, draft_token, ids):
        document = CaseDocument(
            case_id=case.id,
            organisation_id=case.organisation_id,
            check=staged.check,
            answers="booking_form",
            kind=staged.kind,
            original_name=staged.original_name,
            content_type=staged.content_type,
            size=staged.size,
            sha256=staged.sha256,
            file=staged.file,
            scan_state=staged.scan_state,
            review_state=ReviewState.SUBMITTED.value,
            insurer=staged.insurer,
            cover_gbp=staged.cover_gbp,
            expires_on=staged.expires_on,
            uploaded_at=staged.uploaded_at,
        )
        deps.session.add(document)
        await deps.session.delete(staged)
        await deps.session.flush()
        await record(
            deps.session,
            case,
            HIRER,
            "document_received",
            {
                "document_id": str(document.id),
                "kind": document.kind,
                "check": document.check,
                "scan": document.scan_state,
                "sent_with": "booking form",
            },
        )
        attached.append(document)
    await deps.session.flush()
    return attached


async def purge_abandoned_staged(deps: CaseDeps, now: dt.datetime) -> int:
    """Scheduled: staged documents of drafts never sent, older than `STAGED_HOURS`, go with
    their files. Safe to run twice (a row already gone is not found again)."""
    cutoff = now - dt.timedelta(hours=STAGED_HOURS)
    rows = await deps.session.execute(select(StagedDocument).where(StagedDocument.uploaded_at < cutoff))
    removed = 0
    for document in rows.scalars():
        if deps.documents is not None:
            await deps.documents.delete(document.file)
        await deps.session.delete(document)
        removed += 1
    await deps.session.flush()
    return removed
