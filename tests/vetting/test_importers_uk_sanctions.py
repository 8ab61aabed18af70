"""The UK Sanctions List CSV importer, on the invented sample and on broken files."""

from __future__ import annotations

from datetime import date

from tests.vetting.test_importers_helpers import by_ref, rejected, sample, uk_csv, uk_row
from vetting.importers import parse_flagged_list

FMT = "uk-sanctions-csv"


def test_sample_gives_one_entry_per_unique_id_and_leaves_out_ships() -> None:
    entries = parse_flagged_list(sample("uk_sanctions_list.csv"), FMT)
    assert [e.source_ref for e in entries] == [
        "RUS9901",
        "CTI9902",
        "AQD9903",
        "GHR9905",
        "CYB9906",
        "GAC9907",
    ]
    assert {e.source for e in entries} == {"uk-sanctions"}
    assert [e.kind for e in entries] == [
        "person",
        "organisation",
        "person",
        "person",
        "organisation",
        "person",
    ]


def test_individual_names_are_in_reader_order_with_every_kind_of_alias() -> None:
    entry = by_ref(parse_flagged_list(sample("uk_sanctions_list.csv"), FMT))["RUS9901"]
    assert entry.name == "Yevgeny Petrovich KORYAGIN-VOLSKY"
    # The repeated primary row adds nothing; the variation, the alias and the Cyrillic script do.
    assert entry.aliases == (
        "Евгений Петрович Корягин-Вольский",
        "Evgenii Petrovich KORIAGIN-VOLSKII",
        "Evgeny KORYAGIN",
    )
    assert entry.reason == "The Russia (Sanctions) (EU Exit) Regulations 2019"
    assert entry.listed_date == date(2022, 3, 15)


def test_three_given_names_come_before_the_surname() -> None:
    entries = by_ref(parse_flagged_list(sample("uk_sanctions_list.csv"), FMT))
    assert entries["AQD9903"].name == "Yusuf Khalid Hamdan AL-QARNAWI"
    assert entries["GAC9907"].name == "Mohammed Tariq Aziz CHAUDHRY"
    assert entries["GHR9905"].aliases == ("周文浩", "Wen-hao CHOU")


def test_entity_name_is_name_6_and_low_quality_aliases_are_kept() -> None:
    entries = by_ref(parse_flagged_list(sample("uk_sanctions_list.csv"), FMT))
    charity = entries["CTI9902"]
    assert charity.name == "CRESCENT HARBOUR RELIEF FUND"
    assert charity.aliases == ("Crescent Harbor Relief Foundation",)
    # Low-quality aliases are kept, apart from the others, so screening can weigh them less.
    assert charity.weak_aliases == ("CHRF",)
    assert "Abu Zayd AL-QARNAWI" not in entries["AQD9903"].aliases
    assert entries["AQD9903"].weak_aliases == ("Abu Zayd AL-QARNAWI",)
    assert entries["CYB9906"].listed_date is None


def test_windows_1252_file_without_a_byte_order_mark_is_read() -> None:
    data = uk_csv(uk_row(surname="MÜLLER-CAÑETE", given="José"), encoding="cp1252")
    (entry,) = parse_flagged_list(data, FMT)
    assert entry.name == "José MÜLLER-CAÑETE"


def test_header_on_the_first_line_is_accepted_and_lowercase_name_types_too() -> None:
    alias = {**uk_row(given="Iwan"), "Name type": "alias", "Alias strength": "Good quality"}
    data = uk_csv({**uk_row(), "Name type": "Primary name"}, alias, report_line="")
    (entry,) = parse_flagged_list(data, FMT)
    assert (entry.name, entry.aliases) == ("Ivan EXAMPLOV", ("Iwan EXAMPLOV",))


def test_rows_of_one_designation_need_not_be_adjacent() -> None:
    data = uk_csv(uk_row("A1"), uk_row("B2", "OTHEROV"), {**uk_row("A1", given="Iwan"), "Name type": "Alias"})
    entries = by_ref(parse_flagged_list(data, FMT))
    assert entries["A1"].aliases == ("Iwan EXAMPLOV",)
    assert entries["B2"].aliases == ()


# Errors: each names its line. Line 1 is the report date, line 2 the header, line 3 the first row.


def test_empty_name_6_is_rejected_with_its_line() -> None:
    error = rejected(uk_csv(uk_row("A1"), uk_row("A2", surname="")), FMT)
    assert (error.line, error.problem) == (4, "Name 6 is empty for a primary name")
    assert str(error) == "line 4: Name 6 is empty for a primary name"


def test_missing_header_columns_are_named() -> None:
    data = sample("uk_sanctions_list.csv").replace(b",Name type,", b",Kind of name,", 1)
    error = rejected(data, FMT)
    assert error.line == 2
    assert "'Name type'" in error.problem


def test_row_with_a_missing_field_is_rejected() -> None:
    lines = uk_csv(uk_row("A1"), uk_row("A2")).split(b"\r\n")
    lines[3] = lines[3].rsplit(b",", 1)[0]
    error = rejected(b"\r\n".join(lines), FMT)
    assert error.line == 4
    assert "expected 58 fields" in error.problem
    assert "found 57" in error.problem


def test_bad_designation_date_is_rejected() -> None:
    error = rejected(uk_csv(uk_row(), {**uk_row("A2"), "Date Designated": "31/02/2022"}), FMT)
    assert error.line == 4
    assert "not a real date" in error.problem
    error = rejected(uk_csv({**uk_row(), "Date Designated": "March 2022"}), FMT)
    assert error.line == 3
    assert "dd/mm/yyyy" in error.problem


def test_unknown_designation_type_and_name_type_are_rejected() -> None:
    error = rejected(uk_csv({**uk_row(), "Designation Type": "Aircraft"}), FMT)
    assert error.line == 3
    assert "'Aircraft'" in error.problem
    error = rejected(uk_csv(uk_row(), {**uk_row(), "Name type": "Nickname"}), FMT)
    assert error.line == 4
    assert "'Nickname'" in error.problem


def test_designation_without_a_primary_name_is_rejected_at_its_first_row() -> None:
    error = rejected(uk_csv(uk_row("A1"), {**uk_row("A2"), "Name type": "Alias"}), FMT)
    assert error.line == 4
    assert "A2 has no Primary Name" in error.problem


def test_designation_changing_type_between_rows_is_rejected() -> None:
    error = rejected(uk_csv(uk_row(), {**uk_row(given="Iwan"), "Designation Type": "Entity"}), FMT)
    assert error.line == 4
    assert "differs" in error.problem


def test_file_that_is_not_the_list_is_rejected_on_line_1() -> None:
    error = rejected(b"name,aliases\nSomeone,\n", FMT)
    assert error.line == 1
    assert "Report Date" in error.problem


def test_unterminated_quote_is_a_format_error() -> None:
    data = uk_csv(uk_row()) + b'01/01/2027,"A2,broken\r\n'
    error = rejected(data, FMT)
    assert error.line == 4
    assert "malformed" in error.problem


def test_bytes_that_are_not_text_are_rejected_with_their_line() -> None:
    data = uk_csv(uk_row()) + b"01/01/2027,A2,\x81\x8d\r\n"
    error = rejected(data, FMT)
    assert error.line == 4
    assert "neither UTF-8 nor Windows-1252" in error.problem
    error = rejected(uk_csv(uk_row()).replace(b"EXAMPLOV", b"EXAM\x00PLOV"), FMT)
    assert error.line == 3
    assert "NUL" in error.problem


def test_list_of_ships_only_gives_nothing_to_import() -> None:
    error = rejected(uk_csv({**uk_row(), "Designation Type": "Ship"}), FMT)
    assert error.line is None
    assert "no people or organisations" in error.problem
