"""Run a policy's checks on an application and work out its tier and target decision date.

The overall outcome is "pass" or "review", never a refusal: even a failed check only tells
the officer which ground may apply (design principle 1). A policy may let the standard tier be
approved automatically when every check passes; nothing is ever refused automatically.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from policies import Policy
from vetting.checks.context import CheckContext
from vetting.checks.facts import assess_tier, build_facts, notice_working_days
from vetting.checks.notice import check_notice_period, is_fast_track
from vetting.checks.organisation import (
    check_booking_history,
    check_clearance_reuse,
    check_registry_numbers,
    clearance_reusable,
)
from vetting.checks.request import check_declarations, check_required_answers
from vetting.checks.result import CheckResult
from vetting.checks.safety import check_capacity, check_insurance, check_safeguarding
from vetting.checks.screening_matches import check_screening
from vetting.workdays import add_working_days

CheckFunction = Callable[[CheckContext, Any, Policy], CheckResult]

CHECKS: dict[str, CheckFunction] = {
    "declarations": check_declarations,
    "required_answers": check_required_answers,
    "registry_numbers": check_registry_numbers,
    "screening": check_screening,
    "capacity": check_capacity,
    "safeguarding": check_safeguarding,
    "insurance": check_insurance,
    "notice_period": check_notice_period,
    "booking_history": check_booking_history,
    "clearance_reuse": check_clearance_reuse,
}

OverallOutcome = Literal["pass", "review"]


@dataclass(frozen=True)
class Evaluation:
    """The checks' findings for one application under one policy version."""

    policy_id: str
    policy_version: int
    results: tuple[CheckResult, ...]
    tier: str
    tier_title: str
    decided_by: str
    triggers: tuple[str, ...]
    notice_required_working_days: int
    notice_given_working_days: int
    target_decision_date: dt.date
    fast_track: bool
    outcome: OverallOutcome
    auto_approvable: bool

    @property
    def needed(self) -> list[str]:
        return [r.needed for r in self.results if r.needed]

    @property
    def possible_grounds(self) -> list[str]:
        """Refusal grounds failed checks point to; an officer decides whether any applies."""
        return [r.ground for r in self.results if r.ground]

    def result(self, check: str) -> CheckResult | None:
        return next((r for r in self.results if r.check == check), None)

    def as_dict(self) -> dict[str, Any]:
        return {
            "policy_id": self.policy_id,
            "policy_version": self.policy_version,
            "results": [r.as_dict() for r in self.results],
            "tier": self.tier,
            "tier_title": self.tier_title,
            "decided_by": self.decided_by,
            "triggers": list(self.triggers),
            "notice_required_working_days": self.notice_required_working_days,
            "notice_given_working_days": self.notice_given_working_days,
            "target_decision_date": self.target_decision_date.isoformat(),
            "fast_track": self.fast_track,
            "outcome": self.outcome,
            "auto_approvable": self.auto_approvable,
            "needed": self.needed,
            "possible_grounds": self.possible_grounds,
        }


def _skipped(check: str, cleared_on: dt.date | None) -> CheckResult:
    when = cleared_on.isoformat() if cleared_on else "recently"
    return CheckResult(
        check,
        "pass",
        f"Not repeated: the organisation was cleared on {when}",
        evidence={"skipped": True, "cleared_on": cleared_on.isoformat() if cleared_on else None},
    )


def target_decision_date(
    policy: Policy, ctx: CheckContext, target_working_days: int, fast_track: bool
) -> dt.date:
    """Working-day target from the request date; a late fast-tracked case aims for the eve of the event."""
    submitted = ctx.submitted_on
    target = add_working_days(submitted, target_working_days)
    if fast_track:
        before_event = add_working_days(ctx.event_date, -1)
        target = max(min(target, before_event), add_working_days(submitted, 0))
    return target


def evaluate(policy: Policy, ctx: CheckContext) -> Evaluation:
    """Run the policy's checks in order; at most "review", never a refusal."""
    facts = build_facts(policy, ctx)
    tiering = assess_tier(policy, facts)
    skips: set[str] = set()
    for spec in policy.checks:
        if spec.type == "clearance_reuse" and clearance_reusable(ctx, policy)[0]:
            skips = set(spec.skips)
    # Screening is never skipped, whatever a policy says (the model forbids it too).
    skips.discard("screening")

    results: list[CheckResult] = []
    for spec in policy.checks:
        if spec.type in skips:
            results.append(_skipped(spec.type, ctx.last_cleared_on))
        else:
            results.append(CHECKS[spec.type](ctx, spec, policy))

    required = policy.notice_periods[tiering.tier.id]
    given = notice_working_days(ctx)
    fast_track = given < required and is_fast_track(ctx)
    outcome: OverallOutcome = "pass" if all(r.outcome == "pass" for r in results) else "review"
    return Evaluation(
        policy_id=policy.id,
        policy_version=policy.version,
        results=tuple(results),
        tier=tiering.tier.id,
        tier_title=tiering.tier.title,
        decided_by=tiering.tier.decided_by,
        triggers=tiering.triggers,
        notice_required_working_days=required,
        notice_given_working_days=given,
        target_decision_date=target_decision_date(policy, ctx, tiering.tier.target_working_days, fast_track),
        fast_track=fast_track,
        outcome=outcome,
        auto_approvable=(
            outcome == "pass"
            and policy.auto_approve_standard_tier
            and tiering.tier.id == policy.standard_tier.id
        ),
    )
