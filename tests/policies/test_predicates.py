"""The condition language of show_if and risk triggers."""

from __future__ import annotations

import pytest

from policies.predicates import ConditionSyntaxError, parse_condition


@pytest.mark.parametrize(
    ("text", "facts", "expected"),
    [
        ("event.open_to_public", {"event.open_to_public": True}, True),
        ("event.open_to_public == true", {"event.open_to_public": False}, False),
        ("event.expected_attendance >= 200", {"event.expected_attendance": 200}, True),
        ("event.expected_attendance > 200", {"event.expected_attendance": 200}, False),
        ("answers.admission == 'ticketed'", {"answers.admission": "ticketed"}, True),
        ('answers.admission != "free"', {"answers.admission": "free"}, False),
        ("answers.size < 2.5", {"answers.size": 2}, True),
        ("answers.size < 2.5", {"answers.size": None}, False),  # unanswered never holds
        ("answers.size < 2.5", {}, False),
        ("answers.size < 2.5", {"answers.size": "lots"}, False),  # incomparable never holds
        (
            "event.under_18s or event.adults_at_risk",
            {"event.under_18s": False, "event.adults_at_risk": True},
            True,
        ),
        (
            "event.open_to_public and booking.external_speakers >= 1 or event.expected_attendance >= 200",
            {"event.open_to_public": True, "booking.external_speakers": 0, "event.expected_attendance": 250},
            True,
        ),
        (
            "event.open_to_public and booking.external_speakers >= 1 or event.expected_attendance >= 200",
            {"event.open_to_public": True, "booking.external_speakers": 0, "event.expected_attendance": 10},
            False,
        ),
    ],
)
def test_conditions_evaluate(text: str, facts: dict[str, object], expected: bool) -> None:
    assert parse_condition(text).holds(facts) is expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty condition"),
        ("== true", "expected a field"),
        ("event.open_to_public ==", "missing value"),
        ("event.open_to_public == maybe", "expected a value"),
        ("event.open_to_public true", "expected 'and' or 'or'"),
        ("event.open_to_public and", "expected a field"),
        ("event.open_to_public = true", "cannot read condition"),
    ],
)
def test_syntax_errors(text: str, message: str) -> None:
    with pytest.raises(ConditionSyntaxError, match=message):
        parse_condition(text)
