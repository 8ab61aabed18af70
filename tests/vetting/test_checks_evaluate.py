"""Risk tiers, target dates and the overall evaluation (which never refuses)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policies import Policy, bundled_policy, load_policy_text
from tests.vetting.test_checks_support import LONDON_WINTER, make_ctx
from vetting.checks import assess_tier, build_facts, evaluate

SPEAKER = {"name": "Ottilie Brennock", "role": "speaker"}


@pytest.fixture(scope="module")
def policy() -> Policy:
    return bundled_policy("council-default")


def tier_of(policy: Policy, **overrides: object) -> tuple[str, tuple[str, ...]]:
    ctx = make_ctx(**overrides)
    assessment = assess_tier(policy, build_facts(policy, ctx))
    return assessment.tier.id, assessment.triggers


def test_private_meeting_is_standard(policy: Policy) -> None:
    assert tier_of(policy) == ("standard", ())


def test_public_event_or_speakers_raise_the_tier(policy: Policy) -> None:
    assert tier_of(policy, event={"open_to_public": True}) == ("public_or_speakers", ("open_to_public",))
    assert tier_of(policy, people=[SPEAKER]) == ("public_or_speakers", ("external_speakers",))
    assert tier_of(policy, event={"under_18s": True})[0] == "public_or_speakers"


def test_enhanced_triggers(policy: Policy) -> None:
    big = tier_of(policy, event={"expected_attendance": 250}, room_capacity=300)
    assert big == ("enhanced", ("large_event",))
    unaccompanied = tier_of(
        policy, event={"open_to_public": True, "under_18s": True}, answers={"own_carers_only": False}
    )
    assert unaccompanied[0] == "enhanced"
    assert "unaccompanied_vulnerable_public" in unaccompanied[1]
    late = tier_of(
        policy,
        event={"open_to_public": True},
        people=[SPEAKER],
        submitted_at=dt.datetime(2027, 2, 8, 9, tzinfo=LONDON_WINTER),
    )
    assert late == ("enhanced", ("open_to_public", "external_speakers", "late_public_speaker_event"))


def test_tier_ignores_who_the_group_is(policy: Policy) -> None:
    """Same event facts, different organisation type, names and description: same tier."""
    a = tier_of(policy, event={"open_to_public": True})
    b = tier_of(
        policy,
        organisation={"name": "Bethel Gospel Fellowship", "type": "faith_group", "charity_number": None},
        event={"open_to_public": True, "title": "Eid supper", "description": "Community meal"},
        people=[{"name": "Yusuf Adeyemi-Clarke", "role": "officer"}],
    )
    assert a == b


def test_standard_case_passes_with_target_date(policy: Policy) -> None:
    result = evaluate(policy, make_ctx())
    assert result.outcome == "pass"
    assert result.tier == "standard"
    assert result.decided_by == "officer"
    # Monday 4 January 2027 + 5 working days
    assert result.target_decision_date == dt.date(2027, 1, 11)
    assert result.auto_approvable is False  # the default policy never approves automatically
    assert result.as_dict()["target_decision_date"] == "2027-01-11"


def test_target_date_skips_christmas(policy: Policy) -> None:
    ctx = make_ctx(submitted_at=dt.datetime(2026, 12, 23, 16, tzinfo=LONDON_WINTER))
    # 24 Dec, [25 Dec, weekend, 28 Dec substitute], 29, 30, 31 Dec, [1 Jan, weekend], 4 Jan
    assert evaluate(policy, ctx).target_decision_date == dt.date(2027, 1, 4)


def test_partner_policy_may_auto_approve_standard_tier_only() -> None:
    partner = bundled_policy("partner-example")
    ok = evaluate(partner, make_ctx(insurance={"cover_gbp": 2_000_000}))
    assert ok.outcome == "pass"
    assert ok.auto_approvable
    public = evaluate(partner, make_ctx(event={"open_to_public": True}, insurance={"cover_gbp": 2_000_000}))
    assert public.outcome == "pass"
    assert not public.auto_approvable
    assert public.decided_by == "venue_manager"


def test_fail_results_still_go_to_an_officer(policy: Policy) -> None:
    ctx = make_ctx(
        event={"expected_attendance": 120},
        screening=[
            {
                "entry_id": "E9",
                "score": 97.0,
                "query_name": "Larkfield Allotment Society",
                "matched_name": "Larkfield Allotment Soc",
                "source": "local",
                "disposition": "confirmed",
            }
        ],
        declarations=["lawful_purpose"],
    )
    result = evaluate(policy, ctx)
    assert result.outcome == "review"
    assert set(result.possible_grounds) == {
        "information_not_supplied",
        "confirmed_legal_bar",
        "public_safety",
    }
    assert not result.auto_approvable


def test_fast_track_aims_before_the_event(policy: Policy) -> None:
    ctx = make_ctx(
        event={"open_to_public": True},
        people=[SPEAKER],
        answers={"alcohol": False, "admission": "free"},
        submitted_at=dt.datetime(2027, 2, 10, 9, tzinfo=LONDON_WINTER),
    )
    result = evaluate(policy, ctx)
    assert result.fast_track
    assert result.tier == "enhanced"
    assert result.decided_by == "senior_officer"
    assert result.target_decision_date == dt.date(2027, 2, 15)  # the working day before 16 Feb
    assert result.outcome == "review"


def test_recent_clearance_skips_organisation_checks_but_not_screening(policy: Policy) -> None:
    ctx = make_ctx(
        last_cleared_on=dt.date(2026, 11, 2),
        organisation={"charity_number": "not a number"},
        screening=[
            {
                "entry_id": "E2",
                "score": 90.0,
                "query_name": "Idris Penhale",
                "matched_name": "Idris Penhall",
                "source": "local",
            }
        ],
    )
    result = evaluate(policy, ctx)
    registry = result.result("registry_numbers")
    assert registry is not None
    assert registry.outcome == "pass"
    assert registry.evidence["skipped"]
    screening = result.result("screening")
    assert screening is not None
    assert screening.outcome == "review"
    without = evaluate(policy, make_ctx(organisation={"charity_number": "not a number"}))
    registry = without.result("registry_numbers")
    assert registry is not None
    assert registry.outcome == "review"


def test_results_follow_policy_order_and_record_version(policy: Policy) -> None:
    result = evaluate(policy, make_ctx())
    assert [r.check for r in result.results] == policy.check_types()
    assert (result.policy_id, result.policy_version) == ("council-default", 2)


def test_same_request_under_two_versions() -> None:
    """Old and new versions load side by side; each evaluation records the version it used."""
    from policies import bundled_policy_text

    text = bundled_policy_text("council-default")
    v1 = load_policy_text(text)
    v2 = load_policy_text(text.replace("version = 2", "version = 3").replace("standard = 5", "standard = 40"))
    ctx = make_ctx()  # 31 working days' notice
    first, second = evaluate(v1, ctx), evaluate(v2, ctx)
    assert (first.policy_version, first.outcome) == (2, "pass")
    assert (second.policy_version, second.outcome) == (3, "review")
    assert second.notice_required_working_days == 40


people_st = st.lists(
    st.fixed_dictionaries(
        {
            "name": st.sampled_from(["Ada Quist", "Oluwaseun Marr", "Zhang Wei", "Siobhan Roe"]),
            "role": st.sampled_from(["officer", "trustee", "speaker", "safeguarding_lead"]),
        }
    ),
    max_size=4,
)
match_st = st.fixed_dictionaries(
    {
        "entry_id": st.sampled_from(["E1", "E2"]),
        "score": st.floats(0, 100),
        "query_name": st.just("Ada Quist"),
        "matched_name": st.just("Ada Quiste"),
        "source": st.sampled_from(["local", None, "other"]),
        "disposition": st.sampled_from([None, "possible", "cleared", "confirmed"]),
    }
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    attendance=st.integers(0, 400),
    public=st.booleans(),
    under_18s=st.booleans(),
    at_risk=st.booleans(),
    people=people_st,
    matches=st.lists(match_st, max_size=3),
    declarations=st.sets(
        st.sampled_from(["conditions_of_hire", "lawful_purpose", "equality", "safeguarding"])
    ),
    days_ahead=st.integers(0, 90),
    cover=st.one_of(st.none(), st.integers(0, 10_000_000)),
    serious=st.booleans(),
)
def test_evaluation_never_refuses(
    policy: Policy,
    attendance: int,
    public: bool,
    under_18s: bool,
    at_risk: bool,
    people: list[dict[str, str]],
    matches: list[dict[str, object]],
    declarations: set[str],
    days_ahead: int,
    cover: int | None,
    serious: bool,
) -> None:
    submitted = dt.datetime(2027, 1, 4, 9, tzinfo=LONDON_WINTER)
    start = submitted + dt.timedelta(days=days_ahead, hours=10)
    ctx = make_ctx(
        event={
            "expected_attendance": attendance,
            "open_to_public": public,
            "under_18s": under_18s,
            "adults_at_risk": at_risk,
        },
        people=people,
        screening=matches,
        declarations=sorted(declarations),
        submitted_at=submitted,
        start=start,
        end=start + dt.timedelta(hours=2),
        insurance={"cover_gbp": cover},
        breaches=[{"occurred_on": dt.date(2026, 6, 1), "code": "damage", "serious": serious}],
    )
    result = evaluate(policy, ctx)
    assert result.outcome in ("pass", "review")
    assert result.outcome == "review" or all(r.outcome == "pass" for r in result.results)
    assert result.target_decision_date >= ctx.submitted_on
    notice = result.result("notice_period")
    assert notice is not None
    assert notice.outcome != "fail"
    screening = result.result("screening")
    assert screening is not None
    if screening.outcome == "fail":
        assert any(m["disposition"] == "confirmed" for m in matches)
