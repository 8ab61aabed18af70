"""The policy's own words in Welsh (issue 18 item 4): the shipped policies give Welsh for every
text a hirer reads, a policy that gives Welsh for some texts and not others is refused, the
Welsh policy differs from the English only in words, and a condition an officer attached reads in
Welsh only when it is the policy's own wording."""

from __future__ import annotations

import re
from typing import Any

import pytest

from policies import PolicyError, bundled_policy, bundled_policy_ids, bundled_policy_text, load_policy_text
from policies.welsh import condition_words, gives_welsh, hirer_texts, in_language

_WELSH_LINE = re.compile(r"^(title|description|text|label|help|choice_labels)_cy = .*\n", re.MULTILINE)


def _without_welsh(text: str) -> str:
    return _WELSH_LINE.sub("", text)


@pytest.mark.parametrize("policy_id", bundled_policy_ids())
def test_the_shipped_policies_give_welsh_for_every_text_a_hirer_reads(policy_id: str) -> None:
    policy = bundled_policy(policy_id)
    assert gives_welsh(policy)
    texts = list(hirer_texts(policy))
    assert len(texts) > 30
    assert all(welsh and welsh != english for _, english, welsh in texts), [
        loc for loc, english, welsh in texts if not welsh or welsh == english
    ]


def test_a_policy_with_some_welsh_must_give_it_for_every_text_hirers_read() -> None:
    text = bundled_policy_text("council-default")
    # One declaration and one choice lose their Welsh: both are named, and nothing else.
    lawful = next(line for line in text.splitlines() if line.startswith('text_cy = "Dim ond at y diben'))
    text = text.replace(lawful + "\n", "").replace(', donation = "Drwy rodd" ', " ")
    with pytest.raises(PolicyError) as caught:
        load_policy_text(text, "p.toml")
    wheres = [p.where for p in caught.value.problems]
    assert wheres == ["declarations.1.text_cy", "questions.3.choice_labels_cy.donation"]
    assert "give it for this one too" in caught.value.problems[0].message


def test_a_policy_without_welsh_is_valid_and_reads_in_english() -> None:
    policy = load_policy_text(_without_welsh(bundled_policy_text("council-default")), "p.toml")
    assert not gives_welsh(policy)
    assert in_language(policy, "cy") is policy


def test_welsh_for_no_choice_or_for_no_english_is_refused() -> None:
    text = bundled_policy_text("council-default").replace(
        'choice_labels_cy = { free = "Am ddim",', 'choice_labels_cy = { raffle = "Raffl", free = "Am ddim",'
    )
    text = text.replace(
        'label = "Will alcohol be sold or supplied at the event?"\n',
        'label = "Will alcohol be sold or supplied at the event?"\nhelp_cy = "Cymorth"\n',
    )
    with pytest.raises(PolicyError) as caught:
        load_policy_text(text, "p.toml")
    assert sorted(p.where for p in caught.value.problems) == [
        "questions.2.help_cy",
        "questions.3.choice_labels_cy.raffle",
    ]


def _words_blanked(dumped: Any) -> Any:
    """A policy dump with every word a reader reads (in either language) blanked."""
    words = {"title", "description", "text", "label", "help", "choice_labels"}
    if isinstance(dumped, dict):
        return {k: None if k in words or k.endswith("_cy") else _words_blanked(v) for k, v in dumped.items()}
    if isinstance(dumped, list):
        return [_words_blanked(v) for v in dumped]
    return dumped


@pytest.mark.parametrize("policy_id", bundled_policy_ids())
def test_in_welsh_only_the_words_change(policy_id: str) -> None:
    english = bundled_policy(policy_id)
    welsh = in_language(english, "cy")
    assert welsh is not english
    assert in_language(english, "en") is english
    assert _words_blanked(welsh.model_dump()) == _words_blanked(english.model_dump())
    # Only tiers and triggers (officers' words) keep their English.
    assert welsh.title == english.title_cy
    assert [d.text for d in welsh.declarations] == [d.text_cy for d in english.declarations]
    assert [q.label for q in welsh.questions] == [q.label_cy for q in english.questions]
    assert [c.text for c in welsh.conditions] == [c.text_cy for c in english.conditions]
    assert [g.text for g in welsh.refusal_grounds] == [g.text_cy for g in english.refusal_grounds]
    assert [k.label for k in welsh.documents.kinds] == [k.label_cy for k in english.documents.kinds]


def test_choices_read_in_the_readers_language_and_stay_the_answers_kept() -> None:
    english = bundled_policy("council-default")
    admission = english.question("admission")
    welsh_admission = in_language(english, "cy").question("admission")
    assert admission is not None and welsh_admission is not None
    assert welsh_admission.choices == admission.choices == ["free", "ticketed", "donation"]
    assert [admission.choice_label(c) for c in admission.choices] == ["Free", "Ticketed", "Donation"]
    welsh_labels = [welsh_admission.choice_label(c) for c in admission.choices]
    assert welsh_labels == ["Am ddim", "Gyda thocyn", "Drwy rodd"]


def test_a_condition_reads_in_welsh_only_when_it_is_the_policys_own_wording() -> None:
    policy = bundled_policy("council-default")
    own = policy.condition_of_hire("no_alcohol")
    assert own is not None and own.text_cy
    assert condition_words(policy, "no_alcohol", own.text, "cy") == own.text_cy
    assert condition_words(policy, "no_alcohol", own.text, "en") == own.text
    # The officer wrote their own words for the code: shown as written, never swapped for the policy's.
    varied = "No alcohol is sold or supplied after 20:00."
    assert condition_words(policy, "no_alcohol", varied, "cy") == varied
    assert condition_words(policy, None, own.text, "cy") == own.text
    assert condition_words(policy, "no_such_code", own.text, "cy") == own.text
