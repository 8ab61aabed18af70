"""Names written to slip past screening are still found (issue 21, evasions); ordinary groups that
merely share everyday words with a listed organisation are not referred."""

from __future__ import annotations

import pytest

from vetting.names.evasion import readings, without_invisible
from vetting.screening import FlaggedEntry, Screener

ENTRIES = [
    FlaggedEntry("P1", "person", "Darius Velkov"),
    FlaggedEntry("P2", "person", "Oskari Brennholt"),
    FlaggedEntry("O1", "organisation", "Crimson Crescent Front"),
    FlaggedEntry("O2", "organisation", "Rising Tide"),
]


@pytest.fixture(scope="module")
def screener() -> Screener:
    return Screener(ENTRIES)


@pytest.mark.parametrize(
    ("query", "entry_id", "said"),
    [
        ("D.a.r.i.u.s Velkov", "P1", "letters spaced or dotted out"),
        ("Darius V e l k o v", "P1", "letters spaced or dotted out"),
        ("Darius Velk0v", "P1", "digits or symbols for letters"),
        ("Darius V3lkov", "P1", "digits or symbols for letters"),
        ("D@rius Velkov", "P1", "digits or symbols for letters"),
        ("O$kari Brennholt", "P2", "digits or symbols for letters"),
        ("V.3.l.k.0.v Darius", "P1", "digits or symbols for letters and letters spaced or dotted out"),
        ("Dar\u200biu\u200ds Vel\u00adkov", "P1", "Darius matches Darius (exact)"),  # zero-width, soft hyphen
        ("D\u0430rius V\u0435lkov", "P1", "matches Darius (exact)"),  # Cyrillic а and е
        ("O\u0455kari \u0412renn\u04bbolt", "P2", "look-alike letters of another script"),  # ѕ, В, һ
        ("\u0405kari Br\u0435nnh\u043elt Oskari", "P2", "Brennholt"),
        ("Velkov Darius", "P1", "Velkov matches Velkov (exact)"),
        ("Darius Velkov Oakfield Tennis Garden Club Leeds", "P1", "listed name within a longer name"),
        ("Harold Darius Velkov Smith Jones Brown", "P1", "listed name within a longer name"),
        (
            "Crimson Crescent Front Leeds Youth Garden Allotment Friends",
            "O1",
            "listed name within a longer name",
        ),
    ],
)
def test_each_evasion_is_found_and_explained(
    screener: Screener, query: str, entry_id: str, said: str
) -> None:
    matches = screener.screen(query)
    assert matches and matches[0].entry_id == entry_id, query
    assert said in matches[0].explanation
    assert matches[0].query_name == query  # what was submitted is what is shown


def test_a_listed_name_of_everyday_words_in_an_ordinary_groups_name_is_not_referred(
    screener: Screener,
) -> None:
    # "Rising" and "Tide" are everyday words of community groups' names (org_common_words.csv):
    # together they are not distinctive enough for a name within a longer one, and the extra
    # word Allotment costs the whole-name score. The listed name written whole is still found.
    assert screener.screen("Rising Tide Allotment Society", "organisation") == []
    assert [m.entry_id for m in screener.screen("The Rising Tide Ltd", "organisation")] == ["O2"]


def test_a_person_within_a_longer_name_needs_every_listed_part_written_alike(screener: Screener) -> None:
    assert screener.screen("Harold Dariusz Velkova Smith Jones", "person") == []


def test_ordinary_names_need_no_reading() -> None:
    assert readings("Jane Q Example") == []
    assert readings("J. Q. Example") == []  # two initials are initials, not spaced-out letters
    assert readings("Room 101 Group") == []  # digits alone are a number
    assert without_invisible("A\u200bB\u2060C\ufeff") == "ABC"
