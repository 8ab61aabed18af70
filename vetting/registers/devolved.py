"""The Scottish and Northern Ireland charity registers' published CSVs, streamed.

OSCR publishes the register (CharityExport-DD-Mon-YYYY.csv, in a zip) and the former register
(removed charities, with "Ceased Date" and the reason), with headers such as "Charity Number",
"Charity Name", "Registered Date", "Known As", "Charity Status". Dates are written
"dd/mm/yyyy HH:MM" (the registered and ceased dates) or "dd/mm/yyyy"; long fields (Objectives,
Purposes) hold line breaks inside quotes. The Charity Commission for Northern Ireland's export
has "Reg charity number", "Sub charity number", "Charity name", "Date registered", "Status",
"Company number" (0 or 999999 for none), dates "dd/mm/yyyy", and writes some apostrophes as
backticks. Only names, numbers, statuses, dates and the company number are kept: no addresses,
contacts, finances or activities.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any, TextIO

from vetting.registers.reading import BadRow, RegisterFormatError

OSCR, OSCR_FORMER, CCNI = "oscr", "oscr-former", "ccni"
REGISTERS = {OSCR: "oscr", OSCR_FORMER: "oscr", CCNI: "ccni"}
_DATE = re.compile(
    r"(\d{1,2})/(\d{1,2})/(\d{4})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?|(\d{4})-(\d{2})-(\d{2})(?:[ T].*)?"
)
_SCOT = re.compile(r"SC\d{6}")
_NONE_COMPANY = {"", "0", "999999", "00000000"}


_MONTH_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTHS = {name: n for n, name in enumerate(_MONTH_NAMES, 1)}
_FILE_DATE = re.compile(r"(\d{1,2})-([A-Za-z]{3})-(\d{4})|(\d{4})-(\d{2})-(\d{2})")


def extract_date_of(file_name: str) -> dt.date | None:
    """The extract's date from the file's name: OSCR's "CharityExport-01-Dec-2026", or 2026-12-01."""
    match = _FILE_DATE.search(file_name)
    if not match:
        return None
    day, month, year, iso_year, iso_month, iso_day = match.groups()
    try:
        if iso_year:
            return dt.date(int(iso_year), int(iso_month), int(iso_day))
        return dt.date(int(year), _MONTHS[month.lower()], int(day))
    except (KeyError, ValueError):
        return None


def _date(value: str | None, column: str) -> dt.date | None:
    text = (value or "").strip()
    if not text:
        return None
    match = _DATE.fullmatch(text)
    if not match:
        raise ValueError(f"{column} {text!r} is not a date in the form dd/mm/yyyy")
    day, month, year, iso_year, iso_month, iso_day = match.groups()
    try:
        if iso_year:
            return dt.date(int(iso_year), int(iso_month), int(iso_day))
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        raise ValueError(f"{column} {text!r} is not a real date") from None


def _text(value: str | None, limit: int = 300) -> str:
    return " ".join((value or "").replace("`", "'").split())[:limit]


def _oscr(record: Mapping[str, str], source: str) -> dict[str, Any]:
    number = _text(record.get("charity number")).upper().replace(" ", "")
    if not _SCOT.fullmatch(number):
        raise ValueError(f"Charity Number {number!r} is not SC and six digits")
    name = _text(record.get("charity name"))
    if not name:
        raise ValueError("Charity Name is empty")
    known_as = _text(record.get("known as"))
    removed = _date(record.get("ceased date"), "Ceased Date")
    reason = next(
        (
            _text(record.get(c))
            for c in ("reason for removal", "ceased reason", "removal reason")
            if record.get(c)
        ),
        "",
    )
    status = _text(record.get("charity status"), 80) or ("Removed" if source == OSCR_FORMER else "Registered")
    return {
        "source": source,
        "number": number,
        "linked_number": 0,
        "name": name,
        "other_names": [known_as] if known_as and known_as.casefold() != name.casefold() else [],
        "status": "Removed"
        if source == OSCR_FORMER and status.casefold() != "removed" and removed
        else status,
        "registered": _date(record.get("registered date"), "Registered Date"),
        "removed": removed,
        "removal_reason": reason or None,
        "company_number": None,
    }


def _ccni(record: Mapping[str, str], source: str) -> dict[str, Any]:
    digits = _text(record.get("reg charity number")).upper().removeprefix("NIC").removeprefix("NI")
    if not re.fullmatch(r"1\d{5}", digits):
        raise ValueError(f"Reg charity number {digits!r} is not six digits starting 1")
    name = _text(record.get("charity name"))
    if not name:
        raise ValueError("Charity name is empty")
    sub = _text(record.get("sub charity number")) or "0"
    if not sub.isdigit():
        raise ValueError(f"Sub charity number {sub!r} is not a number")
    company = _text(record.get("company number")).upper()
    if company.isdigit() and company not in _NONE_COMPANY:
        company = "NI" + company.rjust(6, "0")  # NI companies are NI and six digits
    status = _text(record.get("status"), 80) or "Registered"
    return {
        "source": source,
        "number": f"NIC{digits}",
        "linked_number": int(sub),
        "name": name,
        "other_names": [],
        "status": status,
        "registered": _date(record.get("date registered"), "Date registered"),
        "removed": None,
        "removal_reason": None,
        "company_number": None if company in _NONE_COMPANY else company[:10],
    }


_REQUIRED: dict[str, tuple[str, ...]] = {
    OSCR: ("charity number", "charity name", "registered date"),
    CCNI: ("reg charity number", "charity name", "status"),
}
_BUILD: dict[str, Callable[[Mapping[str, str], str], dict[str, Any]]] = {OSCR: _oscr, CCNI: _ccni}


def read_devolved(stream: TextIO, file: str, register: str) -> tuple[str, Iterator[dict[str, Any] | BadRow]]:
    """Which file this is ("oscr", "oscr-former" or "ccni", from its header) and its rows."""
    reader = csv.reader(stream)
    try:
        header = [cell.strip().lstrip("\ufeff").casefold() for cell in next(reader)]
    except StopIteration:
        raise RegisterFormatError(f"{file} is empty") from None
    missing = [name for name in _REQUIRED[register] if name not in header]
    if missing:
        expected = "OSCR's register or former-register CSV" if register == OSCR else "CCNI's charity CSV"
        raise RegisterFormatError(f"the header has no {', '.join(missing)} column (is this {expected}?)")
    source = OSCR_FORMER if register == OSCR and "ceased date" in header else register
    build = _BUILD[register]

    def rows() -> Iterator[dict[str, Any] | BadRow]:
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                yield BadRow(file, line, f"expected {len(header)} fields as in the header, found {len(row)}")
                continue
            try:
                yield build(dict(zip(header, row, strict=True)), source)
            except ValueError as error:
                yield BadRow(file, line, str(error))

    return source, rows()
