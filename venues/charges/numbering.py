"""Numbers without gaps or repeats for invoices and credit notes, per issuing organisation.

The counter row is created if missing (an insert that ignores a duplicate) and then moved on
with one ``UPDATE ... RETURNING`` in the caller's transaction. On PostgreSQL the update locks the
row until that transaction ends, so a concurrent issuer waits and then reads the committed
number; on SQLite writers are serialised for the whole transaction (BEGIN IMMEDIATE). Either way
a rolled-back issue rolls its number back with it: no gap.
"""

from __future__ import annotations

import uuid

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from venues.charges.models import ChargeCounter

PREFIXES = {"invoice": "INV", "credit_note": "CRN"}


async def next_number(session: AsyncSession, issuer: str, kind: str) -> int:
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    await session.execute(
        insert(ChargeCounter)
        .values(id=uuid.uuid4(), issuer=issuer, kind=kind, last_number=0)
        .on_conflict_do_nothing(index_elements=["issuer", "kind"])
    )
    moved = await session.execute(
        update(ChargeCounter)
        .where(ChargeCounter.issuer == issuer, ChargeCounter.kind == kind)
        .values(last_number=ChargeCounter.last_number + 1)
        .returning(ChargeCounter.last_number)
        .execution_options(synchronize_session=False)
    )
    return int(moved.scalar_one())


def document_number(kind: str, seq: int) -> str:
    """``INV-000042``: unique within the issuing organisation, as its finance system expects."""
    return f"{PREFIXES[kind]}-{seq:06d}"


async def reserve_numbers(session: AsyncSession, issuer: str, kind: str, count: int) -> int:
    """Move the counter on by `count` at once (for documents issued in bulk) and return the first
    number reserved. `count` 0 only locks the counter row until the transaction ends: another
    transaction issuing for the same organisation then waits, so what the caller reads next (which
    bookings still have no invoice) cannot change under it."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    await session.execute(
        insert(ChargeCounter)
        .values(id=uuid.uuid4(), issuer=issuer, kind=kind, last_number=0)
        .on_conflict_do_nothing(index_elements=["issuer", "kind"])
    )
    moved = await session.execute(
        update(ChargeCounter)
        .where(ChargeCounter.issuer == issuer, ChargeCounter.kind == kind)
        .values(last_number=ChargeCounter.last_number + count)
        .returning(ChargeCounter.last_number)
        .execution_options(synchronize_session=False)
    )
    return int(moved.scalar_one()) - count + 1
