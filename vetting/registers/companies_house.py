"""Companies House Free Company Data Product (BasicCompanyDataAsOneFile-YYYY-MM-DD.csv), streamed.

About five million rows of 55 columns. The header names carry stray spaces (" CompanyNumber",
" PreviousName_1.CompanyName"), dates are dd/mm/yyyy, and up to ten previous names come as
PreviousName_N.CONDATE (the date the name changed) and PreviousName_N.CompanyName pairs. Only
what the checks need is kept: number, name, status, category, incorporation and dissolution
dates, previous names. Addresses, accounts, SIC codes and mortgages are never read into a row.
"""

from __future__ import annotations

import csv
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import TextIO

from vetting.registers.reading import BadRow, RegisterFormatError, dmy_date

REGISTER = "companies-house"
_REQUIRED = (
    "CompanyName",
    "CompanyNumber",
    "CompanyCategory",
    "CompanyStatus",
    "DissolutionDate",
    "IncorporationDate",
)
_PREVIOUS = re.compile(r"PreviousName_(\d+)\.(CONDATE|CompanyName)", re.IGNORECASE)
_NUMBER = re.compile(r"[A-Z0-9]{8}")
# BasicCompanyDataAsOneFile-2026-12-01.csv or BasicCompanyData-2026-12-01-part1_7.csv
_FILE_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


@dataclass(frozen=True, slots=True)
class CompanyRow:
    company_number: str
    name: str
    status: str
    category: str
    incorporated: date | None
    dissolved: date | None
    previous_names: list[list[str | None]]


def extract_date_of(file_name: str) -> date | None:
    """The extract's date from the published file's name, if it carries one."""
    match = _FILE_DATE.search(file_name)
    if not match:
        return None
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def _columns(header: list[str]) -> tuple[dict[str, int], list[tuple[int, int]]]:
    cleaned = [cell.strip().lstrip("\ufeff") for cell in header]
    positions = {name: index for index, name in enumerate(cleaned)}
    missing = [name for name in _REQUIRED if name not in positions]
    if missing:
        raise RegisterFormatError(
            f"the header has no {', '.join(missing)} column{'s' if len(missing) > 1 else ''} "
            "(is this the Companies House BasicCompanyData CSV?)"
        )
    pairs: dict[int, dict[str, int]] = {}
    for index, name in enumerate(cleaned):
        match = _PREVIOUS.fullmatch(name)
        if match:
            pairs.setdefault(int(match.group(1)), {})[match.group(2).lower()] = index
    previous = [
        (pair["companyname"], pair["condate"])
        for _n, pair in sorted(pairs.items())
        if "companyname" in pair and "condate" in pair
    ]
    return positions, previous


def company_rows(stream: TextIO, file: str) -> Iterator[dict[str, object] | BadRow]:
    """The rows of ``register_company`` (bad rows passed on as they are)."""
    for row in read_companies(stream, file):
        if isinstance(row, BadRow):
            yield row
        else:
            yield {
                "company_number": row.company_number,
                "name": row.name,
                "status": row.status,
                "category": row.category,
                "incorporated": row.incorporated,
                "dissolved": row.dissolved,
                "previous_names": row.previous_names,
            }


@functools.lru_cache(maxsize=65_536)
def _date(value: str) -> date | None:
    """dd/mm/yyyy quickly (millions of rows, few distinct dates), else the careful reader."""
    if len(value) == 10 and value[2] == "/" and value[5] == "/":
        try:
            return date(int(value[6:]), int(value[3:5]), int(value[:2]))
        except ValueError:
            pass
    return dmy_date(value)


def read_companies(stream: TextIO, file: str) -> Iterator[CompanyRow | BadRow]:
    """Each company in the file, or the row it could not read and why, in file order."""
    reader = csv.reader(stream)
    try:
        header = next(reader)
    except StopIteration:
        raise RegisterFormatError(f"{file} is empty") from None
    positions, previous = _columns(header)
    width = len(header)
    # Positions as locals: this loop runs millions of times.
    number_at, name_at = positions["CompanyNumber"], positions["CompanyName"]
    status_at, category_at = positions["CompanyStatus"], positions["CompanyCategory"]
    incorporated_at, dissolved_at = positions["IncorporationDate"], positions["DissolutionDate"]
    valid_number = _NUMBER.fullmatch
    for row in reader:
        line = reader.line_num
        if len(row) != width:
            if not any(cell.strip() for cell in row):
                continue
            yield BadRow(file, line, f"expected {width} fields as in the header, found {len(row)}")
            continue
        number = row[number_at].strip().upper()
        name = " ".join(row[name_at].split())
        if not valid_number(number):
            yield BadRow(file, line, f"CompanyNumber {number!r} is not eight letters or digits")
            continue
        if not name:
            yield BadRow(file, line, "CompanyName is empty")
            continue
        try:
            incorporated = _date(row[incorporated_at].strip())
            dissolved = _date(row[dissolved_at].strip())
            names: list[list[str | None]] = []
            for old_at, changed_at in previous:
                old = row[old_at]
                if old:
                    changed = _date(row[changed_at].strip())
                    names.append([" ".join(old.split()), changed.isoformat() if changed else None])
        except ValueError as error:
            yield BadRow(file, line, str(error))
            continue
        yield CompanyRow(
            company_number=number,
            name=name,
            status=" ".join(row[status_at].split()),
            category=" ".join(row[category_at].split()),
            incorporated=incorporated,
            dissolved=dissolved,
            previous_names=names,
        )
