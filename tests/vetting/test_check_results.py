"""Each check's whole result, and each evaluation's, for the scenarios in check_scenarios.py.

Mutation testing (issue 25) showed that the checks' summaries, what they ask for and their
evidence could change without a test noticing: these are what an officer reads on the case and
what the case record keeps, so they are pinned here word for word. The fast-track rule is pinned
at its boundary: a public event with speakers and exactly enough notice is on time, not fast-tracked.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from policies import Policy, bundled_policy
from tests.vetting.check_scenarios import EVALUATIONS, SCENARIOS
from tests.vetting.test_checks_support import make_ctx
from vetting.checks import CHECKS, evaluate, target_decision_date
from vetting.workdays import add_working_days

# Word for word, as an officer reads them and the case keeps them (JSON, as the case record holds them).
EXPECTED = Path(__file__).parent / "expected"
RESULTS: dict[str, dict[str, Any]] = json.loads((EXPECTED / "check_results.json").read_text(encoding="utf-8"))
EVALUATED: dict[str, dict[str, Any]] = json.loads((EXPECTED / "evaluations.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def policy() -> Policy:
    return bundled_policy("council-default")


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_check_result(policy: Policy, name: str) -> None:
    check_type, overrides = SCENARIOS[name]
    spec = next(c for c in policy.checks if c.type == check_type)
    assert CHECKS[check_type](make_ctx(**overrides), spec, policy).as_dict() == RESULTS[name]


@pytest.mark.parametrize("name", list(EVALUATIONS))
def test_evaluation(name: str) -> None:
    policy_id, overrides = EVALUATIONS[name]
    found = evaluate(bundled_policy(policy_id), make_ctx(**overrides)).as_dict()
    found["results"] = [[r["check"], r["outcome"]] for r in found["results"]]
    assert found == EVALUATED[name]


def test_a_skipped_check_says_when_the_organisation_was_cleared(policy: Policy) -> None:
    found = evaluate(policy, make_ctx(**EVALUATIONS["recently_cleared"][1]))
    skipped = found.result("registry_numbers")
    assert skipped is not None
    assert skipped.as_dict() == {
        "check": "registry_numbers",
        "outcome": "pass",
        "summary": "Not repeated: the organisation was cleared on 2026-06-01",
        "needed": None,
        "ground": None,
        "evidence": {"skipped": True, "cleared_on": "2026-06-01"},
    }
    assert found.result("no_such_check") is None
    history = found.result("booking_history")
    assert history is not None and history.evidence["skipped"] is True


def test_on_time_public_event_with_speakers_is_not_fast_tracked(policy: Policy) -> None:
    """Exactly the notice the tier needs is on time: the target is the tier's, not the event's eve."""
    overrides = EVALUATIONS["on_time_public_with_speakers"][1]
    found = evaluate(policy, make_ctx(**overrides))
    assert (found.notice_given_working_days, found.notice_required_working_days) == (10, 10)
    assert found.fast_track is False
    assert found.target_decision_date == add_working_days(dt.date(2027, 2, 2), 7)
    one_day_less = evaluate(
        policy, make_ctx(**{**overrides, "submitted_at": dt.datetime(2027, 2, 3, 10, tzinfo=dt.UTC)})
    )
    assert one_day_less.fast_track is True
    assert one_day_less.tier == "enhanced"


def test_a_fast_tracked_target_is_the_eve_of_the_event_but_never_before_the_request(policy: Policy) -> None:
    late = make_ctx(**EVALUATIONS["late_public_with_speakers"][1])
    # 15 working days from 8 February would be 1 March; the event is on 16 February.
    assert target_decision_date(policy, late, 15, fast_track=False) == dt.date(2027, 3, 1)
    assert target_decision_date(policy, late, 15, fast_track=True) == dt.date(2027, 2, 15)
    # A short target before the eve stands.
    assert target_decision_date(policy, late, 2, fast_track=True) == dt.date(2027, 2, 10)
    # Asked on the day before the event: the eve has passed, so the target is the request day.
    eve = make_ctx(
        **{
            **EVALUATIONS["late_public_with_speakers"][1],
            "submitted_at": dt.datetime(2027, 2, 15, 10, tzinfo=dt.UTC),
        }
    )
    assert target_decision_date(policy, eve, 15, fast_track=True) == dt.date(2027, 2, 15)
    same_day = make_ctx(
        **{
            **EVALUATIONS["late_public_with_speakers"][1],
            "submitted_at": dt.datetime(2027, 2, 16, 8, tzinfo=dt.UTC),
        }
    )
    assert target_decision_date(policy, same_day, 15, fast_track=True) == dt.date(2027, 2, 16)
