"""The listed-side bound decided for many names at once (vetting/names/reach.py): a common part
alone as the query found thousands of names, each skipped one at a time (300 ms at 100,000
entries). Deciding them together must give exactly the matches of deciding them one by one."""

from __future__ import annotations

import functools
import random

import numpy as np
import pytest

from tests.vetting.invented_words import invented_word
from vetting import screening
from vetting.names import reach
from vetting.names.compare import compare_parts
from vetting.names.keys import edit_budget
from vetting.names.normalise import LATIN, NamePart
from vetting.screening import FlaggedEntry, Screener

SYLLABLES = ["ka", "lo", "mi", "ren", "sha", "tov", "vel", "dar", "ius", "ne", "gou", "ba"]


def _word(rng: random.Random) -> str:
    return invented_word(rng, SYLLABLES)


def _entries() -> list[FlaggedEntry]:
    rng = random.Random(3)
    entries = []
    for number in range(400):
        shape = number % 5
        if shape == 0:
            name = f"Gousha {_word(rng)}"
        elif shape == 1:
            name = f"{_word(rng)} Gousha {_word(rng)}"
        elif shape == 2:
            name = f"Gou Sha{rng.choice(['', 'b', 'r'])} {_word(rng)}"  # written together: Gousha(b)
        elif shape == 3:
            name = f"Goushka {_word(rng)}"  # one edit from the query part
        else:
            name = f"{_word(rng)} {_word(rng)}"
        entries.append(FlaggedEntry(f"P{number}", "person", name))
    entries += [
        FlaggedEntry("G1", "person", "Gousha"),
        FlaggedEntry("G2", "person", "Gou Sha"),
        FlaggedEntry("O1", "organisation", "Gousha Recu Network"),
        FlaggedEntry("O2", "organisation", "Gousha Trust"),
        FlaggedEntry("P9", "person", "Yousef Abdel Karim"),
        FlaggedEntry("P10", "person", "Abdul Kareem Yusif"),
        FlaggedEntry("P11", "person", "Muhammad Yousuf Khan"),
        FlaggedEntry("O3", "organisation", "Red Bde Assn"),
    ]
    return entries


INITIALS = ("Gousha k", "Gousha t m", "K Gousha", "Goushka d", "Gousha Kalo r")
QUERIES = [
    *("Gousha", "Goushab", "Gousha Gousha", "Gousha Kalo", "Goushka", "Gou Sha", "Gousha Trust"),
    # Names found by one query part of two or three: the others left over, maybe one word for two.
    *("Gousha Kalomiren", "Bagoukalo Gousha", "Gousha Shabakalo", "Tovka Gousha Renmi", "Gousha Recu"),
    # Initials: decided together too, by the first letters of each name's parts.
    *INITIALS,
]


def _answers(screener: Screener, query: str, kind: str | None) -> list[tuple[str, float, str]]:
    return [(m.entry_id, m.score, m.explanation) for m in screener.screen(query, kind=kind)]  # type: ignore[arg-type]


def _count_dropped(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many names each call of the bulk bound drops (a spy on reach.beyond_reach)."""
    dropped: list[int] = []
    original = reach.beyond_reach

    def counting(arrays, kept, **kwargs):  # type: ignore[no-untyped-def]  # the test's spy
        left = original(arrays, kept, **kwargs)
        dropped.append(len(kept) - len(left))
        return left

    monkeypatch.setattr(screening, "beyond_reach", counting)
    return dropped


@pytest.mark.parametrize("saved", [True, False])  # with the length facts a saved screener carries, or without
@pytest.mark.parametrize("threshold", [70.0, 85.0])
def test_deciding_names_together_matches_deciding_them_one_by_one(
    monkeypatch: pytest.MonkeyPatch, threshold: float, saved: bool
) -> None:
    screener = Screener(_entries(), threshold=threshold)
    if saved:
        screener.work_out_saved_facts()
    dropped = _count_dropped(monkeypatch)
    together = {(q, k): _answers(screener, q, k) for q in QUERIES for k in ("person", "organisation", None)}
    if threshold == 85.0:
        assert sum(dropped) > 100  # the bulk path really decided names here
    assert together[("Gousha", "person")]
    monkeypatch.setattr(screening, "beyond_reach", lambda arrays, kept, **kwargs: kept)
    for (query, kind), answer in together.items():
        assert answer == _answers(screener, query, kind), (query, kind)


def test_names_found_beside_query_initials_are_decided_together(monkeypatch: pytest.MonkeyPatch) -> None:
    screener = Screener(_entries(), threshold=85.0)
    screener.work_out_saved_facts()
    dropped = _count_dropped(monkeypatch)
    for query in INITIALS:
        screener.screen(query, kind="person")
    assert sum(dropped) > 100, dropped


def test_a_query_part_matching_parts_written_together_keeps_the_name() -> None:
    screener = Screener(_entries())
    found = {m.entry_id for m in screener.screen("Gousha", kind="person")}
    assert {"G1", "G2"} <= found


def test_the_length_test_rejects_only_what_comparing_rejects() -> None:
    screener = Screener(_entries())
    screener.work_out_saved_facts()
    arrays, vocabulary = screener._arrays, screener._index.vocabulary
    forms = np.arange(len(vocabulary))
    for query in (
        *("gousha", "goushab", "ka", "velkov", "sharen", "shagou", "kalomiren", "dariusvel", "tovka"),
        *("brigade", "yusuf", "abdulkarim", "mohammed", "association"),  # in classes of known variants
    ):
        part = NamePart(query, LATIN, query)
        may = reach._may_match(arrays, forms, part, screener._data)
        tests = [may]
        if not screener._data.classes_of(query):  # the closer look, after it, for parts in no class
            texts = arrays.vocabulary_texts(forms.tolist())
            arabic = arrays.arabic[forms] != 0
            tests += [
                may & reach._close_enough(part, texts, arabic, lengths)
                for lengths in (arrays.key_lengths, None)
            ]
            # With the spelling keys a saved screener carries, compared in one call.
            saved = functools.partial(reach._saved_keys, arrays, forms)
            tests.append(may & reach._close_enough(part, texts, arabic, arrays.key_lengths, saved))
        for kept in tests:
            for v in np.flatnonzero(~kept).tolist():
                assert compare_parts(part, vocabulary[v], screener._data, screener.weights) is None, (
                    query,
                    v,
                )


def test_edit_budgets_of_many_lengths_are_each_lengths_budget() -> None:
    lengths = np.arange(0, 40, dtype=np.int64)
    assert reach._budgets(lengths).tolist() == [edit_budget(int(n)) for n in lengths]
