"""Claiming a scheduled notice before sending it: the key goes in (or nothing happens when it is
there already), and only keys this transaction put in are sent.

On PostgreSQL a second transaction claiming the same key waits for the first to commit, then
finds it and does nothing; on SQLite writers take turns. A rolled-back claim sends nothing
(mail goes after the commit) and frees the key for the next run.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from sqlalchemy import Table, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from casework.alert_models import ScheduledNotice

_CHUNK = 2000  # rows per execution; SQLAlchemy batches them under each database's parameter limit
_TABLE: Table = ScheduledNotice.__table__  # type: ignore[assignment]  # a mapped class's table is a Table


def _chunks(items: Sequence[str]) -> Iterable[Sequence[str]]:
    for i in range(0, len(items), _CHUNK):
        yield items[i : i + _CHUNK]


async def claim(session: AsyncSession, keys: Iterable[str], now: dt.datetime) -> set[str]:
    """The keys among `keys` that this transaction claimed (the others were sent before)."""
    wanted = list(dict.fromkeys(keys))
    if not wanted:
        return set()
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    # One statement compiled once, its rows sent in batches by SQLAlchemy's "insertmanyvalues";
    # rows already there return nothing.
    statement = insert(_TABLE).on_conflict_do_nothing(index_elements=["key"]).returning(_TABLE.c.key)
    claimed: set[str] = set()
    for chunk in _chunks(wanted):
        result = await session.execute(statement, [{"key": key, "at": now} for key in chunk])
        claimed.update(result.scalars())
    return claimed


async def sent_at(session: AsyncSession, keys: Iterable[str]) -> dict[str, dt.datetime]:
    """When each of `keys` already claimed was sent."""
    wanted = list(dict.fromkeys(keys))
    found: dict[str, dt.datetime] = {}
    for chunk in _chunks(wanted):
        rows = await session.execute(
            select(ScheduledNotice.key, ScheduledNotice.at).where(ScheduledNotice.key.in_(chunk))
        )
        found.update(rows.tuples().all())
    return found
