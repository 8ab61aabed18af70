"""Helpers shared by the importer tests (no tests here): sample files and files built in their layouts.

Named test_importers_* only to stay within the files the importer tests own.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest

from vetting.importers import FlaggedListFormatError, ImportedEntry, parse_flagged_list

SAMPLES = Path(__file__).parent / "samples"


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def by_ref(entries: list[ImportedEntry]) -> dict[str, ImportedEntry]:
    return {entry.source_ref: entry for entry in entries}


def rejected(data: bytes, fmt: str, **kwargs: str) -> FlaggedListFormatError:
    """The error raised for a bad file (the test fails if the file is accepted)."""
    with pytest.raises(FlaggedListFormatError) as caught:
        parse_flagged_list(data, fmt, **kwargs)
    return caught.value


UK_HEADER: list[str] = sample("uk_sanctions_list.csv").decode("utf-8-sig").splitlines()[1].split(",")


def uk_csv(
    *rows: dict[str, str], report_line: str = "Report Date: 08-Jan-2027", encoding: str = "utf-8"
) -> bytes:
    """A UK Sanctions List file with the real 58-column header and the given cells filled in."""
    buffer = io.StringIO(newline="")
    if report_line:
        buffer.write(report_line + "\r\n")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(UK_HEADER)
    for row in rows:
        assert set(row) <= set(UK_HEADER), set(row) - set(UK_HEADER)
        writer.writerow([row.get(column, "") for column in UK_HEADER])
    return buffer.getvalue().encode(encoding)


def uk_row(unique_id: str = "TST0001", surname: str = "EXAMPLOV", given: str = "Ivan") -> dict[str, str]:
    return {
        "Unique ID": unique_id,
        "Name 6": surname,
        "Name 1": given,
        "Name type": "Primary Name",
        "Regime Name": "The Invented (Sanctions) Regulations 2027",
        "Designation Type": "Individual",
        "Date Designated": "01/02/2027",
    }


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()
