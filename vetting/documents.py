"""Documents a hirer sends as evidence (issue 20): the row that describes one and where it is.

The file itself is kept by advanced-alchemy's file storage (`StoredObject` holding a `FileObject`)
under a random name; this row holds what the service knows about it: the case and check or
question it answers, its kind from the policy, the type sniffed from its content, the scan state
and the officer's verification.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from uuid import UUID

from advanced_alchemy.base import UUIDAuditBase
from advanced_alchemy.types import GUID, DateTimeUTC
from advanced_alchemy.types.file_object import FileObject, StoredObject
from sqlalchemy import BigInteger, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from vetting.models import of_scoped_case
from vetting.tenancy import scoped_by

DOCUMENT_STORAGE_KEY = "documents"
"""The advanced-alchemy storage registry key the documents' backend is registered under."""


class ScanState(StrEnum):
    NOT_SCANNED = "not_scanned"  # no scanner configured: accepted, and staff are told so
    QUARANTINED = "quarantined"  # waiting for the scanner; not served to anyone
    CLEAN = "clean"


class ReviewState(StrEnum):
    SUBMITTED = "submitted"
    VERIFIED = "verified"
    REJECTED = "rejected"


class CaseDocument(UUIDAuditBase):
    """One document sent for a case. Infected files never get a row (refused and audited)."""

    __tablename__ = "case_document"

    case_id: Mapped[UUID] = mapped_column(ForeignKey("vetting_case.id", ondelete="CASCADE"), index=True)
    # The organisation record the case is filed under: verified documents are reused by its
    # later requests until they expire (no foreign key, like the other organisation columns).
    organisation_id: Mapped[UUID | None] = mapped_column(GUID, nullable=True, index=True)
    # What it answers: a check (for example "insurance") and/or a question or information request.
    check: Mapped[str | None] = mapped_column(String(60), nullable=True)
    answers: Mapped[str | None] = mapped_column(String(80), nullable=True)
    kind: Mapped[str] = mapped_column(String(40))
    # The name the hirer's file had, neutralised (no directories, no control characters); the
    # stored object's name is random and never derived from it.
    original_name: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    file: Mapped[FileObject] = mapped_column(StoredObject(backend=DOCUMENT_STORAGE_KEY))
    scan_state: Mapped[str] = mapped_column(String(20), default=ScanState.NOT_SCANNED.value)
    review_state: Mapped[str] = mapped_column(String(20), default=ReviewState.SUBMITTED.value)
    # Insurance: as the hirer entered them, confirmed by the officer when verifying.
    insurer: Mapped[str | None] = mapped_column(String(200), nullable=True)
    cover_gbp: Mapped[int | None] = mapped_column(Integer, nullable=True)
    expires_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    uploaded_at: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True))
    reviewed_by: Mapped[str | None] = mapped_column(String(200), nullable=True)
    reviewed_at: Mapped[dt.datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)
    review_note: Mapped[str | None] = mapped_column(Text, nullable=True)


# A document is read only by staff of the council or partner whose case it belongs to.
scoped_by(CaseDocument, lambda s: of_scoped_case(CaseDocument.case_id, s))


class StagedDocument(UUIDAuditBase):
    """A document sent from inside the booking form, before the request exists (issue 20 item 1).

    Checked, scanned and stored exactly as a case's documents are; tied to the form's draft by
    the SHA-256 of the draft's random token (never the token itself), and turned into a
    `CaseDocument` (same stored file) when that draft's request is sent. One the hirer never
    sends is purged with its file after `STAGED_HOURS` (casework/staged_documents.py)."""

    __tablename__ = "staged_document"

    draft_hash: Mapped[str] = mapped_column(String(64), index=True)
    check: Mapped[str | None] = mapped_column(String(60), nullable=True)
    kind: Mapped[str] = mapped_column(String(40))
    original_name: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    file: Mapped[FileObject] = mapped_column(StoredObject(backend=DOCUMENT_STORAGE_KEY))
    scan_state: Mapped[str] = mapped_column(String(20))
    insurer: Mapped[str | None] = mapped_column(String(200), nullable=True)
    cover_gbp: Mapped[int | None] = mapped_column(Integer, nullable=True)
    expires_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    uploaded_at: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True), index=True)
