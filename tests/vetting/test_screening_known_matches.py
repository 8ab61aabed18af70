"""Each listed part's matches among the listed parts, worked out when a screener is saved and read
from arrays by the screeners that load it (issue 21: median 1 ms at 100,000 entries, where looking
up a listed part seen for the first time was most of a screening)."""

from __future__ import annotations

from pathlib import Path

import pytest

from vetting.names.normalise import ARABIC, LATIN, normalise_name
from vetting.screening import FlaggedEntry, Screener

ENTRIES = [
    FlaggedEntry("P1", "person", "Darius Velkov", ["D. Velkov", "Dariusz Welkow"]),
    FlaggedEntry("P2", "person", "Yousef Chaudhry", ["Yusuf Choudhury"]),
    FlaggedEntry("P3", "person", "Jusef Chowdhury"),
    FlaggedEntry("P4", "person", "Maria Luisa Fernandez Ortega"),
    FlaggedEntry("P5", "person", "عبد الكريم الحلبي", ["Abd al-Karim al-Halabi"]),
    FlaggedEntry("O1", "organisation", "Black Meridian Network (BMN)"),
    FlaggedEntry("O2", "organisation", "Meridien Black Front"),
]
QUERIES = [
    "Darius Velk0v",
    "Yusef Chaudhary",
    "Abdulkarim Halabi",
    "Marialuiza Fernandes Ortega",
    "Black Meridien Network",
    "BMN",
    "Dariush Jusef",
]


def _saved(tmp_path: Path) -> Screener:
    Screener(ENTRIES).save(tmp_path / "index.screener")
    loaded = Screener.load(tmp_path / "index.screener")
    assert loaded is not None
    return loaded


def _listed_parts(screener: Screener) -> list[tuple[str, str]]:
    vocabulary = screener._index.vocabulary
    return [
        (vocabulary[v].text, vocabulary[v].script)
        for v in range(len(vocabulary))
        if screener._arrays.single[v]
    ]


def test_each_listed_part_finds_what_comparing_finds(tmp_path: Path) -> None:
    loaded, fresh = _saved(tmp_path), Screener(ENTRIES)
    parts = _listed_parts(loaded)
    assert len(parts) > 15
    for text, script in parts:
        read = loaded._find_vocabulary(text, script, False)
        compared = fresh._compare_vocabulary(text, script, False)
        texts = [loaded._index.vocabulary[v].text for v in read]
        assert texts == [fresh._index.vocabulary[v].text for v in compared], text
    # Variants of one another really are found (not only each part itself).
    velkov = loaded._find_vocabulary("velkov", LATIN, False)
    assert {loaded._index.vocabulary[v].text for v in velkov} >= {"velkov", "welkow"}


def test_a_loaded_screener_reads_listed_parts_without_comparing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    loaded = _saved(tmp_path)
    compared: list[str] = []
    original = loaded._compare_vocabulary
    monkeypatch.setattr(
        loaded,
        "_compare_vocabulary",
        lambda text, script, joined: compared.append(text) or original(text, script, joined),
    )
    for text, script in _listed_parts(loaded):
        loaded._find_vocabulary(text, script, False)
    assert compared == []
    # A part no listed name has, and a joined form, are still compared.
    loaded._find_vocabulary("velkovx", LATIN, False)
    loaded._find_vocabulary("dariusvelkov", LATIN, True)
    assert compared == ["velkovx", "dariusvelkov"]


def test_answers_are_those_of_a_screener_never_saved(tmp_path: Path) -> None:
    loaded, fresh = _saved(tmp_path), Screener(ENTRIES)
    for query in QUERIES:
        got = [(m.entry_id, m.score, m.explanation) for m in loaded.screen(query)]
        assert got == [(m.entry_id, m.score, m.explanation) for m in fresh.screen(query)], query
    assert loaded.screen("Yusef Chaudhary")


def test_vocabulary_id_is_the_exact_form_in_its_script(tmp_path: Path) -> None:
    loaded = _saved(tmp_path)
    index = loaded._index
    velkov = index.vocabulary_id("velkov", LATIN)
    assert velkov is not None and index.vocabulary[velkov].text == "velkov"
    assert index.vocabulary_id("velkovv", LATIN) is None
    assert index.vocabulary_id("velkov", ARABIC) is None
    arabic = normalise_name("الحلبي").parts[0]
    found = index.vocabulary_id(arabic.text, arabic.script)
    assert found is not None and index.vocabulary[found].script == arabic.script
