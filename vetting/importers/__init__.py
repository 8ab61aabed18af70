"""Readers for the published flagged lists and the service's own formats (pure: no database).

``read_flagged_list(files, fmt)`` reads one or several files (OFAC's three) and returns every
entry, or raises ``FlaggedListFormatError`` naming each bad row's file, line and problem; only with
``skip_bad_rows`` does it return the rest, listing what it skipped. ``parse_flagged_list(data,
fmt)`` is the one-file, all-or-nothing form.
"""

from __future__ import annotations

import csv
import zipfile
from collections.abc import Callable, Mapping, Sequence
from types import MappingProxyType

from vetting.importers.errors import FlaggedListFormatError
from vetting.importers.inputs import BadRows, InputFile, ReadList, SkippedRow
from vetting.importers.model import ImportedEntry, Kind
from vetting.importers.native import (
    export_native_csv,
    export_native_json,
    parse_native_csv,
    parse_native_json,
)
from vetting.importers.ofac import parse_ofac_files
from vetting.importers.ofac_xml import parse_ofac_advanced_xml
from vetting.importers.proscribed import parse_proscribed
from vetting.importers.reading import MAX_INPUT_BYTES
from vetting.importers.uk_sanctions import parse_uk_sanctions_csv

__all__ = [
    "MAX_INPUT_BYTES",
    "SUPPORTED_FORMATS",
    "FlaggedListFormatError",
    "ImportedEntry",
    "InputFile",
    "Kind",
    "ReadList",
    "SkippedRow",
    "export_native_csv",
    "export_native_json",
    "parse_flagged_list",
    "read_flagged_list",
]

SUPPORTED_FORMATS: Mapping[str, str] = MappingProxyType(
    {
        "uk-sanctions-csv": "UK Sanctions List (FCDO), CSV: report-date line, header, one row per name",
        "ofac-sdn-csv": "OFAC SDN list, legacy CSV: SDN.CSV, ALT.CSV and SDN_COMMENTS.CSV together "
        "(chosen together, their folder, or a zip of them)",
        "ofac-sdn-advanced-xml": "OFAC SDN list, advanced XML (sdn_advanced.xml), read streamed",
        "proscribed-text": "Home Office proscribed organisations: a saved copy (HTML) of the gov.uk page "
        "or of Schedule 2 to the Terrorism Act 2000 on legislation.gov.uk, the text pasted from either, "
        "one organisation per line, or CSV with name,aliases,proscribed_date",
        "native-csv": "this service's CSV: kind,name,aliases,source,source_ref,reason,listed_date",
        "native-json": "this service's JSON: a list of objects with the native CSV's keys",
    }
)

Reader = Callable[[Sequence[InputFile], BadRows], list[ImportedEntry]]


def _one_file(parse: Callable[[bytes], list[ImportedEntry]]) -> Reader:
    def read(files: Sequence[InputFile], _bad: BadRows) -> list[ImportedEntry]:
        if len(files) != 1:
            raise FlaggedListFormatError(None, f"this format is one file, not {len(files)}")
        return parse(files[0].read())

    return read


def _uk_sanctions(files: Sequence[InputFile], bad: BadRows) -> list[ImportedEntry]:
    if len(files) != 1:
        raise FlaggedListFormatError(None, f"the UK Sanctions List is one file, not {len(files)}")
    return parse_uk_sanctions_csv(files[0].read(), bad)


def _ofac_xml(files: Sequence[InputFile], bad: BadRows) -> list[ImportedEntry]:
    if len(files) != 1:
        raise FlaggedListFormatError(None, f"sdn_advanced.xml is one file, not {len(files)}")
    return parse_ofac_advanced_xml(files[0], bad)


_READERS: Mapping[str, Reader] = {
    "uk-sanctions-csv": _uk_sanctions,
    "ofac-sdn-csv": parse_ofac_files,
    "ofac-sdn-advanced-xml": _ofac_xml,
    "proscribed-text": _one_file(parse_proscribed),
    "native-csv": _one_file(parse_native_csv),
    "native-json": _one_file(parse_native_json),
}
# Read streamed, so not held to the limit of what is read whole.
_STREAMED = frozenset({"ofac-sdn-advanced-xml"})


def read_flagged_list(files: Sequence[InputFile], fmt: str, *, skip_bad_rows: bool = False) -> ReadList:
    """Every entry in ``files`` read together as format ``fmt`` (a key of ``SUPPORTED_FORMATS``).

    Raises ``FlaggedListFormatError`` for files that cannot be read, naming the file, the line
    and the problem (every bad row, not only the first), so a caller imports all or nothing;
    with ``skip_bad_rows`` the rows that cannot be read are left out and listed in the result.
    """
    reader = _READERS.get(fmt)
    if reader is None:
        raise FlaggedListFormatError(
            None, f"unknown format {fmt!r}; supported formats are {', '.join(SUPPORTED_FORMATS)}"
        )
    if not files:
        raise FlaggedListFormatError(None, "no file was given")
    for item in files:
        if fmt not in _STREAMED and item.size > MAX_INPUT_BYTES:
            raise FlaggedListFormatError(
                None,
                f"the file is {item.size / 1_048_576:.1f} MB; the limit is {MAX_INPUT_BYTES // 1_048_576} MB",
                file=item.name if len(files) > 1 else None,
            )
    bad = BadRows(skip=skip_bad_rows)
    only = files[0].name if len(files) == 1 else None
    try:
        entries = reader(files, bad)
    except FlaggedListFormatError as error:
        if only and error.file is None:
            raise FlaggedListFormatError(error.line, error.problem, file=only) from None
        raise
    # The parsers check what they read; these catch what a hostile file could still provoke.
    except (csv.Error, zipfile.BadZipFile, RecursionError, ValueError) as error:
        raise FlaggedListFormatError(None, f"the file cannot be read as {fmt}: {error}") from None
    if not entries:
        raise FlaggedListFormatError(None, "the file holds no people or organisations")
    return ReadList(entries, tuple(bad.rows))


def parse_flagged_list(data: bytes, fmt: str, *, filename: str | None = None) -> list[ImportedEntry]:
    """Every entry in one file's ``data`` read as format ``fmt``; nothing if any row is bad.

    ``filename``, when given, names the file in errors ("upload.csv line 3: ...").
    """
    return read_flagged_list([InputFile(filename or "", bytes(data))], fmt).entries
