"""The facts conditions read, and answers in the form they compare (issue 25: mutation testing
found the number, date, choice and text answers and several facts unpinned)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from policies import Policy, bundled_policy_text, load_policy_text
from tests.vetting.test_checks_support import make_ctx
from vetting.checks import build_facts, normalise_answer

EXTRA = """
[[questions]]
id = "floor_area"
label = "Floor area needed (square metres)"
label_cy = "Arwynebedd y llawr sydd ei angen (metrau sgwâr)"
type = "number"

[[questions]]
id = "first_rehearsal"
label = "Date of the first rehearsal"
label_cy = "Dyddiad yr ymarfer cyntaf"
type = "date"

[[questions]]
id = "topic"
label = "Topic"
label_cy = "Pwnc"
type = "text"
"""


@pytest.fixture(scope="module")
def policy() -> Policy:
    return load_policy_text(bundled_policy_text("council-default") + EXTRA)


@pytest.mark.parametrize(
    ("question", "raw", "value"),
    [
        ("alcohol", True, True),
        ("alcohol", " Yes ", True),
        ("alcohol", "Y", True),
        ("alcohol", "1", True),
        ("alcohol", "false", False),
        ("alcohol", "N", False),
        ("alcohol", 0, False),
        ("alcohol", "perhaps", None),
        ("alcohol", None, None),
        ("alcohol", "   ", None),
        ("floor_area", 12, 12),
        ("floor_area", 2.5, 2.5),
        ("floor_area", " 40 ", 40.0),
        ("floor_area", "forty", None),
        ("floor_area", True, None),
        ("first_rehearsal", dt.date(2027, 3, 1), "2027-03-01"),
        ("first_rehearsal", dt.datetime(2027, 3, 1, 19, 30), "2027-03-01"),
        ("first_rehearsal", " 2027-03-01 ", "2027-03-01"),
        ("first_rehearsal", "1 March", None),
        ("admission", " ticketed ", "ticketed"),
        ("admission", "raffle", None),
        ("topic", "  Allotment rules  ", "Allotment rules"),
        ("topic", 7, "7"),
        ("topic", None, None),
        ("topic", "   ", None),
        ("floor_area", "  ", None),
        ("admission", None, None),
    ],
)
def test_answers_in_comparable_form(policy: Policy, question: str, raw: Any, value: Any) -> None:
    found = normalise_answer(policy.question(question), raw)  # type: ignore[arg-type]  # ids exist
    assert found == value
    assert type(found) is type(value)


def test_every_fact_a_condition_can_read(policy: Policy) -> None:
    ctx = make_ctx(
        organisation={"type": "club"},
        event={"open_to_public": True, "under_18s": False, "adults_at_risk": True, "expected_attendance": 35},
        people=[
            {"name": "Ottilie Brennock", "role": "speaker"},
            {"name": "Idris Penhale", "role": "speaker"},
        ],
        occurrence_count=6,
        answers={"alcohol": "no", "floor_area": "40", "topic": "Seed swap"},
    )
    assert build_facts(policy, ctx) == {
        "event.open_to_public": True,
        "event.under_18s": False,
        "event.adults_at_risk": True,
        "event.expected_attendance": 35,
        "booking.external_speakers": 2,
        "organisation.type": "club",
        "answers.own_carers_only": None,
        "answers.dbs_confirmed": None,
        "answers.alcohol": False,
        "answers.admission": None,
        "answers.written_constitution": None,
        "answers.floor_area": 40.0,
        "answers.first_rehearsal": None,
        "answers.topic": "Seed swap",
        "booking.notice_working_days": 31,
        "booking.occurrences": 6,
    }
