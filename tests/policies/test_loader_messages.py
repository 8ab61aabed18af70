"""The loader's wording of each kind of problem (issue 25: mutation testing found these untested).

Through real policy files where a file can produce the problem, and through the error mapping
itself (the shapes pydantic reports) where the loader's own collection of problems makes a
branch unreachable from a file today.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from policies import PolicyError, Problem, bundled_policy_text, load_policy, load_policy_text
from policies.loader import _problem_from_error, _syntax_problem

DEFAULT = bundled_policy_text("council-default")


def problems(text: str) -> list[tuple[str, str]]:
    with pytest.raises(PolicyError) as info:
        load_policy_text(text, "p.toml")
    return [(p.where, p.message) for p in info.value.problems]


def test_a_check_without_a_type() -> None:
    assert problems(DEFAULT + '\n[[checks]]\nground = "public_safety"\n') == [
        ("checks.10", "a check needs a type")
    ]


def test_the_policy_id_allows_hyphens_and_says_so() -> None:
    assert problems(DEFAULT.replace('id = "council-default"', 'id = "Council Default"', 1)) == [
        ("id", "must be lower-case letters, digits, hyphens and underscores, starting with a letter")
    ]


def test_a_check_type_named_deeper_in_the_path_is_kept() -> None:
    # The tagged-union level is dropped only right after checks.N; a weight named like a check
    # type elsewhere keeps its place in the path.
    text = DEFAULT.replace("weights = {}", 'weights = { capacity = "lots" }', 1)
    assert problems(text) == [("screening.weights.capacity", "Input should be a valid number")]


def test_a_check_parameter_of_the_wrong_type_names_the_check_not_its_type() -> None:
    text = DEFAULT.replace('type = "insurance"', 'type = "insurance"\nextra = 1', 1)
    assert problems(text) == [("checks.7.extra", "unknown key")]


@pytest.mark.parametrize(
    ("error", "problem"),
    [
        (
            {"loc": (), "type": "value_error", "msg": "Value error, the tiers contradict each other"},
            Problem("(top level)", "the tiers contradict each other"),
        ),
        (
            {"loc": ("tiers", 0), "type": "value_error", "msg": "Value error, Value error, twice"},
            Problem("tiers.0", "Value error, twice"),
        ),
        (
            {"loc": ("checks", 2, "capacity"), "type": "model_type", "msg": "Input should be a table"},
            Problem("checks.2", "Input should be a table"),
        ),
        (
            {
                "loc": ("checks", 2, "capacity", "ground"),
                "type": "string_type",
                "msg": "Input should be text",
            },
            Problem("checks.2.ground", "Input should be text"),
        ),
        (
            {"loc": ("checks", 3), "type": "union_tag_invalid", "msg": "bad tag"},
            Problem(
                "checks.3.type",
                "unknown check type '?'; known types: declarations, required_answers, "
                "registry_numbers, screening, capacity, safeguarding, insurance, notice_period, "
                "booking_history, clearance_reuse",
            ),
        ),
        (
            {"loc": ("checks", 3), "type": "union_tag_invalid", "msg": "bad tag", "ctx": {}},
            Problem(
                "checks.3.type",
                "unknown check type '?'; known types: declarations, required_answers, "
                "registry_numbers, screening, capacity, safeguarding, insurance, notice_period, "
                "booking_history, clearance_reuse",
            ),
        ),
        (
            {"loc": ("title",), "type": "string_too_short", "msg": "String should have at least 1 character"},
            Problem("title", "String should have at least 1 character"),
        ),
    ],
)
def test_error_mapping(error: dict[str, object], problem: Problem) -> None:
    assert _problem_from_error(error) == problem


def test_a_syntax_error_without_a_position() -> None:
    import tomllib

    assert problems("a = ") == [("line ?", "invalid TOML: Invalid value (at end of document)")]

    class Unplaced(tomllib.TOMLDecodeError):
        def __str__(self) -> str:
            return "something odd"

    assert _syntax_problem(Unplaced()) == Problem("line ?", "invalid TOML: something odd")


def test_a_file_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes('title = "caf\xe9"\n'.encode("latin-1"))
    with pytest.raises(PolicyError) as info:
        load_policy(path)
    assert info.value.problems == [Problem("(file)", "not UTF-8 text")]
    assert str(info.value) == f"{path}: (file): not UTF-8 text"


def test_a_missing_file_names_the_reason(tmp_path: Path) -> None:
    with pytest.raises(PolicyError) as info:
        load_policy(tmp_path / "absent.toml")
    assert info.value.problems == [Problem("(file)", "cannot read: No such file or directory")]
    assert info.value.source == str(tmp_path / "absent.toml")


def test_an_unknown_key_named_like_a_check_type_outside_the_checks() -> None:
    text = DEFAULT.replace('id = "alcohol"', 'id = "alcohol"\nscreening = 1', 1)
    assert problems(text) == [("questions.2.screening", "unknown key")]


def test_the_error_lists_every_problem_one_a_line_under_a_default_source() -> None:
    text = DEFAULT.replace("version = 2", "version = 0", 1).replace('title = "Council', 'titel = "Council', 1)
    with pytest.raises(PolicyError) as info:
        load_policy_text(text)
    assert str(info.value) == (
        "<policy>: version: Input should be greater than or equal to 1\n"
        "<policy>: title: required key is missing\n"
        "<policy>: titel: unknown key"
    )
