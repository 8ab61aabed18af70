"""Dates of birth as the lists write them, and what comparing years of birth may say (issue 21 item 2).

The importers read the real layouts (samples under tests/vetting/samples): the UK Sanctions List's
D.O.B column with partial dates, OFAC's remarks ("DOB 11 Sep 1979; alt. DOB 11 Sep 1980") and
sdn_advanced.xml's Birthdate features. The comparison only ever annotates a match.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.vetting.test_importers_helpers import SAMPLES, by_ref, uk_csv, uk_row
from vetting.birth_dates import (
    BirthSpan,
    compare,
    parse_canonical,
    parse_ofac_remarks,
    parse_uk_dob,
    span_of,
)
from vetting.importers import InputFile, read_flagged_list
from vetting.importers.model import ImportedEntry


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("02/07/1968", "1968-07-02"),
        ("00/00/1970", "1970"),
        ("--/--/1970", "1970"),
        ("00/06/1976", "1976-06"),
        ("--/06/1976", "1976-06"),
        ("15/00/1970", "1970"),  # a day without its month says only the year
        (" 1981 ", "1981"),
        ("31/02/1970", None),  # no such day
        ("circa 1970", None),
        ("", None),
        ("02/07/68", None),
    ],
)
def test_uk_dates_of_birth_in_the_list_s_partial_forms(written: str, canonical: str | None) -> None:
    span = parse_uk_dob(written)
    assert (span.text if span else None) == canonical


@pytest.mark.parametrize(
    ("remarks", "canonical"),
    [
        ("DOB 03 Apr 1971; POB Invented City", ["1971-04-03"]),
        ("DOB 11 Sep 1979; alt. DOB 11 Sep 1980; POB Invented Town.", ["1979-09-11", "1980-09-11"]),
        ("DOB 1962; alt. DOB 1964; nationality Invented Republic", ["1962", "1964"]),
        ("DOB Jan 1970.", ["1970-01"]),
        ("DOB circa 1958; Gender Male", ["1958"]),
        ("DOB 1968 to 1972; POB Invented City", ["1968/1972"]),
        ("DOB 01 Jan 1970 to 15 Mar 1970", ["1970-01-01/1970-03-15"]),
        ("Organization Established Date 2011", []),
        ("DOB unknown", []),
    ],
)
def test_ofac_remarks_dates_of_birth(remarks: str, canonical: list[str]) -> None:
    assert [s.text for s in parse_ofac_remarks(remarks)] == canonical


@given(st.dates(dt.date(1900, 1, 1), dt.date(2030, 12, 31)), st.integers(0, 3))
def test_a_canonical_text_reads_back_as_the_same_span(day: dt.date, precision: int) -> None:
    spans = [span_of(day.year), span_of(day.year, day.month), span_of(day.year, day.month, day.day)]
    span = spans[min(precision, 2)]
    assert span is not None
    if precision == 3:
        span = BirthSpan(span.first, dt.date(day.year + 2, 12, 31))
    assert parse_canonical(span.text) == span


def _read(fmt: str, *names: str) -> dict[str, ImportedEntry]:
    files = [InputFile(Path(n).name, (SAMPLES / n).read_bytes()) for n in names]
    return by_ref(list(read_flagged_list(files, fmt).entries))


def test_the_uk_list_gives_each_designation_its_dates_of_birth() -> None:
    entries = _read("uk-sanctions-csv", "uk_sanctions_list.csv")
    assert entries["RUS9901"].births == ("1968-07-02",)  # repeated on every row: kept once
    assert entries["AQD9903"].births == ("1981",)  # 00/00/1981
    assert entries["GHR9905"].births == ("1975", "1976-06")  # --/--/1975 and 00/06/1976 on two rows
    assert entries["GAC9907"].births == ()  # the list gives none
    assert entries["CTI9902"].births == ()  # an entity has no date of birth


def test_a_uk_row_s_unreadable_date_of_birth_is_left_out_not_the_row() -> None:
    data = uk_csv({**uk_row("TST0001"), "D.O.B": "circa 1970"}, {**uk_row("TST0002"), "D.O.B": "--/--/1970"})
    entries = by_ref(read_flagged_list([InputFile("l.csv", data)], "uk-sanctions-csv").entries)
    assert (entries["TST0001"].births, entries["TST0002"].births) == ((), ("1970",))


def test_ofac_csv_and_xml_give_dates_of_birth() -> None:
    csv_entries = _read("ofac-sdn-csv", "ofac/sdn.csv", "ofac/alt.csv", "ofac/sdn_comments.csv")
    assert csv_entries["90003"].births == ("1979-09-11", "1980-09-11")
    assert csv_entries["90001"].births == ("1971-04-03",)
    assert csv_entries["90006"].births == ()
    xml_entries = _read("ofac-sdn-advanced-xml", "ofac/sdn_advanced.xml")
    # An exact date, and a whole year written as 1 January to 31 December; the place of birth is not read.
    assert xml_entries["90001"].births == ("1971-04-03", "1972")
    assert xml_entries["90006"].births == ()


def test_year_apart_by_more_than_the_margin_is_likely_a_different_person() -> None:
    found = compare(dt.date(1991, 5, 14), ["1958"], margin=2)
    assert found.verdict == "different" and found.likely_different
    assert "differ by 33, more than the 2 years the policy allows" in found.sentence
    assert "stays until you clear it" in found.sentence


@pytest.mark.parametrize(
    ("born", "listed", "margin", "verdict"),
    [
        (dt.date(1960, 2, 29), ["1958"], 2, "close"),  # exactly the margin: cannot tell
        (dt.date(1961, 1, 1), ["1958"], 2, "different"),
        (dt.date(1961, 1, 1), ["1958"], 3, "close"),  # the policy's margin decides
        (dt.date(1963, 6, 1), ["1958", "1962"], 2, "close"),  # near any one of several
        (dt.date(1975, 6, 1), ["1968/1972"], 2, "different"),
        (dt.date(1974, 6, 1), ["1968/1972"], 2, "close"),
        (dt.date(1968, 7, 2), ["1968-07-02"], 2, "same"),
        (dt.date(1968, 7, 3), ["1968-07-02"], 2, "close"),
        (dt.date(1968, 7, 2), [], 2, "no_entry_date"),
        (None, ["1968"], 2, "no_case_date"),
    ],
)
def test_what_dates_of_birth_say(born: dt.date | None, listed: list[str], margin: int, verdict: str) -> None:
    found = compare(born, listed, margin)
    assert found.verdict == verdict
    assert found.likely_different == (verdict == "different")


@given(st.dates(dt.date(1900, 1, 1), dt.date(2020, 1, 1)), st.integers(1900, 2020), st.integers(0, 10))
def test_different_exactly_when_every_listed_year_is_beyond_the_margin(
    born: dt.date, listed: int, margin: int
) -> None:
    found = compare(born, [str(listed)], margin)
    assert found.likely_different == (abs(born.year - listed) > margin)
