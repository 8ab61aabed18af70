"""The service's own CSV and JSON formats: samples, errors and round trips."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.vetting.test_importers_helpers import rejected, sample
from vetting.importers import (
    ImportedEntry,
    export_native_csv,
    export_native_json,
    parse_flagged_list,
)

HEADER = "kind,name,aliases,source,source_ref,reason,listed_date\n"


def test_csv_and_json_samples_hold_the_same_entries() -> None:
    from_csv = parse_flagged_list(sample("flagged_native.csv"), "native-csv")
    from_json = parse_flagged_list(sample("flagged_native.json"), "native-json")
    assert from_csv == from_json
    assert len(from_csv) == 5
    first = from_csv[0]
    assert first == ImportedEntry(
        kind="person",
        name="Darius Feldmann-Okafor",
        aliases=("D. Feldmann", "Darius Okafor"),
        source="local",
        source_ref="LOCAL-0001",
        reason="Banned from council premises after a 2025 incident (invented)",
        listed_date=date(2025, 9, 14),
    )
    assert from_csv[1].listed_date == date(2026, 2, 1)  # dd/mm/yyyy accepted too


def test_blank_source_defaults_to_local() -> None:
    last = parse_flagged_list(sample("flagged_native.csv"), "native-csv")[-1]
    assert (last.name, last.source, last.source_ref, last.reason, last.aliases) == (
        "Svetlana Ionescu-Marr",
        "local",
        "",
        None,
        (),
    )


def test_csv_columns_may_come_in_any_order_and_optional_ones_may_be_left_out() -> None:
    (entry,) = parse_flagged_list(b"name,kind\nAsha Verhoeven,person\n", "native-csv")
    assert (entry.kind, entry.name, entry.source) == ("person", "Asha Verhoeven", "local")


def test_exports_read_back_to_the_samples() -> None:
    entries = parse_flagged_list(sample("flagged_native.csv"), "native-csv")
    assert parse_flagged_list(export_native_csv(entries), "native-csv") == entries
    assert parse_flagged_list(export_native_json(entries), "native-json") == entries
    assert parse_flagged_list(export_native_json(entries), "native-json") == parse_flagged_list(
        export_native_csv(entries), "native-csv"
    )


def test_export_refuses_an_alias_holding_the_separator() -> None:
    entry = ImportedEntry(kind="person", name="Ana Pipe", aliases=("A|P",))
    with pytest.raises(ValueError, match=r"'\|'"):
        export_native_csv([entry])


def test_csv_errors_name_their_line() -> None:
    bad_kind = rejected((HEADER + "person,Ok Name,,,,,\ngroup,Bad Kind,,,,,\n").encode(), "native-csv")
    assert (bad_kind.line, bad_kind.problem) == (3, "kind 'group' is not 'person' or 'organisation'")
    empty = rejected((HEADER + "person,  ,,,,,\n").encode(), "native-csv")
    assert (empty.line, empty.problem) == (2, "name is empty")
    bad_date = rejected((HEADER + "person,A B,,,,,12/13/2020\n").encode(), "native-csv")
    assert bad_date.line == 2
    assert "not a real date" in bad_date.problem
    width = rejected((HEADER + "person,A B,,\n").encode(), "native-csv")
    assert width.line == 2
    assert "expected 7 fields" in width.problem
    twice = rejected((HEADER + "person,A B,,local,R1,,\nperson,C D,,local,R1,,\n").encode(), "native-csv")
    assert twice.line == 3
    assert "appears twice (first on line 2)" in twice.problem


def test_csv_header_problems_are_named() -> None:
    missing = rejected(b"kind,aliases\nperson,x\n", "native-csv")
    assert missing.line == 1
    assert "missing name" in missing.problem
    unknown = rejected(b"kind,name,risk\nperson,x,high\n", "native-csv")
    assert unknown.line == 1
    assert "unknown risk" in unknown.problem


def test_multiline_csv_record_errors_point_at_the_line_the_record_starts_on() -> None:
    data = (HEADER + 'person,"Two\nLines",,,,,\nnobody,X,,,,,\n').encode()
    assert rejected(data, "native-csv").line == 4


def test_json_errors_name_the_line_of_the_entry() -> None:
    data = b'[\n  {"kind": "person", "name": "A B"},\n  {"kind": "person",\n   "name": ""}\n]\n'
    assert rejected(data, "native-json").line == 3
    data = b'[\n  {"kind": "person", "name": "A B", "aliases": "A"}\n]'
    assert (rejected(data, "native-json").line, rejected(data, "native-json").problem) == (
        2,
        "aliases must be a list of strings",
    )
    data = b'[{"kind": "person", "name": "A B"},\n {"kind": "person", "name": "C", "score": 3}]'
    error = rejected(data, "native-json")
    assert error.line == 2
    assert "unknown key 'score'" in error.problem
    assert (
        rejected(b'[\n"just a name"\n]', "native-json").problem == "each entry must be a JSON object, not str"
    )
    assert "must be a string" in rejected(b'[{"kind": "person", "name": 7}]', "native-json").problem


def test_broken_json_is_rejected_with_the_decoder_line() -> None:
    error = rejected(
        b'[\n  {"kind": "person", "name": "A B"},\n  {"kind": "person" "name": "C"}\n]', "native-json"
    )
    assert error.line == 3
    assert error.problem.startswith("invalid JSON")
    assert rejected(b'{"kind": "person", "name": "A B"}', "native-json").problem.startswith(
        "expected a JSON list"
    )
    assert rejected(b'[{"kind": "person", "name": "A B"}] extra', "native-json").problem.endswith(
        "closing ']'"
    )
    assert "not UTF-8" in rejected(b'[{"kind": "person", "name": "Jos\xe9"}]', "native-json").problem


# Entries as the importer produces them: clean text, no "|" inside an alias, unique references.
_text = (
    st.text(alphabet=st.characters(exclude_categories=("Cc", "Cs", "Co", "Cn")), min_size=1, max_size=30)
    .map(lambda s: " ".join(s.split()))
    .filter(bool)
)
_entries = st.builds(
    ImportedEntry,
    kind=st.sampled_from(["person", "organisation"]),
    name=_text,
    aliases=st.lists(_text.filter(lambda s: "|" not in s), max_size=4).map(tuple),
    source=_text,
    source_ref=_text,
    reason=st.none() | _text,
    listed_date=st.none() | st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)),
)
_entry_lists = st.lists(_entries, max_size=8, unique_by=lambda e: (e.source, e.source_ref))


@settings(max_examples=150, deadline=None)
@given(_entry_lists.filter(bool))
def test_native_csv_round_trips_any_entries(entries: list[ImportedEntry]) -> None:
    assert parse_flagged_list(export_native_csv(entries), "native-csv") == entries


@settings(max_examples=100, deadline=None)
@given(_entry_lists.filter(bool))
def test_native_json_round_trips_any_entries(entries: list[ImportedEntry]) -> None:
    assert parse_flagged_list(export_native_json(entries), "native-json") == entries
