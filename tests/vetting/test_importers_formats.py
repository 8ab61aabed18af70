"""What holds for every format: the format ids, the size limit, and no other exception escaping."""

from __future__ import annotations

import contextlib

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.vetting.test_importers_helpers import rejected, sample
from vetting.importers import SUPPORTED_FORMATS, FlaggedListFormatError, parse_flagged_list

SAMPLE_FOR = {  # one sample per format; the damage test also uses the bare sdn.csv
    "uk-sanctions-csv": "uk_sanctions_list.csv",
    "ofac-sdn-csv": "ofac_sdn.zip",
    "ofac-sdn-advanced-xml": "ofac/sdn_advanced.xml",
    "proscribed-text": "proscribed_organisations.txt",
    "native-csv": "flagged_native.csv",
    "native-json": "flagged_native.json",
}


def test_every_supported_format_has_a_description_and_reads_its_sample() -> None:
    assert set(SUPPORTED_FORMATS) == set(SAMPLE_FOR)
    for fmt, description in SUPPORTED_FORMATS.items():
        assert description
        assert parse_flagged_list(sample(SAMPLE_FOR[fmt]), fmt)


def test_unknown_format_is_rejected_listing_the_known_ones() -> None:
    error = rejected(b"kind,name\nperson,A B\n", "excel")
    assert error.line is None
    assert "unknown format 'excel'" in error.problem
    assert "native-csv" in error.problem


def test_input_over_50_mb_is_rejected_before_reading() -> None:
    error = rejected(b" " * (50 * 1024 * 1024 + 1), "native-csv")
    assert error.line is None
    assert "the limit is 50 MB" in error.problem


def test_empty_input_is_rejected_in_every_format() -> None:
    for fmt in SUPPORTED_FORMATS:
        assert rejected(b"", fmt).line in (None, 1)


def test_filename_names_the_file_in_the_message() -> None:
    error = rejected(b"kind,name\nrobot,A B\n", "native-csv", filename="officers.csv")
    assert (error.file, error.line) == ("officers.csv", 2)
    assert str(error) == "officers.csv line 2: kind 'robot' is not 'person' or 'organisation'"


def test_one_bad_row_after_good_ones_rejects_the_whole_file() -> None:
    good = sample("flagged_native.csv")
    error = rejected(good + b"person,,,,,,\n", "native-csv")
    assert error.line == 7


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fmt=st.sampled_from(sorted(SUPPORTED_FORMATS)), data=st.binary(max_size=400))
def test_arbitrary_bytes_give_entries_or_a_format_error(fmt: str, data: bytes) -> None:
    with contextlib.suppress(FlaggedListFormatError):
        parse_flagged_list(data, fmt)


DAMAGEABLE = [
    *sorted(SAMPLE_FOR.items()),
    ("ofac-sdn-csv", "ofac/sdn.csv"),
    ("proscribed-text", "proscribed/schedule2_terrorism_act.html"),
    ("proscribed-text", "proscribed/govuk_proscribed.html"),
]


@settings(max_examples=200, deadline=None)
@given(
    target=st.sampled_from(DAMAGEABLE),
    edits=st.lists(st.tuples(st.integers(min_value=0), st.binary(max_size=3)), min_size=1, max_size=4),
)
def test_damaged_samples_give_entries_or_a_format_error(
    target: tuple[str, str], edits: list[tuple[int, bytes]]
) -> None:
    fmt, name = target
    data = bytearray(sample(name))
    for position, replacement in edits:
        at = position % max(len(data), 1)
        data[at : at + max(len(replacement), 1)] = replacement
    with contextlib.suppress(FlaggedListFormatError):
        parse_flagged_list(bytes(data), fmt)
