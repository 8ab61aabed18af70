"""What an import reads (one or several named files) and the rows it could not read.

A list may be published as several files (OFAC's SDN.CSV, ALT.CSV and SDN_COMMENTS.CSV), so a
reader takes them all at once. A malformed row is never dropped silently: without
``skip_bad_rows`` every bad row is named and nothing is imported; with it, the rest is imported
and the skipped rows are listed to whoever ran the import.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from vetting.importers.errors import FlaggedListFormatError
from vetting.importers.model import ImportedEntry

# Enough to find the pattern in a damaged file without burying the first problem.
SHOWN_BAD_ROWS = 10


@dataclass(frozen=True, slots=True)
class InputFile:
    """One file of an import: the name it was given (errors say which file), and its bytes or
    the path to read them from (a reader that streams, such as OFAC's XML, opens the path)."""

    name: str
    data: bytes | None = None
    path: Path | None = None

    def __post_init__(self) -> None:
        if (self.data is None) == (self.path is None):
            raise ValueError("an input file has either its bytes or a path")

    def _path(self) -> Path:
        if self.path is None:
            raise ValueError("an input file has either its bytes or a path")
        return self.path

    @property
    def size(self) -> int:
        return len(self.data) if self.data is not None else self._path().stat().st_size

    def read(self) -> bytes:
        return self.data if self.data is not None else self._path().read_bytes()

    def open(self) -> BinaryIO:
        return io.BytesIO(self.data) if self.data is not None else self._path().open("rb")

    @property
    def base_name(self) -> str:
        """The file's own name, lower case, without folders ("SDN.CSV" and "x/sdn.csv" alike)."""
        return self.name.replace("\\", "/").rsplit("/", 1)[-1].lower()


@dataclass(frozen=True, slots=True)
class SkippedRow:
    """A row left out of an import, with the file, the line it starts on and why."""

    line: int | None
    problem: str
    file: str | None = None

    def __str__(self) -> str:
        return str(FlaggedListFormatError(self.line, self.problem, file=self.file))


@dataclass
class BadRows:
    """Collects rows a reader could not read; ``skip`` says whether the rest may still be imported."""

    skip: bool = False
    rows: list[SkippedRow] = field(default_factory=list)

    def add(self, error: FlaggedListFormatError) -> None:
        self.rows.append(SkippedRow(error.line, error.problem, error.file))

    def settle(self) -> None:
        """Raise naming every bad row, unless they may be skipped."""
        if not self.rows or self.skip:
            return
        first = self.rows[0]
        if len(self.rows) == 1:
            raise FlaggedListFormatError(first.line, first.problem, file=first.file)
        shown = "; ".join(str(row) for row in self.rows[:SHOWN_BAD_ROWS])
        more = len(self.rows) - SHOWN_BAD_ROWS
        raise FlaggedListFormatError(
            None,
            f"{len(self.rows)} rows cannot be read: {shown}" + (f"; and {more} more" if more > 0 else ""),
        )


@dataclass(frozen=True)
class ReadList:
    """Everything read from an import's files, and the rows skipped (only with ``skip_bad_rows``)."""

    entries: list[ImportedEntry]
    skipped: tuple[SkippedRow, ...] = ()
