"""Every check type on its passing and its review/fail outcomes."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from policies import Policy, bundled_policy
from tests.vetting.test_checks_support import LONDON_WINTER, make_ctx
from vetting.checks import (
    CHECKS,
    CheckContext,
    CheckResult,
    check_booking_history,
    check_capacity,
    check_clearance_reuse,
    check_declarations,
    check_insurance,
    check_notice_period,
    check_registry_numbers,
    check_required_answers,
    check_safeguarding,
    check_screening,
)
from vetting.registry import InMemoryRegistry, RegistryRecord, look_up_numbers


@pytest.fixture(scope="module")
def policy() -> Policy:
    return bundled_policy("council-default")


def spec(policy: Policy, check_type: str) -> Any:
    return next(c for c in policy.checks if c.type == check_type)


def run(policy: Policy, check_type: str, ctx: CheckContext) -> CheckResult:
    return CHECKS[check_type](ctx, spec(policy, check_type), policy)


def test_every_policy_check_type_has_a_function() -> None:
    from policies.checks import CHECK_TYPES

    assert set(CHECK_TYPES) == set(CHECKS)


def test_baseline_context_passes_every_check(policy: Policy) -> None:
    ctx = make_ctx()
    for check in policy.checks:
        result = CHECKS[check.type](ctx, check, policy)
        assert result.outcome == "pass", result


# declarations


def test_declarations_pass(policy: Policy) -> None:
    result = check_declarations(make_ctx(), spec(policy, "declarations"), policy)
    assert result.outcome == "pass"
    assert "equality" in result.evidence["accepted"]


def test_missing_declaration_fails_with_information_ground(policy: Policy) -> None:
    ctx = make_ctx(declarations=["conditions_of_hire", "lawful_purpose", "mystery"])
    result = check_declarations(ctx, spec(policy, "declarations"), policy)
    assert result.outcome == "fail"
    assert result.ground == "information_not_supplied"
    assert "equality" in result.evidence["missing"]
    assert result.evidence["unknown"] == ["mystery"]
    assert result.needed
    assert "Equality Act" in result.needed


# required answers (honouring show_if)


def test_required_answers_pass_when_hidden_questions_unanswered(policy: Policy) -> None:
    result = check_required_answers(make_ctx(), spec(policy, "required_answers"), policy)
    assert result.outcome == "pass"
    assert "admission" in result.evidence["not_applicable"]


def test_question_shown_by_event_field_must_be_answered(policy: Policy) -> None:
    ctx = make_ctx(event={"open_to_public": True})
    result = check_required_answers(ctx, spec(policy, "required_answers"), policy)
    assert result.outcome == "review"
    assert result.evidence["missing"] == ["admission"]
    assert result.needed
    assert "How will people be admitted?" in result.needed


def test_question_shown_by_another_answer(policy: Policy) -> None:
    base = {"event": {"under_18s": True}}
    ctx = make_ctx(**base, answers={"alcohol": False, "own_carers_only": "no"})
    result = check_required_answers(ctx, spec(policy, "required_answers"), policy)
    assert result.evidence["missing"] == ["dbs_confirmed"]
    ctx = make_ctx(**base, answers={"alcohol": False, "own_carers_only": "yes"})
    assert check_required_answers(ctx, spec(policy, "required_answers"), policy).outcome == "pass"


def test_answer_not_among_choices_is_unreadable(policy: Policy) -> None:
    ctx = make_ctx(event={"open_to_public": True}, answers={"alcohol": "no", "admission": "raffle"})
    result = check_required_answers(ctx, spec(policy, "required_answers"), policy)
    assert result.outcome == "review"
    assert result.evidence["unreadable"] == ["admission"]


# registry numbers


def test_registry_numbers_well_formed_pass(policy: Policy) -> None:
    ctx = make_ctx(organisation={"charity_number": "SC012345", "company_number": "SC123456"})
    result = check_registry_numbers(ctx, spec(policy, "registry_numbers"), policy)
    assert result.outcome == "pass"
    assert [n["register"] for n in result.evidence["numbers"]] == ["charity_scotland", "companies_house"]
    assert all(n["lookup"] == "not_checked" for n in result.evidence["numbers"])


def test_malformed_charity_number_needs_review(policy: Policy) -> None:
    ctx = make_ctx(organisation={"charity_number": "SCO12345"})
    result = check_registry_numbers(ctx, spec(policy, "registry_numbers"), policy)
    assert result.outcome == "review"
    assert result.needed
    assert "did you mean SC012345" in result.needed


def test_charity_without_number_needs_review_but_informal_group_does_not(policy: Policy) -> None:
    ctx = make_ctx(organisation={"charity_number": None})
    assert check_registry_numbers(ctx, spec(policy, "registry_numbers"), policy).outcome == "review"
    ctx = make_ctx(organisation={"type": "informal", "charity_number": None})
    assert check_registry_numbers(ctx, spec(policy, "registry_numbers"), policy).outcome == "pass"


def test_registry_lookup_results_are_used(policy: Policy) -> None:
    registry = InMemoryRegistry.of(
        [
            RegistryRecord(
                "charity_ew",
                "1123456",
                "found",
                name="Larkfield Allotment Society",
                register_status="removed",
            )
        ]
    )
    records = look_up_numbers(registry, "1123456", "01234567")
    assert [r.status for r in records] == ["found", "not_found"]
    ctx = make_ctx(organisation={"company_number": "1234567"}, registry_records=records)
    result = check_registry_numbers(ctx, spec(policy, "registry_numbers"), policy)
    assert result.outcome == "review"
    assert result.needed
    assert "removed" in result.needed
    assert "01234567 not found" in result.needed

    registered = InMemoryRegistry.of(
        [RegistryRecord("charity_ew", "1123456", "found", register_status="registered")]
    )
    ctx = make_ctx(registry_records=look_up_numbers(registered, "1123456", None))
    result = check_registry_numbers(ctx, spec(policy, "registry_numbers"), policy)
    assert result.outcome == "pass"
    assert "found on the register" in result.summary


# screening


def _match(**kw: Any) -> dict[str, Any]:
    base = {
        "entry_id": "E2",
        "score": 91.0,
        "query_name": "Idris Penhale",
        "matched_name": "Idris Penhall",
        "explanation": "given name exact; surname spelling variant",
        "source": "local",
        "disposition": None,
    }
    return {**base, **kw}


def test_screening_without_matches_passes(policy: Policy) -> None:
    assert check_screening(make_ctx(), spec(policy, "screening"), policy).outcome == "pass"


@pytest.mark.parametrize("disposition", [None, "possible"])
def test_open_possible_match_means_review_never_fail(policy: Policy, disposition: str | None) -> None:
    ctx = make_ctx(screening=[_match(disposition=disposition)])
    result = check_screening(ctx, spec(policy, "screening"), policy)
    assert result.outcome == "review"
    assert result.ground is None
    assert result.evidence["open"][0]["explanation"].startswith("given name exact")


def test_only_officer_confirmed_match_fails(policy: Policy) -> None:
    ctx = make_ctx(screening=[_match(disposition="confirmed")])
    result = check_screening(ctx, spec(policy, "screening"), policy)
    assert result.outcome == "fail"
    assert result.ground == "confirmed_legal_bar"


def test_cleared_low_score_and_other_source_matches_pass(policy: Policy) -> None:
    ctx = make_ctx(
        screening=[
            _match(disposition="cleared"),
            _match(entry_id="E3", score=70.0),
            _match(entry_id="E4", source="someone_elses_list"),
        ]
    )
    result = check_screening(ctx, spec(policy, "screening"), policy)
    assert result.outcome == "pass"
    assert result.evidence["ignored"] == 2


def test_screening_not_run_needs_review(policy: Policy) -> None:
    result = check_screening(make_ctx(screening_done=False), spec(policy, "screening"), policy)
    assert result.outcome == "review"


# capacity


def test_capacity_pass(policy: Policy) -> None:
    assert check_capacity(make_ctx(), spec(policy, "capacity"), policy).outcome == "pass"


def test_over_capacity_fails_and_offers_rooms_that_fit(policy: Policy) -> None:
    ctx = make_ctx(
        event={"expected_attendance": 90},
        alternative_rooms=[
            {"room_id": "r-hall", "name": "Main Hall", "capacity": 150},
            {"room_id": "r-small", "name": "Committee Room", "capacity": 20},
            {"room_id": "r-studio", "name": "Studio", "capacity": 100},
        ],
    )
    result = check_capacity(ctx, spec(policy, "capacity"), policy)
    assert result.outcome == "fail"
    assert result.ground == "public_safety"
    assert [r["room_id"] for r in result.evidence["rooms_that_fit"]] == ["r-studio", "r-hall"]
    assert "Studio (100)" in result.summary


# safeguarding


def test_safeguarding_not_applicable_passes(policy: Policy) -> None:
    assert check_safeguarding(make_ctx(), spec(policy, "safeguarding"), policy).outcome == "pass"


def test_children_with_own_carers_pass(policy: Policy) -> None:
    ctx = make_ctx(event={"under_18s": True}, answers={"own_carers_only": True})
    assert check_safeguarding(ctx, spec(policy, "safeguarding"), policy).outcome == "pass"


def test_unaccompanied_children_need_lead_and_dbs(policy: Policy) -> None:
    ctx = make_ctx(event={"under_18s": True}, answers={"own_carers_only": False})
    result = check_safeguarding(ctx, spec(policy, "safeguarding"), policy)
    assert result.outcome == "review"
    assert result.needed
    assert "safeguarding lead" in result.needed
    assert "DBS" in result.needed

    people = [
        {"name": "Morwenna Tallis", "role": "officer"},
        {"name": "Bryony Kessel", "role": "safeguarding_lead"},
    ]
    ctx = make_ctx(
        event={"adults_at_risk": True},
        people=people,
        answers={"own_carers_only": False, "dbs_confirmed": "yes"},
    )
    result = check_safeguarding(ctx, spec(policy, "safeguarding"), policy)
    assert result.outcome == "pass"
    assert "Bryony Kessel" in result.summary


# insurance


def test_insurance_pass_with_cover_or_council_scheme(policy: Policy) -> None:
    assert check_insurance(make_ctx(), spec(policy, "insurance"), policy).outcome == "pass"
    ctx = make_ctx(insurance={"uses_council_scheme": True})
    assert check_insurance(ctx, spec(policy, "insurance"), policy).outcome == "pass"


def test_insurance_below_minimum_or_missing_or_expiring_needs_review(policy: Policy) -> None:
    low = check_insurance(make_ctx(insurance={"cover_gbp": 1_000_000}), spec(policy, "insurance"), policy)
    assert low.outcome == "review"
    assert low.needed
    assert "£5,000,000" in low.needed
    assert "hirer scheme" in low.needed
    none = check_insurance(make_ctx(insurance=None), spec(policy, "insurance"), policy)
    assert none.outcome == "review"
    expiring = make_ctx(insurance={"cover_gbp": 10_000_000, "expires_on": dt.date(2027, 2, 1)})
    assert check_insurance(expiring, spec(policy, "insurance"), policy).outcome == "review"


def test_council_scheme_where_venue_has_none_needs_review() -> None:
    partner = bundled_policy("partner-example")
    ctx = make_ctx(insurance={"uses_council_scheme": True})
    result = check_insurance(ctx, spec(partner, "insurance"), partner)
    assert result.outcome == "review"
    assert result.needed
    assert "£2,000,000" in result.needed


# notice period


def test_enough_notice_passes(policy: Policy) -> None:
    assert check_notice_period(make_ctx(), spec(policy, "notice_period"), policy).outcome == "pass"


def test_late_public_event_with_speakers_is_flagged_not_failed(policy: Policy) -> None:
    speaker = {"name": "Ottilie Brennock", "role": "speaker"}
    ctx = make_ctx(
        event={"open_to_public": True},
        people=[speaker],
        answers={"alcohol": False, "admission": "free"},
        submitted_at=dt.datetime(2027, 2, 10, 9, 0, tzinfo=LONDON_WINTER),
    )
    result = check_notice_period(ctx, spec(policy, "notice_period"), policy)
    assert result.outcome == "review"
    assert result.ground is None
    assert result.evidence["fast_track"] is True
    assert result.evidence["given_working_days"] == 4
    assert result.evidence["tier"] == "enhanced"


def test_late_private_meeting_is_review_without_fast_track(policy: Policy) -> None:
    ctx = make_ctx(submitted_at=dt.datetime(2027, 2, 12, 9, 0, tzinfo=LONDON_WINTER))
    result = check_notice_period(ctx, spec(policy, "notice_period"), policy)
    assert result.outcome == "review"
    assert result.evidence["fast_track"] is False


# booking history


def test_no_breaches_in_window_passes(policy: Policy) -> None:
    old = {"occurred_on": dt.date(2023, 5, 1), "code": "left_late", "serious": True}
    result = check_booking_history(make_ctx(breaches=[old]), spec(policy, "booking_history"), policy)
    assert result.outcome == "pass"
    assert result.evidence["older_breaches_ignored"] == 1


def test_minor_breach_review_serious_breach_fails(policy: Policy) -> None:
    minor = {"occurred_on": dt.date(2026, 6, 1), "code": "left_late", "serious": False}
    result = check_booking_history(make_ctx(breaches=[minor]), spec(policy, "booking_history"), policy)
    assert result.outcome == "review"
    serious = {"occurred_on": dt.date(2025, 3, 1), "code": "over_capacity", "serious": True}
    result = check_booking_history(
        make_ctx(breaches=[minor, serious]), spec(policy, "booking_history"), policy
    )
    assert result.outcome == "fail"
    assert result.ground == "serious_prior_breach"


# clearance reuse


def test_recent_clearance_is_reused(policy: Policy) -> None:
    ctx = make_ctx(last_cleared_on=dt.date(2026, 9, 1))
    result = check_clearance_reuse(ctx, spec(policy, "clearance_reuse"), policy)
    assert result.evidence["reused"] is True
    assert result.evidence["skips"] == ["registry_numbers", "booking_history"]


def test_old_clearance_or_breach_since_is_not_reused(policy: Policy) -> None:
    old = make_ctx(last_cleared_on=dt.date(2025, 9, 1))
    assert check_clearance_reuse(old, spec(policy, "clearance_reuse"), policy).evidence["reused"] is False
    since = make_ctx(
        last_cleared_on=dt.date(2026, 9, 1),
        breaches=[{"occurred_on": dt.date(2026, 10, 1), "code": "left_late"}],
    )
    result = check_clearance_reuse(since, spec(policy, "clearance_reuse"), policy)
    assert result.evidence["reused"] is False
    assert "breach" in result.summary


def test_check_result_rules() -> None:
    with pytest.raises(ValueError, match="needs a ground"):
        CheckResult("capacity", "fail", "x")
    with pytest.raises(ValueError, match="only a fail"):
        CheckResult("capacity", "review", "x", ground="public_safety")
