"""Two shortcuts of the screener for names found by a common part (issue 21, p99 and worst case):
names differing only in parts that pair with nothing are aligned once per shape
(``Screener._screen_parts``), and ``leftover.JoinedForms`` decides the joined-form test for many
names at once. Both must give exactly the answers of aligning and testing each name by itself."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest

from tests.vetting.invented_words import invented_word
from vetting import screening
from vetting.names import leftover, reach, store
from vetting.names.compare import compare_parts
from vetting.names.normalise import NamePart, normalise_name
from vetting.screening import FlaggedEntry, Screener

SYLLABLES = ["ka", "lo", "mi", "ren", "sha", "tov", "vel", "dar", "ius", "ne", "gou", "ba", "tre", "po"]


def _word(rng: random.Random) -> str:
    return invented_word(rng, SYLLABLES)


def _entries() -> list[FlaggedEntry]:
    # Invented names: hundreds of one shape ("Gousha <word> Velkora", as a list with a very common
    # given name and surname holds), beside names of the same parts in other places and lengths.
    rng = random.Random(5)
    entries = []
    for number in range(360):
        shape = number % 6
        if shape in (0, 1):
            name = f"Gousha {_word(rng)} Velkora"
        elif shape == 2:
            name = f"{_word(rng)} Gousha Velkora"
        elif shape == 3:
            name = f"Gousha {_word(rng)} {_word(rng)} Velkora"
        elif shape == 4:
            name = f"Gousha {_word(rng)}"
        else:
            name = f"{_word(rng)} {_word(rng)} Velkora"
        kind = "organisation" if number % 11 == 0 else "person"
        entries.append(FlaggedEntry(f"P{number}", kind, name))
    entries += [
        FlaggedEntry("J1", "person", "Gou Sha Velkora"),  # written together: Gousha
        FlaggedEntry("J2", "person", "Gousha Vel Kora"),
        FlaggedEntry("J3", "person", "Gousha Velko Ra Tovka"),
        FlaggedEntry("E1", "person", "Gousha Velkora"),
    ]
    return entries


QUERIES = [
    *("Gousha Velkora", "Velkora Gousha", "Gousha Velkorra", "Gousha Velkovra", "Gousha", "Velkora"),
    *("Goushavelkora", "Gousha Vel Kora", "G Velkora", "Gousha V", "Gousha Tovka Velkora", "Gousha Kalo"),
    # Initials, which may pair with any part of their letter: "Gousha K Velkora" for hundreds.
    *("Gousha K Velkora", "Gousha k", "Gousha t k", "V Gousha m", "Gousha Velkora D."),
]


def _answers(screener: Screener) -> dict[tuple[str, str | None], list[tuple[str, float, str]]]:
    return {
        (query, kind): [(m.entry_id, m.score, m.explanation) for m in screener.screen(query, kind=kind)]  # type: ignore[arg-type]
        for query in QUERIES
        for kind in ("person", "organisation", None)
    }


@pytest.mark.parametrize("saved", [True, False])  # with the length facts a saved screener carries, or without
def test_shapes_and_joined_forms_in_bulk_give_the_answers_of_one_name_at_a_time(
    monkeypatch: pytest.MonkeyPatch, saved: bool
) -> None:
    screener = Screener(_entries())
    if saved:
        screener.work_out_saved_facts()
    aligned: list[int] = []
    bulk: list[int] = []
    original_align, original_bulk = screening.align, leftover.joined_matches

    def counting_align(*args, **kwargs):  # type: ignore[no-untyped-def]  # the test's spy
        aligned.append(1)
        return original_align(*args, **kwargs)

    def counting_bulk(arrays, names, *args):  # type: ignore[no-untyped-def]  # the test's spy
        bulk.append(len(names))
        return original_bulk(arrays, names, *args)

    # Names of one shape are judged once: the listed-side tests run once per shape, not per name.
    tested: list[int] = []
    original_below = screening.surely_below

    def counting_below(*args, **kwargs):  # type: ignore[no-untyped-def]  # the test's spy
        tested.append(1)
        return original_below(*args, **kwargs)

    monkeypatch.setattr(screening, "align", counting_align)
    monkeypatch.setattr(leftover, "joined_matches", counting_bulk)
    monkeypatch.setattr(screening, "surely_below", counting_below)
    together = _answers(screener)
    with_shapes, tested_with_shapes = len(aligned), len(tested)
    assert sum(bulk) > 50, "the bulk joined-form test must have decided names here"
    assert together[("Gousha Velkora", "person")], "the queries must find something"

    # One name at a time: no part left out of the alignment's key, every joined form compared alone.
    monkeypatch.setattr(screening, "shape_of", lambda *args: None)
    monkeypatch.setattr(leftover.JoinedForms, "_ONE_BY_ONE", 10**9)
    aligned.clear()
    tested.clear()
    assert _answers(screener) == together
    assert with_shapes * 3 < len(aligned), (with_shapes, len(aligned))
    assert tested_with_shapes * 2 < len(tested), (tested_with_shapes, len(tested))


def test_a_name_whose_joined_form_pairs_is_not_aligned_by_its_shape() -> None:
    # "Gou Sha Velkora": its parts "gou" and "sha" pair with nothing alone, but written together
    # they are the query's Gousha; a shape leaving them out would score it as a missing-part name.
    entries = [FlaggedEntry(f"P{i}", "person", f"Gou Sha Velkora{'x' * (i % 2)}") for i in range(12)]
    entries += [FlaggedEntry(f"Q{i}", "person", f"Gou Ren{i % 3} Velkora") for i in range(12)]
    screener = Screener(entries)
    screener.work_out_saved_facts()
    found = {m.entry_id: m.score for m in screener.screen("Gousha Velkora", kind="person")}
    assert found["P0"] == 100.0
    assert "Q0" not in found or found["Q0"] < found["P0"]


def _together_and_alone(screener: Screener, singles: list[NamePart]) -> tuple[list[bool], list[bool]]:
    """Per listed name: whether a joined form matches one of ``singles``, in bulk and one by one."""
    index = screener._index
    names = list(range(len(index.names)))
    together = reach.joined_matches(
        screener._arrays, np.array(names, dtype=np.int64), singles, index.vocabulary, screener._data,
        screener.weights,
    )  # fmt: skip
    alone = [
        any(
            compare_parts(part, index.vocabulary[v], screener._data, screener.weights) is not None
            for v in index.joined[name]
            for part in singles
        )
        for name in names
    ]
    return together.tolist(), alone


def test_joined_matches_for_many_names_equals_each_name_alone() -> None:
    screener = Screener(_entries())
    screener.work_out_saved_facts()
    query = tuple(part for text in ("Gousha Velkora", "Goushavel Kora") for part in _parts(text))
    singles = [part for part in query if len(part.text) > 1]
    together, alone = _together_and_alone(screener, singles)
    assert together == alone
    assert any(alone), "some name's parts written together must match"


@pytest.mark.parametrize("saved", [True, False])
def test_joined_forms_compared_once_are_not_compared_again(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, saved: bool
) -> None:
    # Each reading of a name and each group of names compares the same joined forms again: the
    # screening's memo keeps each answer (and, for a saved screener, texts are read in one go).
    built = Screener(_entries())
    if saved:
        built.save(tmp_path / "index.screener")
    screener = Screener.load(tmp_path / "index.screener") if saved else built
    assert screener is not None
    index, arrays = screener._index, screener._arrays
    singles = [part for part in _parts("Gousha Velkora Goushavel") if len(part.text) > 1]
    names = np.arange(len(index.names), dtype=np.int64)
    compared: list[str] = []
    original = reach.compare_parts

    def counting(part: NamePart, form: NamePart, *args: object) -> object:
        compared.append(form.text)
        return original(part, form, *args)  # type: ignore[arg-type]  # passed on as given

    monkeypatch.setattr(reach, "compare_parts", counting)
    memo: reach.JoinedMemo = {}
    first = reach.joined_matches(
        arrays, names, singles, index.vocabulary, screener._data, screener.weights, memo
    )
    assert compared and memo
    made = len(compared)
    again = reach.joined_matches(
        arrays, names, singles, index.vocabulary, screener._data, screener.weights, memo
    )
    assert again.tolist() == first.tolist() and first.any()
    assert len(compared) == made  # nothing compared twice
    fresh = reach.joined_matches(arrays, names, singles, index.vocabulary, screener._data, screener.weights)
    assert fresh.tolist() == first.tolist()


def test_texts_read_together_are_the_texts_read_one_by_one() -> None:
    texts = ["gousha", "", "velkora", "şahin", "عبد", "x", "kora"]
    written = store.strings(texts)
    saved = store.Texts(written["blob"], written["starts"])
    for ids in ([0, 1, 2, 3, 4, 5, 6], [6, 3, 3, 0], [], [1, 1]):
        assert saved.many(ids) == [saved[i] for i in ids]
        assert saved.many(np.array(ids, dtype=np.int64)) == [texts[i] for i in ids]


def _parts(text: str) -> tuple[NamePart, ...]:
    return normalise_name(text).parts


def test_joined_forms_of_known_variants_are_compared_in_bulk_as_alone() -> None:
    # A query part in a class of known variants ("Muhammad", "Stephen") matches a joined form
    # spelt as another of its class ("Moha Med" -> mohamed), or with the spelling key of one,
    # however far apart they are written: the bulk test must keep those names.
    rng = random.Random(8)
    entries = [
        FlaggedEntry(f"V{i}", "person", f"{first} {_word(rng)}")
        for i, first in enumerate(["Moha Med", "Mo Hamed", "Ste Fan", "Step Hen", "Ste Ven", "Mah Moud"] * 30)
    ]
    screener = Screener(entries)
    screener.work_out_saved_facts()
    singles = [part for part in _parts("Muhammad Stephen Velkora") if len(part.text) > 1]
    together, alone = _together_and_alone(screener, singles)
    assert together == alone
    assert sum(alone) >= 60, "the joined forms of known variants must match"
