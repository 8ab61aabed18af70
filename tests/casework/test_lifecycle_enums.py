"""Case status and decision outcome as StrEnums (vetting.lifecycle): one spelling, stored and shown
as the plain strings the database, the API and the pages already use."""

from __future__ import annotations

import pytest

from api.web.common import STAFF_STATUS_LABELS
from vetting.errors import Conflict
from vetting.lifecycle import (
    CLOSED_STATUSES,
    HOLDING_STATUSES,
    OPEN_STATUSES,
    STATUSES,
    TRANSITIONS,
    CaseStatus,
    Outcome,
    next_status,
)


def test_the_status_groups_partition_the_statuses() -> None:
    groups = [*OPEN_STATUSES, *HOLDING_STATUSES, *CLOSED_STATUSES]
    assert sorted(groups) == sorted(STATUSES)
    assert len(set(groups)) == len(groups)


def test_statuses_and_outcomes_are_their_strings() -> None:
    assert CaseStatus.UNDER_REVIEW == "under_review"
    assert f"{CaseStatus.AWAITING_ACCEPTANCE}" == "awaiting_acceptance"
    assert {str(o) for o in Outcome} >= {"approve", "refuse", "request_information"}
    assert next_status("under_review", "approve") is CaseStatus.CONFIRMED


def test_every_transition_joins_two_statuses_and_staff_see_a_label_for_each() -> None:
    for (source, _action), target in TRANSITIONS.items():
        assert isinstance(source, CaseStatus)
        assert isinstance(target, CaseStatus)
    assert set(STAFF_STATUS_LABELS) >= set(STATUSES)


@pytest.mark.parametrize(("status", "action"), [("refused", "approve"), ("no_such_status", "approve")])
def test_a_move_the_table_does_not_allow_is_a_conflict(status: str, action: str) -> None:
    with pytest.raises(Conflict):
        next_status(status, action)
