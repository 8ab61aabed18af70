"""Loading, validating and reporting problems in policy files."""

from __future__ import annotations

import io
import tomllib
from pathlib import Path

import pytest

from policies import (
    DEFAULT_POLICY_ID,
    Policy,
    PolicyError,
    bundled_policy,
    bundled_policy_ids,
    bundled_policy_text,
    check_policy_file,
    default_declarations,
    load_policy,
    load_policy_text,
)
from policies.command import check_files

POLICIES_DIR = Path(__file__).resolve().parents[2] / "policies"
DEFAULT_TEXT = bundled_policy_text("council-default")


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def edit(text: str, *replacements: tuple[str, str]) -> str:
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def test_bundled_policies_are_listed_and_valid() -> None:
    assert bundled_policy_ids() == ["council-default", "partner-example"]
    for policy_id in bundled_policy_ids():
        assert check_policy_file(POLICIES_DIR / f"{policy_id}.toml") == []
        policy = bundled_policy(policy_id)
        assert policy.id == policy_id
        assert policy.version == 2


def test_council_default_contents() -> None:
    policy = bundled_policy("council-default")
    ids = {d.id for d in policy.declarations}
    assert {"conditions_of_hire", "lawful_purpose", "equality"} <= ids
    assert all(d.required for d in policy.declarations)
    assert [t.id for t in policy.tiers] == ["standard", "public_or_speakers", "enhanced"]
    assert 13 <= len(policy.conditions) <= 17
    assert {g.code for g in policy.refusal_grounds} == {
        "confirmed_legal_bar",
        "unmitigable_unlawful_risk",
        "public_safety",
        "information_not_supplied",
        "use_not_permitted",
        "serious_prior_breach",
    }
    assert policy.screening.threshold == 85.0
    assert policy.auto_approve_standard_tier is False
    assert policy.countersign_refusals is True
    assert (policy.retention.booking_records, policy.retention.due_diligence_no_adverse) == (72, 12)
    assert (policy.retention.refusals_and_appeals, policy.retention.cleared_screening_matches) == (72, 12)
    cond = policy.condition_of_hire("stewarding")
    assert cond is not None
    assert cond.rationale_required


def test_partner_policy_differs() -> None:
    council, partner = bundled_policy("council-default"), bundled_policy("partner-example")
    assert partner.id != council.id
    assert partner.insurance.minimum_cover_gbp < council.insurance.minimum_cover_gbp
    assert partner.auto_approve_standard_tier
    assert not partner.insurance.council_scheme_available


def test_triggers_only_read_objective_facts() -> None:
    """Design principle 2: no trigger reads free text, names or the kind of organisation."""
    for policy_id in bundled_policy_ids():
        policy = bundled_policy(policy_id)
        for trigger in policy.risk_triggers:
            for comp in trigger.condition().comparisons():
                assert comp.ref.startswith(("event.", "booking.", "answers."))
                assert comp.ref not in ("event.title", "event.description")


def test_two_versions_of_one_policy_side_by_side() -> None:
    v2_text = edit(DEFAULT_TEXT, ("version = 2", "version = 3"), ("threshold = 85.0", "threshold = 88.0"))
    v1, v2 = load_policy_text(DEFAULT_TEXT), load_policy_text(v2_text)
    assert (v1.id, v1.version, v1.screening.threshold) == ("council-default", 2, 85.0)
    assert (v2.id, v2.version, v2.screening.threshold) == ("council-default", 3, 88.0)
    assert v1 == bundled_policy("council-default")


def test_policy_is_immutable() -> None:
    policy = bundled_policy("council-default")
    with pytest.raises(ValueError, match="frozen"):
        policy.version = 3  # type: ignore[misc]  # the point of the test


def test_structural_errors_are_reported_precisely(tmp_path: Path) -> None:
    text = edit(
        DEFAULT_TEXT,
        ("target_working_days = 7", 'target_working_days = "seven"'),
        ('type = "insurance"', 'type = "insurance"\ncolour = "blue"'),
        ('type = "notice_period"', 'type = "horoscope"'),
        ('id = "alcohol"', 'id = "Alcohol"'),
        ("appeal_window_working_days = 10", "appeal_window_working_days = 10\nappeal_window_days = 10"),
        ("threshold = 85.0", "threshold = 185.0"),
    )
    path = write(tmp_path, "bad.toml", text)
    assert check_policy_file(path) == [
        f"{path}: questions.2.id: must be lower-case letters, digits and underscores, starting with a letter",
        f"{path}: checks.7.colour: unknown key",
        f"{path}: checks.8.type: unknown check type 'horoscope'; known types: declarations, "
        "required_answers, registry_numbers, screening, capacity, safeguarding, insurance, notice_period, "
        "booking_history, clearance_reuse",
        f"{path}: tiers.1.target_working_days: Input should be a valid integer",
        f"{path}: screening.threshold: Input should be less than or equal to 100",
        f"{path}: appeal_window_days: unknown key",  # unknown keys come after the known fields
    ]


def test_cross_reference_errors_are_reported_precisely(tmp_path: Path) -> None:
    text = edit(
        DEFAULT_TEXT,
        ('code = "fire_briefing"', 'code = "stewarding"'),
        ('tier = "enhanced"\ndescription = "200', 'tier = "platinum"\ndescription = "200'),
        ('show_if = "answers.own_carers_only == false"', 'show_if = "answers.own_carer == false"'),
        ('when = "event.expected_attendance >= 200"', "when = \"organisation.type == 'faith_group'\""),
        ('ground = "public_safety"', 'ground = "bad_vibes"'),
        ("enhanced = 15\n", ""),
        ('show_if = "event.open_to_public == true"', 'show_if = "event.open_to_public >= 3"'),
        ('id = "equality"', 'id = "lawful_purpose"'),
    )
    path = write(tmp_path, "bad.toml", text)
    assert check_policy_file(path) == [
        f"{path}: declarations.4.id: duplicate id 'lawful_purpose'",
        f"{path}: conditions.10.code: duplicate code 'stewarding'",
        f"{path}: questions.1.show_if: answers.own_carer refers to no question of this policy",
        f"{path}: questions.3.show_if: event.open_to_public is true or false; compare it with true or false",
        f"{path}: risk_triggers.3.tier: unknown tier 'platinum'; tiers: standard, public_or_speakers, "
        "enhanced",
        f"{path}: risk_triggers.3.when: a risk trigger cannot depend on organisation.type",
        f"{path}: notice_periods: no notice period for tier 'enhanced'",
        f"{path}: checks.5.ground: 'bad_vibes' is not one of this policy's refusal grounds",
    ]


@pytest.mark.parametrize(
    ("replacement", "expected"),
    [
        (
            ('when = "booking.external_speakers >= 1"', "when = \"event.title == 'Rally'\""),
            "risk_triggers.1.when: unknown field 'event.title'; use answers.<question id> or one of: "
            "event.open_to_public, event.under_18s, event.adults_at_risk, event.expected_attendance, "
            "booking.external_speakers, booking.notice_working_days, booking.occurrences",
        ),
        (
            ('show_if = "event.open_to_public == true"', "show_if = \"answers.admission == 'raffle'\""),
            "questions.3.show_if: a question cannot depend on its own answer",
        ),
        (
            ('show_if = "event.open_to_public == true"', 'show_if = "event.open_to_public =="'),
            "questions.3.show_if: missing value after '=='",
        ),
        (
            ('show_if = "event.open_to_public == true"', 'show_if = "event.open_to_public andor"'),
            "questions.3.show_if: expected 'and' or 'or', got 'andor'",
        ),
        (
            ('dbs_question = "dbs_confirmed"', 'dbs_question = "alcohol_licence"'),
            "checks.6.dbs_question: refers to no question of this policy: 'alcohol_licence'",
        ),
        (
            ('skips = ["registry_numbers", "booking_history"]', 'skips = ["screening"]'),
            "checks.0.skips.0: Input should be 'registry_numbers', 'insurance' or 'booking_history'",
        ),
        (("version = 2", "version = 0"), "version: Input should be greater than or equal to 1"),
        (('title = "Council venue', 'titel = "Council venue'), "title: required key is missing"),
    ],
)
def test_single_problems(tmp_path: Path, replacement: tuple[str, str], expected: str) -> None:
    path = write(tmp_path, "p.toml", edit(DEFAULT_TEXT, replacement))
    problems = check_policy_file(path)
    assert f"{path}: {expected}" in problems, problems


def test_trigger_may_not_read_free_text_answers(tmp_path: Path) -> None:
    text = DEFAULT_TEXT + (
        '\n[[questions]]\nid = "topic"\nlabel = "Topic"\nlabel_cy = "Pwnc"\ntype = "text"\n'
        '\n[[risk_triggers]]\nid = "topic"\nwhen = "answers.topic == \'x\'"\ntier = "enhanced"\n'
    )
    path = write(tmp_path, "p.toml", text)
    problems = check_policy_file(path)
    assert any("cannot read the free-text answer answers.topic" in p for p in problems), problems


def test_toml_syntax_error_reports_line(tmp_path: Path) -> None:
    path = write(tmp_path, "broken.toml", 'id = "x"\nversion = 1\ntitle = "unterminated\n')
    assert check_policy_file(path) == [f"{path}: line 3, column 22: invalid TOML: Illegal character '\\n'"]


def test_missing_file(tmp_path: Path) -> None:
    problems = check_policy_file(tmp_path / "nope.toml")
    assert len(problems) == 1
    assert problems[0].startswith(f"{tmp_path / 'nope.toml'}: (file): cannot read")


def test_load_policy_raises_with_all_problems(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.toml", edit(DEFAULT_TEXT, ('code = "fire_briefing"', 'code = "stewarding"')))
    with pytest.raises(PolicyError) as info:
        load_policy(path)
    assert [(p.where, p.message) for p in info.value.problems] == [
        ("conditions.10.code", "duplicate code 'stewarding'")
    ]


def test_model_validate_without_loader_still_checks_references() -> None:
    import tomllib

    data = tomllib.loads(
        edit(DEFAULT_TEXT, ('tier = "enhanced"\ndescription = "200', 'tier = "gold"\ndescription = "200'))
    )
    with pytest.raises(ValueError, match=r"risk_triggers\.3\.tier: unknown tier 'gold'"):
        Policy.model_validate(data)


def test_check_command_exit_codes(tmp_path: Path) -> None:
    good = str(POLICIES_DIR / "council-default.toml")
    bad = write(tmp_path, "bad.toml", edit(DEFAULT_TEXT, ("version = 2", 'version = "one"')))
    out, err = io.StringIO(), io.StringIO()
    assert check_files([good], out, err) == 0
    assert "council-default version 2" in out.getvalue()
    assert err.getvalue() == ""
    out, err = io.StringIO(), io.StringIO()
    assert check_files([good, str(bad)], out, err) == 1
    assert err.getvalue() == f"{bad}: version: Input should be a valid integer\n"


def test_default_declarations_are_the_default_policy_file_s_in_order() -> None:
    # Demo data, benchmarks and tests read the list from here instead of keeping a copy.
    with (POLICIES_DIR / f"{DEFAULT_POLICY_ID}.toml").open("rb") as fh:
        in_file = [d["id"] for d in tomllib.load(fh)["declarations"]]
    assert default_declarations() == in_file
    assert {"conditions_of_hire", "lawful_purpose", "equality"} <= set(in_file)
