"""The objective facts that policy conditions (`show_if`, risk triggers) read, and the tier."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from policies import Policy, Question, Tier
from vetting.checks.context import CheckContext
from vetting.workdays import working_days_between

_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0"}


def normalise_answer(question: Question, value: Any) -> Any:
    """An answer in the form conditions compare against, or None when blank or unreadable."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if question.type == "yes_no":
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        return True if text in _YES else False if text in _NO else None
    if question.type == "number":
        if isinstance(value, bool):
            return None
        if isinstance(value, int | float):
            return value
        try:
            return float(str(value).strip())
        except ValueError:
            return None
    if question.type == "date":
        if isinstance(value, dt.datetime):
            return value.date().isoformat()
        if isinstance(value, dt.date):
            return value.isoformat()
        try:
            return dt.date.fromisoformat(str(value).strip()).isoformat()
        except ValueError:
            return None
    if question.type == "choice":
        text = str(value).strip()
        return text if text in question.choices else None
    return str(value).strip()


def notice_working_days(ctx: CheckContext) -> int:
    """Working days between the request and the first occurrence."""
    return working_days_between(ctx.submitted_on, ctx.event_date)


def request_facts(
    policy: Policy,
    *,
    open_to_public: bool,
    under_18s: bool,
    adults_at_risk: bool,
    expected_attendance: int,
    external_speakers: int,
    organisation_type: str | None,
    answers: Mapping[str, Any],
) -> dict[str, Any]:
    """The facts a request states itself, known before its dates are planned; the booking form
    reads these to decide which questions to show, so the names live here only."""
    facts: dict[str, Any] = {
        "event.open_to_public": open_to_public,
        "event.under_18s": under_18s,
        "event.adults_at_risk": adults_at_risk,
        "event.expected_attendance": expected_attendance,
        "booking.external_speakers": external_speakers,
        "organisation.type": organisation_type,
    }
    for q in policy.questions:
        facts[f"answers.{q.id}"] = normalise_answer(q, answers.get(q.id))
    return facts


def build_facts(policy: Policy, ctx: CheckContext) -> dict[str, Any]:
    """Facts by the names conditions use (see `policies.predicates.FACTS`)."""
    facts = request_facts(
        policy,
        open_to_public=ctx.event.open_to_public,
        under_18s=ctx.event.under_18s,
        adults_at_risk=ctx.event.adults_at_risk,
        expected_attendance=ctx.event.expected_attendance,
        external_speakers=len(ctx.people_with_role("speaker")),
        organisation_type=ctx.organisation.type,
        answers=ctx.answers,
    )
    facts["booking.notice_working_days"] = notice_working_days(ctx)
    facts["booking.occurrences"] = ctx.occurrence_count
    return facts


def is_shown(question: Question, facts: dict[str, Any]) -> bool:
    condition = question.condition()
    return condition is None or condition.holds(facts)


@dataclass(frozen=True)
class TierAssessment:
    tier: Tier
    triggers: tuple[str, ...]  # ids of the risk triggers that held


def assess_tier(policy: Policy, facts: dict[str, Any]) -> TierAssessment:
    """The highest tier any risk trigger reaches (the lowest tier when none holds)."""
    tier = policy.standard_tier
    held: list[str] = []
    for trigger in policy.risk_triggers:
        if trigger.condition().holds(facts):
            held.append(trigger.id)
            if policy.tier_rank(trigger.tier) > policy.tier_rank(tier.id):
                tier = policy.tier(trigger.tier)
    return TierAssessment(tier, tuple(held))
