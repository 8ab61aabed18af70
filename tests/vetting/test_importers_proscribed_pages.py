"""The proscribed list read from saved copies of the gov.uk page and of Schedule 2, and as pasted."""

from __future__ import annotations

from datetime import date

import pytest

from tests.vetting.test_importers_helpers import by_ref, rejected, sample
from vetting.importers import parse_flagged_list
from vetting.importers.proscribed_names import split_entry

FMT = "proscribed-text"


@pytest.mark.parametrize(
    ("raw", "name", "aliases"),
    [
        (
            "Turkestan Islamic Party (East Turkestan Islamic Party) (East Turkestan Islamic Movement) "
            "(Turkistan Islamic Movement) (Hizb al-Islami al-Turkistani)",
            "Turkestan Islamic Party",
            [
                "East Turkestan Islamic Party",
                "East Turkestan Islamic Movement",
                "Turkistan Islamic Movement",
                "Hizb al-Islami al-Turkistani",
            ],
        ),
        (
            "Abdallah Azzam Brigades, including the Ziyad al-Jarrah Battalions",
            "Abdallah Azzam Brigades",
            ["the Ziyad al-Jarrah Battalions"],
        ),
        ("The Irish Republican Army.", "The Irish Republican Army", []),
        (
            "Hamas (including Hamas Izz al-Din al-Qassem Brigades).",
            "Hamas",
            ["Hamas Izz al-Din al-Qassem Brigades"],
        ),
        (
            "Harbour Lions Front (Harbour Lions (Maritime Wing), HLF)",
            "Harbour Lions Front",
            ["Harbour Lions (Maritime Wing)", "HLF"],
        ),
        (
            "Kurdistan Workers\u2019 Party (Partiya Karkeren Kurdistan) (PKK).",
            "Kurdistan Workers' Party",
            ["Partiya Karkeren Kurdistan", "PKK"],
        ),
        ("[F1Al-Qa\u2019ida.]", "Al-Qa'ida", []),
        (
            "Invented Front (IF), including the Valley Cells, the River Cells and the Coast Group.",
            "Invented Front",
            ["IF", "the Valley Cells", "the River Cells", "the Coast Group"],
        ),
        (
            "Invented Group (IG) (including Invented Youth Wing, Invented Press)",
            "Invented Group",
            ["IG", "Invented Youth Wing", "Invented Press"],
        ),
        ("Al-Gama\u2018at al-Islamiya", "Al-Gama'at al-Islamiya", []),
    ],
)
def test_every_alias_form_is_split_into_the_name_and_its_aliases(
    raw: str, name: str, aliases: list[str]
) -> None:
    assert split_entry(raw) == (name, aliases)


def test_gov_uk_page_gives_its_organisations_and_northern_ireland_groups_only() -> None:
    entries = parse_flagged_list(sample("proscribed/govuk_proscribed.html"), FMT)
    names = [e.name for e in entries]
    assert names == [
        "17 November Revolutionary Organisation",
        "Abdallah Azzam Brigades",
        "Al-Gama'at al-Islamiya",
        "Hamas",
        "Harbour Lions Front",
        "Turkestan Islamic Party",
        "Continuity Army Council",
        "Cumann na mBan",
        "The Irish Republican Army",
        "The Red Hand Defenders",
    ]
    # Not the criteria bullets, the contents, a description's bullet, nor a group no longer proscribed.
    assert not any("Former" in n or "nature" in n or "bullet" in n for n in names)
    refs = by_ref(entries)
    assert refs["turkestan-islamic-party"].aliases[-1] == "Hizb al-Islami al-Turkistani"
    assert refs["abdallah-azzam-brigades"].aliases == ("the Ziyad al-Jarrah Battalions",)
    assert {e.source for e in entries} == {"proscribed"}


def test_schedule_two_gives_each_group_with_the_date_its_amendment_added_it() -> None:
    entries = by_ref(parse_flagged_list(sample("proscribed/schedule2_terrorism_act.html"), FMT))
    assert list(entries) == [
        "the-irish-republican-army",
        "cumann-na-mban",
        "fianna-na-heireann",
        "the-red-hand-commando",
        "al-qa-ida",
        "kurdistan-workers-party",
        "basque-homeland-and-liberty",
        "abdallah-azzam-brigades",
        "turkestan-islamic-party",
    ]
    assert entries["the-irish-republican-army"].listed_date is None
    assert entries["al-qa-ida"].name == "Al-Qa'ida"
    assert entries["al-qa-ida"].listed_date == date(2001, 3, 29)
    # Two amendments in one paragraph are two groups.
    assert entries["basque-homeland-and-liberty"].aliases == ("Euskadi ta Askatasuna", "ETA")
    assert entries["turkestan-islamic-party"].listed_date == date(2016, 7, 20)
    assert entries["abdallah-azzam-brigades"].aliases == ("the Ziyad al-Jarrah Battalions",)


def test_pasted_text_reads_like_the_pages() -> None:
    pasted = by_ref(parse_flagged_list(sample("proscribed/pasted_from_pages.txt"), FMT))
    page = by_ref(parse_flagged_list(sample("proscribed/govuk_proscribed.html"), FMT))
    for ref in ("turkestan-islamic-party", "abdallah-azzam-brigades", "hamas", "harbour-lions-front"):
        assert (pasted[ref].name, pasted[ref].aliases) == (page[ref].name, page[ref].aliases)
    assert pasted["al-qa-ida"].name == "Al-Qa'ida"
    assert pasted["invented-mountain-front"].aliases == (
        "IMF",
        "the Valley Cells",
        "the River Cells",
        "the Coast Group",
    )


def test_a_page_without_the_list_is_refused() -> None:
    error = rejected(b"<!DOCTYPE html><html><body><h2>News</h2><h3>Something</h3></body></html>", FMT)
    assert "neither gov.uk's list" in error.problem


def test_unbalanced_brackets_on_a_page_name_their_line() -> None:
    html = (
        b"<!DOCTYPE html><html><body>\n<div class='govspeak'>\n"
        b"<h2>Proscribed groups</h2>\n<h3>Bad (Group</h3></div></body></html>"
    )
    error = rejected(html, FMT)
    assert error.line == 4
    assert "unbalanced brackets" in error.problem
