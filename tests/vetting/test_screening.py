"""Behaviour of the name screener (vetting.screening): each kind of variant, fairness, threshold."""

from __future__ import annotations

import gc

import pytest

from vetting.screening import (
    DEFAULT_THRESHOLD,
    FlaggedEntry,
    Match,
    Screener,
    ScreeningWeights,
    compare_names,
)

ENTRIES = [
    FlaggedEntry(id="E1", kind="organisation", name="Example Front", aliases=["EF Group"]),
    FlaggedEntry(id="E2", kind="person", name="Jane Q Example", aliases=[]),
    FlaggedEntry(id="P1", kind="person", name="Yevgeny Petrovich Sorokin"),
    FlaggedEntry(id="P2", kind="person", name="Uthman Sami Haddad"),
    FlaggedEntry(id="P3", kind="person", name="Imran Tariq Chaudhry"),
    FlaggedEntry(id="P4", kind="person", name="Wang Xiaoming"),
    FlaggedEntry(id="P5", kind="person", name="Stavros Kyriakidis"),
    FlaggedEntry(id="P6", kind="person", name="Khalid Faris Al-Zahrani"),
    FlaggedEntry(id="O1", kind="organisation", name="New Dawn Solidarity Association"),
    FlaggedEntry(id="O2", kind="organisation", name="Crimson Crescent Front"),
]


@pytest.fixture(scope="module")
def screener() -> Screener:
    return Screener(ENTRIES)


def _top(screener: Screener, name: str, kind: str | None = None) -> Match:
    matches = screener.screen(name, kind=kind)  # type: ignore[arg-type]  # tests pass plain strings
    assert matches, f"{name!r} was not matched"
    return matches[0]


@pytest.mark.parametrize(
    ("query", "entry_id", "how"),
    [
        ("Jane Exampel", "E2", "spelling variant"),
        ("Евгений Сорокин", "P1", "transliteration"),
        ("Evgeny Sorokin", "P1", "known variant"),
        ("عثمان سامي حداد", "P2", "transliteration"),
        ("Othman Sami Haddad", "P2", "known variant"),
        ("Imran Choudhury", "P3", "known variant"),
        ("I. T. Chaudhry", "P3", "initial"),
        ("Imran Chaudhry", "P3", "missing part"),
        ("王小明", "P4", "transliteration"),
        ("Σταύρος Κυριακίδης", "P5", "transliteration"),
        ("Khaled El Zahrani", "P6", "known variant"),
        ("New Dawn Solidarity Assoc. Ltd", "O1", "legal form, filler word or particle"),
        ("The CRIMSON CRESCENT FRONT (UK) Limited", "O2", "exact"),
    ],
)
def test_each_kind_of_variant_matches_with_an_explanation(
    screener: Screener, query: str, entry_id: str, how: str
) -> None:
    match = _top(screener, query)
    assert match.entry_id == entry_id
    assert match.query_name == query
    assert how in match.explanation
    assert match.score >= DEFAULT_THRESHOLD


def test_explanation_names_the_parts(screener: Screener) -> None:
    match = _top(screener, "Jane Exampel", "person")
    assert match.matched_name == "Jane Q Example"
    assert "Jane matches Jane (exact)" in match.explanation
    assert "Exampel matches Example (spelling variant" in match.explanation
    assert "Q not in the screened name (missing part)" in match.explanation


def test_typo_in_a_part_is_found(screener: Screener) -> None:
    assert _top(screener, "Imran Tariq Chaudhoy").entry_id == "P3"


@pytest.mark.parametrize(
    "ordinary",
    [
        "Mohammed Khan",
        "Jane Smith",
        "Yevgeny Ivanov",
        "Tariq Mahmood",
        "Sami Nasser",
        "Wang Wei",
        "Leeds Community Association",
        "New Dawn Youth Club",
        "Crescent Arts Collective Ltd",
        "Khalid Hamdan",
    ],
)
def test_ordinary_names_sharing_one_part_are_not_referred(screener: Screener, ordinary: str) -> None:
    assert screener.screen(ordinary) == []


def test_surname_comma_given_order(screener: Screener) -> None:
    assert _top(screener, "EXAMPLE, Jane Q").score == 100.0
    assert _top(screener, "SOROKIN, Yevgeny Petrovich").entry_id == "P1"


def test_kind_filters_entries(screener: Screener) -> None:
    assert _top(screener, "Example Front", "organisation").entry_id == "E1"
    assert screener.screen("Example Front", kind="person") == []
    assert all(m.entry_id != "E1" for m in screener.screen("Jane Example", kind="person"))
    with pytest.raises(ValueError):
        screener.screen("Jane Example", kind="company")  # type: ignore[arg-type]  # deliberately wrong


def test_alias_is_matched(screener: Screener) -> None:
    match = _top(screener, "EF Group Ltd", "organisation")
    assert (match.entry_id, match.matched_name) == ("E1", "EF Group")


def test_threshold_decides_what_is_returned() -> None:
    score = compare_names("Jane Example", "Jane Q Example").score
    assert 0 < score < 100
    assert Screener(ENTRIES, threshold=score).screen("Jane Example", kind="person")
    assert not Screener(ENTRIES, threshold=score + 0.1).screen("Jane Example", kind="person")
    with pytest.raises(ValueError):
        Screener(ENTRIES, threshold=101)


def test_results_are_best_first_one_per_entry() -> None:
    screener = Screener(
        [
            FlaggedEntry("A", "person", "Jane Example", aliases=["Jane Exampel"]),
            FlaggedEntry("B", "person", "Jane Q Example"),
        ]
    )
    matches = screener.screen("Jane Example")
    assert [m.entry_id for m in matches] == ["A", "B"]
    assert matches[0].score == 100.0 and matches[0].score > matches[1].score


def test_common_parts_count_less_than_rare_ones() -> None:
    common = compare_names("Mohammed Khan", "Mohammed Tariq Khan").score
    rare = compare_names("Tariq Khan", "Mohammed Tariq Khan").score
    assert common < DEFAULT_THRESHOLD <= rare


def test_missing_part_costs_less_than_disagreeing_part() -> None:
    missing = compare_names("Imran Chaudhry", "Imran Tariq Chaudhry").score
    disagreeing = compare_names("Imran Bilal Chaudhry", "Imran Tariq Chaudhry").score
    assert missing > disagreeing


def test_weights_are_configurable() -> None:
    strict = ScreeningWeights(missing_part_cost=1.0, middle_name_factor=1.0)
    assert (
        compare_names("Imran Chaudhry", "Imran Tariq Chaudhry", weights=strict).score
        < compare_names("Imran Chaudhry", "Imran Tariq Chaudhry").score
    )
    assert ScreeningWeights.from_mapping({"initial_score": 0.7}).initial_score == 0.7
    with pytest.raises(ValueError, match="unknown"):
        ScreeningWeights.from_mapping({"initals": 0.7})


def test_flagged_entry_and_match_are_frozen() -> None:
    entry = FlaggedEntry("X", "person", "A Name", aliases=["Other"])
    assert entry.aliases == ("Other",)
    with pytest.raises(AttributeError):
        entry.name = "B"  # type: ignore[misc]  # frozen on purpose
    with pytest.raises(ValueError):
        FlaggedEntry("X", "group", "A Name")  # type: ignore[arg-type]  # invalid on purpose


def test_empty_query_and_empty_list() -> None:
    assert Screener([]).screen("Jane Example") == []
    assert Screener(ENTRIES).screen("  - ,") == []


def test_building_leaves_the_garbage_collector_as_it_was() -> None:
    # The build turns the cyclic collector off while it makes its objects (vetting/screening.py).
    entries = [FlaggedEntry("E1", "person", "Darius Velkov")]
    try:
        gc.disable()
        Screener(entries)
        assert not gc.isenabled()
        gc.enable()
        Screener(entries)
        assert gc.isenabled()
    finally:
        gc.enable()


def test_an_initial_pairs_only_with_a_part_of_its_letter() -> None:
    # The bound leaves out query initials that no listed part starts with (vetting/names/pruning.py):
    # the listed name is still found when the initial does stand for one of its parts.
    screener = Screener(
        [FlaggedEntry("E1", "person", "Darius Q Velkov"), FlaggedEntry("E2", "person", "Darius Velkov")]
    )
    assert [m.entry_id for m in screener.screen("Darius Q Velkov")][:1] == ["E1"]
    assert {m.entry_id for m in screener.screen("D Velkov")} == {"E1", "E2"}
