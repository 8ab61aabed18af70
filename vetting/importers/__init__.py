"""Readers for the published flagged lists and the service's own formats (pure: no database).

``parse_flagged_list(data, fmt)`` returns every entry in the file or raises
``FlaggedListFormatError`` naming the line and the problem; it never returns part of a file.
"""

from __future__ import annotations

import csv
import zipfile
from collections.abc import Callable, Mapping
from types import MappingProxyType

from vetting.importers.errors import FlaggedListFormatError
from vetting.importers.model import ImportedEntry, Kind
from vetting.importers.native import (
    export_native_csv,
    export_native_json,
    parse_native_csv,
    parse_native_json,
)
from vetting.importers.ofac import parse_ofac_sdn
from vetting.importers.proscribed import parse_proscribed
from vetting.importers.reading import MAX_INPUT_BYTES
from vetting.importers.uk_sanctions import parse_uk_sanctions_csv

__all__ = [
    "MAX_INPUT_BYTES",
    "SUPPORTED_FORMATS",
    "FlaggedListFormatError",
    "ImportedEntry",
    "Kind",
    "export_native_csv",
    "export_native_json",
    "parse_flagged_list",
]

SUPPORTED_FORMATS: Mapping[str, str] = MappingProxyType(
    {
        "uk-sanctions-csv": "UK Sanctions List (FCDO), CSV: report-date line, header, one row per name",
        "ofac-sdn-csv": "OFAC SDN list, legacy CSV: a zip of sdn.csv and alt.csv, or sdn.csv alone",
        "proscribed-text": "Home Office proscribed organisations: a saved copy (HTML) of the gov.uk page "
        "or of Schedule 2 to the Terrorism Act 2000 on legislation.gov.uk, the text pasted from either, "
        "one organisation per line, or CSV with name,aliases,proscribed_date",
        "native-csv": "this service's CSV: kind,name,aliases,source,source_ref,reason,listed_date",
        "native-json": "this service's JSON: a list of objects with the native CSV's keys",
    }
)

_PARSERS: Mapping[str, Callable[[bytes], list[ImportedEntry]]] = {
    "uk-sanctions-csv": parse_uk_sanctions_csv,
    "ofac-sdn-csv": parse_ofac_sdn,
    "proscribed-text": parse_proscribed,
    "native-csv": parse_native_csv,
    "native-json": parse_native_json,
}


def parse_flagged_list(data: bytes, fmt: str, *, filename: str | None = None) -> list[ImportedEntry]:
    """Every entry in ``data`` read as format ``fmt`` (a key of ``SUPPORTED_FORMATS``).

    ``filename``, when given, names the file in errors ("upload.csv line 3: ..."). Raises
    ``FlaggedListFormatError`` for any file that cannot be read completely, so a caller
    imports all of a file or none of it.
    """
    parser = _PARSERS.get(fmt)
    if parser is None:
        raise FlaggedListFormatError(
            None, f"unknown format {fmt!r}; supported formats are {', '.join(SUPPORTED_FORMATS)}"
        )
    if len(data) > MAX_INPUT_BYTES:
        raise FlaggedListFormatError(
            None,
            f"the file is {len(data) / 1_048_576:.1f} MB; the limit is {MAX_INPUT_BYTES // 1_048_576} MB",
        )
    try:
        entries = parser(bytes(data))
    except FlaggedListFormatError as error:
        if filename and error.file is None:
            raise FlaggedListFormatError(error.line, error.problem, file=filename) from None
        raise
    # The parsers check what they read; these catch what a hostile file could still provoke.
    except (csv.Error, zipfile.BadZipFile, RecursionError, ValueError) as error:
        raise FlaggedListFormatError(None, f"the file cannot be read as {fmt}: {error}") from None
    if not entries:
        raise FlaggedListFormatError(None, "the file holds no people or organisations")
    return entries
