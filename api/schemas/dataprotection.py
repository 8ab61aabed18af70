"""Data protection: subject access export and rectification, request bodies and answers.

The export keeps what the hirer typed (contact, people, event, answers) and decision conditions
free-form: they are shown back as stored.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import EmailStr, Field, StringConstraints

from api.schemas.common import In, Out
from vetting.clean_text import MULTILINE

Short = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
RequiredReason = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000), MULTILINE
]


class SubjectAccessIn(In):
    email: Annotated[str, StringConstraints(max_length=254)] | None = None
    name: Short | None = None
    organisation: Short | None = None


class OrganisationRectifyIn(In):
    name: Short | None = None
    type: (
        Literal[
            "charity", "cio", "company", "cic", "faith_group", "club", "school", "public_body", "informal"
        ]
        | None
    ) = None
    charity_number: Annotated[str, StringConstraints(max_length=20)] | None = None
    company_number: Annotated[str, StringConstraints(max_length=20)] | None = None
    address: Annotated[str, StringConstraints(max_length=5000), MULTILINE] | None = None
    website: Annotated[str, StringConstraints(max_length=300)] | None = None
    reason: RequiredReason


class ContactRectifyIn(In):
    name: Short | None = None
    email: EmailStr | None = None
    phone: Annotated[str, StringConstraints(max_length=40)] | None = None
    reason: RequiredReason


class ExportSubjectOut(Out):
    email: str | None
    name: str | None
    organisation: str | None


class ExportBreachOut(Out):
    occurred_on: str | None
    code: str
    description: str
    serious: bool


class ExportOrganisationOut(Out):
    id: UUID
    name: str
    type: str | None
    charity_number: str | None
    company_number: str | None
    address: str | None
    website: str | None
    last_cleared_at: str | None
    recorded_breaches: list[ExportBreachOut]


class ExportDateOut(Out):
    start: str | None
    end: str | None
    status: str


class ExportCheckOut(Out):
    check: str | None
    outcome: str | None
    summary: str | None


class ExportDecisionOut(Out):
    kind: str
    outcome: str
    reason: str
    reason_code: str | None
    conditions: list[dict[str, Any]]
    decided_at: str | None
    policy_version: str


class ExportScreeningMatchOut(Out):
    criminal_offence_data: bool
    name_screened: str
    matched_name: str
    score: float
    explanation: str
    disposition: str
    disposed_at: str | None


class ExportHistoryOut(Out):
    at: str | None
    by: str = Field(description="a role, never a member of staff's name")
    action: str


class ExportSharedOut(Out):
    """A refusal or confirmed match of the request that a partner was shown under an agreement."""

    at: str
    shared_by: str | None
    shared_with: str | None
    agreement_reference: str | None
    what: str
    matched_by: str | None


class ExportMessageOut(Out):
    """A message sent to the hirer about the request (the outbox), as it was sent."""

    to: str
    channel: str
    subject: str
    body: str
    written_at: str | None
    sent_at: str | None
    status: str


class ExportDocumentOut(Out):
    """A document the hirer sent (issue 20), identified by its SHA-256."""

    id: str
    kind: str
    file_name: str
    content_type: str
    size: int
    sha256: str
    sent_at: str | None
    insurer: str | None
    cover_gbp: int | None
    expires_on: str | None = Field(description="ISO date")
    review: str
    review_note: str | None
    file_in_archive: str | None = Field(
        description="the file's path inside the subject access archive (POST /api/v1/subject-access/archive);"
        " null while it waits in quarantine for the virus scanner"
    )


class ExportRequestOut(Out):
    reference: str
    status: str
    submitted_at: str | None
    organisation: str
    organisation_as_submitted: dict[str, Any]
    contact: dict[str, Any]
    people: list[dict[str, Any]]
    event: dict[str, Any]
    declarations: list[str]
    answers: dict[str, Any]
    room: str | None
    venue: str | None
    dates: list[ExportDateOut]
    information_request: str | None
    information_response: str | None
    dates_of_birth: list[dict[str, Any]] = Field(
        default_factory=list,
        description="dates of birth asked of the hirer, for the people this export is about",
    )
    checks: list[ExportCheckOut]
    documents: list[ExportDocumentOut] = Field(default_factory=list)
    decisions: list[ExportDecisionOut]
    screening_matches: list[ExportScreeningMatchOut]
    history: list[ExportHistoryOut]
    shared_with_partners: list[ExportSharedOut] = Field(default_factory=list)
    messages_sent: list[ExportMessageOut] = Field(default_factory=list)


class ExportTokenOut(Out):
    name: str
    created_at: str | None
    expires_at: str | None
    last_used_at: str | None
    revoked_at: str | None


class ExportSignInFailureOut(Out):
    at: str | None
    stage: str


class ExportAuditOut(Out):
    at: str | None
    action: str
    object_type: str | None
    object_id: str | None


class ExportStaffOut(Out):
    email: str
    name: str | None
    role: str
    active: bool
    created_at: str | None
    second_factor_enrolled: bool
    api_tokens: list[ExportTokenOut]
    failed_sign_ins: list[ExportSignInFailureOut]
    audit_records: list[ExportAuditOut]


class SubjectExportOut(Out):
    generated_at: str
    subject: ExportSubjectOut
    organisations: list[ExportOrganisationOut]
    requests: list[ExportRequestOut]
    staff_account: ExportStaffOut | None
    notes: list[str]


class SubjectAccessOut(Out):
    export: SubjectExportOut
    document_html: str = Field(description="the same data as a self-contained HTML document")


class OrganisationRectifiedOut(Out):
    id: UUID
    changed: list[str] = Field(description="the fields that changed")
    new_screening_matches: int


class ContactRectifiedOut(Out):
    id: UUID
    reference: str
    changed: list[str] = Field(description="the fields that changed")
    new_screening_matches: int
