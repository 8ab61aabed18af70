"""Replacing a register table with an extract's rows, streamed in batches, in the caller's transaction.

A refresh replaces the whole table: a company or charity missing from the new extract must not
keep the status the old one gave it. The caller commits once at the end, so a failed or
refused import leaves the previous extract in place (nothing half-written). Rows are inserted
in batches, so memory stays flat however long the file: through the driver's fastest bulk path
(asyncpg's COPY on PostgreSQL, one prepared executemany on SQLite), since a million rows through
per-row bind processing take minutes; other databases go through SQLAlchemy Core.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import JSON, Boolean, Column, Date, Table, delete, insert, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from vetting.registers.models import RegisterExtract
from vetting.registers.reading import BadRow, RegisterFormatError

BATCH = 5_000
KEPT_BAD_ROWS = 50
Progress = Callable[[int, int], None]  # rows read so far, rows skipped so far


def _converter(column: Column[Any], dialect: str) -> Callable[[Any], Any] | None:
    """How a value of this column is sent to the driver directly, as SQLAlchemy's type would."""
    if isinstance(column.type, JSON):
        return lambda value: None if value is None else json.dumps(value)
    if dialect == "sqlite" and isinstance(column.type, Date):
        return lambda value: None if value is None else value.isoformat()
    if dialect == "sqlite" and isinstance(column.type, Boolean):
        return lambda value: None if value is None else int(value)
    return None


async def _insert(session: AsyncSession, table: Table, batch: list[dict[str, Any]]) -> None:
    connection = await session.connection()
    dialect = connection.dialect.name
    columns = list(batch[0])
    if dialect in {"sqlite", "postgresql"}:
        raw = await connection.get_raw_connection()
        driver: Any = raw.driver_connection
        converters = [(c, _converter(table.c[c], dialect)) for c in columns]
        records = [tuple(f(row[c]) if f else row[c] for c, f in converters) for row in batch]
        if dialect == "sqlite" and hasattr(driver, "cursor"):
            marks = ", ".join("?" for _ in columns)
            sql = f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608  # names from the Table
            cursor = await driver.cursor()  # aiosqlite's and the service's inline connection alike
            await cursor.executemany(sql, records)
            return
        if dialect == "postgresql" and hasattr(driver, "copy_records_to_table"):
            # JSON goes as text, as SQLAlchemy's asyncpg codec sends it; dates and booleans as they are.
            await driver.copy_records_to_table(table.name, records=records, columns=columns)
            return
    await session.execute(insert(table), batch)


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
    replace: ColumnElement[bool] | None = None,
) -> LoadResult:
    """Replace ``table``'s rows with ``rows``; a bad row stops the import unless it may be skipped.

    ``dates_found`` is for extracts that give their date in the rows: filled while reading,
    its first date becomes the extract's. ``replace`` narrows the rows replaced to those of this
    file, where one table holds several (OSCR's register and former register).
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
    await session.execute(delete(table) if replace is None else delete(table).where(replace))
    batch: list[dict[str, Any]] = []
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
                await _insert(session, table, batch)
                result.rows += len(batch)
                batch = []
                if progress and result.rows % every < BATCH:
                    progress(result.rows, result.skipped)
        if batch:
            await _insert(session, table, batch)
            result.rows += len(batch)
    except IntegrityError as error:
        raise RegisterFormatError(
            f"{file_name}: a number appears twice in the extract ({type(error.orig).__name__}); "
            "nothing was imported"
        ) from None
    except Exception as error:
        # The drivers' own bulk paths raise their own errors for a duplicate number.
        if "unique" not in str(error).lower():
            raise
        raise RegisterFormatError(
            f"{file_name}: a number appears twice in the extract; nothing was imported"
        ) from None
    if result.rows == 0:
        raise RegisterFormatError(f"{file_name} holds no rows; the register was left as it was")
    if (await session.connection()).dialect.name == "postgresql":
        # Fresh statistics, or the planner guesses at a million new rows and look-ups slow down.
        await session.execute(text(f"ANALYZE {table.name}"))
    extract.rows, extract.skipped = result.rows, result.skipped
    if dates_found:
        extract.extract_date = dates_found[0]
    await session.flush()
    if progress:
        progress(result.rows, result.skipped)
    return result
