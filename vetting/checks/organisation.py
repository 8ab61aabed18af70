"""Checks about the organisation: registry numbers, booking history, reuse of a recent clearance."""

from __future__ import annotations

import datetime as dt
from typing import Any

from dateutil.relativedelta import relativedelta

from policies import Policy
from policies.checks import BookingHistoryCheck, ClearanceReuseCheck, RegistryNumbersCheck
from vetting.checks.context import CheckContext
from vetting.checks.result import CheckResult
from vetting.identifiers import REGISTER_NAMES, InvalidNumber, parse_charity_number, parse_company_number
from vetting.registry import RegistryRecord
from vetting.screening import compare_names


def _name_finding(
    given: str, record: RegistryRecord, display: str, register: str, threshold: float
) -> str | None:
    """What to ask when the name given is none of the register's names for the number quoted."""
    if threshold <= 0 or not record.name or not given.strip():
        return None
    names = (record.name, *record.other_names)
    best = max(compare_names(given, name, "organisation").score for name in names)
    if best >= threshold:
        return None
    also = f" (also known as {', '.join(record.other_names)})" if record.other_names else ""
    return (
        f"an explanation: {register} gives {display} to '{record.name}'{also}, "
        f"not to '{given.strip()}' (names {best:.0f}% alike)"
    )


def check_registry_numbers(ctx: CheckContext, params: RegistryNumbersCheck, policy: Policy) -> CheckResult:
    """Numbers well formed, present where the organisation type needs one, and (if looked up) registered."""
    org = ctx.organisation
    needed: list[str] = []
    numbers: list[dict[str, Any]] = []
    for label, raw, parse, required_for in (
        ("charity", org.charity_number, parse_charity_number, params.charity_number_required_for),
        ("company", org.company_number, parse_company_number, params.company_number_required_for),
    ):
        if raw is None or not raw.strip():
            if org.type in required_for:
                needed.append(f"the {label} number (a {org.type} must give one)")
            continue
        try:
            parsed = parse(raw)
        except InvalidNumber as exc:
            needed.append(f"a valid {label} number: {exc}")
            numbers.append({"given": raw, "well_formed": False})
            continue
        entry: dict[str, Any] = {
            "given": raw,
            "well_formed": True,
            "number": parsed.display,
            "register": parsed.register,
            "register_name": REGISTER_NAMES[parsed.register],
        }
        if parsed.kind:
            entry["kind"] = parsed.kind
        record = next(
            (r for r in ctx.registry_records if r.register == parsed.register and r.number == parsed.number),
            None,
        )
        entry["lookup"] = record.status if record else "not_checked"
        if record is not None and record.status == "found":
            entry["registered_name"] = record.name
            entry["register_status"] = record.register_status
            if record.detail:
                # Which register and extract date the facts come from, in the register's words.
                entry["register_detail"] = record.detail
            mismatch = _name_finding(
                org.name, record, parsed.display, REGISTER_NAMES[parsed.register], params.name_match_threshold
            )
            if mismatch:
                entry["name_matches_register"] = False
                needed.append(mismatch)
            if not record.in_good_standing:
                needed.append(
                    f"an explanation: {REGISTER_NAMES[parsed.register]} shows {parsed.display} as "
                    f"{record.register_status}" + (f" ({record.detail})" if record.detail else "")
                )
        elif record is not None and record.status == "error":
            # A live register that could not answer (rate limited, down) proves nothing either way.
            needed.append(
                f"a look at {REGISTER_NAMES[parsed.register]} by hand: it could not be asked about "
                f"{parsed.display}" + (f" ({record.detail})" if record.detail else "")
            )
        elif record is not None and record.status == "not_found":
            needed.append(
                f"a {label} number that {REGISTER_NAMES[parsed.register]} knows ({parsed.display} not found)"
            )
        numbers.append(entry)
    evidence = {"organisation_type": org.type, "numbers": numbers}
    if needed:
        return CheckResult(
            "registry_numbers",
            "review",
            "Registration details need attention",
            needed="; ".join(needed),
            evidence=evidence,
        )
    if not numbers:
        return CheckResult(
            "registry_numbers",
            "pass",
            f"No registration number needed for a {org.type} organisation",
            evidence=evidence,
        )
    checked = all(n.get("lookup") == "found" for n in numbers)
    how = "found on the register" if checked else "well formed (register not consulted)"
    return CheckResult("registry_numbers", "pass", "Registration numbers " + how, evidence=evidence)


def _window_start(ctx: CheckContext, months: int) -> dt.date:
    return ctx.submitted_on - relativedelta(months=months)


def check_booking_history(ctx: CheckContext, params: BookingHistoryCheck, policy: Policy) -> CheckResult:
    """Breaches officers recorded in the look-back window: serious -> fail; others -> review."""
    since = _window_start(ctx, policy.booking_history_months)
    recent = sorted((b for b in ctx.breaches if b.occurred_on >= since), key=lambda b: b.occurred_on)
    serious = [b for b in recent if b.serious]
    evidence = {
        "look_back_months": policy.booking_history_months,
        "since": since.isoformat(),
        "breaches": [
            {"occurred_on": b.occurred_on.isoformat(), "code": b.code, "serious": b.serious, "note": b.note}
            for b in recent
        ],
        "older_breaches_ignored": len(ctx.breaches) - len(recent),
    }
    if serious:
        return CheckResult(
            "booking_history",
            "fail",
            f"{len(serious)} serious breach(es) of the conditions of hire recorded since {since.isoformat()}",
            ground=params.ground,
            evidence=evidence,
        )
    if recent:
        return CheckResult(
            "booking_history",
            "review",
            f"{len(recent)} breach(es) of the conditions of hire recorded since {since.isoformat()}",
            needed="An officer to consider the recorded breaches (conditions may address them)",
            evidence=evidence,
        )
    return CheckResult(
        "booking_history", "pass", f"No breaches recorded since {since.isoformat()}", evidence=evidence
    )


def clearance_reusable(ctx: CheckContext, policy: Policy) -> tuple[bool, str]:
    """Whether a previous clearance may stand in for the organisation checks, and why (not)."""
    if ctx.last_cleared_on is None:
        return False, "No previous clearance"
    if policy.clearance_reuse_months <= 0:
        return False, "This policy does not reuse clearances"
    since = _window_start(ctx, policy.clearance_reuse_months)
    cleared = ctx.last_cleared_on.isoformat()
    if ctx.last_cleared_on < since:
        return False, f"Last cleared on {cleared}, more than {policy.clearance_reuse_months} months ago"
    later = [b for b in ctx.breaches if b.occurred_on >= ctx.last_cleared_on]
    if later:
        return False, f"Cleared on {cleared} but {len(later)} breach(es) recorded since"
    return True, f"Cleared on {cleared}, within {policy.clearance_reuse_months} months"


def check_clearance_reuse(ctx: CheckContext, params: ClearanceReuseCheck, policy: Policy) -> CheckResult:
    """Informational: says whether the organisation checks in `skips` are skipped this time."""
    reusable, why = clearance_reusable(ctx, policy)
    evidence = {
        "reused": reusable,
        "cleared_on": ctx.last_cleared_on.isoformat() if ctx.last_cleared_on else None,
        "reuse_months": policy.clearance_reuse_months,
        "skips": list(params.skips) if reusable else [],
    }
    if reusable:
        skipped = ", ".join(params.skips) or "nothing"
        return CheckResult("clearance_reuse", "pass", f"{why}: not repeated: {skipped}", evidence=evidence)
    return CheckResult("clearance_reuse", "pass", f"{why}: full checks run", evidence=evidence)
