"""The register readers on files in the real layouts, with their quirks (no database)."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest

from tests.registers_data import companies_csv, company_row
from vetting.registers.charity_commission import file_kind, json_records, read_extract_file
from vetting.registers.companies_house import CompanyRow, extract_date_of, read_companies
from vetting.registers.reading import BadRow, RegisterFormatError

SAMPLES = Path(__file__).parent / "samples" / "registers"
CH_FILE = "BasicCompanyDataAsOneFile-2026-12-01.csv"


def _companies(data: bytes) -> list[CompanyRow | BadRow]:
    return list(read_companies(io.StringIO(data.decode("utf-8-sig"), newline=""), "companies.csv"))


def test_companies_house_header_with_stray_spaces_dates_and_previous_names_are_read() -> None:
    rows = _companies((SAMPLES / CH_FILE).read_bytes())
    assert all(isinstance(r, CompanyRow) for r in rows)
    first = rows[0]
    assert isinstance(first, CompanyRow)
    assert (first.company_number, first.name, first.status) == (
        "09876543",
        "LANTERN HALL COMMUNITY LIMITED",
        "Active",
    )
    assert first.incorporated == date(2012, 3, 14)
    assert first.previous_names == [
        ["LANTERN HALL CIC", "2018-05-02"],
        ["OLD LANTERN HALL LTD", "2015-01-11"],
    ]
    dissolved = rows[1]
    assert isinstance(dissolved, CompanyRow)
    assert (dissolved.status, dissolved.dissolved) == ("Dissolved", date(2024, 9, 30))
    # Least data: nothing of the address reaches a row.
    assert "Invented Street" not in repr(rows) and "ZZ1" not in repr(rows)
    assert extract_date_of(CH_FILE) == date(2026, 12, 1)


def test_companies_house_bad_rows_are_named_with_their_line_and_reason() -> None:
    data = companies_csv(
        [
            company_row("01234567", "GOOD LTD"),
            company_row("0123", "SHORT NUMBER LTD"),
            company_row("02345678", "BAD DATE LTD", incorporated="2012-03-14"),
            company_row("03456789", ""),
            company_row("04567890", "FINE LTD")[:20],
        ]
    )
    rows = _companies(data)
    bad = [str(r) for r in rows if isinstance(r, BadRow)]
    assert bad == [
        "companies.csv line 3: CompanyNumber '0123' is not eight letters or digits",
        "companies.csv line 4: '2012-03-14' is not a date in the form dd/mm/yyyy",
        "companies.csv line 5: CompanyName is empty",
        "companies.csv line 6: expected 55 fields as in the header, found 20",
    ]


def test_a_file_that_is_not_the_company_data_is_refused() -> None:
    with pytest.raises(RegisterFormatError, match="no CompanyName, CompanyNumber"):
        _companies(b"name,number\nA,1\n")


def _extract(name: str) -> tuple[str, list[dict[str, object] | BadRow], list[date]]:
    with (SAMPLES / name).open(encoding="utf-8-sig", newline="") as stream:
        table, rows, dates = read_extract_file(stream, name)
        return table, list(rows), dates


def test_charity_extract_json_and_text_forms_agree_despite_line_breaks_inside_fields() -> None:
    table, from_json, dates = _extract("publicextract.charity.json")
    _table, from_text, _dates = _extract("publicextract.charity.txt")
    assert table == "register_charity"
    assert from_json == from_text
    assert dates == [date(2026, 12, 1)]
    assert [(r["charity_number"], r["linked_number"]) for r in from_json if isinstance(r, dict)] == [
        (1190001, 0),
        (1190002, 0),
        (1190003, 0),
        (1190001, 1),
    ]
    removed = from_json[1]
    assert isinstance(removed, dict)
    assert (removed["status"], removed["removed"]) == ("Removed", date(2024, 2, 20))
    insolvent = from_json[2]
    assert isinstance(insolvent, dict)
    assert (insolvent["insolvent"], insolvent["in_administration"]) == (True, True)
    # Least data: contact details and activities are not kept.
    assert "example.invalid" not in repr(from_json) and "Invented Street" not in repr(from_json)


def test_other_names_trustees_and_events_are_read_with_null_linked_numbers_as_zero() -> None:
    _t, names, _d = _extract("publicextract.charity_other_names.json")
    assert [(n["linked_number"], n["name_type"], n["name"]) for n in names if isinstance(n, dict)] == [
        (0, "Working Name", "Lantern Hall"),
        (0, "Former Name", "Testtown Lantern Society"),
    ]
    _t, trustees, _d = _extract("publicextract.charity_trustee.txt")
    assert [(t["name"], t["is_chair"], t["appointed"]) for t in trustees if isinstance(t, dict)] == [
        ("Corvin Aldersgate", True, date(2019, 3, 28)),
        ("Thessaly Marchbank", False, None),
    ]
    _t, events, _d = _extract("publicextract.charity_event_history.json")
    assert [(e["event_type"], e["reason"]) for e in events if isinstance(e, dict)] == [
        ("Registered", None),
        ("Removed", "Ceased to exist"),
    ]


def test_json_is_read_record_by_record_across_chunk_boundaries() -> None:
    big = "[" + ",".join(f'{{"n": {i}, "pad": "{"x" * 700}"}}' for i in range(300)) + "]"
    records = list(json_records(io.StringIO(big)))
    assert [n for n, _r in records] == list(range(1, 301))
    assert records[-1][1]["n"] == 299


def test_bad_charity_records_are_named_and_unknown_files_refused() -> None:
    data = '[{"organisation_number": 1, "registered_charity_number": "12x", "charity_name": "A"}]'
    _table, rows, _dates = read_extract_file(io.StringIO(data), "publicextract.charity.json")
    assert [str(r) for r in rows] == [
        "publicextract.charity.json record 1: registered_charity_number '12x' is not a number"
    ]
    with pytest.raises(RegisterFormatError, match=r"publicextract\.charity_annual_return"):
        file_kind("publicextract.charity_annual_return_history.json")
    with pytest.raises(RegisterFormatError, match="malformed"):
        list(json_records(io.StringIO('[{"a": 1}, {"b": ')))
