"""Aliases a list marks as low quality: screened with a lower weight, explained as such, or not at all."""

from __future__ import annotations

import pytest

from vetting.names.weights import ScreeningWeights
from vetting.screening import FlaggedEntry, Screener

ENTRY = FlaggedEntry(
    id="E1",
    kind="organisation",
    name="Crescent Harbour Relief Fund",
    aliases=["Harbour Relief Trust"],
    weak_aliases=["Lantern Aid Collective"],
)


def test_an_exact_match_on_a_weak_alias_is_referred_with_a_lowered_score_and_says_why() -> None:
    (match,) = Screener([ENTRY]).screen("Lantern Aid Collective", "organisation")
    assert match.matched_name == "Lantern Aid Collective"
    assert match.score == 90.0
    assert match.explanation.startswith(
        "'Lantern Aid Collective' resembles 'Lantern Aid Collective', an alias the list marks as low quality "
        "(score 90, lowered from 100 because low-quality aliases weigh less): "
    )


def test_the_same_name_as_a_good_alias_scores_in_full() -> None:
    good = FlaggedEntry(id="E2", kind="organisation", name="Other Name", aliases=["Lantern Aid Collective"])
    (match,) = Screener([good]).screen("Lantern Aid Collective", "organisation")
    assert match.score == 100.0
    assert "low quality" not in match.explanation


def test_a_near_match_on_a_weak_alias_falls_below_the_threshold_that_a_good_one_would_reach() -> None:
    query = "Lanturn Ayd Colectiv"
    good = FlaggedEntry(id="E2", kind="organisation", name="Other Name", aliases=["Lantern Aid Collective"])
    (full,) = Screener([good]).screen(query, "organisation")
    assert 85 <= full.score < 94  # referred on a good alias
    assert Screener([ENTRY]).screen(query, "organisation") == []  # lowered below 85 on a weak one


def test_a_policy_may_leave_weak_aliases_unscreened_or_weigh_them_fully() -> None:
    off = Screener([ENTRY], weights=ScreeningWeights.from_mapping({"weak_alias_factor": 0}))
    assert off.screen("Lantern Aid Collective", "organisation") == []
    full = Screener([ENTRY], weights=ScreeningWeights.from_mapping({"weak_alias_factor": 1}))
    (match,) = full.screen("Lantern Aid Collective", "organisation")
    assert match.score == 100.0
    # The primary name still matches whatever the weak-alias setting.
    assert off.screen("Crescent Harbour Relief Fund", "organisation")[0].score == 100.0


def test_a_weight_outside_zero_to_one_is_refused() -> None:
    with pytest.raises(ValueError, match="between 0 and 1"):
        ScreeningWeights.from_mapping({"weak_alias_factor": 1.5})
