"""The UK Sanctions List's quirks: blank Name type, Alias strength, and malformed rows named or skipped."""

from __future__ import annotations

from tests.vetting.test_importers_helpers import by_ref, rejected, uk_csv, uk_row
from vetting.importers import InputFile, parse_flagged_list, read_flagged_list

FMT = "uk-sanctions-csv"


def alias(
    unique_id: str, surname: str, given: str, strength: str, name_type: str = "Alias"
) -> dict[str, str]:
    return {**uk_row(unique_id, surname, given), "Name type": name_type, "Alias strength": strength}


def test_a_blank_name_type_is_the_primary_name() -> None:
    data = uk_csv({**uk_row("A1", "BLANKOV", "Pyotr"), "Name type": ""}, alias("A1", "BLANKOFF", "Peter", ""))
    (entry,) = parse_flagged_list(data, FMT)
    assert entry.name == "Pyotr BLANKOV"
    assert entry.aliases == ("Peter BLANKOFF",)


def test_a_row_saying_primary_name_wins_over_a_blank_one_which_becomes_an_alias() -> None:
    data = uk_csv(
        {**uk_row("A1", "BLANKOV", "Pyotr"), "Name type": ""},
        uk_row("A1", "EXPLICITOV", "Pavel"),
    )
    (entry,) = parse_flagged_list(data, FMT)
    assert entry.name == "Pavel EXPLICITOV"
    assert entry.aliases == ("Pyotr BLANKOV",)


def test_alias_strength_is_read_in_both_spellings_and_low_quality_aliases_are_weak() -> None:
    data = uk_csv(
        uk_row("A1", "EXAMPLOV", "Ivan"),
        alias("A1", "EKZAMPLOV", "Iwan", "Good quality a.k.a"),
        alias("A1", "VANYA", "", "Low quality a.k.a"),
        alias("A1", "IVANUSHKA", "", "Low quality"),
        alias("A1", "EXAMPLOFF", "John", ""),
    )
    (entry,) = parse_flagged_list(data, FMT)
    assert entry.aliases == ("Iwan EKZAMPLOV", "John EXAMPLOFF")
    assert entry.weak_aliases == ("VANYA", "IVANUSHKA")


def test_a_name_given_as_both_a_good_and_a_low_quality_alias_counts_as_good() -> None:
    data = uk_csv(
        uk_row("A1", "EXAMPLOV", "Ivan"),
        alias("A1", "VANYA", "", "Low quality a.k.a"),
        alias("A1", "VANYA", "", "Good quality a.k.a"),
    )
    (entry,) = parse_flagged_list(data, FMT)
    assert (entry.aliases, entry.weak_aliases) == (("VANYA",), ())


def test_an_unknown_alias_strength_is_a_bad_row() -> None:
    error = rejected(uk_csv(uk_row("A1"), alias("A1", "X", "Y", "Medium quality")), FMT)
    assert error.line == 4
    assert "Alias strength 'Medium quality'" in error.problem


def test_one_malformed_row_is_named_with_its_line_and_reason_and_blocks_nothing_silently() -> None:
    data = uk_csv(
        uk_row("A1"), {**uk_row("B2", "SECONDOV"), "Designation Type": "Vehicle"}, uk_row("C3", "THIRDOV")
    )
    error = rejected(data, FMT, filename="UK_Sanctions_List.csv")
    assert (error.file, error.line) == ("UK_Sanctions_List.csv", 4)
    assert "Designation Type 'Vehicle'" in error.problem


def test_several_malformed_rows_are_all_named() -> None:
    data = uk_csv(
        uk_row("A1"),
        {**uk_row("B2", "SECONDOV"), "Date Designated": "31/02/2027"},
        {**uk_row("C3", "THIRDOV"), "Name 6": ""},
    )
    error = rejected(data, FMT)
    assert error.problem.startswith("2 rows cannot be read: line 4: Date Designated '31/02/2027'")
    assert "line 5: Name 6 is empty" in error.problem


def test_skip_bad_rows_imports_the_rest_and_lists_what_was_skipped() -> None:
    data = uk_csv(
        uk_row("A1"),
        {**uk_row("B2", "SECONDOV"), "Date Designated": "31/02/2027"},
        uk_row("C3", "THIRDOV"),
        # The only primary row of D4 is bad, so D4's alias cannot stand alone: skipped too.
        {**uk_row("D4", "FOURTHOV"), "Name 6": ""},
        alias("D4", "FOURTHOFF", "Ivan", ""),
    )
    read = read_flagged_list([InputFile("UK_Sanctions_List.csv", data)], FMT, skip_bad_rows=True)
    assert sorted(by_ref(read.entries)) == ["A1", "C3"]
    assert [(row.line, row.problem) for row in read.skipped] == [
        (4, "Date Designated '31/02/2027' is not a real date"),
        (6, "Name 6 is empty for a primary name"),
        (7, "Unique ID D4 has no Primary Name row"),
    ]
