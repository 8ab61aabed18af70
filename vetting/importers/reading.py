"""Shared reading helpers: bytes to text, CSV rows with their line numbers, dates, slugs."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from datetime import date

from anyascii import anyascii

from vetting.importers.errors import FlaggedListFormatError
from vetting.importers.model import clean_text, control_character

MAX_INPUT_BYTES = 50 * 1024 * 1024

_UTF8_BOM = b"\xef\xbb\xbf"
_DMY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


def _line_at(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def decode_text(data: bytes, *, allow_windows_1252: bool = True, file: str | None = None) -> str:
    """UTF-8 (with or without a byte-order mark), else Windows-1252 as Excel on Windows saves it."""
    if data.startswith(_UTF8_BOM):
        data = data[len(_UTF8_BOM) :]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as utf8_error:
        if not allow_windows_1252:
            raise FlaggedListFormatError(
                _line_at(data, utf8_error.start),
                f"the file is not UTF-8 text (byte 0x{data[utf8_error.start]:02X})",
                file=file,
            ) from None
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as error:
            raise FlaggedListFormatError(
                _line_at(data, error.start),
                f"the file is neither UTF-8 nor Windows-1252 text (byte 0x{data[error.start]:02X})",
                file=file,
            ) from None
    nul = text.find("\x00")
    if nul >= 0:
        raise FlaggedListFormatError(
            text.count("\n", 0, nul) + 1, "the file contains NUL bytes: it is not a text file", file=file
        )
    return text


def csv_rows(text: str, *, file: str | None = None) -> Iterator[tuple[int, list[str]]]:
    """Each non-blank CSV record with the line it starts on (records may span lines)."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    start = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise FlaggedListFormatError(start, f"the CSV is malformed: {error}", file=file) from None
        if any(cell.strip() for cell in row):
            yield start, row
        start = reader.line_num + 1


def check_width(row: list[str], width: int, line: int, *, file: str | None = None) -> None:
    """Every record must have as many fields as the header names."""
    if len(row) != width:
        raise FlaggedListFormatError(
            line, f"expected {width} fields as in the header, found {len(row)}", file=file
        )


def field_text(value: str, line: int, column: str, *, file: str | None = None) -> str:
    """A cell with whitespace collapsed, refusing control characters that no name contains."""
    bad = control_character(value)
    if bad is not None:
        raise FlaggedListFormatError(
            line, f"{column} contains the control character U+{ord(bad):04X}", file=file
        )
    return clean_text(value)


def parse_date(value: str, line: int, column: str, *, file: str | None = None) -> date | None:
    """A date written dd/mm/yyyy (as the UK lists do) or yyyy-mm-dd; blank means none."""
    value = value.strip()
    if not value:
        return None
    try:
        if match := _DMY.fullmatch(value):
            day, month, year = (int(part) for part in match.groups())
            return date(year, month, day)
        if _ISO.fullmatch(value):
            return date.fromisoformat(value)
    except ValueError:
        raise FlaggedListFormatError(line, f"{column} {value!r} is not a real date", file=file) from None
    raise FlaggedListFormatError(
        line, f"{column} {value!r} is not a date in the form dd/mm/yyyy or yyyy-mm-dd", file=file
    )


def slug(name: str) -> str:
    """A stable reference made from a name, for lists that publish no reference of their own."""
    return re.sub(r"[^a-z0-9]+", "-", anyascii(name).lower()).strip("-")
