"""When a decision took effect, as the reports count it, kept on the rows when it happens.

The reports page (casework/report_queries.py) counts decisions by the day they took effect and
times each case from its request to its first decision that took effect, in working days. Working
those out when the page is asked for meant reading every decision of the organisation's cases and
counting working days between thousands of date pairs on every request; the write paths know both
at the moment they happen, so they stamp them here:

* every decision or cancellation gets `effect_at` (when it counts: when made, or for a refusal
  that needed a second person, when countersigned or declined) and `report_state` (what it counts
  as, casework.reports.DECISION_STATES). A refusal overturned on appeal keeps "refused": it took
  effect, and the appeal is counted in its own section;
* the case gets `first_decision_at` and `decision_working_days` (from the day of the request to
  that day, England and Wales working days, vetting/workdays.py), once, by its first approval or
  refusal to take effect. Later decisions (an approval again on appeal) leave them alone.

Migration d19a00000001 fills both for the rows that were there before.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from vetting.lifecycle import Outcome
from vetting.models import Decision, VettingCase
from vetting.workdays import working_days_between

LONDON = ZoneInfo("Europe/London")
TOOK_EFFECT = ("approved", "approved_with_conditions", "refused")
"""The states in which a decision (kind "decision") settles a case for time to decision."""


def state_when_made(kind: str, outcome: str, conditions: list[Any] | None, effective: bool) -> str | None:
    """What a decision counts as when it is made; None for what the decision tables do not count
    (appeals, requests for more information)."""
    if kind == "cancellation":
        return "cancelled"
    if kind != "decision" or outcome == Outcome.REQUEST_INFORMATION.value:
        return None
    if outcome == Outcome.APPROVE.value:
        return "approved_with_conditions" if conditions else "approved"
    return "refused" if effective else "awaiting_countersignature"


def stamp_made(decision: Decision) -> None:
    decision.effect_at = decision.decided_at
    decision.report_state = state_when_made(
        decision.kind, decision.outcome, decision.conditions, decision.effective is not False
    )


def stamp_countersigned(decision: Decision, at: dt.datetime, *, agreed: bool) -> None:
    decision.effect_at = at
    decision.report_state = "refused" if agreed else "refusal_not_countersigned"


def working_days_to(created_at: dt.datetime, at: dt.datetime) -> int:
    """Working days from the local day of the request to the local day of `at` (never negative)."""
    asked, decided = created_at.astimezone(LONDON).date(), at.astimezone(LONDON).date()
    return max(0, working_days_between(asked, decided))


def note_first_decision(case: VettingCase, at: dt.datetime) -> None:
    """The case's first decision to take effect, if it has none yet."""
    if case.first_decision_at is None:
        case.first_decision_at = at
        case.decision_working_days = working_days_to(case.created_at, at)
