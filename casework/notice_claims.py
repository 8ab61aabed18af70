"""Claiming a scheduled notice before sending it: the key goes in (or nothing happens when it is
there already), and only keys this transaction put in are sent.

On PostgreSQL a second transaction claiming the same key waits for the first to commit, then
finds it and does nothing; on SQLite writers take turns. A rolled-back claim sends nothing
(mail goes after the commit) and frees the key for the next run.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from casework.alert_models import ScheduledNotice

_CHUNK = 500  # rows per statement: two parameters each, far under either database's limit


def _chunks(items: Sequence[str]) -> Iterable[Sequence[str]]:
    for i in range(0, len(items), _CHUNK):
        yield items[i : i + _CHUNK]


async def claim(session: AsyncSession, keys: Iterable[str], now: dt.datetime) -> set[str]:
    """The keys among `keys` that this transaction claimed (the others were sent before)."""
    wanted = list(dict.fromkeys(keys))
    if not wanted:
        return set()
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    claimed: set[str] = set()
    for chunk in _chunks(wanted):
        statement = (
            insert(ScheduledNotice)
            .values([{"key": key, "at": now} for key in chunk])
            .on_conflict_do_nothing(index_elements=["key"])
            .returning(ScheduledNotice.key)
        )
        claimed.update((await session.execute(statement)).scalars())
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
