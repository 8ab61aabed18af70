"""Checks on what the hirer declared and answered."""

from __future__ import annotations

from policies import Policy
from policies.checks import DeclarationsCheck, RequiredAnswersCheck
from vetting.checks.context import CheckContext
from vetting.checks.facts import build_facts, is_shown, normalise_answer
from vetting.checks.result import CheckResult


def check_declarations(ctx: CheckContext, params: DeclarationsCheck, policy: Policy) -> CheckResult:
    """Every required declaration accepted; a missing one is a fail (information not supplied)."""
    required = policy.required_declarations()
    missing = [d for d in required if d.id not in ctx.declarations]
    known = {d.id for d in policy.declarations}
    evidence = {
        "accepted": sorted(ctx.declarations & known),
        "missing": [d.id for d in missing],
        "unknown": sorted(ctx.declarations - known),
    }
    if missing:
        return CheckResult(
            "declarations",
            "fail",
            f"{len(missing)} of {len(required)} required declarations not accepted",
            needed="The hirer must accept: " + "; ".join(d.text for d in missing),
            ground=params.ground,
            evidence=evidence,
        )
    return CheckResult(
        "declarations", "pass", f"All {len(required)} required declarations accepted", evidence=evidence
    )


def check_required_answers(ctx: CheckContext, params: RequiredAnswersCheck, policy: Policy) -> CheckResult:
    """Every required question that applies to this request has a usable answer."""
    facts = build_facts(policy, ctx)
    missing: list[str] = []
    unreadable: list[str] = []
    not_applicable: list[str] = []
    for q in policy.questions:
        if not is_shown(q, facts):
            not_applicable.append(q.id)
            continue
        raw = ctx.answers.get(q.id)
        value = normalise_answer(q, raw)
        if value is None and raw is not None and not (isinstance(raw, str) and not raw.strip()):
            unreadable.append(q.id)
        elif value is None and q.required:
            missing.append(q.id)
    evidence = {"missing": missing, "unreadable": unreadable, "not_applicable": not_applicable}
    if missing or unreadable:
        labels = {q.id: q.label for q in policy.questions}
        parts = [f"an answer to: {labels[q]}" for q in missing]
        parts += [f"a valid answer to: {labels[q]}" for q in unreadable]
        return CheckResult(
            "required_answers",
            "review",
            f"{len(missing) + len(unreadable)} question(s) need an answer",
            needed="; ".join(parts),
            evidence=evidence,
        )
    return CheckResult("required_answers", "pass", "All required questions answered", evidence=evidence)
