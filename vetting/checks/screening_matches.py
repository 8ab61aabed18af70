"""The screening check: reads the matches and officers' dispositions; never decides by itself."""

from __future__ import annotations

from typing import Any

from policies import Policy
from policies.checks import ScreeningCheck
from vetting.checks.context import CheckContext, ScreeningMatchState
from vetting.checks.result import CheckResult


def _match_evidence(m: ScreeningMatchState) -> dict[str, Any]:
    return {
        "entry_id": m.entry_id,
        "score": m.score,
        "query_name": m.query_name,
        "matched_name": m.matched_name,
        "explanation": m.explanation,
        "source": m.source,
        "disposition": m.disposition,
    }


def check_screening(ctx: CheckContext, params: ScreeningCheck, policy: Policy) -> CheckResult:
    """Open possible matches -> review; a match an officer confirmed -> fail; otherwise pass.

    Only sources the policy screens against count. Unreviewed matches under the policy's
    threshold are ignored; a confirmed match counts whatever its score.
    """
    sources = set(policy.screening.sources)
    threshold = policy.screening.threshold
    relevant = [m for m in ctx.screening if not sources or m.source is None or m.source in sources]
    confirmed = [m for m in relevant if m.disposition == "confirmed"]
    open_matches = [m for m in relevant if m.disposition in (None, "possible") and m.score >= threshold]
    cleared = [m for m in relevant if m.disposition == "cleared"]
    evidence: dict[str, Any] = {
        "threshold": threshold,
        "sources": sorted(sources),
        "screened": ctx.screening_done,
        "confirmed": [_match_evidence(m) for m in confirmed],
        "open": [_match_evidence(m) for m in open_matches],
        "cleared": [_match_evidence(m) for m in cleared],
        "ignored": len(ctx.screening) - len(confirmed) - len(open_matches) - len(cleared),
    }
    if confirmed:
        names = ", ".join(sorted({m.query_name for m in confirmed}))
        return CheckResult(
            "screening",
            "fail",
            f"An officer confirmed {len(confirmed)} match(es) on the flagged list ({names})",
            ground=params.ground,
            evidence=evidence,
        )
    if not ctx.screening_done:
        return CheckResult(
            "screening",
            "review",
            "Names have not been screened yet",
            needed="Screening of the organisation and the people named",
            evidence=evidence,
        )
    if open_matches:
        return CheckResult(
            "screening",
            "review",
            f"{len(open_matches)} possible match(es) on the flagged list referred to an officer",
            needed="An officer's disposition of each possible match",
            evidence=evidence,
        )
    summary = "No matches on the flagged list"
    if cleared:
        summary = f"No open matches ({len(cleared)} cleared by an officer)"
    return CheckResult("screening", "pass", summary, evidence=evidence)
