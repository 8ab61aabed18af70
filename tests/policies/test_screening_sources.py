"""Every policy screens the hand-added source, whether its file lists it or not."""

from __future__ import annotations

from policies import HAND_ADDED_SOURCE, Screening, bundled_policy_ids, bundled_policy_text, load_policy_text


def test_a_policy_that_omits_the_hand_added_source_still_screens_it() -> None:
    text = bundled_policy_text("council-default")
    old = 'sources = ["uk-sanctions", "ofac-sdn", "proscribed", "local"]'
    assert old in text
    policy = load_policy_text(text.replace(old, 'sources = ["uk-sanctions"]', 1), "council-default.toml")
    assert policy.screening.sources == ["uk-sanctions", HAND_ADDED_SOURCE]


def test_listed_once_and_every_source_when_none_are_listed() -> None:
    assert Screening(sources=["local", "proscribed"]).sources == ["local", "proscribed"]
    assert Screening(sources=[]).sources == []  # no list: every source, hand-added ones included
    for policy_id in bundled_policy_ids():
        text = bundled_policy_text(policy_id)
        assert HAND_ADDED_SOURCE in load_policy_text(text, f"{policy_id}.toml").screening.sources
