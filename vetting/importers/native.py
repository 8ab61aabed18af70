"""The service's own flagged-list formats, CSV and JSON, for import and export.

CSV header: kind,name,aliases,source,source_ref,reason,listed_date (any order), with
aliases separated by "|". JSON: a list of objects with the same keys, aliases a list.
A blank source reads as "local", the hand-added source, which ``import_entries`` refuses: a file
that is imported names the list each row comes from.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from datetime import date
from typing import Any

from vetting.importers.errors import FlaggedListFormatError
from vetting.importers.model import KINDS, ImportedEntry
from vetting.importers.reading import check_width, csv_rows, decode_text, field_text, parse_date

COLUMNS = ("kind", "name", "aliases", "source", "source_ref", "reason", "listed_date")
ALIAS_SEPARATOR = "|"
_REQUIRED = frozenset({"kind", "name"})
_JSON_WHITESPACE = " \t\r\n"


class _Duplicates:
    """Catches two rows claiming the same (source, source_ref), which a later import could not tell apart."""

    def __init__(self) -> None:
        self.seen: dict[tuple[str, str], int] = {}

    def check(self, entry: ImportedEntry, line: int) -> None:
        key = (entry.source, entry.source_ref or entry.name.casefold())
        if key in self.seen:
            raise FlaggedListFormatError(
                line,
                f"{entry.source_ref or entry.name!r} from {entry.source!r} appears twice "
                f"(first on line {self.seen[key]})",
            )
        self.seen[key] = line


def _build(values: dict[str, str], aliases: list[str], listed: date | None, line: int) -> ImportedEntry:
    if values.get("kind", "") not in KINDS:
        kind = values.get("kind", "")
        raise FlaggedListFormatError(line, f"kind {kind!r} is not 'person' or 'organisation'")
    if not values.get("name"):
        raise FlaggedListFormatError(line, "name is empty")
    return ImportedEntry(
        kind="person" if values["kind"] == "person" else "organisation",
        name=values["name"],
        aliases=tuple(aliases),
        source=values.get("source") or "local",
        source_ref=values.get("source_ref", ""),
        reason=values.get("reason") or None,
        listed_date=listed,
    )


def parse_native_csv(data: bytes) -> list[ImportedEntry]:
    """Entries from the service's CSV export (or a file written the same way)."""
    rows = csv_rows(decode_text(data))
    try:
        header_line, header = next(rows)
    except StopIteration:
        raise FlaggedListFormatError(None, "the file is empty") from None
    columns = [cell.strip().lower() for cell in header]
    unknown = sorted(set(columns) - set(COLUMNS))
    missing = sorted(_REQUIRED - set(columns))
    if unknown or missing or len(set(columns)) != len(columns):
        raise FlaggedListFormatError(
            header_line,
            "the header must be "
            + ",".join(COLUMNS)
            + (f"; missing {', '.join(missing)}" if missing else "")
            + (f"; unknown {', '.join(unknown)}" if unknown else ""),
        )
    entries: list[ImportedEntry] = []
    duplicates = _Duplicates()
    for line, row in rows:
        check_width(row, len(columns), line)
        values = {column: field_text(value, line, column) for column, value in zip(columns, row, strict=True)}
        aliases = values.get("aliases", "").split(ALIAS_SEPARATOR)
        entry = _build(values, aliases, parse_date(values.get("listed_date", ""), line, "listed_date"), line)
        duplicates.check(entry, line)
        entries.append(entry)
    return entries


def _json_items(text: str) -> list[tuple[int, Any]]:
    """The elements of a top-level JSON array, each with the line it starts on."""
    decoder = json.JSONDecoder()
    lines_before = [0]  # running count, so finding a line is not quadratic
    counted_to = [0]

    def line_of(position: int) -> int:
        lines_before[0] += text.count("\n", counted_to[0], position)
        counted_to[0] = position
        return lines_before[0] + 1

    def skip(position: int) -> int:
        while position < len(text) and text[position] in _JSON_WHITESPACE:
            position += 1
        return position

    position = skip(0)
    if position == len(text) or text[position] != "[":
        raise FlaggedListFormatError(line_of(position), "expected a JSON list of entries, starting with '['")
    position = skip(position + 1)
    items: list[tuple[int, Any]] = []
    if position < len(text) and text[position] == "]":
        position += 1
    else:
        while True:
            try:
                item, end = decoder.raw_decode(text, position)
            except json.JSONDecodeError as error:
                raise FlaggedListFormatError(error.lineno, f"invalid JSON: {error.msg}") from None
            items.append((line_of(position), item))
            position = skip(end)
            if position < len(text) and text[position] == ",":
                position = skip(position + 1)
            elif position < len(text) and text[position] == "]":
                position += 1
                break
            else:
                raise FlaggedListFormatError(
                    line_of(position), "invalid JSON: expected ',' or ']' after an entry"
                )
    if skip(position) != len(text):
        raise FlaggedListFormatError(line_of(skip(position)), "invalid JSON: text after the closing ']'")
    return items


def _json_text(item: dict[str, Any], key: str, line: int) -> str:
    value = item.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise FlaggedListFormatError(line, f"{key} must be a string, not {type(value).__name__}")
    return field_text(value, line, key)


def parse_native_json(data: bytes) -> list[ImportedEntry]:
    """Entries from the service's JSON export: a list of objects."""
    entries: list[ImportedEntry] = []
    duplicates = _Duplicates()
    for line, item in _json_items(decode_text(data, allow_windows_1252=False)):
        if not isinstance(item, dict):
            raise FlaggedListFormatError(line, f"each entry must be a JSON object, not {type(item).__name__}")
        unknown = sorted(set(item) - set(COLUMNS))
        if unknown:
            raise FlaggedListFormatError(line, f"unknown key {', '.join(map(repr, unknown))}")
        raw_aliases = item.get("aliases") or []
        if not isinstance(raw_aliases, list) or not all(isinstance(a, str) for a in raw_aliases):
            raise FlaggedListFormatError(line, "aliases must be a list of strings")
        aliases = [field_text(alias, line, "aliases") for alias in raw_aliases]
        values = {key: _json_text(item, key, line) for key in COLUMNS if key != "aliases"}
        entry = _build(values, aliases, parse_date(values["listed_date"], line, "listed_date"), line)
        duplicates.check(entry, line)
        entries.append(entry)
    return entries


def _check_exportable(entry: ImportedEntry) -> None:
    if any(ALIAS_SEPARATOR in alias for alias in entry.aliases):
        raise ValueError(f"an alias of {entry.name!r} contains {ALIAS_SEPARATOR!r}, the CSV alias separator")


def export_native_csv(entries: Iterable[ImportedEntry]) -> bytes:
    """UTF-8 CSV that ``parse_flagged_list(..., "native-csv")`` reads back to equal entries."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for entry in entries:
        _check_exportable(entry)
        writer.writerow(
            [
                entry.kind,
                entry.name,
                ALIAS_SEPARATOR.join(entry.aliases),
                entry.source,
                entry.source_ref,
                entry.reason or "",
                entry.listed_date.isoformat() if entry.listed_date else "",
            ]
        )
    return buffer.getvalue().encode("utf-8")


def export_native_json(entries: Iterable[ImportedEntry]) -> bytes:
    """UTF-8 JSON that ``parse_flagged_list(..., "native-json")`` reads back to equal entries."""
    records = [
        {
            "kind": entry.kind,
            "name": entry.name,
            "aliases": list(entry.aliases),
            "source": entry.source,
            "source_ref": entry.source_ref,
            "reason": entry.reason,
            "listed_date": entry.listed_date.isoformat() if entry.listed_date else None,
        }
        for entry in entries
    ]
    return (json.dumps(records, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
