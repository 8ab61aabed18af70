"""The screener skips listed names whose score cannot reach the threshold, judging by their own
parts left over; it must never skip one that would. Checked against aligning the query with every
listed name that the index finds and the query-side bound alone lets through. Where the index and
that bound miss a name, the screener compares the query parts the index did not find it by with the
listed name's parts (and its parts written together) before skipping it: so the screener finds
whatever aligning with every listed name finds (plus names within longer names, which aligning
charges for the extra words)."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import pytest

from vetting.names.compare import align
from vetting.names.normalise import normalise_name
from vetting.screening import FlaggedEntry, Match, Screener

EVAL = Path(__file__).resolve().parents[2] / "bench" / "data" / "screening_eval"
sys.path.insert(0, str(EVAL.parents[1]))  # bench/ holds the synthetic list generator

from screening import synthetic_entries  # noqa: E402  (bench module, after the path tweak)


def _eval_entries() -> list[FlaggedEntry]:
    with (EVAL / "flagged.csv").open(encoding="utf-8") as handle:
        return [
            FlaggedEntry(
                row["id"], row["kind"], row["name"], [a for a in (row["aliases"] or "").split("|") if a]
            )
            for row in csv.DictReader(handle)
        ]


def _queries() -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for name, column in (("variants.csv", "query"), ("ordinary.csv", "name")):
        with (EVAL / name).open(encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        # Every 29th row: all naming cultures, scripts and kinds, some seconds of brute force.
        out += [(row[column], row.get("kind") or "person") for row in rows[::29]]
    return out


def _align_all(
    screener: Screener, entries: list[FlaggedEntry], name: str, kind: str, everything: bool = False
) -> set[tuple[str, float]]:
    """Align with every candidate the index finds whose query-side bound reaches the threshold
    (or with every listed name), keep the best per entry."""
    query = normalise_name(name, screener._data.abbreviations).parts
    weights = tuple(screener._weight(part.text, kind == "organisation") for part in query)
    found_by_index = screener._hits(query)
    initials = sum(1 << i for i, part in enumerate(query) if len(part.text) == 1)
    query_side = screener._ceiling({kind: weights}, initials)
    best: dict[str, float] = {}
    for name_id, listed in enumerate(screener._index.names):
        if not everything and (
            name_id not in found_by_index
            or query_side(kind, found_by_index[name_id]) < screener.threshold - 0.05
        ):
            continue
        entry = entries[listed.entry]
        if entry.kind != kind:
            continue
        found = align(
            query, weights, listed.parts, listed.weights, screener._data, screener.weights, {},
            person=kind == "person",
        )  # fmt: skip
        if found.score >= screener.threshold and found.score > best.get(entry.id, -1.0):
            best[entry.id] = found.score
    return set(best.items())


def _found(matches: list[Match]) -> set[tuple[str, float]]:
    return {(m.entry_id, m.score) for m in matches}


# Two single parts two edits apart that start differently (Jaspreet, Harpreet: 85.9 with Harpreet
# Singh Dhaliwal) are beyond the index's keys and its first-letter cut; only at a lowered threshold
# does that reach it. Recorded here and by the strict xfail below.
_KNOWN_GAPS = {("Jaspreet Dhaliwal", 70.0)}


def _explained_beyond_aligning(matches: list[Match], aligned: set[tuple[str, float]]) -> bool:
    """Every entry aligning finds is matched at least as high; a higher score or an entry aligning
    does not find comes from a reading of the name or a listed name within a longer one."""
    scores = {m.entry_id: m for m in matches}
    for entry_id, score in aligned:
        if entry_id not in scores or scores[entry_id].score < score:
            return False
    aligned_scores = dict(aligned)
    return all(
        "listed name within a longer name" in m.explanation or "read as" in m.explanation
        for m in matches
        if m.score != aligned_scores.get(m.entry_id)
    )


@pytest.mark.parametrize("threshold", [85.0, 70.0])
def test_screening_skips_no_candidate_that_reaches_the_threshold(threshold: float) -> None:
    entries = _eval_entries() + synthetic_entries(300)
    screener = Screener(entries, threshold=threshold)
    differing = []
    for name, kind in _queries():
        if (name, threshold) in _KNOWN_GAPS:
            continue
        matches = screener.screen(name, kind)
        aligned = _align_all(screener, entries, name, kind)
        if not _explained_beyond_aligning(matches, aligned):
            differing.append((name, kind, _found(matches), aligned))
    assert not differing


def test_query_parts_written_together_may_match_beyond_what_found_the_name() -> None:
    # "Dragan" finds "Draigainou"; "Dragan Ivanov" written together matches it too, so Ivanov is
    # not a part left over, and the score is higher than the parts that found the name suggest.
    screener = Screener([FlaggedEntry("S1", "person", "Kuja Draigainou")], threshold=70.0)
    assert [m.entry_id for m in screener.screen("Dragan Ivanov", "person")] == ["S1"]


def test_a_query_part_may_match_listed_parts_written_together() -> None:
    screener = Screener([FlaggedEntry("S2", "person", "Abdul Rahman Qasimi")], threshold=85.0)
    found = screener.screen("Abdulrahman Qasimi", "person")
    assert [m.entry_id for m in found] == ["S2"]
    assert found[0].score >= 85.0


def test_a_part_the_index_misses_is_compared_before_the_name_is_skipped() -> None:
    # Aligning "Jeanluc Marketti" with "Jean-Luc Marchetti" scores 87.5; the index finds the
    # listed name only through "Jeanluc" (Marketti is two edits from Marchetti, beyond its keys),
    # and with Marketti taken for unmatched the query-side bound ruled it out.
    entries = _eval_entries()
    screener = Screener(entries, threshold=85.0)
    expected = _align_all(screener, entries, "Jeanluc Marketti", "person", everything=True)
    assert expected
    assert _found(screener.screen("Jeanluc Marketti", "person")) == expected


def test_one_word_for_two_listed_parts_in_another_spelling_is_not_skipped() -> None:
    # "Marialuiza" is found by no index key of "Maria Luisa" (parts written together are filed
    # under their exact and spelling keys only), yet it pairs with them one edit apart.
    screener = Screener(
        [FlaggedEntry("M1", "person", "María Luisa Fernández Ortega")]
        + [FlaggedEntry(f"Z{i}", "person", f"Zorada{i} Fernandez") for i in range(3)],
        threshold=85.0,
    )
    found = screener.screen("Marialuiza Fernández Ortega", "person")
    assert [m.entry_id for m in found][:1] == ["M1"]
    assert found[0].score >= 90


@pytest.mark.xfail(
    strict=True, reason="known gap: two edits apart and starting differently (see _KNOWN_GAPS)"
)
def test_known_gap_two_edits_and_another_first_letter() -> None:
    screener = Screener([FlaggedEntry("P", "person", "Harpreet Singh Dhaliwal")], threshold=70.0)
    assert screener.screen("Jaspreet Dhaliwal", "person")


def test_a_repeated_query_part_pairs_once_per_listed_part() -> None:
    # Bound: "Gousha" twice in the query pairs with one listed "Gousha" only, so the names with one
    # such part are skipped; a listed name with the part twice still gets both.
    entries = [FlaggedEntry("R1", "person", "Tavio Gousha Gousha")] + [
        FlaggedEntry(f"S{i}", "person", f"Brenno{chr(97 + i % 26)}{i} Gousha") for i in range(300)
    ]
    screener = Screener(entries)
    query = normalise_name("Droukhak Gousha Gousha", screener._data.abbreviations).parts
    hits = screener._hits(query)
    single = {name_id for name_id, listed in enumerate(screener._index.names) if listed.entry > 0}
    assert {hits[name_id] for name_id in single} == {0b010}  # one bit: one listed part to pair with
    assert hits[0] == 0b110  # the listed name with "Gousha" twice gets both
    assert [m.entry_id for m in screener.screen("Tavio Gousha Gousha", "person")] == ["R1"]
    assert _found(screener.screen("Droukhak Gousha Gousha", "person")) == _align_all(
        screener, entries, "Droukhak Gousha Gousha", "person", everything=True
    )
