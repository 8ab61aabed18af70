"""Checks under policies other than the default one, and an event that ends after midnight
(issue 25: mutation testing found these branches unpinned)."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from policies import Policy, bundled_policy, bundled_policy_text, load_policy_text
from tests.vetting.test_checks_support import make_ctx
from vetting.checks import CHECKS, CheckContext, CheckResult, clearance_reusable, evaluate

DEFAULT = bundled_policy_text("council-default")


def run(policy: Policy, check_type: str, ctx: CheckContext) -> CheckResult:
    spec = next(c for c in policy.checks if c.type == check_type)
    return CHECKS[check_type](ctx, spec, policy)


@pytest.mark.parametrize(
    ("months", "reusable", "why"),
    [
        (0, False, "This policy does not reuse clearances"),
        (1, True, "Cleared on 2026-12-20, within 1 months"),
        (12, True, "Cleared on 2026-12-20, within 12 months"),
    ],
)
def test_a_policy_may_reuse_clearances_for_a_month_or_not_at_all(
    months: int, reusable: bool, why: str
) -> None:
    policy = load_policy_text(
        DEFAULT.replace("clearance_reuse_months = 12", f"clearance_reuse_months = {months}")
    )
    ctx = make_ctx(last_cleared_on=dt.date(2026, 12, 20))
    assert clearance_reusable(ctx, policy) == (reusable, why)
    skipped = evaluate(policy, ctx).result("registry_numbers")
    assert skipped is not None and skipped.evidence.get("skipped", False) is reusable


def test_reuse_that_skips_nothing_says_so() -> None:
    policy = load_policy_text(
        DEFAULT.replace('skips = ["registry_numbers", "booking_history"]', "skips = []")
    )
    result = run(policy, "clearance_reuse", make_ctx(last_cleared_on=dt.date(2026, 6, 1)))
    assert result.as_dict() == {
        "check": "clearance_reuse",
        "outcome": "pass",
        "summary": "Cleared on 2026-06-01, within 12 months: not repeated: nothing",
        "needed": None,
        "ground": None,
        "evidence": {"reused": True, "cleared_on": "2026-06-01", "reuse_months": 12, "skips": []},
    }


def test_the_council_scheme_where_the_venue_has_none() -> None:
    partner = bundled_policy("partner-example")
    result = run(partner, "insurance", make_ctx(insurance={"uses_council_scheme": True}))
    assert result.as_dict() == {
        "check": "insurance",
        "outcome": "review",
        "summary": "The hirer chose the council's scheme, which this venue does not offer",
        "needed": "Evidence of public liability cover of at least £2,000,000",
        "ground": None,
        "evidence": {
            "minimum_cover_gbp": 2000000,
            "council_scheme_available": False,
            "cover_gbp": 5000000.0,
            "uses_council_scheme": True,
            "expires_on": None,
        },
    }


def test_cover_must_last_to_the_venue_s_date_of_the_end_whatever_the_server_s_zone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Ends at 00:30 on 17 February in London: 19:30 on the 16th in New York.
    policy = bundled_policy("council-default")
    ctx = make_ctx(
        start=dt.datetime(2027, 2, 16, 22, 30, tzinfo=dt.UTC),
        end=dt.datetime(2027, 2, 17, 0, 30, tzinfo=dt.UTC),
        insurance={"cover_gbp": 5_000_000, "expires_on": dt.date(2027, 2, 16)},
    )
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        result = run(policy, "insurance", ctx)
    finally:
        monkeypatch.undo()
        time.tzset()
    assert (result.outcome, result.needed) == (
        "review",
        "Evidence that cover of at least £5,000,000 runs to 2027-02-17",
    )
