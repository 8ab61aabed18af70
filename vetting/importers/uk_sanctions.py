"""The UK Sanctions List CSV published by the FCDO (UK_Sanctions_List.csv).

Layout: a "Report Date: ..." line, then a header row of 58 columns, then one row per name.
Rows sharing a "Unique ID" describe one designation; "Name type" says whether the row is the
primary name, a variation of it or an alias (the published list leaves it blank on some primary
names: blank reads as the primary name). "Alias strength" is "Good quality a.k.a", "Low quality
a.k.a" or blank; low-quality aliases are kept as weak aliases. Name 6 holds the surname of an
individual and the whole name of an entity or ship; Name 1 to Name 5 hold the given and middle
names. A row that cannot be read is named with its line and reason (inputs.BadRows).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from vetting.birth_dates import BirthSpan, canonical_list, parse_uk_dob
from vetting.importers.errors import FlaggedListFormatError
from vetting.importers.inputs import BadRows
from vetting.importers.model import ImportedEntry, Kind
from vetting.importers.reading import csv_rows, decode_text, field_text, parse_date

SOURCE = "uk-sanctions"

NAME_COLUMNS = tuple(f"Name {n}" for n in range(1, 7))
# Each logical column with the header spellings the list has used for it.
_REQUIRED: dict[str, tuple[str, ...]] = {
    "Unique ID": ("unique id",),
    **{column: (column.lower(),) for column in NAME_COLUMNS},
    "Name type": ("name type",),
    "Designation Type": ("designation type", "group type"),
    "Regime Name": ("regime name", "regime"),
}
_OPTIONAL: dict[str, tuple[str, ...]] = {
    "Date Designated": ("date designated",),
    "Name non-latin script": ("name non-latin script",),
    "Alias strength": ("alias strength", "alias quality"),
    "D.O.B": ("d.o.b", "d.o.b.", "dob", "date of birth"),
}
_KINDS: dict[str, Kind | None] = {"individual": "person", "entity": "organisation", "ship": None}
_PRIMARY = "primary name"
_ALIAS_TYPES = frozenset({"alias", "primary name variation"})
# Whether an alias is weak, by "Alias strength" with any "a.k.a" dropped: the list has written
# both "Low quality a.k.a" and "Low quality".
_STRENGTHS: dict[str, bool] = {"": False, "good quality": False, "low quality": True}
_AKA = re.compile(r"[\s.,-]*(a\.?k\.?a\.?)?[\s.]*$", re.IGNORECASE)


def _strength(value: str) -> str:
    return _AKA.sub("", value).strip().lower()


@dataclass(frozen=True)
class _NameRow:
    unique_id: str
    kind_label: str
    is_primary: bool
    # A blank Name type: the primary name unless the designation also has a row saying so.
    primary_by_default: bool
    weak: bool
    full_name: str
    non_latin: str
    regime: str
    designated: date | None
    birth: BirthSpan | None


@dataclass
class _Designation:
    first_line: int
    kind_label: str
    primary: str | None = None
    primary_by_default: bool = False
    names: list[str] = field(default_factory=list)
    weak_names: list[str] = field(default_factory=list)
    regimes: list[str] = field(default_factory=list)
    dates: list[date] = field(default_factory=list)
    births: list[BirthSpan] = field(default_factory=list)

    def add(self, row: _NameRow, line: int) -> None:
        if row.kind_label.lower() != self.kind_label.lower():
            raise FlaggedListFormatError(
                line,
                f"Designation Type {row.kind_label!r} differs from {self.kind_label!r} "
                f"on line {self.first_line} for Unique ID {row.unique_id}",
            )
        # A repeated primary row (the list repeats rows) is dropped later as a duplicate alias.
        if row.is_primary and (
            self.primary is None or (self.primary_by_default and not row.primary_by_default)
        ):
            if self.primary is not None:
                self.names.append(self.primary)
            self.primary, self.primary_by_default = row.full_name, row.primary_by_default
        elif row.weak:
            self.weak_names.append(row.full_name)
        else:
            self.names.append(row.full_name)
        if row.non_latin:
            self.names.append(row.non_latin)
        if row.regime and row.regime not in self.regimes:
            self.regimes.append(row.regime)
        if row.designated is not None:
            self.dates.append(row.designated)
        if row.birth is not None:
            self.births.append(row.birth)

    def entry(self, unique_id: str) -> ImportedEntry | None:
        kind = _KINDS[self.kind_label.lower()]
        if kind is None:
            return None
        if self.primary is None:
            raise FlaggedListFormatError(self.first_line, f"Unique ID {unique_id} has no Primary Name row")
        return ImportedEntry(
            kind=kind,
            name=self.primary,
            aliases=tuple(self.names),
            weak_aliases=tuple(self.weak_names),
            source=SOURCE,
            source_ref=unique_id,
            reason="; ".join(self.regimes) or None,
            listed_date=min(self.dates, default=None),
            births=canonical_list(self.births),
        )


def _locate_header(rows: list[tuple[int, list[str]]]) -> int:
    """Index in ``rows`` of the header row: right after the report-date line."""
    if not rows:
        raise FlaggedListFormatError(None, "the file is empty")
    first_line, first = rows[0]
    if first[0].strip().lower().startswith("report date"):
        if len(rows) < 2:
            raise FlaggedListFormatError(first_line, "the report-date line is not followed by a header row")
        return 1
    if any(cell.strip().lower() == "unique id" for cell in first):
        return 0
    raise FlaggedListFormatError(
        first_line,
        "expected a 'Report Date: ...' line and then the header row of the UK Sanctions List",
    )


def _column_positions(header: list[str], line: int) -> dict[str, int]:
    lowered = [cell.strip().lower() for cell in header]
    positions: dict[str, int] = {}
    missing: list[str] = []
    for wanted, spellings in (*_REQUIRED.items(), *_OPTIONAL.items()):
        found = next((lowered.index(s) for s in spellings if s in lowered), None)
        if found is not None:
            positions[wanted] = found
        elif wanted in _REQUIRED:
            missing.append(wanted)
    if missing:
        raise FlaggedListFormatError(
            line,
            "the header row has no "
            + ", ".join(repr(m) for m in missing)
            + " column"
            + ("s" if len(missing) > 1 else "")
            + " (is this the UK Sanctions List CSV?)",
        )
    return positions


def _read_row(row: list[str], line: int, col: dict[str, int], width: int) -> _NameRow:
    if len(row) < width or any(cell.strip() for cell in row[width:]):
        raise FlaggedListFormatError(line, f"expected {width} fields as in the header, found {len(row)}")

    def cell(column: str) -> str:
        return field_text(row[col[column]], line, column) if column in col else ""

    unique_id = cell("Unique ID")
    if not unique_id:
        raise FlaggedListFormatError(line, "Unique ID is empty")
    kind_label = cell("Designation Type")
    if kind_label.lower() not in _KINDS:
        raise FlaggedListFormatError(
            line, f"Designation Type {kind_label!r} is not Individual, Entity or Ship"
        )
    name_type = cell("Name type")
    if name_type and name_type.lower() != _PRIMARY and name_type.lower() not in _ALIAS_TYPES:
        raise FlaggedListFormatError(
            line, f"Name type {name_type!r} is not Primary Name, Primary Name Variation, Alias or blank"
        )
    is_primary = name_type.lower() in {_PRIMARY, ""}
    strength = cell("Alias strength")
    if _strength(strength) not in _STRENGTHS:
        raise FlaggedListFormatError(
            line, f"Alias strength {strength!r} is not Good quality a.k.a, Low quality a.k.a or blank"
        )
    if not cell("Name 6"):
        raise FlaggedListFormatError(
            line, f"Name 6 is empty for {'a primary name' if is_primary else 'an alias'}"
        )
    return _NameRow(
        unique_id=unique_id,
        kind_label=kind_label,
        is_primary=is_primary,
        primary_by_default=not name_type,
        weak=not is_primary and _STRENGTHS[_strength(strength)],
        # Name 6 is the surname, so reader order puts it last.
        full_name=" ".join(part for part in (cell(column) for column in NAME_COLUMNS) if part),
        non_latin=cell("Name non-latin script"),
        regime=cell("Regime Name"),
        designated=parse_date(cell("Date Designated"), line, "Date Designated"),
        # Partial dates as the list writes them; one it writes otherwise is left out, not guessed.
        birth=parse_uk_dob(cell("D.O.B")),
    )


def parse_uk_sanctions_csv(data: bytes, bad_rows: BadRows | None = None) -> list[ImportedEntry]:
    """Entries for every individual and entity on the list; ships are left out.

    A row that cannot be read, and a designation left without its primary name, go to
    ``bad_rows``, which raises naming them all unless they may be skipped.
    """
    bad = bad_rows if bad_rows is not None else BadRows()
    rows = list(csv_rows(decode_text(data)))
    header_index = _locate_header(rows)
    header_line, header = rows[header_index]
    col = _column_positions(header, header_line)
    designations: dict[str, _Designation] = {}
    for line, row in rows[header_index + 1 :]:
        try:
            name_row = _read_row(row, line, col, len(header))
            designation = designations.setdefault(name_row.unique_id, _Designation(line, name_row.kind_label))
            designation.add(name_row, line)
        except FlaggedListFormatError as error:
            bad.add(error)
    entries: list[ImportedEntry] = []
    for unique_id, designation in designations.items():
        try:
            entry = designation.entry(unique_id)
        except FlaggedListFormatError as error:
            bad.add(error)
            continue
        if entry is not None:
            entries.append(entry)
    bad.settle()
    return entries
