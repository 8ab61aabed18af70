"""The policy's `[delegation]` table: what venue managers see of screening (issue 17 item 4)."""

from __future__ import annotations

import pytest

from policies import load_policy_text
from policies.loader import PolicyError, bundled_policy_text


def _partner(extra: str) -> str:
    return bundled_policy_text("partner-example") + "\n" + extra


def test_without_the_table_managers_see_outcomes_only() -> None:
    policy = load_policy_text(_partner(""), "partner-example.toml")
    assert policy.delegation.screening_detail == "outcome"


def test_a_policy_may_let_managers_see_which_submitted_name_a_match_concerns() -> None:
    text = _partner('[delegation]\nscreening_detail = "submitted_names"\n')
    assert load_policy_text(text, "partner-example.toml").delegation.screening_detail == "submitted_names"


@pytest.mark.parametrize("value", ['"matched_names"', '"everything"', "true"])
def test_nothing_more_can_be_given_to_managers(value: str) -> None:
    with pytest.raises(PolicyError, match="screening_detail"):
        load_policy_text(_partner(f"[delegation]\nscreening_detail = {value}\n"), "partner-example.toml")
