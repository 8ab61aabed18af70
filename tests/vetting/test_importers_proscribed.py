"""The proscribed organisations importer, in its text and CSV forms."""

from __future__ import annotations

from datetime import date

from tests.vetting.test_importers_helpers import by_ref, rejected, sample
from vetting.importers import parse_flagged_list
from vetting.importers.proscribed import REASON

FMT = "proscribed-text"


def test_text_sample_gives_one_organisation_per_line() -> None:
    entries = parse_flagged_list(sample("proscribed_organisations.txt"), FMT)
    assert [e.name for e in entries] == [
        "Northern Dawn Brigade",
        "Sons of the Eastern Valley",
        "Iron Standard Movement",
        "Jamaat al-Fajr al-Jadid",
        "Harbour Lions Front",
        "Black Heron Collective",
    ]
    assert {(e.kind, e.source, e.reason, e.listed_date) for e in entries} == {
        ("organisation", "proscribed", REASON, None)
    }


def test_aliases_come_from_the_final_bracket_and_references_are_stable_slugs() -> None:
    entries = by_ref(parse_flagged_list(sample("proscribed_organisations.txt"), FMT))
    assert entries["iron-standard-movement"].aliases == ("ISM", "Iron Standard", "Zhelezny Standart")
    assert entries["jamaat-al-fajr-al-jadid"].aliases == (
        "New Dawn Society",
        "JFJ",
        "Jama'at al Fajr al Jadeed",
    )
    # A bracket inside an alias stays part of that alias.
    assert entries["harbour-lions-front"].aliases == ("Harbour Lions (Maritime Wing)", "HLF")
    assert entries["sons-of-the-eastern-valley"].aliases == ()


def test_csv_sample_carries_proscription_dates() -> None:
    entries = by_ref(parse_flagged_list(sample("proscribed_organisations.csv"), FMT))
    assert len(entries) == 4
    assert entries["northern-dawn-brigade"].aliases == ("NDB", "Brigade of the Northern Dawn")
    assert entries["northern-dawn-brigade"].listed_date == date(2005, 7, 14)
    assert entries["sons-of-the-eastern-valley"].listed_date == date(2011, 3, 29)
    assert entries["iron-standard-movement"].aliases == ("ISM", "Iron Standard")
    assert entries["jamaat-al-fajr-al-jadid"].listed_date is None


def test_text_and_csv_forms_agree_on_the_shared_organisations() -> None:
    text = by_ref(parse_flagged_list(sample("proscribed_organisations.txt"), FMT))
    csv_form = by_ref(parse_flagged_list(sample("proscribed_organisations.csv"), FMT))
    assert set(csv_form) <= set(text)
    assert all(text[ref].name == entry.name for ref, entry in csv_form.items())


def test_bullets_and_non_latin_names_are_handled() -> None:
    (entry,) = parse_flagged_list("• Джамаат Тест (Test Jamaat)\n".encode(), FMT)
    assert (entry.name, entry.aliases, entry.source_ref) == (
        "Джамаат Тест",
        ("Test Jamaat",),
        "dzhamaat-test",
    )


def test_unbalanced_brackets_are_rejected_with_their_line() -> None:
    error = rejected(b"# comment\nGood Group\nBad Group (Alias\n", FMT)
    assert error.line == 3
    assert "unbalanced brackets" in error.problem


def test_a_line_with_only_aliases_is_rejected() -> None:
    error = rejected(b"Good Group\n(Only An Alias)\n", FMT)
    assert (error.line, error.problem) == (2, "the organisation name is empty")


def test_an_organisation_listed_twice_is_rejected() -> None:
    error = rejected(b"Good Group\nOther Group\ngood group (GG)\n", FMT)
    assert error.line == 3
    assert "listed twice (first on line 1)" in error.problem


def test_csv_errors_name_their_line() -> None:
    error = rejected(b"name,aliases,proscribed_date\nGood Group,,2019-02-30\n", FMT)
    assert error.line == 2
    assert "not a real date" in error.problem
    error = rejected(b"name,aliases,proscribed_date\nGood Group,\n", FMT)
    assert error.line == 2
    assert "expected 3 fields" in error.problem
    error = rejected(b"name,aliases,banned_on\nGood Group,,\n", FMT)
    assert error.line == 1
    assert "banned_on" in error.problem


def test_a_file_of_comments_lists_nothing() -> None:
    error = rejected(b"# nothing here\n\n", FMT)
    assert error.line is None
    assert "no organisations" in error.problem
