"""The policy document: what a council (or partner) asks, checks and decides by.

A policy is data that a council edits (a TOML file), identified by ``id`` and ``version``. Every
application records the id and version it was checked against; old versions stay loadable.
Structure is validated by pydantic (unknown keys are errors); cross references (ids used in
conditions, tiers, grounds and check parameters) are validated by `Policy`'s model validator.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator

from policies.base import StrictModel
from policies.checks import CheckSpec
from policies.cross_references import Loc as Loc  # re-exported: the loader reads it from here
from policies.cross_references import cross_reference_problems
from policies.predicates import Condition, parse_condition

Identifier = str  # lower-case words joined by underscores, checked by `_ID_PATTERN`
_ID_PATTERN = r"^[a-z][a-z0-9_]*$"

QuestionType = Literal["text", "yes_no", "choice", "number", "date"]


class Declaration(StrictModel):
    """A statement the hirer must accept (or may, when not required)."""

    id: str = Field(pattern=_ID_PATTERN)
    text: str = Field(min_length=1)
    text_cy: str | None = Field(default=None, min_length=1)
    required: bool = True


class Question(StrictModel):
    """An extra question on the booking form, optionally shown only when a condition holds."""

    id: str = Field(pattern=_ID_PATTERN)
    label: str = Field(min_length=1)
    type: QuestionType
    label_cy: str | None = Field(default=None, min_length=1)
    choices: list[str] = Field(default_factory=list)
    # What each choice reads as on the form, by choice (the choice itself is the answer kept and
    # the value conditions compare); a choice not listed reads as itself, "_" as spaces.
    choice_labels: dict[str, str] = Field(default_factory=dict)
    choice_labels_cy: dict[str, str] = Field(default_factory=dict)
    required: bool = False
    show_if: str | None = None
    help: str | None = None
    help_cy: str | None = None

    def condition(self) -> Condition | None:
        return parse_condition(self.show_if) if self.show_if else None

    def choice_label(self, choice: str) -> str:
        return self.choice_labels.get(choice) or choice.replace("_", " ").capitalize()


class Tier(StrictModel):
    """A risk tier: who decides and how quickly. Tiers are listed from lowest to highest."""

    id: str = Field(pattern=_ID_PATTERN)
    title: str = Field(min_length=1)
    decided_by: str = Field(pattern=_ID_PATTERN)
    target_working_days: int = Field(ge=0, le=60)
    description: str | None = None


class RiskTrigger(StrictModel):
    """An objective condition that raises an application to (at least) a tier."""

    id: str = Field(pattern=_ID_PATTERN)
    when: str = Field(min_length=1)
    tier: str
    description: str | None = None

    def condition(self) -> Condition:
        return parse_condition(self.when)


class ConditionOfHire(StrictModel):
    """An entry of the conditions catalogue officers attach to approvals."""

    code: str = Field(pattern=_ID_PATTERN)
    text: str = Field(min_length=1)
    text_cy: str | None = Field(default=None, min_length=1)
    rationale_required: bool = False


class RefusalGround(StrictModel):
    """A lawful ground for refusal (or cancellation) that this policy allows."""

    code: str = Field(pattern=_ID_PATTERN)
    text: str = Field(min_length=1)
    text_cy: str | None = Field(default=None, min_length=1)


class Retention(StrictModel):
    """How long records are kept, in months."""

    booking_records: int = Field(default=72, ge=1)
    due_diligence_no_adverse: int = Field(default=12, ge=1)
    refusals_and_appeals: int = Field(default=72, ge=1)
    cleared_screening_matches: int = Field(default=12, ge=1)


class Reminders(StrictModel):
    """When the service reminds hirers and lapses unanswered requests (issue 16).

    ``booking_days_before``: calendar days before each booked date that the hirer is reminded
    (0 turns booking reminders off). ``information_reminder_working_days``: working days an
    information request may go unanswered before the hirer is reminded;
    ``information_lapse_working_days``: working days after that reminder before the case lapses.
    Working days skip weekends and bank holidays (vetting/workdays.py).
    """

    booking_days_before: int = Field(default=3, ge=0, le=60)
    information_reminder_working_days: int = Field(default=5, ge=1, le=60)
    information_lapse_working_days: int = Field(default=5, ge=1, le=60)


HAND_ADDED_SOURCE = "local"
"""The flagged-list source of entries officers add by hand: every policy screens it, no import claims it."""


class Screening(StrictModel):
    """Name screening settings: threshold (0-100), flagged-list sources, matcher weights.

    ``sources`` empty means every source. Otherwise the hand-added source (``local``) is always
    among them, written or not: an officer who adds a name must be able to rely on it being
    screened, whatever the venue's policy lists.

    ``birth_year_margin``: a person's match is shown as "likely a different person" when the year
    of birth the hirer gave is more than this many years from every date of birth the entry
    gives. Lists often give only a year, several years or an estimate, so a small margin keeps a
    typo or a guess from setting a true match apart. It only annotates: a match stays open.
    """

    threshold: float = Field(default=85.0, ge=0, le=100)
    sources: list[str] = Field(default_factory=list)
    weights: dict[str, float] = Field(default_factory=dict)
    birth_year_margin: int = Field(default=2, ge=0, le=50)

    @field_validator("sources")
    @classmethod
    def _always_hand_added(cls, sources: list[str]) -> list[str]:
        if sources and HAND_ADDED_SOURCE not in sources:
            return [*sources, HAND_ADDED_SOURCE]
        return sources


class Delegation(StrictModel):
    """What venue managers see of screening when a tier is theirs to decide
    (``decided_by = "venue_manager"``).

    ``screening_detail``: ``"outcome"`` (the default) shows each check's outcome and, where a
    possible match is open, that it needs an officer; ``"submitted_names"`` also names which of
    the request's own names a match concerns. Neither ever shows the flagged entry, its score or
    the explanation: matches are for officers to resolve (screening never decides).
    """

    screening_detail: Literal["outcome", "submitted_names"] = "outcome"


class Insurance(StrictModel):
    """Public liability insurance requirement."""

    minimum_cover_gbp: int = Field(default=5_000_000, ge=0)
    council_scheme_available: bool = False


class DocumentKind(StrictModel):
    """A kind of document hirers send as evidence (issue 20)."""

    code: str = Field(pattern=_ID_PATTERN)
    label: str = Field(min_length=1)
    label_cy: str | None = Field(default=None, min_length=1)
    # The check type a document of this kind answers (verifying it passes that check), if any.
    check: str | None = None
    # Carries an expiry date the hirer enters and the officer confirms (insurance, DBS).
    expires: bool = False
    # Asks for the insurer and the cover amount too.
    insurance: bool = False


def _default_kinds() -> list[DocumentKind]:
    return [
        DocumentKind(
            code="insurance_certificate",
            label="Public liability insurance certificate",
            label_cy="Tystysgrif yswiriant atebolrwydd cyhoeddus",
            check="insurance",
            expires=True,
            insurance=True,
        ),
        DocumentKind(
            code="safeguarding_policy",
            label="Safeguarding policy",
            label_cy="Polisi diogelu",
            check="safeguarding",
        ),
        DocumentKind(code="risk_assessment", label="Risk assessment", label_cy="Asesiad risg"),
        DocumentKind(
            code="dbs_confirmation",
            label="DBS check confirmation",
            label_cy="Cadarnhad o wiriad DBS",
            check="safeguarding",
            expires=True,
        ),
        DocumentKind(code="other", label="Other document", label_cy="Dogfen arall"),
    ]


ACCEPTED_DOCUMENT_TYPES = (
    "application/pdf",
    "image/png",
    "image/jpeg",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.oasis.opendocument.text",
    "application/msword",
)


class Documents(StrictModel):
    """What hirers may send: size limit, types accepted (judged from the content), kinds."""

    max_size_mb: int = Field(default=10, ge=1, le=100)
    accepted_types: list[str] = Field(default_factory=lambda: list(ACCEPTED_DOCUMENT_TYPES), min_length=1)
    kinds: list[DocumentKind] = Field(default_factory=_default_kinds, min_length=1)
    # How many days before a document expires, when it expires before a booking's last date,
    # the hirer is asked for a new one and the officers are told.
    expiry_notice_days: int = Field(default=28, ge=1, le=365)

    def kind(self, code: str) -> DocumentKind | None:
        return next((k for k in self.kinds if k.code == code), None)


class Policy(StrictModel):
    """A venue-hire vetting policy, one version of it."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_-]*$")
    version: int = Field(ge=1)
    title: str = Field(min_length=1)
    title_cy: str | None = Field(default=None, min_length=1)
    description: str | None = None
    description_cy: str | None = None
    effective_from: dt.date | None = None

    declarations: list[Declaration] = Field(default_factory=list)
    questions: list[Question] = Field(default_factory=list)
    checks: list[CheckSpec] = Field(default_factory=list)
    tiers: list[Tier] = Field(min_length=1)
    risk_triggers: list[RiskTrigger] = Field(default_factory=list)
    notice_periods: dict[str, int] = Field(description="working days' notice per tier id")
    conditions: list[ConditionOfHire] = Field(default_factory=list)
    refusal_grounds: list[RefusalGround] = Field(min_length=1)
    appeal_window_working_days: int = Field(default=10, ge=1)
    retention: Retention = Field(default_factory=Retention)
    reminders: Reminders = Field(default_factory=Reminders)
    screening: Screening = Field(default_factory=Screening)
    insurance: Insurance = Field(default_factory=Insurance)
    delegation: Delegation = Field(default_factory=Delegation)
    documents: Documents = Field(default_factory=Documents)
    booking_history_months: int = Field(default=24, ge=1)
    clearance_reuse_months: int = Field(default=12, ge=0)
    auto_approve_standard_tier: bool = False
    countersign_refusals: bool = True

    @model_validator(mode="after")
    def _cross_references(self, info: ValidationInfo) -> Policy:
        problems = cross_reference_problems(self)
        if not problems:
            return self
        sink = info.context.get("problems") if isinstance(info.context, dict) else None
        if isinstance(sink, list):
            # The loader collects problems with their exact locations instead of one flat error.
            sink.extend(problems)
            return self
        raise ValueError("; ".join(f"{'.'.join(map(str, loc))}: {msg}" for loc, msg in problems))

    # Look-ups used by the checks and the decision code.
    @property
    def standard_tier(self) -> Tier:
        return self.tiers[0]

    def tier(self, tier_id: str) -> Tier:
        for t in self.tiers:
            if t.id == tier_id:
                return t
        raise KeyError(tier_id)

    def tier_rank(self, tier_id: str) -> int:
        return [t.id for t in self.tiers].index(tier_id)

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)

    def condition_of_hire(self, code: str) -> ConditionOfHire | None:
        return next((c for c in self.conditions if c.code == code), None)

    def refusal_ground(self, code: str) -> RefusalGround | None:
        return next((g for g in self.refusal_grounds if g.code == code), None)

    def check_types(self) -> list[str]:
        return [c.type for c in self.checks]

    def required_declarations(self) -> list[Declaration]:
        return [d for d in self.declarations if d.required]


def policy_summary(policy: Policy) -> dict[str, Any]:
    """Identifying fields, as recorded beside every application."""
    return {"policy_id": policy.id, "policy_version": policy.version, "title": policy.title}
