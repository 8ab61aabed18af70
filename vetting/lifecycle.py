"""The case lifecycle as data: the statuses, the decision outcomes, and which action moves a case
from which status to which.

Every status change in the services goes through `next_status`, so the state-machine test over
this table covers the rules the services enforce. The enums are `StrEnum`s: they compare equal to
(and are stored as) the plain strings the database, the API and the templates already use.
"""

from __future__ import annotations

from enum import StrEnum

from vetting.errors import Conflict


class CaseStatus(StrEnum):
    UNDER_REVIEW = "under_review"
    AWAITING_INFORMATION = "awaiting_information"
    AWAITING_ACCEPTANCE = "awaiting_acceptance"
    CONFIRMED = "confirmed"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"
    CANCELLED = "cancelled"
    # The hirer left a request for information unanswered past the policy's time (issue 16).
    LAPSED = "lapsed"


class Outcome(StrEnum):
    """What an officer's decision (or the council's cancellation) says."""

    APPROVE = "approve"
    REFUSE = "refuse"
    REQUEST_INFORMATION = "request_information"
    CANCEL = "cancel"


class AppealOutcome(StrEnum):
    """What an appeal decision says. Three ways of upholding it, each naming what the case becomes:
    approved again (as an ordinary approval: confirmed, or waiting for the hirer to accept any
    conditions), approved with varied conditions for the hirer to accept, or reviewed afresh."""

    PENDING = "pending"
    REAPPROVED = "reapproved"
    VARIED = "varied"
    UPHELD = "upheld"  # upheld for a fresh review: the case goes back to an officer, not yet approved
    DISMISSED = "dismissed"


# What an officer may choose when deciding a case (cancel is a separate act on a booking).
DECISION_OUTCOMES = (Outcome.APPROVE, Outcome.REFUSE, Outcome.REQUEST_INFORMATION)
APPEAL_DECISIONS = (
    AppealOutcome.REAPPROVED,
    AppealOutcome.VARIED,
    AppealOutcome.UPHELD,
    AppealOutcome.DISMISSED,
)
# The appeal outcomes that overturn the refusal.
APPEAL_OVERTURNS = (AppealOutcome.REAPPROVED, AppealOutcome.VARIED, AppealOutcome.UPHELD)

STATUSES = tuple(CaseStatus)
# Waiting for the council's decision.
OPEN_STATUSES = (CaseStatus.UNDER_REVIEW, CaseStatus.AWAITING_INFORMATION)
# The booking holds its room.
HOLDING_STATUSES = (CaseStatus.AWAITING_ACCEPTANCE, CaseStatus.CONFIRMED)
# Someone still has to act: the officer, or the hirer accepting conditions (the officer queue's "open").
NEEDS_ACTION_STATUSES = (*OPEN_STATUSES, CaseStatus.AWAITING_ACCEPTANCE)
CLOSED_STATUSES = (CaseStatus.REFUSED, CaseStatus.WITHDRAWN, CaseStatus.CANCELLED, CaseStatus.LAPSED)

_S = CaseStatus
TRANSITIONS: dict[tuple[CaseStatus, str], CaseStatus] = {
    (_S.UNDER_REVIEW, "request_information"): _S.AWAITING_INFORMATION,
    (_S.AWAITING_INFORMATION, "provide_information"): _S.UNDER_REVIEW,
    (_S.UNDER_REVIEW, "approve"): _S.CONFIRMED,
    (_S.AWAITING_INFORMATION, "approve"): _S.CONFIRMED,
    (_S.UNDER_REVIEW, "approve_with_conditions"): _S.AWAITING_ACCEPTANCE,
    (_S.AWAITING_INFORMATION, "approve_with_conditions"): _S.AWAITING_ACCEPTANCE,
    (_S.UNDER_REVIEW, "refuse"): _S.REFUSED,
    (_S.AWAITING_INFORMATION, "refuse"): _S.REFUSED,
    (_S.AWAITING_ACCEPTANCE, "accept_conditions"): _S.CONFIRMED,
    (_S.UNDER_REVIEW, "withdraw"): _S.WITHDRAWN,
    (_S.AWAITING_INFORMATION, "withdraw"): _S.WITHDRAWN,
    (_S.AWAITING_ACCEPTANCE, "withdraw"): _S.WITHDRAWN,
    (_S.CONFIRMED, "withdraw"): _S.WITHDRAWN,
    (_S.AWAITING_ACCEPTANCE, "cancel"): _S.CANCELLED,
    (_S.CONFIRMED, "cancel"): _S.CANCELLED,
    (_S.REFUSED, "appeal_upheld"): _S.UNDER_REVIEW,
    (_S.REFUSED, "appeal_varied"): _S.AWAITING_ACCEPTANCE,
    (_S.REFUSED, "appeal_reapproved"): _S.CONFIRMED,
    (_S.REFUSED, "appeal_reapproved_with_conditions"): _S.AWAITING_ACCEPTANCE,
    # Only the scheduled job does this, and only to a case still waiting for the hirer's answer.
    (_S.AWAITING_INFORMATION, "lapse"): _S.LAPSED,
}


def next_status(current: str, action: str) -> CaseStatus:
    try:
        return TRANSITIONS[(CaseStatus(current), action)]
    except (KeyError, ValueError):
        raise Conflict(f"a case that is {current.replace('_', ' ')} cannot be moved by '{action}'") from None
