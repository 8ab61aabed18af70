"""The policy document: what a council (or partner) asks, checks and decides by.

A policy is data that a council edits (a TOML file), identified by ``id`` and ``version``. Every
application records the id and version it was checked against; old versions stay loadable.
Structure is validated by pydantic (unknown keys are errors); cross references (ids used in
conditions, tiers, grounds and check parameters) are validated by `Policy`'s model validator.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any, Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator

from policies.base import StrictModel
from policies.checks import (
    ORGANISATION_CHECKS,
    CheckSpec,
    ClearanceReuseCheck,
    SafeguardingCheck,
)
from policies.predicates import (
    FACTS,
    SHOW_IF_ONLY_FACTS,
    Condition,
    ConditionSyntaxError,
    FactType,
    comparison_problem,
    parse_condition,
)
from policies.welsh import welsh_problems

Identifier = str  # lower-case words joined by underscores, checked by `_ID_PATTERN`
_ID_PATTERN = r"^[a-z][a-z0-9_]*$"

QuestionType = Literal["text", "yes_no", "choice", "number", "date"]
_ANSWER_FACT_TYPE: dict[str, FactType] = {
    "text": "str",
    "yes_no": "bool",
    "choice": "str",
    "number": "number",
    "date": "date",
}

Loc = tuple[str | int, ...]


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


def _duplicates(section: str, key: str, values: Sequence[str]) -> list[tuple[Loc, str]]:
    seen: set[str] = set()
    out: list[tuple[Loc, str]] = []
    for i, v in enumerate(values):
        if v in seen:
            out.append(((section, i, key), f"duplicate {key} {v!r}"))
        seen.add(v)
    return out


def _condition_problems(
    loc: Loc,
    text: str,
    questions: dict[str, Question],
    *,
    for_trigger: bool,
    own_question: str | None = None,
) -> list[tuple[Loc, str]]:
    try:
        cond = parse_condition(text)
    except ConditionSyntaxError as exc:
        return [(loc, str(exc))]
    out: list[tuple[Loc, str]] = []
    for comp in cond.comparisons():
        choices: tuple[str, ...] = ()
        if comp.ref.startswith("answers."):
            qid = comp.ref.removeprefix("answers.")
            question = questions.get(qid)
            if question is None:
                out.append((loc, f"{comp.ref} refers to no question of this policy"))
                continue
            if qid == own_question:
                out.append((loc, "a question cannot depend on its own answer"))
                continue
            if for_trigger and question.type == "text":
                out.append((loc, f"a risk trigger cannot read the free-text answer {comp.ref}"))
                continue
            fact_type = _ANSWER_FACT_TYPE[question.type]
            choices = tuple(question.choices)
        elif comp.ref in FACTS:
            if for_trigger and comp.ref in SHOW_IF_ONLY_FACTS:
                out.append((loc, f"a risk trigger cannot depend on {comp.ref}"))
                continue
            fact_type = FACTS[comp.ref]
        else:
            known = ", ".join(f for f in FACTS if not (for_trigger and f in SHOW_IF_ONLY_FACTS))
            out.append((loc, f"unknown field {comp.ref!r}; use answers.<question id> or one of: {known}"))
            continue
        problem = comparison_problem(comp, fact_type, choices)
        if problem:
            out.append((loc, problem))
    return out


def cross_reference_problems(policy: Policy) -> list[tuple[Loc, str]]:
    """Problems a single field cannot see: duplicates and references between sections."""
    problems: list[tuple[Loc, str]] = []
    problems += _duplicates("declarations", "id", [d.id for d in policy.declarations])
    problems += _duplicates("questions", "id", [q.id for q in policy.questions])
    problems += _duplicates("checks", "type", [c.type for c in policy.checks])
    problems += _duplicates("tiers", "id", [t.id for t in policy.tiers])
    problems += _duplicates("risk_triggers", "id", [t.id for t in policy.risk_triggers])
    problems += _duplicates("conditions", "code", [c.code for c in policy.conditions])
    problems += _duplicates("refusal_grounds", "code", [g.code for g in policy.refusal_grounds])
    problems += [
        (("screening", "sources", i), f"duplicate source {s!r}")
        for i, s in enumerate(policy.screening.sources)
        if s in policy.screening.sources[:i]
    ]

    questions = {q.id: q for q in policy.questions}
    for i, q in enumerate(policy.questions):
        if q.type == "choice" and len(q.choices) < 2:
            problems.append((("questions", i, "choices"), "a choice question needs at least two choices"))
        if q.type != "choice" and q.choices:
            problems.append(
                (("questions", i, "choices"), f"only choice questions have choices, not {q.type}")
            )
        problems += [
            (("questions", i, "choices", j), f"duplicate choice {c!r}")
            for j, c in enumerate(q.choices)
            if c in q.choices[:j]
        ]
        if q.show_if is not None:
            problems += _condition_problems(
                ("questions", i, "show_if"), q.show_if, questions, for_trigger=False, own_question=q.id
            )

    tier_ids = [t.id for t in policy.tiers]
    for i, trig in enumerate(policy.risk_triggers):
        if trig.tier not in tier_ids:
            problems.append(
                (("risk_triggers", i, "tier"), f"unknown tier {trig.tier!r}; tiers: {', '.join(tier_ids)}")
            )
        problems += _condition_problems(("risk_triggers", i, "when"), trig.when, questions, for_trigger=True)

    for tier_id, days in policy.notice_periods.items():
        if tier_id not in tier_ids:
            problems.append(
                (("notice_periods", tier_id), f"unknown tier {tier_id!r}; tiers: {', '.join(tier_ids)}")
            )
        elif not isinstance(days, int) or days < 0:
            problems.append(
                (("notice_periods", tier_id), "must be a whole number of working days, 0 or more")
            )
    for tier_id in tier_ids:
        if tier_id not in policy.notice_periods:
            problems.append((("notice_periods",), f"no notice period for tier {tier_id!r}"))

    ground_codes = {g.code for g in policy.refusal_grounds}
    check_types = policy.check_types()
    for i, check in enumerate(policy.checks):
        ground: str | None = getattr(check, "ground", None)
        if ground is not None and ground not in ground_codes:
            problems.append(
                (("checks", i, "ground"), f"{ground!r} is not one of this policy's refusal grounds")
            )
        if isinstance(check, SafeguardingCheck):
            for name in ("dbs_question", "own_carers_question"):
                qid = getattr(check, name)
                if qid is None:
                    continue
                asked = questions.get(qid)
                if asked is None:
                    problems.append((("checks", i, name), f"refers to no question of this policy: {qid!r}"))
                elif asked.type != "yes_no":
                    problems.append((("checks", i, name), f"question {qid!r} must be a yes_no question"))
        if isinstance(check, ClearanceReuseCheck):
            problems += _duplicates_in(("checks", i, "skips"), check.skips)
            for j, skipped in enumerate(check.skips):
                if skipped not in ORGANISATION_CHECKS:  # pragma: no cover - the Literal already forbids it
                    problems.append((("checks", i, "skips", j), f"{skipped!r} cannot be skipped"))
                elif skipped not in check_types:
                    problems.append(
                        (("checks", i, "skips", j), f"{skipped!r} is not a check this policy runs")
                    )
    return problems + welsh_problems(policy)


def _duplicates_in(loc: Loc, values: Iterable[str]) -> list[tuple[Loc, str]]:
    counts = Counter(values)
    return [(loc, f"{v!r} listed more than once") for v, n in counts.items() if n > 1]


def policy_summary(policy: Policy) -> dict[str, Any]:
    """Identifying fields, as recorded beside every application."""
    return {"policy_id": policy.id, "policy_version": policy.version, "title": policy.title}
