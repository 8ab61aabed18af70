"""The rules that refuse a comparison a fact cannot support, and the literal and operator details.

Found by mutation testing (issue 25): a policy whose risk trigger compared a yes/no fact with a
number, or a choice with a value outside its list, loaded without complaint and then never fired.
"""

from __future__ import annotations

import pytest

from policies import PolicyError, load_policy_text
from policies.loader import bundled_policy_text
from policies.predicates import Comparison, ConditionSyntaxError, comparison_problem, parse_condition

CHOICES = ("free", "ticketed", "donation")


@pytest.fixture(autouse=True)
def _parse_afresh() -> None:
    """`parse_condition` keeps what it parsed; each test here reads its text anew."""
    parse_condition.cache_clear()


@pytest.mark.parametrize(
    ("comp", "fact_type", "choices", "problem"),
    [
        # yes/no facts: only true or false, only == and !=
        (
            Comparison("event.under_18s", "==", 1),
            "bool",
            (),
            "event.under_18s is true or false; compare it with true or false",
        ),
        (
            Comparison("event.under_18s", "==", "yes"),
            "bool",
            (),
            "event.under_18s is true or false; compare it with true or false",
        ),
        (
            Comparison("event.under_18s", ">=", True),
            "bool",
            (),
            "event.under_18s is true or false; use == or !=",
        ),
        (
            Comparison("event.under_18s", "<", False),
            "bool",
            (),
            "event.under_18s is true or false; use == or !=",
        ),
        (Comparison("event.under_18s", "==", True), "bool", (), None),
        (Comparison("event.under_18s", "!=", False), "bool", (), None),
        # numbers: any operator, a number (not a yes/no) on the right
        (
            Comparison("event.expected_attendance", ">=", "200"),
            "int",
            (),
            "event.expected_attendance is a number; compare it with a number",
        ),
        (
            Comparison("event.expected_attendance", ">=", True),
            "int",
            (),
            "event.expected_attendance is a number; compare it with a number",
        ),
        (
            Comparison("answers.size", "<", "big"),
            "number",
            (),
            "answers.size is a number; compare it with a number",
        ),
        (
            Comparison("answers.size", "<", False),
            "number",
            (),
            "answers.size is a number; compare it with a number",
        ),
        (Comparison("event.expected_attendance", ">", 200), "int", (), None),
        (Comparison("answers.size", "<=", 2.5), "number", (), None),
        # text: quoted text, only == and !=, one of the choices when the question has them
        (
            Comparison("answers.admission", "==", 3),
            "str",
            CHOICES,
            "answers.admission is text; compare it with quoted text",
        ),
        (
            Comparison("answers.admission", "==", True),
            "str",
            CHOICES,
            "answers.admission is text; compare it with quoted text",
        ),
        (
            Comparison("answers.admission", ">", "free"),
            "str",
            CHOICES,
            "answers.admission is text; use == or !=",
        ),
        (
            Comparison("answers.admission", "<=", "free"),
            "str",
            CHOICES,
            "answers.admission is text; use == or !=",
        ),
        (
            Comparison("answers.admission", "==", "raffle"),
            "str",
            CHOICES,
            "'raffle' is not one of the choices of answers.admission: free, ticketed, donation",
        ),
        (
            Comparison("answers.admission", "!=", "raffle"),
            "str",
            CHOICES,
            "'raffle' is not one of the choices of answers.admission: free, ticketed, donation",
        ),
        (Comparison("answers.admission", "==", "ticketed"), "str", CHOICES, None),
        (Comparison("answers.admission", "!=", "free"), "str", CHOICES, None),
        (Comparison("organisation.type", "==", "anything"), "str", (), None),  # no choice list: any text
        # dates: quoted ISO dates; any operator (dates order as text)
        (
            Comparison("answers.first_date", "<", 20270101),
            "date",
            (),
            "answers.first_date is text; compare it with quoted text",
        ),
        (
            Comparison("answers.first_date", "<", "1 Jan 2027"),
            "date",
            (),
            "answers.first_date is a date; compare it with 'YYYY-MM-DD'",
        ),
        (
            Comparison("answers.first_date", "<", "2027-1-1"),
            "date",
            (),
            "answers.first_date is a date; compare it with 'YYYY-MM-DD'",
        ),
        (
            Comparison("answers.first_date", "<", "2027-01-01x"),
            "date",
            (),
            "answers.first_date is a date; compare it with 'YYYY-MM-DD'",
        ),
        (Comparison("answers.first_date", "<", "2027-01-01"), "date", (), None),
        (Comparison("answers.first_date", ">=", "2027-12-31"), "date", (), None),
    ],
)
def test_comparison_problem(
    comp: Comparison, fact_type: str, choices: tuple[str, ...], problem: str | None
) -> None:
    assert comparison_problem(comp, fact_type, choices) == problem  # type: ignore[arg-type]  # str literal


DATE_QUESTION = (
    '\n[[questions]]\nid = "first_date"\nlabel = "First date"\nlabel_cy = "Dyddiad cyntaf"\ntype = "date"\n'
)
SIZE_QUESTION = (
    '\n[[questions]]\nid = "size"\nlabel = "Floor area"\nlabel_cy = "Arwynebedd y llawr"\ntype = "number"\n'
)


def _with_trigger(when: str, extra: str = "") -> str:
    return (
        bundled_policy_text("council-default")
        + extra
        + f'\n[[risk_triggers]]\nid = "mutation_probe"\nwhen = "{when}"\ntier = "enhanced"\n'
    )


@pytest.mark.parametrize(
    ("when", "extra", "problem"),
    [
        ("event.under_18s >= 1", "", "event.under_18s is true or false; compare it with true or false"),
        (
            "event.expected_attendance >= 'lots'",
            "",
            "event.expected_attendance is a number; compare it with a number",
        ),
        ("answers.admission > 'free'", "", "answers.admission is text; use == or !="),
        (
            "answers.admission == 'raffle'",
            "",
            "'raffle' is not one of the choices of answers.admission: free, ticketed, donation",
        ),
        (
            "answers.first_date < '12/01/2027'",
            DATE_QUESTION,
            "answers.first_date is a date; compare it with 'YYYY-MM-DD'",
        ),
        ("answers.size > 'big'", SIZE_QUESTION, "answers.size is a number; compare it with a number"),
    ],
)
def test_a_broken_risk_trigger_does_not_load(when: str, extra: str, problem: str) -> None:
    with pytest.raises(PolicyError) as info:
        load_policy_text(_with_trigger(when, extra), "p.toml")
    assert [p.message for p in info.value.problems if p.where.endswith(".when")] == [problem]


@pytest.mark.parametrize(
    ("when", "extra"),
    [
        ("answers.admission == 'ticketed'", ""),
        ("answers.first_date >= '2027-01-01'", DATE_QUESTION),
        ("answers.size > 2.5", SIZE_QUESTION),
    ],
)
def test_a_sound_risk_trigger_loads(when: str, extra: str) -> None:
    policy = load_policy_text(_with_trigger(when, extra), "p.toml")
    assert policy.risk_triggers[-1].when == when


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("answers.size == 2.5", 2.5),
        ("answers.size == -3", -3),
        ("answers.size == 12", 12),
        ("answers.admission == 'free'", "free"),
        ('answers.admission == "ticketed"', "ticketed"),
        ("answers.admission == ''", ""),
        ("event.under_18s == true", True),
        ("event.under_18s == false", False),
        ("event.under_18s", True),  # a bare field means == true
    ],
)
def test_literals_keep_their_type(text: str, value: object) -> None:
    (comp,) = parse_condition(text).comparisons()
    assert comp.value == value
    assert type(comp.value) is type(value)


def test_trailing_space_is_ignored_but_leading_space_is_read() -> None:
    assert parse_condition("  event.under_18s   ").comparisons() == [
        Comparison("event.under_18s", "==", True)
    ]


@pytest.mark.parametrize(
    ("op", "actual", "value", "holds"),
    [
        ("==", 3, 3, True),
        ("==", 3, 4, False),
        ("!=", 3, 4, True),
        ("!=", 3, 3, False),
        (">=", 3, 3, True),
        (">=", 2, 3, False),
        ("<=", 3, 3, True),
        ("<=", 4, 3, False),
        (">", 4, 3, True),
        (">", 3, 3, False),
        ("<", 2, 3, True),
        ("<", 3, 3, False),
    ],
)
def test_each_operator(op: str, actual: int, value: int, holds: bool) -> None:
    assert Comparison("answers.n", op, value).holds({"answers.n": actual}) is holds  # type: ignore[arg-type]


def test_false_is_a_value_not_a_missing_answer() -> None:
    assert parse_condition("answers.own_carers_only == false").holds({"answers.own_carers_only": False})
    assert not parse_condition("answers.own_carers_only == false").holds({"answers.own_carers_only": None})


def test_or_groups_and_comparisons_in_order() -> None:
    cond = parse_condition("event.under_18s and answers.n > 2 or event.adults_at_risk")
    assert cond.any_of == (
        (Comparison("event.under_18s", "==", True), Comparison("answers.n", ">", 2)),
        (Comparison("event.adults_at_risk", "==", True),),
    )
    assert cond.source == "event.under_18s and answers.n > 2 or event.adults_at_risk"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty condition"),
        ("   ", "empty condition"),
        ("== true", "expected a field such as event.open_to_public, got '=='"),
        ("and event.under_18s", "expected a field such as event.open_to_public, got 'and'"),
        ("true", "expected a field such as event.open_to_public, got 'true'"),
        ("event.under_18s or", "expected a field such as event.open_to_public, got 'end'"),
        ("event.under_18s ==", "missing value after '=='"),
        ("answers.n > 2 3", "expected 'and' or 'or', got '3'"),
        ("answers.n > maybe", "expected a value (true, false, a number or 'text'), got 'maybe'"),
        ("answers.n > >", "expected a value (true, false, a number or 'text'), got '>'"),
        ("answers.n = 2", "cannot read condition at '= 2'"),
    ],
)
def test_syntax_error_messages(text: str, message: str) -> None:
    with pytest.raises(ConditionSyntaxError) as info:
        parse_condition(text)
    assert str(info.value) == message
