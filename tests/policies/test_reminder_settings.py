"""The policy's [reminders] section: defaults when absent, values checked by the loader."""

from __future__ import annotations

import pytest

from policies import PolicyError, bundled_policy, bundled_policy_ids, bundled_policy_text, load_policy_text

TEXT = bundled_policy_text("council-default")


def test_bundled_policies_get_the_defaults() -> None:
    for policy_id in bundled_policy_ids():
        reminders = bundled_policy(policy_id).reminders
        assert (reminders.booking_days_before, reminders.information_reminder_working_days) == (3, 5)
        assert reminders.information_lapse_working_days == 5


def test_a_policy_sets_its_own_reminders() -> None:
    text = TEXT + "\n[reminders]\nbooking_days_before = 7\ninformation_reminder_working_days = 3\n"
    reminders = load_policy_text(text, "own.toml").reminders
    assert (reminders.booking_days_before, reminders.information_reminder_working_days) == (7, 3)
    assert reminders.information_lapse_working_days == 5


@pytest.mark.parametrize(
    ("line", "where"),
    [
        ("booking_days_before = -1", "reminders.booking_days_before"),
        ("information_reminder_working_days = 0", "reminders.information_reminder_working_days"),
        ("information_lapse_working_days = 99", "reminders.information_lapse_working_days"),
        ("lapse_after = 3", "reminders.lapse_after"),
    ],
)
def test_the_loader_names_a_bad_value(line: str, where: str) -> None:
    with pytest.raises(PolicyError) as refused:
        load_policy_text(TEXT + f"\n[reminders]\n{line}\n", "bad.toml")
    assert [p.where for p in refused.value.problems] == [where]
