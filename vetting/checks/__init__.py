"""Due-diligence checks: pure functions of a `CheckContext`, their parameters and the policy."""

from vetting.checks.context import (
    Breach,
    CheckContext,
    ContactInfo,
    EventInfo,
    InsuranceInfo,
    OrganisationInfo,
    PersonInfo,
    RoomOption,
    ScreeningMatchState,
)
from vetting.checks.evaluate import CHECKS, Evaluation, evaluate, target_decision_date
from vetting.checks.facts import TierAssessment, assess_tier, build_facts, is_shown, normalise_answer
from vetting.checks.notice import check_notice_period
from vetting.checks.organisation import (
    check_booking_history,
    check_clearance_reuse,
    check_registry_numbers,
    clearance_reusable,
)
from vetting.checks.request import check_declarations, check_required_answers
from vetting.checks.result import CheckResult, Outcome
from vetting.checks.safety import check_capacity, check_insurance, check_safeguarding
from vetting.checks.screening_matches import check_screening

__all__ = [
    "CHECKS",
    "Breach",
    "CheckContext",
    "CheckResult",
    "ContactInfo",
    "Evaluation",
    "EventInfo",
    "InsuranceInfo",
    "OrganisationInfo",
    "Outcome",
    "PersonInfo",
    "RoomOption",
    "ScreeningMatchState",
    "TierAssessment",
    "assess_tier",
    "build_facts",
    "check_booking_history",
    "check_capacity",
    "check_clearance_reuse",
    "check_declarations",
    "check_insurance",
    "check_notice_period",
    "check_registry_numbers",
    "check_required_answers",
    "check_safeguarding",
    "check_screening",
    "clearance_reusable",
    "evaluate",
    "is_shown",
    "normalise_answer",
    "target_decision_date",
]
