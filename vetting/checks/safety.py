"""Checks on safety: capacity, safeguarding and insurance."""

from __future__ import annotations

from policies import Policy
from policies.checks import CapacityCheck, InsuranceCheck, SafeguardingCheck
from vetting.checks.context import CheckContext
from vetting.checks.facts import normalise_answer
from vetting.checks.result import CheckResult


def check_capacity(ctx: CheckContext, params: CapacityCheck, policy: Policy) -> CheckResult:
    """Expected attendance within the room's capacity; over capacity fails and lists rooms that fit."""
    expected = ctx.event.expected_attendance
    fitting = sorted(
        (r for r in ctx.alternative_rooms if r.capacity >= expected), key=lambda r: (r.capacity, r.name)
    )
    evidence = {
        "expected_attendance": expected,
        "room_capacity": ctx.room_capacity,
        "rooms_that_fit": [{"room_id": r.room_id, "name": r.name, "capacity": r.capacity} for r in fitting],
    }
    if expected <= ctx.room_capacity:
        return CheckResult(
            "capacity", "pass", f"{expected} expected; the room holds {ctx.room_capacity}", evidence=evidence
        )
    offer = (
        "Rooms that fit: " + ", ".join(f"{r.name} ({r.capacity})" for r in fitting)
        if fitting
        else "No other free room holds that many"
    )
    return CheckResult(
        "capacity",
        "fail",
        f"{expected} expected but the room holds {ctx.room_capacity}. {offer}",
        needed=f"A room for {expected}, or attendance limited to {ctx.room_capacity}",
        ground=params.ground,
        evidence=evidence,
    )


def check_safeguarding(ctx: CheckContext, params: SafeguardingCheck, policy: Policy) -> CheckResult:
    """Children or adults at risk without their own carers need a named lead and DBS checks."""
    if not (ctx.event.under_18s or ctx.event.adults_at_risk):
        return CheckResult(
            "safeguarding", "pass", "No children or adults at risk expected", evidence={"applies": False}
        )

    def yes_no(question_id: str | None) -> bool | None:
        question = policy.question(question_id) if question_id else None
        if question is None:
            return None
        value = normalise_answer(question, ctx.answers.get(question.id))
        return value if isinstance(value, bool) else None

    own_carers = yes_no(params.own_carers_question)
    lead = ctx.named_safeguarding_lead
    dbs = ctx.dbs_confirmed if ctx.dbs_confirmed is not None else yes_no(params.dbs_question)
    evidence = {
        "applies": True,
        "under_18s": ctx.event.under_18s,
        "adults_at_risk": ctx.event.adults_at_risk,
        "own_carers_only": own_carers,
        "safeguarding_lead_named": lead is not None,
        "dbs_confirmed": dbs,
    }
    if own_carers is True:
        return CheckResult(
            "safeguarding",
            "pass",
            "Everyone at risk attends with their own parent or carer",
            evidence=evidence,
        )
    needed: list[str] = []
    if lead is None:
        needed.append("the name of a safeguarding lead who will be present")
    if dbs is not True:
        needed.append(
            "confirmation that people working with children or adults at risk have appropriate DBS checks"
        )
    if needed:
        return CheckResult(
            "safeguarding",
            "review",
            "Children or adults at risk attend without their own carers; safeguarding not yet confirmed",
            needed="; ".join(needed),
            evidence=evidence,
        )
    return CheckResult(
        "safeguarding",
        "pass",
        f"Safeguarding lead named ({lead}) and DBS checks confirmed",
        evidence=evidence,
    )


def _gbp(amount: object) -> str:
    return f"£{amount:,.0f}"


def check_insurance(ctx: CheckContext, params: InsuranceCheck, policy: Policy) -> CheckResult:
    """Public liability cover at or above the minimum, or the council's hirer scheme."""
    minimum = policy.insurance.minimum_cover_gbp
    scheme = policy.insurance.council_scheme_available
    info = ctx.insurance
    evidence = {
        "minimum_cover_gbp": minimum,
        "council_scheme_available": scheme,
        "cover_gbp": float(info.cover_gbp) if info and info.cover_gbp is not None else None,
        "uses_council_scheme": bool(info and info.uses_council_scheme),
        "expires_on": info.expires_on.isoformat() if info and info.expires_on else None,
    }
    alternative = " or join the council's hirer scheme" if scheme else ""
    if info is not None and info.uses_council_scheme:
        if scheme:
            return CheckResult(
                "insurance", "pass", "Covered by the council's hirer scheme", evidence=evidence
            )
        return CheckResult(
            "insurance",
            "review",
            "The hirer chose the council's scheme, which this venue does not offer",
            needed=f"Evidence of public liability cover of at least {_gbp(minimum)}",
            evidence=evidence,
        )
    if info is None or info.cover_gbp is None:
        return CheckResult(
            "insurance",
            "review",
            "No public liability insurance given",
            needed=f"Public liability cover of at least {_gbp(minimum)}{alternative}",
            evidence=evidence,
        )
    if info.cover_gbp < minimum:
        return CheckResult(
            "insurance",
            "review",
            f"Cover of {_gbp(info.cover_gbp)} is below the required {_gbp(minimum)}",
            needed=f"Public liability cover of at least {_gbp(minimum)}{alternative}",
            evidence=evidence,
        )
    last_day = ctx.end.astimezone(ctx.zone).date()
    if info.expires_on is not None and info.expires_on < last_day:
        return CheckResult(
            "insurance",
            "review",
            f"Cover expires on {info.expires_on.isoformat()}, before the event",
            needed=f"Evidence that cover of at least {_gbp(minimum)} runs to {last_day.isoformat()}",
            evidence=evidence,
        )
    return CheckResult(
        "insurance",
        "pass",
        f"Public liability cover of {_gbp(info.cover_gbp)} (minimum {_gbp(minimum)})",
        evidence=evidence,
    )
