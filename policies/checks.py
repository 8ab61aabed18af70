"""Which checks a policy runs and with what parameters.

The check functions live in `vetting.checks`; this module only describes them so that a policy
file can be validated without importing the vetting package. Each table under ``[[checks]]``
names a ``type`` and that type's parameters; unknown types and unknown parameters are errors.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from policies.base import StrictModel


class DeclarationsCheck(StrictModel):
    """Every required declaration of the policy has been accepted."""

    type: Literal["declarations"]
    ground: str = "information_not_supplied"


class RequiredAnswersCheck(StrictModel):
    """Every required question that is shown has an answer."""

    type: Literal["required_answers"]


class RegistryNumbersCheck(StrictModel):
    """Charity and company numbers are well formed (and, with a live registry, registered)."""

    type: Literal["registry_numbers"]
    charity_number_required_for: list[str] = Field(default_factory=lambda: ["charity", "cio"])
    company_number_required_for: list[str] = Field(default_factory=lambda: ["company", "cic", "cio_company"])
    # With a register consulted: the name given must resemble the register's name, or one of its
    # other or previous names, at least this much (0-100, as screening scores); 0 turns it off.
    name_match_threshold: float = Field(default=85.0, ge=0, le=100)


class ScreeningCheck(StrictModel):
    """Open possible matches on the flagged list need an officer; only a confirmed match fails."""

    type: Literal["screening"]
    ground: str = "confirmed_legal_bar"


class CapacityCheck(StrictModel):
    """Expected attendance fits the room."""

    type: Literal["capacity"]
    ground: str = "public_safety"


class SafeguardingCheck(StrictModel):
    """Under-18s or adults at risk without their own carers need a named lead and DBS checks."""

    type: Literal["safeguarding"]
    dbs_question: str | None = "dbs_confirmed"
    own_carers_question: str | None = "own_carers_only"


class InsuranceCheck(StrictModel):
    """Public liability cover at or above the policy minimum, or the council's hirer scheme."""

    type: Literal["insurance"]


class NoticePeriodCheck(StrictModel):
    """Enough working days' notice for the tier; late requests are flagged, never failed."""

    type: Literal["notice_period"]


class BookingHistoryCheck(StrictModel):
    """Breaches officers recorded against the organisation within the look-back window."""

    type: Literal["booking_history"]
    ground: str = "serious_prior_breach"


# Checks about the organisation rather than this booking: the only ones a recent clearance may skip.
ORGANISATION_CHECKS = ("registry_numbers", "insurance", "booking_history")


SkippableCheck = Literal["registry_numbers", "insurance", "booking_history"]


def _default_skips() -> list[SkippableCheck]:
    return ["registry_numbers", "booking_history"]


class ClearanceReuseCheck(StrictModel):
    """An organisation cleared recently skips repeated organisation checks (never screening)."""

    type: Literal["clearance_reuse"]
    skips: list[SkippableCheck] = Field(default_factory=_default_skips)


CheckSpec = Annotated[
    DeclarationsCheck
    | RequiredAnswersCheck
    | RegistryNumbersCheck
    | ScreeningCheck
    | CapacityCheck
    | SafeguardingCheck
    | InsuranceCheck
    | NoticePeriodCheck
    | BookingHistoryCheck
    | ClearanceReuseCheck,
    Field(discriminator="type"),
]

CHECK_TYPES: tuple[str, ...] = (
    "declarations",
    "required_answers",
    "registry_numbers",
    "screening",
    "capacity",
    "safeguarding",
    "insurance",
    "notice_period",
    "booking_history",
    "clearance_reuse",
)
