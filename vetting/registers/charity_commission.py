"""The Charity Commission for England and Wales register extract, JSON or tab-separated, streamed.

Four of the extract's files are read: publicextract.charity, .charity_other_names,
.charity_trustee and .charity_event_history (each .json, a single array of objects, or .txt,
tab-separated with a header). Known quirks: a byte-order mark; line breaks inside fields in the
text form (a record then spans lines, so lines are joined until the record has all its fields);
dates written "YYYY-MM-DD HH:MM:SS"; linked_charity_number 0 for the main charity (and blank or
null now and then, read as 0). Only what the checks need is kept: no contact details,
activities, finances or (there are none in the trustee file, and none are read) addresses.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from datetime import date
from typing import Any, TextIO

from vetting.registers.reading import BadRow, RegisterFormatError, iso_date

REGISTER = "charity-commission"
_CHUNK = 1 << 16
_TRUE = {"true", "1", "yes", "y", "t"}
_FALSE = {"false", "0", "no", "n", "f", ""}


def _int(value: Any, column: str, *, blank_is_zero: bool = False) -> int:
    if value is None or (isinstance(value, str) and not value.strip()):
        if blank_is_zero:
            return 0
        raise ValueError(f"{column} is empty")
    try:
        return int(str(value).strip())
    except ValueError:
        raise ValueError(f"{column} {value!r} is not a number") from None


def _bool(value: Any, column: str) -> bool:
    if isinstance(value, bool):
        return value
    text = "" if value is None else str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f"{column} {value!r} is not true or false")


def _text(value: Any, limit: int = 300) -> str:
    return " ".join(str(value or "").split())[:limit]


def _keys(record: Mapping[str, Any]) -> dict[str, int]:
    return {
        "organisation_number": _int(record.get("organisation_number"), "organisation_number"),
        "charity_number": _int(record.get("registered_charity_number"), "registered_charity_number"),
        "linked_number": _int(
            record.get("linked_charity_number"), "linked_charity_number", blank_is_zero=True
        ),
    }


def _charity(record: Mapping[str, Any]) -> dict[str, Any]:
    name = _text(record.get("charity_name"))
    if not name:
        raise ValueError("charity_name is empty")
    return {
        **_keys(record),
        "name": name,
        "charity_type": _text(record.get("charity_type"), 80) or None,
        "status": _text(record.get("charity_registration_status"), 40) or "Registered",
        "registered": iso_date(record.get("date_of_registration")),
        "removed": iso_date(record.get("date_of_removal")),
        "insolvent": _bool(record.get("charity_insolvent"), "charity_insolvent"),
        "in_administration": _bool(record.get("charity_in_administration"), "charity_in_administration"),
        "cio_dissolved": _bool(record.get("cio_is_dissolved"), "cio_is_dissolved"),
    }


def _other_name(record: Mapping[str, Any]) -> dict[str, Any]:
    name = _text(record.get("charity_name"))
    if not name:
        raise ValueError("charity_name is empty")
    return {**_keys(record), "name_type": _text(record.get("charity_name_type"), 60) or None, "name": name}


def _trustee(record: Mapping[str, Any]) -> dict[str, Any]:
    name = _text(record.get("trustee_name"))
    if not name:
        raise ValueError("trustee_name is empty")
    return {
        **_keys(record),
        "trustee_id": _int(record.get("trustee_id"), "trustee_id"),
        "name": name,
        "kind": _text(record.get("individual_or_organisation"), 20) or None,
        "is_chair": _bool(record.get("trustee_is_chair"), "trustee_is_chair"),
        "appointed": iso_date(record.get("date_of_appointment")),
    }


def _event(record: Mapping[str, Any]) -> dict[str, Any]:
    event_type = _text(record.get("event_type"), 120)
    if not event_type:
        raise ValueError("event_type is empty")
    return {
        **_keys(record),
        "event_order": _int(record.get("charity_event_order"), "charity_event_order", blank_is_zero=True),
        "event_type": event_type,
        "event_date": iso_date(record.get("date_of_event")),
        "reason": _text(record.get("reason")) or None,
    }


# The extract's file (by the part of its name after "publicextract.") -> table and row builder.
FILES: dict[str, tuple[str, Callable[[Mapping[str, Any]], dict[str, Any]]]] = {
    "charity": ("register_charity", _charity),
    "charity_other_names": ("register_charity_name", _other_name),
    "charity_trustee": ("register_charity_trustee", _trustee),
    "charity_event_history": ("register_charity_event", _event),
}


def file_kind(file_name: str) -> str:
    """Which of the extract's files this is, from its published name; refuses any other."""
    base = file_name.replace("\\", "/").rsplit("/", 1)[-1].lower()
    stem = base.removeprefix("publicextract.").rsplit(".", 1)[0]
    if stem not in FILES:
        raise RegisterFormatError(
            f"{base} is not one of the extract's files read here: "
            + ", ".join(f"publicextract.{name}.json (or .txt)" for name in FILES)
        )
    return stem


def json_records(stream: TextIO) -> Iterator[tuple[int, Any]]:
    """Each element of a top-level JSON array with its position (1-based), never the whole array."""
    decoder = json.JSONDecoder()
    buffer = stream.read(_CHUNK).lstrip("\ufeff \t\r\n")
    if not buffer.startswith("["):
        raise RegisterFormatError("the JSON file is not an array of records")
    position, number, ended = 1, 0, False
    while True:
        while position < len(buffer) and buffer[position] in " \t\r\n,":
            position += 1
        if position < len(buffer) and buffer[position] == "]":
            return
        try:
            record, end = decoder.raw_decode(buffer, position)
        except json.JSONDecodeError as error:
            if ended:
                raise RegisterFormatError(
                    f"record {number + 1}: the JSON is malformed ({error.msg})"
                ) from None
            more = stream.read(_CHUNK)
            ended = not more
            buffer, position = buffer[position:] + more, 0
            continue
        number += 1
        yield number, record
        position = end
        if position > _CHUNK:
            buffer, position = buffer[position:], 0


def text_records(stream: TextIO) -> Iterator[tuple[int, Any]]:
    """Each tab-separated record as a dict, with the line it starts on; stray line breaks joined."""
    header_line = stream.readline().lstrip("\ufeff").rstrip("\r\n")
    header = [cell.strip() for cell in header_line.split("\t")]
    if len(header) < 2:
        raise RegisterFormatError("the text file has no tab-separated header")
    line_number = 1
    pending: list[str] = []
    start = 0
    for raw in stream:
        line_number += 1
        text = raw.rstrip("\r\n")
        if not pending:
            if not text.strip():
                continue
            start = line_number
        pending.append(text)
        cells = " ".join(pending).split("\t")
        if len(cells) < len(header):
            continue  # a line break inside a field: the record goes on on the next line
        pending = []
        if len(cells) > len(header):
            yield (
                start,
                BadRow("", start, f"expected {len(header)} fields as in the header, found {len(cells)}"),
            )
            continue
        yield start, dict(zip(header, cells, strict=True))
    if pending:
        yield start, BadRow("", start, "the file ends inside a record")


def read_extract_file(
    stream: TextIO, file_name: str
) -> tuple[str, Iterator[dict[str, Any] | BadRow], list[date]]:
    """The table a file fills and its rows (or bad rows); the list fills with the extract's date."""
    kind = file_kind(file_name)
    table, build = FILES[kind]
    is_json = file_name.lower().endswith(".json")
    found_dates: list[date] = []
    where = "record" if is_json else "line"

    def rows() -> Iterator[dict[str, Any] | BadRow]:
        source = json_records(stream) if is_json else text_records(stream)
        for number, record in source:
            if isinstance(record, BadRow):
                yield BadRow(file_name, record.line, record.problem)
                continue
            if not isinstance(record, dict):
                yield BadRow(file_name, number, "not a record", where)
                continue
            try:
                if not found_dates and record.get("date_of_extract"):
                    extract = iso_date(record.get("date_of_extract"))
                    if extract:
                        found_dates.append(extract)
                yield build(record)
            except ValueError as error:
                yield BadRow(file_name, number, str(error), where)

    return table, rows(), found_dates
