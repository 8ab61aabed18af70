"""Replacing a register table with an extract's rows, streamed in batches, in the caller's transaction.

A refresh replaces the whole table: a company or charity missing from the new extract must not
keep the status the old one gave it. The caller commits once at the end, so a failed or
refused import leaves the previous extract in place (nothing half-written). Rows are inserted
in batches through SQLAlchemy Core (no ORM objects), so memory stays flat however long the file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, delete, insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from vetting.registers.models import RegisterExtract
from vetting.registers.reading import BadRow, RegisterFormatError

BATCH = 5_000
KEPT_BAD_ROWS = 50
Progress = Callable[[int, int], None]  # rows read so far, rows skipped so far


@dataclass
class LoadResult:
    """What one file's import did: its extract row, rows loaded, and the rows skipped (first few kept)."""

    extract_id: int
    table: str
    rows: int = 0
    skipped: int = 0
    bad_rows: list[BadRow] = field(default_factory=list)


async def load_table(
    session: AsyncSession,
    table: Table,
    rows: Iterable[Mapping[str, Any] | BadRow],
    *,
    register: str,
    file_name: str,
    extract_date: dt.date | None,
    now: dt.datetime,
    skip_bad_rows: bool = False,
    progress: Progress | None = None,
    every: int = 100_000,
    dates_found: list[dt.date] | None = None,
) -> LoadResult:
    """Replace ``table``'s rows with ``rows``; a bad row stops the import unless it may be skipped.

    ``dates_found`` is for extracts that give their date in the rows: filled while reading,
    its first date becomes the extract's.
    """
    extract = RegisterExtract(
        register=register,
        extract_date=extract_date,
        imported_at=now,
        file_name=file_name[:300],
        rows=0,
        skipped=0,
    )
    session.add(extract)
    await session.flush()
    result = LoadResult(extract.id, table.name)
    await session.execute(delete(table))
    batch: list[dict[str, Any]] = []
    statement = insert(table)
    try:
        for row in rows:
            if isinstance(row, BadRow):
                if not skip_bad_rows:
                    raise RegisterFormatError(
                        f"{row} (nothing was imported; --skip-bad-rows imports the rest)"
                    )
                result.skipped += 1
                if len(result.bad_rows) < KEPT_BAD_ROWS:
                    result.bad_rows.append(row)
                continue
            batch.append({**row, "extract_id": extract.id})
            if len(batch) >= BATCH:
                await session.execute(statement, batch)
                result.rows += len(batch)
                batch = []
                if progress and result.rows % every < BATCH:
                    progress(result.rows, result.skipped)
        if batch:
            await session.execute(statement, batch)
            result.rows += len(batch)
    except IntegrityError as error:
        raise RegisterFormatError(
            f"{file_name}: a number appears twice in the extract ({type(error.orig).__name__}); "
            "nothing was imported"
        ) from None
    if result.rows == 0:
        raise RegisterFormatError(f"{file_name} holds no rows; the register was left as it was")
    extract.rows, extract.skipped = result.rows, result.skipped
    if dates_found:
        extract.extract_date = dates_found[0]
    await session.flush()
    if progress:
        progress(result.rows, result.skipped)
    return result
