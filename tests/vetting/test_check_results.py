"""Each check's whole result, and each evaluation's, for the scenarios in check_scenarios.py.

Mutation testing (issue 25) showed that the checks' summaries, what they ask for and their
evidence could change without a test noticing: these are what an officer reads on the case and
what the case record keeps, so they are pinned here word for word. The fast-track rule is pinned
at its boundary: a public event with speakers and exactly enough notice is on time, not fast-tracked.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from policies import Policy, bundled_policy
from tests.vetting.check_scenarios import EVALUATIONS, SCENARIOS
from tests.vetting.test_checks_support import make_ctx
from vetting.checks import CHECKS, evaluate, target_decision_date
from vetting.workdays import add_working_days


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
    found["results"] = [(r["check"], r["outcome"]) for r in found["results"]]
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


RESULTS: dict[str, dict[str, Any]] = {
    "declarations_all": {
        "check": "declarations",
        "outcome": "pass",
        "summary": "All 7 required declarations accepted",
        "needed": None,
        "ground": None,
        "evidence": {
            "accepted": [
                "conditions_of_hire",
                "equality",
                "lawful_purpose",
                "no_proscribed_organisations",
                "no_terrorism_or_hatred",
                "safeguarding",
                "true_information",
            ],
            "missing": [],
            "unknown": [],
        },
    },
    "declarations_missing_two_and_one_unknown": {
        "check": "declarations",
        "outcome": "fail",
        "summary": "2 of 7 required declarations not accepted",
        "needed": "The hirer must accept: No proscribed organisation, "
        "or anyone acting on its behalf, is involved in "
        "organising, funding or speaking at the event.; "
        "Nothing at the event will encourage terrorism or "
        "stir up hatred on grounds of race, religion or "
        "sexual orientation, and we will stop anyone who "
        "tries.",
        "ground": "information_not_supplied",
        "evidence": {
            "accepted": [
                "conditions_of_hire",
                "equality",
                "lawful_purpose",
                "safeguarding",
                "true_information",
            ],
            "missing": ["no_proscribed_organisations", "no_terrorism_or_hatred"],
            "unknown": ["newsletter"],
        },
    },
    "answers_hidden_questions_skipped": {
        "check": "required_answers",
        "outcome": "pass",
        "summary": "All required questions answered",
        "needed": None,
        "ground": None,
        "evidence": {
            "missing": [],
            "unreadable": [],
            "not_applicable": ["own_carers_only", "dbs_confirmed", "admission", "written_constitution"],
        },
    },
    "answers_missing": {
        "check": "required_answers",
        "outcome": "review",
        "summary": "1 question(s) need an answer",
        "needed": "an answer to: How will people be admitted?",
        "ground": None,
        "evidence": {
            "missing": ["admission"],
            "unreadable": [],
            "not_applicable": ["own_carers_only", "dbs_confirmed", "written_constitution"],
        },
    },
    "answers_missing_and_unreadable": {
        "check": "required_answers",
        "outcome": "review",
        "summary": "2 question(s) need an answer",
        "needed": "an answer to: How will people be admitted?; a valid answer "
        "to: Will alcohol be sold or supplied at the event?",
        "ground": None,
        "evidence": {
            "missing": ["admission"],
            "unreadable": ["alcohol"],
            "not_applicable": ["dbs_confirmed", "written_constitution"],
        },
    },
    "answers_blank_is_missing_not_unreadable": {
        "check": "required_answers",
        "outcome": "review",
        "summary": "1 question(s) need an answer",
        "needed": "an answer to: How will people be admitted?",
        "ground": None,
        "evidence": {
            "missing": ["admission"],
            "unreadable": [],
            "not_applicable": ["own_carers_only", "dbs_confirmed", "written_constitution"],
        },
    },
    "answers_all_given": {
        "check": "required_answers",
        "outcome": "pass",
        "summary": "All required questions answered",
        "needed": None,
        "ground": None,
        "evidence": {
            "missing": [],
            "unreadable": [],
            "not_applicable": ["admission", "written_constitution"],
        },
    },
    "registry_informal_without_numbers": {
        "check": "registry_numbers",
        "outcome": "pass",
        "summary": "No registration number needed for a informal organisation",
        "needed": None,
        "ground": None,
        "evidence": {"organisation_type": "informal", "numbers": []},
    },
    "registry_charity_without_number": {
        "check": "registry_numbers",
        "outcome": "review",
        "summary": "Registration details need attention",
        "needed": "the charity number (a charity must give one)",
        "ground": None,
        "evidence": {"organisation_type": "charity", "numbers": []},
    },
    "registry_company_without_number": {
        "check": "registry_numbers",
        "outcome": "review",
        "summary": "Registration details need attention",
        "needed": "the company number (a company must give one)",
        "ground": None,
        "evidence": {"organisation_type": "company", "numbers": []},
    },
    "registry_well_formed_not_looked_up": {
        "check": "registry_numbers",
        "outcome": "pass",
        "summary": "Registration numbers well formed (register not consulted)",
        "needed": None,
        "ground": None,
        "evidence": {
            "organisation_type": "charity",
            "numbers": [
                {
                    "given": "SC012345",
                    "well_formed": True,
                    "number": "SC012345",
                    "register": "charity_scotland",
                    "register_name": "Scottish Charity Regulator (OSCR)",
                    "lookup": "not_checked",
                },
                {
                    "given": "SC123456",
                    "well_formed": True,
                    "number": "SC123456",
                    "register": "companies_house",
                    "register_name": "Companies House",
                    "kind": "company (Scotland)",
                    "lookup": "not_checked",
                },
            ],
        },
    },
    "registry_malformed": {
        "check": "registry_numbers",
        "outcome": "review",
        "summary": "Registration details need attention",
        "needed": "a valid charity number: 'SCO12345': Scottish charity numbers are SC and 6 "
        "digits; did you mean SC012345?",
        "ground": None,
        "evidence": {
            "organisation_type": "charity",
            "numbers": [{"given": "SCO12345", "well_formed": False}],
        },
    },
    "registry_found_in_good_standing": {
        "check": "registry_numbers",
        "outcome": "pass",
        "summary": "Registration numbers found on the register",
        "needed": None,
        "ground": None,
        "evidence": {
            "organisation_type": "charity",
            "numbers": [
                {
                    "given": "1123456",
                    "well_formed": True,
                    "number": "1123456",
                    "register": "charity_ew",
                    "register_name": "Charity Commission for England and Wales",
                    "lookup": "found",
                    "registered_name": "Larkfield Allotment Society",
                    "register_status": "Registered",
                }
            ],
        },
    },
    "registry_found_removed_and_company_not_found": {
        "check": "registry_numbers",
        "outcome": "review",
        "summary": "Registration details need attention",
        "needed": "an explanation: Charity Commission for England "
        "and Wales shows 1123456 as removed; a company "
        "number that Companies House knows (01234567 not "
        "found)",
        "ground": None,
        "evidence": {
            "organisation_type": "charity",
            "numbers": [
                {
                    "given": "1123456",
                    "well_formed": True,
                    "number": "1123456",
                    "register": "charity_ew",
                    "register_name": "Charity Commission for England and Wales",
                    "lookup": "found",
                    "registered_name": "Larkfield Allotment Society",
                    "register_status": "removed",
                },
                {
                    "given": "01234567",
                    "well_formed": True,
                    "number": "01234567",
                    "register": "companies_house",
                    "register_name": "Companies House",
                    "kind": "company (England and Wales)",
                    "lookup": "not_found",
                },
            ],
        },
    },
    "registry_one_found_one_not_checked": {
        "check": "registry_numbers",
        "outcome": "pass",
        "summary": "Registration numbers well formed (register not consulted)",
        "needed": None,
        "ground": None,
        "evidence": {
            "organisation_type": "charity",
            "numbers": [
                {
                    "given": "1123456",
                    "well_formed": True,
                    "number": "1123456",
                    "register": "charity_ew",
                    "register_name": "Charity Commission for England and Wales",
                    "lookup": "found",
                    "registered_name": None,
                    "register_status": "registered",
                },
                {
                    "given": "01234567",
                    "well_formed": True,
                    "number": "01234567",
                    "register": "companies_house",
                    "register_name": "Companies House",
                    "kind": "company (England and Wales)",
                    "lookup": "not_checked",
                },
            ],
        },
    },
    "registry_company_number_only": {
        "check": "registry_numbers",
        "outcome": "pass",
        "summary": "Registration numbers well formed (register not consulted)",
        "needed": None,
        "ground": None,
        "evidence": {
            "organisation_type": "informal",
            "numbers": [
                {
                    "given": "01234567",
                    "well_formed": True,
                    "number": "01234567",
                    "register": "companies_house",
                    "register_name": "Companies House",
                    "kind": "company (England and Wales)",
                    "lookup": "not_checked",
                }
            ],
        },
    },
    "registry_records_of_other_numbers": {
        "check": "registry_numbers",
        "outcome": "pass",
        "summary": "Registration numbers well formed (register not consulted)",
        "needed": None,
        "ground": None,
        "evidence": {
            "organisation_type": "charity",
            "numbers": [
                {
                    "given": "1123456",
                    "well_formed": True,
                    "number": "1123456",
                    "register": "charity_ew",
                    "register_name": "Charity Commission for England and Wales",
                    "lookup": "not_checked",
                }
            ],
        },
    },
    "registry_could_not_be_asked": {
        "check": "registry_numbers",
        "outcome": "review",
        "summary": "Registration details need attention",
        "needed": "a look at Charity Commission for England and Wales by hand: it could not be asked "
        "about 1123456 (HTTP 429)",
        "ground": None,
        "evidence": {
            "organisation_type": "charity",
            "numbers": [
                {
                    "given": "1123456",
                    "well_formed": True,
                    "number": "1123456",
                    "register": "charity_ew",
                    "register_name": "Charity Commission for England and Wales",
                    "lookup": "error",
                }
            ],
        },
    },
    "registry_could_not_be_asked_without_detail": {
        "check": "registry_numbers",
        "outcome": "review",
        "summary": "Registration details need attention",
        "needed": "a look at Charity Commission for England and Wales by hand: it could not be asked "
        "about 1123456",
        "ground": None,
        "evidence": {
            "organisation_type": "charity",
            "numbers": [
                {
                    "given": "1123456",
                    "well_formed": True,
                    "number": "1123456",
                    "register": "charity_ew",
                    "register_name": "Charity Commission for England and Wales",
                    "lookup": "error",
                }
            ],
        },
    },
    "registry_malformed_charity_and_a_company": {
        "check": "registry_numbers",
        "outcome": "review",
        "summary": "Registration details need attention",
        "needed": "a valid charity number: '12345': charity numbers in "
        "England and Wales are 6 or 7 digits, e.g. 1123456 "
        "(or 1123456-1)",
        "ground": None,
        "evidence": {
            "organisation_type": "charity",
            "numbers": [
                {"given": "12345", "well_formed": False},
                {
                    "given": "01234567",
                    "well_formed": True,
                    "number": "01234567",
                    "register": "companies_house",
                    "register_name": "Companies House",
                    "kind": "company (England and Wales)",
                    "lookup": "not_checked",
                },
            ],
        },
    },
    "screening_none": {
        "check": "screening",
        "outcome": "pass",
        "summary": "No matches on the flagged list",
        "needed": None,
        "ground": None,
        "evidence": {
            "threshold": 85.0,
            "sources": ["local", "ofac-sdn", "proscribed", "uk-sanctions"],
            "screened": True,
            "confirmed": [],
            "open": [],
            "cleared": [],
            "ignored": 0,
        },
    },
    "screening_not_run": {
        "check": "screening",
        "outcome": "review",
        "summary": "Names have not been screened yet",
        "needed": "Screening of the organisation and the people named",
        "ground": None,
        "evidence": {
            "threshold": 85.0,
            "sources": ["local", "ofac-sdn", "proscribed", "uk-sanctions"],
            "screened": False,
            "confirmed": [],
            "open": [],
            "cleared": [],
            "ignored": 0,
        },
    },
    "screening_not_run_but_confirmed": {
        "check": "screening",
        "outcome": "fail",
        "summary": "An officer confirmed 1 match(es) on the flagged list (Idris Penhale)",
        "needed": None,
        "ground": "confirmed_legal_bar",
        "evidence": {
            "threshold": 85.0,
            "sources": ["local", "ofac-sdn", "proscribed", "uk-sanctions"],
            "screened": False,
            "confirmed": [
                {
                    "entry_id": "E2",
                    "score": 40.0,
                    "query_name": "Idris Penhale",
                    "matched_name": "Idris Penhall",
                    "explanation": "given name exact; surname spelling variant",
                    "source": "local",
                    "disposition": "confirmed",
                }
            ],
            "open": [],
            "cleared": [],
            "ignored": 0,
        },
    },
    "screening_open": {
        "check": "screening",
        "outcome": "review",
        "summary": "2 possible match(es) on the flagged list referred to an officer",
        "needed": "An officer's disposition of each possible match",
        "ground": None,
        "evidence": {
            "threshold": 85.0,
            "sources": ["local", "ofac-sdn", "proscribed", "uk-sanctions"],
            "screened": True,
            "confirmed": [],
            "open": [
                {
                    "entry_id": "E2",
                    "score": 91.0,
                    "query_name": "Idris Penhale",
                    "matched_name": "Idris Penhall",
                    "explanation": "given name exact; surname spelling variant",
                    "source": "local",
                    "disposition": None,
                },
                {
                    "entry_id": "E3",
                    "score": 85.0,
                    "query_name": "Idris Penhale",
                    "matched_name": "Idris Penhall",
                    "explanation": "given name exact; surname spelling variant",
                    "source": None,
                    "disposition": "possible",
                },
            ],
            "cleared": [],
            "ignored": 0,
        },
    },
    "screening_confirmed": {
        "check": "screening",
        "outcome": "fail",
        "summary": "An officer confirmed 3 match(es) on the flagged list (Idris Penhale, Morwenna Tallis)",
        "needed": None,
        "ground": "confirmed_legal_bar",
        "evidence": {
            "threshold": 85.0,
            "sources": ["local", "ofac-sdn", "proscribed", "uk-sanctions"],
            "screened": True,
            "confirmed": [
                {
                    "entry_id": "E2",
                    "score": 91.0,
                    "query_name": "Idris Penhale",
                    "matched_name": "Idris Penhall",
                    "explanation": "given name exact; surname spelling variant",
                    "source": "local",
                    "disposition": "confirmed",
                },
                {
                    "entry_id": "E4",
                    "score": 91.0,
                    "query_name": "Morwenna Tallis",
                    "matched_name": "Morwena Tallis",
                    "explanation": "given name exact; surname spelling variant",
                    "source": "local",
                    "disposition": "confirmed",
                },
                {
                    "entry_id": "E5",
                    "score": 91.0,
                    "query_name": "Idris Penhale",
                    "matched_name": "Idris Penhall",
                    "explanation": "given name exact; surname spelling variant",
                    "source": "local",
                    "disposition": "confirmed",
                },
            ],
            "open": [],
            "cleared": [],
            "ignored": 0,
        },
    },
    "screening_cleared_and_ignored": {
        "check": "screening",
        "outcome": "pass",
        "summary": "No open matches (1 cleared by an officer)",
        "needed": None,
        "ground": None,
        "evidence": {
            "threshold": 85.0,
            "sources": ["local", "ofac-sdn", "proscribed", "uk-sanctions"],
            "screened": True,
            "confirmed": [],
            "open": [],
            "cleared": [
                {
                    "entry_id": "E2",
                    "score": 91.0,
                    "query_name": "Idris Penhale",
                    "matched_name": "Idris Penhall",
                    "explanation": "given name exact; surname spelling variant",
                    "source": "local",
                    "disposition": "cleared",
                }
            ],
            "ignored": 2,
        },
    },
    "capacity_exactly_full": {
        "check": "capacity",
        "outcome": "pass",
        "summary": "40 expected; the room holds 40",
        "needed": None,
        "ground": None,
        "evidence": {"expected_attendance": 40, "room_capacity": 40, "rooms_that_fit": []},
    },
    "capacity_over_with_rooms": {
        "check": "capacity",
        "outcome": "fail",
        "summary": "41 expected but the room holds 40. Rooms that fit: Annexe (41), "
        "Studio (41), Main Hall (150)",
        "needed": "A room for 41, or attendance limited to 40",
        "ground": "public_safety",
        "evidence": {
            "expected_attendance": 41,
            "room_capacity": 40,
            "rooms_that_fit": [
                {"room_id": "r4", "name": "Annexe", "capacity": 41},
                {"room_id": "r2", "name": "Studio", "capacity": 41},
                {"room_id": "r3", "name": "Main Hall", "capacity": 150},
            ],
        },
    },
    "capacity_over_without_rooms": {
        "check": "capacity",
        "outcome": "fail",
        "summary": "60 expected but the room holds 40. No other free room holds that many",
        "needed": "A room for 60, or attendance limited to 40",
        "ground": "public_safety",
        "evidence": {"expected_attendance": 60, "room_capacity": 40, "rooms_that_fit": []},
    },
    "safeguarding_not_applicable": {
        "check": "safeguarding",
        "outcome": "pass",
        "summary": "No children or adults at risk expected",
        "needed": None,
        "ground": None,
        "evidence": {"applies": False},
    },
    "safeguarding_own_carers": {
        "check": "safeguarding",
        "outcome": "pass",
        "summary": "Everyone at risk attends with their own parent or carer",
        "needed": None,
        "ground": None,
        "evidence": {
            "applies": True,
            "under_18s": False,
            "adults_at_risk": True,
            "own_carers_only": True,
            "safeguarding_lead_named": False,
            "dbs_confirmed": None,
        },
    },
    "safeguarding_nothing_confirmed": {
        "check": "safeguarding",
        "outcome": "review",
        "summary": "Children or adults at risk attend without their own carers; "
        "safeguarding not yet confirmed",
        "needed": "the name of a safeguarding lead who will be present; "
        "confirmation that people working with children or adults at "
        "risk have appropriate DBS checks",
        "ground": None,
        "evidence": {
            "applies": True,
            "under_18s": True,
            "adults_at_risk": False,
            "own_carers_only": False,
            "safeguarding_lead_named": False,
            "dbs_confirmed": None,
        },
    },
    "safeguarding_lead_without_dbs": {
        "check": "safeguarding",
        "outcome": "review",
        "summary": "Children or adults at risk attend without their own carers; "
        "safeguarding not yet confirmed",
        "needed": "confirmation that people working with children or adults at "
        "risk have appropriate DBS checks",
        "ground": None,
        "evidence": {
            "applies": True,
            "under_18s": True,
            "adults_at_risk": False,
            "own_carers_only": False,
            "safeguarding_lead_named": True,
            "dbs_confirmed": False,
        },
    },
    "safeguarding_dbs_without_lead": {
        "check": "safeguarding",
        "outcome": "review",
        "summary": "Children or adults at risk attend without their own carers; "
        "safeguarding not yet confirmed",
        "needed": "the name of a safeguarding lead who will be present",
        "ground": None,
        "evidence": {
            "applies": True,
            "under_18s": True,
            "adults_at_risk": False,
            "own_carers_only": None,
            "safeguarding_lead_named": False,
            "dbs_confirmed": True,
        },
    },
    "safeguarding_lead_and_dbs_from_the_request": {
        "check": "safeguarding",
        "outcome": "pass",
        "summary": "Safeguarding lead named (Jory Vellacott) and DBS checks confirmed",
        "needed": None,
        "ground": None,
        "evidence": {
            "applies": True,
            "under_18s": True,
            "adults_at_risk": True,
            "own_carers_only": None,
            "safeguarding_lead_named": True,
            "dbs_confirmed": True,
        },
    },
    "insurance_enough_cover": {
        "check": "insurance",
        "outcome": "pass",
        "summary": "Public liability cover of £5,000,000 (minimum £5,000,000)",
        "needed": None,
        "ground": None,
        "evidence": {
            "minimum_cover_gbp": 5000000,
            "council_scheme_available": True,
            "cover_gbp": 5000000.0,
            "uses_council_scheme": False,
            "expires_on": "2027-02-16",
        },
    },
    "insurance_council_scheme": {
        "check": "insurance",
        "outcome": "pass",
        "summary": "Covered by the council's hirer scheme",
        "needed": None,
        "ground": None,
        "evidence": {
            "minimum_cover_gbp": 5000000,
            "council_scheme_available": True,
            "cover_gbp": 5000000.0,
            "uses_council_scheme": True,
            "expires_on": None,
        },
    },
    "insurance_none": {
        "check": "insurance",
        "outcome": "review",
        "summary": "No public liability insurance given",
        "needed": "Public liability cover of at least £5,000,000 or join the council's hirer scheme",
        "ground": None,
        "evidence": {
            "minimum_cover_gbp": 5000000,
            "council_scheme_available": True,
            "cover_gbp": None,
            "uses_council_scheme": False,
            "expires_on": None,
        },
    },
    "insurance_no_amount": {
        "check": "insurance",
        "outcome": "review",
        "summary": "No public liability insurance given",
        "needed": "Public liability cover of at least £5,000,000 or join the council's hirer scheme",
        "ground": None,
        "evidence": {
            "minimum_cover_gbp": 5000000,
            "council_scheme_available": True,
            "cover_gbp": None,
            "uses_council_scheme": False,
            "expires_on": None,
        },
    },
    "insurance_below_minimum": {
        "check": "insurance",
        "outcome": "review",
        "summary": "Cover of £4,999,999 is below the required £5,000,000",
        "needed": "Public liability cover of at least £5,000,000 or join the council's hirer scheme",
        "ground": None,
        "evidence": {
            "minimum_cover_gbp": 5000000,
            "council_scheme_available": True,
            "cover_gbp": 4999999.0,
            "uses_council_scheme": False,
            "expires_on": None,
        },
    },
    "insurance_expires_before_the_event": {
        "check": "insurance",
        "outcome": "review",
        "summary": "Cover expires on 2027-02-15, before the event",
        "needed": "Evidence that cover of at least £5,000,000 runs to 2027-02-16",
        "ground": None,
        "evidence": {
            "minimum_cover_gbp": 5000000,
            "council_scheme_available": True,
            "cover_gbp": 10000000.0,
            "uses_council_scheme": False,
            "expires_on": "2027-02-15",
        },
    },
    "notice_enough": {
        "check": "notice_period",
        "outcome": "pass",
        "summary": "31 working days' notice (5 required)",
        "needed": None,
        "ground": None,
        "evidence": {
            "tier": "standard",
            "required_working_days": 5,
            "given_working_days": 31,
            "late": False,
            "fast_track": False,
            "event_date": "2027-02-16",
        },
    },
    "notice_late_private": {
        "check": "notice_period",
        "outcome": "review",
        "summary": "Late request: 2 working days' notice, 5 required for standard: private "
        "meeting without external speakers",
        "needed": "A decision before 2027-02-16 (lateness alone is no ground to refuse)",
        "ground": None,
        "evidence": {
            "tier": "standard",
            "required_working_days": 5,
            "given_working_days": 2,
            "late": True,
            "fast_track": False,
            "event_date": "2027-02-16",
        },
    },
    "notice_late_public_with_speakers": {
        "check": "notice_period",
        "outcome": "review",
        "summary": "Late request: 6 working days' notice, 15 required for "
        "enhanced: large, late or higher-safeguarding public event; "
        "public event with speakers, flagged for a quick decision",
        "needed": "A decision before 2027-02-16 (lateness alone is no ground to refuse)",
        "ground": None,
        "evidence": {
            "tier": "enhanced",
            "required_working_days": 15,
            "given_working_days": 6,
            "late": True,
            "fast_track": True,
            "event_date": "2027-02-16",
        },
    },
    "notice_on_time_public_with_speakers": {
        "check": "notice_period",
        "outcome": "pass",
        "summary": "10 working days' notice (10 required)",
        "needed": None,
        "ground": None,
        "evidence": {
            "tier": "public_or_speakers",
            "required_working_days": 10,
            "given_working_days": 10,
            "late": False,
            "fast_track": False,
            "event_date": "2027-02-16",
        },
    },
    "notice_late_public_without_speakers": {
        "check": "notice_period",
        "outcome": "review",
        "summary": "Late request: 6 working days' notice, 10 required for public event or external speakers",
        "needed": "A decision before 2027-02-16 (lateness alone is no ground to refuse)",
        "ground": None,
        "evidence": {
            "tier": "public_or_speakers",
            "required_working_days": 10,
            "given_working_days": 6,
            "late": True,
            "fast_track": False,
            "event_date": "2027-02-16",
        },
    },
    "notice_late_private_with_speakers": {
        "check": "notice_period",
        "outcome": "review",
        "summary": "Late request: 6 working days' notice, 10 required for public event or external speakers",
        "needed": "A decision before 2027-02-16 (lateness alone is no ground to refuse)",
        "ground": None,
        "evidence": {
            "tier": "public_or_speakers",
            "required_working_days": 10,
            "given_working_days": 6,
            "late": True,
            "fast_track": False,
            "event_date": "2027-02-16",
        },
    },
    "notice_exactly_enough": {
        "check": "notice_period",
        "outcome": "pass",
        "summary": "5 working days' notice (5 required)",
        "needed": None,
        "ground": None,
        "evidence": {
            "tier": "standard",
            "required_working_days": 5,
            "given_working_days": 5,
            "late": False,
            "fast_track": False,
            "event_date": "2027-02-16",
        },
    },
    "history_none": {
        "check": "booking_history",
        "outcome": "pass",
        "summary": "No breaches recorded since 2025-01-04",
        "needed": None,
        "ground": None,
        "evidence": {
            "look_back_months": 24,
            "since": "2025-01-04",
            "breaches": [],
            "older_breaches_ignored": 1,
        },
    },
    "history_minor": {
        "check": "booking_history",
        "outcome": "review",
        "summary": "2 breach(es) of the conditions of hire recorded since 2025-01-04",
        "needed": "An officer to consider the recorded breaches (conditions may address them)",
        "ground": None,
        "evidence": {
            "look_back_months": 24,
            "since": "2025-01-04",
            "breaches": [
                {"occurred_on": "2025-01-04", "code": "late_finish", "serious": False, "note": ""},
                {
                    "occurred_on": "2026-06-01",
                    "code": "left_mess",
                    "serious": False,
                    "note": "Chairs not stacked",
                },
            ],
            "older_breaches_ignored": 1,
        },
    },
    "history_serious": {
        "check": "booking_history",
        "outcome": "fail",
        "summary": "1 serious breach(es) of the conditions of hire recorded since 2025-01-04",
        "needed": None,
        "ground": "serious_prior_breach",
        "evidence": {
            "look_back_months": 24,
            "since": "2025-01-04",
            "breaches": [
                {"occurred_on": "2026-03-01", "code": "over_capacity", "serious": True, "note": ""},
                {"occurred_on": "2026-06-01", "code": "left_mess", "serious": False, "note": ""},
            ],
            "older_breaches_ignored": 0,
        },
    },
    "reuse_none": {
        "check": "clearance_reuse",
        "outcome": "pass",
        "summary": "No previous clearance: full checks run",
        "needed": None,
        "ground": None,
        "evidence": {"reused": False, "cleared_on": None, "reuse_months": 12, "skips": []},
    },
    "reuse_recent": {
        "check": "clearance_reuse",
        "outcome": "pass",
        "summary": "Cleared on 2026-01-04, within 12 months: not repeated: registry_numbers, booking_history",
        "needed": None,
        "ground": None,
        "evidence": {
            "reused": True,
            "cleared_on": "2026-01-04",
            "reuse_months": 12,
            "skips": ["registry_numbers", "booking_history"],
        },
    },
    "reuse_too_old": {
        "check": "clearance_reuse",
        "outcome": "pass",
        "summary": "Last cleared on 2026-01-03, more than 12 months ago: full checks run",
        "needed": None,
        "ground": None,
        "evidence": {"reused": False, "cleared_on": "2026-01-03", "reuse_months": 12, "skips": []},
    },
    "reuse_breach_since": {
        "check": "clearance_reuse",
        "outcome": "pass",
        "summary": "Cleared on 2026-05-01 but 1 breach(es) recorded since: full checks run",
        "needed": None,
        "ground": None,
        "evidence": {"reused": False, "cleared_on": "2026-05-01", "reuse_months": 12, "skips": []},
    },
}


EVALUATED: dict[str, dict[str, Any]] = {
    "standard": {
        "policy_id": "council-default",
        "policy_version": 2,
        "results": [
            ("clearance_reuse", "pass"),
            ("declarations", "pass"),
            ("required_answers", "pass"),
            ("registry_numbers", "pass"),
            ("screening", "pass"),
            ("capacity", "pass"),
            ("safeguarding", "pass"),
            ("insurance", "pass"),
            ("notice_period", "pass"),
            ("booking_history", "pass"),
        ],
        "tier": "standard",
        "tier_title": "Standard: private meeting without external speakers",
        "decided_by": "officer",
        "triggers": [],
        "notice_required_working_days": 5,
        "notice_given_working_days": 31,
        "target_decision_date": "2027-01-11",
        "fast_track": False,
        "outcome": "pass",
        "auto_approvable": False,
        "needed": [],
        "possible_grounds": [],
    },
    "late_public_with_speakers": {
        "policy_id": "council-default",
        "policy_version": 2,
        "results": [
            ("clearance_reuse", "pass"),
            ("declarations", "pass"),
            ("required_answers", "pass"),
            ("registry_numbers", "pass"),
            ("screening", "pass"),
            ("capacity", "pass"),
            ("safeguarding", "pass"),
            ("insurance", "pass"),
            ("notice_period", "review"),
            ("booking_history", "pass"),
        ],
        "tier": "enhanced",
        "tier_title": "Enhanced: large, late or higher-safeguarding public event",
        "decided_by": "senior_officer",
        "triggers": ["open_to_public", "external_speakers", "late_public_speaker_event"],
        "notice_required_working_days": 15,
        "notice_given_working_days": 6,
        "target_decision_date": "2027-02-15",
        "fast_track": True,
        "outcome": "review",
        "auto_approvable": False,
        "needed": ["A decision before 2027-02-16 (lateness alone is no ground to refuse)"],
        "possible_grounds": [],
    },
    "on_time_public_with_speakers": {
        "policy_id": "council-default",
        "policy_version": 2,
        "results": [
            ("clearance_reuse", "pass"),
            ("declarations", "pass"),
            ("required_answers", "pass"),
            ("registry_numbers", "pass"),
            ("screening", "pass"),
            ("capacity", "pass"),
            ("safeguarding", "pass"),
            ("insurance", "pass"),
            ("notice_period", "pass"),
            ("booking_history", "pass"),
        ],
        "tier": "public_or_speakers",
        "tier_title": "Public event or external speakers",
        "decided_by": "officer",
        "triggers": ["open_to_public", "external_speakers"],
        "notice_required_working_days": 10,
        "notice_given_working_days": 10,
        "target_decision_date": "2027-02-11",
        "fast_track": False,
        "outcome": "pass",
        "auto_approvable": False,
        "needed": [],
        "possible_grounds": [],
    },
    "late_private": {
        "policy_id": "council-default",
        "policy_version": 2,
        "results": [
            ("clearance_reuse", "pass"),
            ("declarations", "pass"),
            ("required_answers", "pass"),
            ("registry_numbers", "pass"),
            ("screening", "pass"),
            ("capacity", "pass"),
            ("safeguarding", "pass"),
            ("insurance", "pass"),
            ("notice_period", "review"),
            ("booking_history", "pass"),
        ],
        "tier": "standard",
        "tier_title": "Standard: private meeting without external speakers",
        "decided_by": "officer",
        "triggers": [],
        "notice_required_working_days": 5,
        "notice_given_working_days": 2,
        "target_decision_date": "2027-02-19",
        "fast_track": False,
        "outcome": "review",
        "auto_approvable": False,
        "needed": ["A decision before 2027-02-16 (lateness alone is no ground to refuse)"],
        "possible_grounds": [],
    },
    "partner_standard_passes": {
        "policy_id": "partner-example",
        "policy_version": 2,
        "results": [
            ("clearance_reuse", "pass"),
            ("declarations", "pass"),
            ("required_answers", "pass"),
            ("registry_numbers", "pass"),
            ("screening", "pass"),
            ("capacity", "pass"),
            ("safeguarding", "pass"),
            ("insurance", "pass"),
            ("notice_period", "pass"),
            ("booking_history", "pass"),
        ],
        "tier": "standard",
        "tier_title": "Standard",
        "decided_by": "venue_manager",
        "triggers": [],
        "notice_required_working_days": 3,
        "notice_given_working_days": 31,
        "target_decision_date": "2027-01-07",
        "fast_track": False,
        "outcome": "pass",
        "auto_approvable": True,
        "needed": [],
        "possible_grounds": [],
    },
    "partner_public_is_not_auto_approved": {
        "policy_id": "partner-example",
        "policy_version": 2,
        "results": [
            ("clearance_reuse", "pass"),
            ("declarations", "pass"),
            ("required_answers", "pass"),
            ("registry_numbers", "pass"),
            ("screening", "pass"),
            ("capacity", "pass"),
            ("safeguarding", "pass"),
            ("insurance", "pass"),
            ("notice_period", "pass"),
            ("booking_history", "pass"),
        ],
        "tier": "public_or_speakers",
        "tier_title": "Public event or external speakers",
        "decided_by": "venue_manager",
        "triggers": ["open_to_public"],
        "notice_required_working_days": 10,
        "notice_given_working_days": 31,
        "target_decision_date": "2027-01-11",
        "fast_track": False,
        "outcome": "pass",
        "auto_approvable": False,
        "needed": [],
        "possible_grounds": [],
    },
    "partner_standard_with_a_review": {
        "policy_id": "partner-example",
        "policy_version": 2,
        "results": [
            ("clearance_reuse", "pass"),
            ("declarations", "pass"),
            ("required_answers", "pass"),
            ("registry_numbers", "pass"),
            ("screening", "pass"),
            ("capacity", "pass"),
            ("safeguarding", "pass"),
            ("insurance", "review"),
            ("notice_period", "pass"),
            ("booking_history", "pass"),
        ],
        "tier": "standard",
        "tier_title": "Standard",
        "decided_by": "venue_manager",
        "triggers": [],
        "notice_required_working_days": 3,
        "notice_given_working_days": 31,
        "target_decision_date": "2027-01-07",
        "fast_track": False,
        "outcome": "review",
        "auto_approvable": False,
        "needed": ["Public liability cover of at least £2,000,000"],
        "possible_grounds": [],
    },
    "over_capacity_and_uninsured": {
        "policy_id": "council-default",
        "policy_version": 2,
        "results": [
            ("clearance_reuse", "pass"),
            ("declarations", "pass"),
            ("required_answers", "pass"),
            ("registry_numbers", "pass"),
            ("screening", "pass"),
            ("capacity", "fail"),
            ("safeguarding", "pass"),
            ("insurance", "review"),
            ("notice_period", "pass"),
            ("booking_history", "pass"),
        ],
        "tier": "standard",
        "tier_title": "Standard: private meeting without external speakers",
        "decided_by": "officer",
        "triggers": [],
        "notice_required_working_days": 5,
        "notice_given_working_days": 31,
        "target_decision_date": "2027-01-11",
        "fast_track": False,
        "outcome": "review",
        "auto_approvable": False,
        "needed": [
            "A room for 45, or attendance limited to 40",
            "Public liability cover of at least £5,000,000 or join the council's hirer scheme",
        ],
        "possible_grounds": ["public_safety"],
    },
    "recently_cleared": {
        "policy_id": "council-default",
        "policy_version": 2,
        "results": [
            ("clearance_reuse", "pass"),
            ("declarations", "pass"),
            ("required_answers", "pass"),
            ("registry_numbers", "pass"),
            ("screening", "pass"),
            ("capacity", "pass"),
            ("safeguarding", "pass"),
            ("insurance", "pass"),
            ("notice_period", "pass"),
            ("booking_history", "pass"),
        ],
        "tier": "standard",
        "tier_title": "Standard: private meeting without external speakers",
        "decided_by": "officer",
        "triggers": [],
        "notice_required_working_days": 5,
        "notice_given_working_days": 31,
        "target_decision_date": "2027-01-11",
        "fast_track": False,
        "outcome": "pass",
        "auto_approvable": False,
        "needed": [],
        "possible_grounds": [],
    },
}
