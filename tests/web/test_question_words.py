"""Error messages for the policy's questions and declarations in the Design System's style
(issue 18, item 3): what to do, not "Answer: <question>" or "Confirm: <declaration>"."""

from __future__ import annotations

import pytest

from api.web.booking.question_words import (
    clause,
    declaration_message,
    indirect,
    missing_message,
    wrong_message,
)
from policies import Declaration, Question, bundled_policy, bundled_policy_ids


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("Will alcohol be sold or supplied at the event?", "alcohol will be sold or supplied at the event"),
        ("Does your group have a written constitution?", "your group has a written constitution"),
        ("Do you need the kitchen?", "you need the kitchen"),
        ("Have the stewards had training?", "the stewards have had training"),
        ("Is the hall needed before noon?", None),  # no verb it knows: the fallback message
        ("Tell us about the event", None),
    ],
)
def test_a_yes_or_no_question_becomes_a_clause(label: str, expected: str | None) -> None:
    assert clause(label) == expected


def test_wh_questions_become_indirect_questions() -> None:
    assert indirect("How will people be admitted?") == "how people will be admitted"
    assert indirect("How many minutes do you need to set up?") == "how many minutes you need to set up"
    assert indirect("Please describe the event") is None


def test_messages_by_type_and_their_fallbacks() -> None:
    yes_no = Question(id="alcohol", label="Will alcohol be served?", type="yes_no")
    assert missing_message(yes_no) == "Select yes if alcohol will be served"
    odd = Question(id="odd", label="Alcohol served?", type="yes_no")
    assert missing_message(odd) == "Select yes or no to say: Alcohol served?"
    choice = Question(id="admission", label="How will people be admitted?", type="choice", choices=["free"])
    assert missing_message(choice) == "Select how people will be admitted"
    number = Question(id="setup", label="How many minutes do you need to set up?", type="number")
    assert missing_message(number) == "Enter how many minutes you need to set up"
    assert wrong_message(number) == "Enter how many minutes you need to set up as a number, like 30"
    day = Question(id="day", label="When did the group start?", type="date")
    # Asked in the Design System's date input, so worded as it asks (date_fields.py says what
    # is missing or wrong in each part).
    assert missing_message(day) == "Enter a date"  # "When did ...?" has no indirect form here
    assert wrong_message(day) == "Date must be a real date"
    text = Question(id="about", label="Describe the event", type="text")
    assert missing_message(text) == "Enter your answer to: Describe the event"


def test_declarations_ask_to_tick_the_box() -> None:
    d = Declaration(id="lawful", text="The room will be used only for a lawful purpose.")
    assert (
        declaration_message(d)
        == "Tick the box to confirm that the room will be used only for a lawful purpose"
    )


@pytest.mark.parametrize("policy_id", bundled_policy_ids())
def test_every_bundled_question_gets_a_message_made_from_its_words(policy_id: str) -> None:
    for q in bundled_policy(policy_id).questions:
        message = missing_message(q)
        assert not message.startswith(("Answer:", "Select yes or no to say", "Enter your answer to")), message
