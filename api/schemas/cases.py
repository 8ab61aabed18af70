"""Read models of a case: the officer's whole case and the hirer's status page.

What the hirer typed (contact, people, event, answers) and what the checks found (evidence) are
kept free-form here: their shape follows the policy and the booking form, not this API.
"""

from __future__ import annotations

from typing import Any, Literal
from uuid import UUID

from pydantic import Field

from api.schemas.common import Out, SparseOut
from api.schemas.evidence import CheckAutomaticOut, CheckOfficerOut


class PolicyRefOut(Out):
    id: str
    version: str
    # The language the hirer read the policy's texts in, made the request in and is written to in.
    language: Literal["en", "cy"] = "en"


class SubmittedOrganisationOut(Out):
    """The organisation as this request gave it; the record it is filed under may differ."""

    id: UUID
    name: str
    type: str | None
    charity_number: str | None
    company_number: str | None
    address: str | None
    website: str | None


class RoomRefOut(Out):
    id: UUID
    name: str
    capacity: int


class VenueRefOut(Out):
    id: UUID
    name: str


class CaseRequestOut(Out):
    organisation: SubmittedOrganisationOut
    contact: dict[str, Any]
    people: list[dict[str, Any]]
    event: dict[str, Any]
    declarations: list[str]
    answers: dict[str, Any]
    room: RoomRefOut
    venue: VenueRefOut
    rrule: str | None


class LinkBreachOut(Out):
    occurred_on: str = Field(description="ISO date")
    code: str
    serious: bool


class FieldDifferenceOut(Out):
    field: str
    submitted: Any
    on_file: Any
    same: bool


class OrganisationLinkViewOut(Out):
    """The side-by-side view of a possible link to an organisation already on file."""

    status: str
    basis: str | None
    organisation_id: UUID
    last_cleared_at: str | None = Field(description="ISO date-time")
    breaches: list[LinkBreachOut]
    differences: list[FieldDifferenceOut]


class OccurrenceOut(Out):
    id: UUID
    seq: int
    start: str = Field(description="ISO date-time, UTC")
    end: str = Field(description="ISO date-time, UTC")
    local_start: str = Field(description="ISO date-time at the venue, to the minute")
    local_end: str = Field(description="ISO date-time at the venue, to the minute")
    status: str
    moved_from: str | None


class CheckOut(SparseOut):
    """One check's finding; after the retention period only ``check`` and ``outcome`` remain."""

    check: str
    outcome: str
    summary: str | None = None
    needed: str | None = None
    ground: str | None = None
    evidence: dict[str, Any] | None = None
    automatic: CheckAutomaticOut | None = Field(
        default=None, description="the automatic result, once an officer has recorded the outcome"
    )
    officer: CheckOfficerOut | None = Field(
        default=None, description="the officer's outcome from the evidence"
    )


class BirthDateNoteOut(Out):
    """What dates of birth say about a person's match: an annotation, never a disposition."""

    verdict: str = Field(description="different, close, same, no_entry_date or no_case_date")
    likely_different_person: bool = Field(
        description="the years of birth differ by more than the policy's margin; the match stays open"
    )
    sentence: str


class AskedBirthDateOut(Out):
    name: str
    role: str
    asked_by: str
    asked_at: str = Field(description="ISO date-time")
    date_of_birth: str | None = Field(description="ISO date, once the hirer has given it")
    answered_at: str | None = None


class AskableOut(Out):
    name: str
    role: str


class CaseScreeningOut(Out):
    id: UUID
    subject_kind: str
    subject_role: str
    query_name: str
    entry_id: UUID
    matched_name: str
    score: float
    explanation: str
    list_version: int
    disposition: str
    note: str | None
    disposed_by: str | None
    birth_date: BirthDateNoteOut | None = None


class SharedFindingOut(Out):
    """A partner's refusal or confirmed match about a name on this case, shared under an
    agreement: information for the officer, never a decision."""

    kind: str = Field(description="refusal or confirmed_match")
    subject_kind: str = Field(description="organisation or person")
    subject: str = Field(description="the name as this request gave it")
    basis: str = Field(description="what matched: charity_number, company_number or name")
    partner: str = Field(description="the partner that recorded it")
    at: str | None = Field(description="ISO date-time it was recorded")
    ground: str | None = Field(description="the refusal's reason code, or the flagged entry's name")
    agreement_reference: str


class CompetingRequestOut(Out):
    case_id: UUID
    reference: str
    dates: list[str]


class DecisionOut(Out):
    kind: str
    outcome: str
    reason: str
    reason_code: str | None
    conditions: list[dict[str, Any]]
    options_considered: str | None
    officer: str
    decided_at: str = Field(description="ISO date-time")
    policy_version: str
    countersigned_by: str | None
    effective: bool


class HistoryEntryOut(Out):
    at: str = Field(description="ISO date-time")
    actor: str
    action: str
    detail: dict[str, Any]
    policy_version: str


class AssignmentOut(Out):
    officer_id: UUID
    officer: str
    at: str = Field(description="ISO date-time: when it was assigned")
    by: str | None = Field(description="who assigned it")


class CaseOut(Out):
    """Everything an officer needs to decide a case."""

    id: UUID
    reference: str
    status: str
    revision: int
    policy: PolicyRefOut
    tier: str | None
    target_date: str | None = Field(description="ISO date")
    request: CaseRequestOut
    organisation_link: OrganisationLinkViewOut | None
    information_request: str | None
    information_response: str | None
    occurrences: list[OccurrenceOut]
    checks: list[CheckOut]
    screening: list[CaseScreeningOut]
    shared_findings: list[SharedFindingOut] = Field(
        default_factory=list, description="what partners share about this organisation or its people"
    )
    competing_requests: list[CompetingRequestOut]
    decisions: list[DecisionOut]
    history: list[HistoryEntryOut]
    assignment: AssignmentOut | None = Field(default=None, description="the officer working the case")
    dates_of_birth: list[AskedBirthDateOut] = Field(
        default_factory=list, description="dates of birth asked of the hirer, with the answers"
    )
    dates_of_birth_askable: list[AskableOut] = Field(
        default_factory=list, description="people whose date of birth may be asked for (those with a match)"
    )


class ApplicantEventOut(Out):
    title: str | None


class ApplicantOccurrenceOut(Out):
    start: str = Field(description="ISO date-time at the venue, to the minute")
    end: str = Field(description="ISO date-time at the venue, to the minute")
    status: str


class ApplicantDecisionOut(Out):
    outcome: str
    reason: str
    reason_code: str | None
    decided_at: str = Field(description="ISO date-time")
    appeal_until: str | None = Field(description="ISO date; only for a refusal")


class ApplicantAppealOut(Out):
    status: str
    reason: str | None


class ApplicantStatusOut(Out):
    """What the hirer sees: never screening detail, never other hirers."""

    reference: str
    status: str
    organisation: str
    event: ApplicantEventOut
    room: str
    venue: str
    target_date: str | None = Field(description="ISO date")
    occurrences: list[ApplicantOccurrenceOut]
    information_request: str | None
    dates_of_birth_asked: list[str] = Field(
        default_factory=list, description="people whose date of birth the open request asks for"
    )
    conditions: list[dict[str, Any]]
    decision: ApplicantDecisionOut | None
    appeal: ApplicantAppealOut | None
