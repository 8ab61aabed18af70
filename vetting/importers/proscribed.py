"""The Home Office list of proscribed terrorist organisations: saved HTML, pasted text, or CSV.

HTML: a saved copy of the gov.uk page or of Schedule 2 on legislation.gov.uk (proscribed_html.py).
Text: one organisation per line as either page writes it (proscribed_names.py reads every alias
form); blank lines and lines starting with "#" are ignored. CSV: a header with "name" and
optionally "aliases" and "proscribed_date"; aliases are separated by "|" (or by "," when no "|"
is present).
"""

from __future__ import annotations

from datetime import date

from vetting.importers.errors import FlaggedListFormatError
from vetting.importers.model import ImportedEntry
from vetting.importers.proscribed_html import looks_like_html, read_proscribed_html
from vetting.importers.proscribed_names import split_entry, tidy
from vetting.importers.reading import check_width, csv_rows, decode_text, field_text, parse_date, slug

SOURCE = "proscribed"
REASON = "Proscribed under the Terrorism Act 2000"
CSV_COLUMNS = ("name", "aliases", "proscribed_date")
_BULLETS = ("- ", "* ", "\u2022 ")


def _entry(
    name: str, aliases: list[str], listed: date | None, line: int, seen: dict[str, int]
) -> ImportedEntry:
    if not name:
        raise FlaggedListFormatError(line, "the organisation name is empty")
    reference = slug(name)
    if not reference:
        raise FlaggedListFormatError(line, f"the name {name!r} has no letters or digits")
    if reference in seen:
        raise FlaggedListFormatError(line, f"{name!r} is listed twice (first on line {seen[reference]})")
    seen[reference] = line
    return ImportedEntry(
        kind="organisation",
        name=name,
        aliases=tuple(aliases),
        source=SOURCE,
        source_ref=reference,
        reason=REASON,
        listed_date=listed,
    )


def _is_csv_header(first_line: str) -> bool:
    cells = [cell.strip().strip('"').lower() for cell in first_line.split(",")]
    return len(cells) > 1 and cells[0] == "name"


def _parse_text(lines: list[str]) -> list[ImportedEntry]:
    entries: list[ImportedEntry] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(lines, start=1):
        text = field_text(raw, number, "the line")
        if not text or text.startswith("#"):
            continue
        for bullet in _BULLETS:
            text = text.removeprefix(bullet)
        name, aliases = split_entry(text, number)
        entries.append(_entry(name, aliases, None, number, seen))
    return entries


def _parse_csv(text: str) -> list[ImportedEntry]:
    rows = csv_rows(text)
    header_line, header = next(rows)
    columns = [cell.strip().lower() for cell in header]
    unknown = [column for column in columns if column not in CSV_COLUMNS]
    if unknown or len(set(columns)) != len(columns):
        raise FlaggedListFormatError(
            header_line,
            f"the header must name the columns {', '.join(CSV_COLUMNS)} (each once), not {', '.join(header)}",
        )
    entries: list[ImportedEntry] = []
    seen: dict[str, int] = {}
    for line, row in rows:
        check_width(row, len(columns), line)
        values = {column: field_text(value, line, column) for column, value in zip(columns, row, strict=True)}
        raw_aliases = values.get("aliases", "")
        aliases = raw_aliases.split("|") if "|" in raw_aliases else raw_aliases.split(",")
        listed = parse_date(values.get("proscribed_date", ""), line, "proscribed_date")
        entries.append(_entry(tidy(values["name"]), [tidy(a) for a in aliases], listed, line, seen))
    return entries


def _parse_html(text: str) -> list[ImportedEntry]:
    entries: list[ImportedEntry] = []
    seen: dict[str, int] = {}
    for listed in read_proscribed_html(text):
        line = listed.line or 0
        name, aliases = split_entry(field_text(listed.text, line, "the entry"), listed.line)
        entries.append(_entry(name, aliases, listed.listed, line, seen))
    return entries


def parse_proscribed(data: bytes) -> list[ImportedEntry]:
    """One organisation entry per listed organisation."""
    text = decode_text(data)
    if looks_like_html(data):
        return _parse_html(text)
    # The same line breaks the csv module honours, so both forms count lines alike.
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    listed = [n for n, line in enumerate(lines) if line.strip() and not line.lstrip().startswith("#")]
    first = listed[0] if listed else None
    if first is None:
        raise FlaggedListFormatError(None, "the file lists no organisations")
    if _is_csv_header(lines[first]):
        if first and any(line.lstrip().startswith("#") for line in lines[:first]):
            raise FlaggedListFormatError(
                1, "a CSV list cannot start with comment lines: put the header first"
            )
        return _parse_csv(text)
    return _parse_text(lines)
