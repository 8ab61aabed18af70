"""The case lifecycle as data: which action moves a case from which status to which.

Every status change in the services goes through `next_status`, so the state-machine test over
this table covers the rules the services enforce.
"""

from __future__ import annotations

from vetting.errors import Conflict

STATUSES = (
    "under_review",
    "awaiting_information",
    "awaiting_acceptance",
    "confirmed",
    "refused",
    "withdrawn",
    "cancelled",
)
OPEN_STATUSES = ("under_review", "awaiting_information")
HOLDING_STATUSES = ("awaiting_acceptance", "confirmed")
CLOSED_STATUSES = ("refused", "withdrawn", "cancelled")

TRANSITIONS: dict[tuple[str, str], str] = {
    ("under_review", "request_information"): "awaiting_information",
    ("awaiting_information", "provide_information"): "under_review",
    ("under_review", "approve"): "confirmed",
    ("awaiting_information", "approve"): "confirmed",
    ("under_review", "approve_with_conditions"): "awaiting_acceptance",
    ("awaiting_information", "approve_with_conditions"): "awaiting_acceptance",
    ("under_review", "refuse"): "refused",
    ("awaiting_information", "refuse"): "refused",
    ("awaiting_acceptance", "accept_conditions"): "confirmed",
    ("under_review", "withdraw"): "withdrawn",
    ("awaiting_information", "withdraw"): "withdrawn",
    ("awaiting_acceptance", "withdraw"): "withdrawn",
    ("confirmed", "withdraw"): "withdrawn",
    ("awaiting_acceptance", "cancel"): "cancelled",
    ("confirmed", "cancel"): "cancelled",
    ("refused", "appeal_upheld"): "under_review",
    ("refused", "appeal_varied"): "awaiting_acceptance",
}


def next_status(current: str, action: str) -> str:
    try:
        return TRANSITIONS[(current, action)]
    except KeyError:
        raise Conflict(f"a case that is {current.replace('_', ' ')} cannot be moved by '{action}'") from None
