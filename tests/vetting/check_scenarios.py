"""Requests that take each check down each of its branches, for tests/vetting/test_check_results.py.

Each scenario is a check type and the overrides of `make_ctx` (a private meeting of a registered
charity, booked well ahead, that passes every check). The expected results live in the test
module, written out in full: the summary, what is needed, the ground and the evidence are what an
officer reads on the case, so each word of them is behaviour.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.vetting.test_checks_support import LONDON_WINTER
from vetting.registry import RegistryRecord

SPEAKER = {"name": "Ottilie Brennock", "role": "speaker"}
LEAD = {"name": "Tamsin Orrell", "role": "safeguarding_lead"}


def match(**kw: Any) -> dict[str, Any]:
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


def submitted(year: int, month: int, day: int) -> dt.datetime:
    return dt.datetime(year, month, day, 10, tzinfo=LONDON_WINTER)


# Whole evaluations: name -> (policy id, make_ctx overrides).
EVALUATIONS: dict[str, tuple[str, dict[str, Any]]] = {
    "standard": ("council-default", {}),
    "late_public_with_speakers": (
        "council-default",
        {
            "event": {"open_to_public": True},
            "people": [SPEAKER],
            "submitted_at": submitted(2027, 2, 8),
            "answers": {"admission": "free"},
        },
    ),
    "on_time_public_with_speakers": (
        "council-default",
        {
            "event": {"open_to_public": True},
            "people": [SPEAKER],
            "submitted_at": submitted(2027, 2, 2),
            "answers": {"admission": "free"},
        },
    ),
    "late_private": ("council-default", {"submitted_at": submitted(2027, 2, 12)}),
    "partner_standard_passes": ("partner-example", {}),
    "partner_public_is_not_auto_approved": (
        "partner-example",
        {"event": {"open_to_public": True}, "answers": {"admission": "free"}},
    ),
    "partner_standard_with_a_review": ("partner-example", {"insurance": None}),
    "over_capacity_and_uninsured": (
        "council-default",
        {"event": {"expected_attendance": 45}, "insurance": None},
    ),
    "recently_cleared": (
        "council-default",
        {"last_cleared_on": dt.date(2026, 6, 1), "organisation": {"charity_number": "not a number"}},
    ),
}

# name: (check type, make_ctx overrides)
SCENARIOS: dict[str, tuple[str, dict[str, Any]]] = {
    "declarations_all": ("declarations", {}),
    "declarations_missing_two_and_one_unknown": (
        "declarations",
        {
            "declarations": [
                "conditions_of_hire",
                "lawful_purpose",
                "equality",
                "safeguarding",
                "true_information",
                "newsletter",
            ]
        },
    ),
    "answers_hidden_questions_skipped": ("required_answers", {}),
    "answers_missing": ("required_answers", {"event": {"open_to_public": True}}),
    "answers_missing_and_unreadable": (
        "required_answers",
        {
            "event": {"open_to_public": True, "under_18s": True},
            "answers": {"alcohol": "maybe", "own_carers_only": "yes"},
        },
    ),
    "answers_blank_is_missing_not_unreadable": (
        "required_answers",
        {"event": {"open_to_public": True}, "answers": {"alcohol": "no", "admission": "   "}},
    ),
    "answers_all_given": (
        "required_answers",
        {
            "event": {"under_18s": True},
            "answers": {"alcohol": "no", "own_carers_only": False, "dbs_confirmed": "y"},
        },
    ),
    "registry_informal_without_numbers": (
        "registry_numbers",
        {"organisation": {"type": "informal", "charity_number": None}},
    ),
    "registry_charity_without_number": ("registry_numbers", {"organisation": {"charity_number": "  "}}),
    "registry_company_without_number": (
        "registry_numbers",
        {"organisation": {"type": "company", "charity_number": None}},
    ),
    "registry_well_formed_not_looked_up": (
        "registry_numbers",
        {"organisation": {"charity_number": "SC012345", "company_number": "SC123456"}},
    ),
    "registry_malformed": ("registry_numbers", {"organisation": {"charity_number": "SCO12345"}}),
    "registry_found_in_good_standing": (
        "registry_numbers",
        {
            "registry_records": [
                RegistryRecord(
                    "charity_ew",
                    "1123456",
                    "found",
                    name="Larkfield Allotment Society",
                    register_status="Registered",
                )
            ]
        },
    ),
    "registry_found_removed_and_company_not_found": (
        "registry_numbers",
        {
            "organisation": {"company_number": "01234567"},
            "registry_records": [
                RegistryRecord(
                    "charity_ew",
                    "1123456",
                    "found",
                    name="Larkfield Allotment Society",
                    register_status="removed",
                ),
                RegistryRecord("companies_house", "01234567", "not_found"),
                RegistryRecord("companies_house", "07654321", "found", register_status="active"),
            ],
        },
    ),
    "registry_one_found_one_not_checked": (
        "registry_numbers",
        {
            "organisation": {"company_number": "01234567"},
            "registry_records": [
                RegistryRecord("charity_ew", "1123456", "found", register_status="registered")
            ],
        },
    ),
    "registry_company_number_only": (
        "registry_numbers",
        {"organisation": {"type": "informal", "charity_number": None, "company_number": "01234567"}},
    ),
    "registry_records_of_other_numbers": (
        "registry_numbers",
        {
            "registry_records": [
                RegistryRecord("charity_ew", "7654321", "found", register_status="removed"),
                RegistryRecord("companies_house", "1123456", "not_found"),
            ]
        },
    ),
    "registry_could_not_be_asked": (
        "registry_numbers",
        {"registry_records": [RegistryRecord("charity_ew", "1123456", "error", detail="HTTP 429")]},
    ),
    "registry_could_not_be_asked_without_detail": (
        "registry_numbers",
        {"registry_records": [RegistryRecord("charity_ew", "1123456", "error")]},
    ),
    "registry_malformed_charity_and_a_company": (
        "registry_numbers",
        {"organisation": {"charity_number": "12345", "company_number": "01234567"}},
    ),
    "screening_none": ("screening", {}),
    "screening_not_run": ("screening", {"screening_done": False}),
    "screening_not_run_but_confirmed": (
        "screening",
        {"screening_done": False, "screening": [match(disposition="confirmed", score=40.0)]},
    ),
    "screening_open": (
        "screening",
        {"screening": [match(), match(entry_id="E3", score=85.0, disposition="possible", source=None)]},
    ),
    "screening_confirmed": (
        "screening",
        {
            "screening": [
                match(disposition="confirmed"),
                match(
                    entry_id="E4",
                    query_name="Morwenna Tallis",
                    matched_name="Morwena Tallis",
                    disposition="confirmed",
                ),
                match(entry_id="E5", disposition="confirmed"),
            ]
        },
    ),
    "screening_cleared_and_ignored": (
        "screening",
        {
            "screening": [
                match(disposition="cleared"),
                match(entry_id="E6", score=84.9),
                match(entry_id="E7", source="us-ofac-sdn", disposition="confirmed"),
            ]
        },
    ),
    "capacity_exactly_full": ("capacity", {"event": {"expected_attendance": 40}}),
    "capacity_over_with_rooms": (
        "capacity",
        {
            "event": {"expected_attendance": 41},
            "alternative_rooms": [
                {"room_id": "r3", "name": "Main Hall", "capacity": 150},
                {"room_id": "r2", "name": "Studio", "capacity": 41},
                {"room_id": "r4", "name": "Annexe", "capacity": 41},
                {"room_id": "r5", "name": "Snug", "capacity": 40},
            ],
        },
    ),
    "capacity_over_without_rooms": (
        "capacity",
        {
            "event": {"expected_attendance": 60},
            "alternative_rooms": [{"room_id": "r5", "name": "Snug", "capacity": 12}],
        },
    ),
    "safeguarding_not_applicable": ("safeguarding", {}),
    "safeguarding_own_carers": (
        "safeguarding",
        {"event": {"adults_at_risk": True}, "answers": {"own_carers_only": "yes"}},
    ),
    "safeguarding_nothing_confirmed": (
        "safeguarding",
        {"event": {"under_18s": True}, "answers": {"own_carers_only": "no"}},
    ),
    "safeguarding_lead_without_dbs": (
        "safeguarding",
        {
            "event": {"under_18s": True},
            "people": [LEAD],
            "answers": {"own_carers_only": "no", "dbs_confirmed": "no"},
        },
    ),
    "safeguarding_dbs_without_lead": (
        "safeguarding",
        {"event": {"under_18s": True}, "answers": {"dbs_confirmed": True}, "safeguarding_lead": "   "},
    ),
    "safeguarding_lead_and_dbs_from_the_request": (
        "safeguarding",
        {
            "event": {"under_18s": True, "adults_at_risk": True},
            "people": [LEAD],
            "safeguarding_lead": " Jory Vellacott ",
            "dbs_confirmed": True,
            "answers": {"dbs_confirmed": "no"},
        },
    ),
    "insurance_enough_cover": (
        "insurance",
        {"insurance": {"cover_gbp": 5_000_000, "expires_on": dt.date(2027, 2, 16)}},
    ),
    "insurance_council_scheme": ("insurance", {"insurance": {"uses_council_scheme": True}}),
    "insurance_none": ("insurance", {"insurance": None}),
    "insurance_no_amount": ("insurance", {"insurance": {"cover_gbp": None, "insurer": "Example Mutual"}}),
    "insurance_below_minimum": ("insurance", {"insurance": {"cover_gbp": "4999999"}}),
    "insurance_expires_before_the_event": (
        "insurance",
        {"insurance": {"cover_gbp": 10_000_000, "expires_on": dt.date(2027, 2, 15)}},
    ),
    "notice_enough": ("notice_period", {}),
    "notice_late_private": ("notice_period", {"submitted_at": submitted(2027, 2, 12)}),
    "notice_late_public_with_speakers": (
        "notice_period",
        {"event": {"open_to_public": True}, "people": [SPEAKER], "submitted_at": submitted(2027, 2, 8)},
    ),
    "notice_on_time_public_with_speakers": (
        "notice_period",
        {"event": {"open_to_public": True}, "people": [SPEAKER], "submitted_at": submitted(2027, 2, 2)},
    ),
    "notice_late_public_without_speakers": (
        "notice_period",
        {"event": {"open_to_public": True}, "submitted_at": submitted(2027, 2, 8)},
    ),
    "notice_late_private_with_speakers": (
        "notice_period",
        {"people": [SPEAKER], "submitted_at": submitted(2027, 2, 8)},
    ),
    "notice_exactly_enough": ("notice_period", {"submitted_at": submitted(2027, 2, 9)}),
    "history_none": (
        "booking_history",
        {"breaches": [{"occurred_on": dt.date(2024, 12, 1), "code": "late_finish"}]},
    ),
    "history_minor": (
        "booking_history",
        {
            "breaches": [
                {"occurred_on": dt.date(2026, 6, 1), "code": "left_mess", "note": "Chairs not stacked"},
                {"occurred_on": dt.date(2025, 1, 4), "code": "late_finish"},
                {"occurred_on": dt.date(2025, 1, 3), "code": "late_finish"},
            ]
        },
    ),
    "history_serious": (
        "booking_history",
        {
            "breaches": [
                {"occurred_on": dt.date(2026, 6, 1), "code": "left_mess"},
                {"occurred_on": dt.date(2026, 3, 1), "code": "over_capacity", "serious": True},
            ]
        },
    ),
    "reuse_none": ("clearance_reuse", {}),
    "reuse_recent": ("clearance_reuse", {"last_cleared_on": dt.date(2026, 1, 4)}),
    "reuse_too_old": ("clearance_reuse", {"last_cleared_on": dt.date(2026, 1, 3)}),
    "reuse_breach_since": (
        "clearance_reuse",
        {
            "last_cleared_on": dt.date(2026, 5, 1),
            "breaches": [
                {"occurred_on": dt.date(2026, 5, 1), "code": "left_mess"},
                {"occurred_on": dt.date(2026, 4, 30), "code": "left_mess"},
            ],
        },
    ),
}
