"""The notice-period check: late requests are flagged for speed, never failed for lateness."""

from __future__ import annotations

from policies import Policy
from policies.checks import NoticePeriodCheck
from vetting.checks.context import CheckContext
from vetting.checks.facts import assess_tier, build_facts, notice_working_days
from vetting.checks.result import CheckResult


def is_fast_track(ctx: CheckContext) -> bool:
    """A public event with external speakers: the case that most needs a decision in time."""
    return ctx.event.open_to_public and bool(ctx.people_with_role("speaker"))


def check_notice_period(ctx: CheckContext, params: NoticePeriodCheck, policy: Policy) -> CheckResult:
    """Enough working days' notice for the application's tier; otherwise review, never fail."""
    tier = assess_tier(policy, build_facts(policy, ctx)).tier
    required = policy.notice_periods[tier.id]
    given = notice_working_days(ctx)
    late = given < required
    fast_track = late and is_fast_track(ctx)
    evidence = {
        "tier": tier.id,
        "required_working_days": required,
        "given_working_days": given,
        "late": late,
        "fast_track": fast_track,
        "event_date": ctx.event_date.isoformat(),
    }
    if not late:
        return CheckResult(
            "notice_period", "pass", f"{given} working days' notice ({required} required)", evidence=evidence
        )
    summary = f"Late request: {given} working days' notice, {required} required for {tier.title.lower()}"
    if fast_track:
        summary += "; public event with speakers, flagged for a quick decision"
    return CheckResult(
        "notice_period",
        "review",
        summary,
        needed=f"A decision before {ctx.event_date.isoformat()} (lateness alone is no ground to refuse)",
        evidence=evidence,
    )
