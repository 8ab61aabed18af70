"""What administrators do with the outbox: list the messages that fail, and send one again.

Both run in the administrator's session, so an organisation's administrator sees and retries
only its own organisation's messages (vetting/tenancy.py narrows every statement)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from vetting.errors import Conflict, NotFound
from vetting.outbox_models import DEAD, PENDING, RETRYING, STATUSES, OutboxMessage
from vetting.outbox_write import mark_written

FAILING = (DEAD, RETRYING)


async def list_messages(
    session: AsyncSession, statuses: Sequence[str] = FAILING, *, limit: int = 200
) -> list[OutboxMessage]:
    unknown = set(statuses) - set(STATUSES)
    if unknown:
        raise NotFound(f"no such status: {', '.join(sorted(unknown))}")
    query = (
        select(OutboxMessage)
        .where(OutboxMessage.status.in_(tuple(statuses)))
        .order_by(OutboxMessage.created_at.desc())
        .limit(limit)
    )
    return list((await session.execute(query)).scalars())


async def retry(session: AsyncSession, message_id: uuid.UUID, *, now: dt.datetime | None = None) -> None:
    """Put a dead or retrying message back in the queue now, with a fresh count of attempts."""
    now = now or dt.datetime.now(dt.UTC)
    row = await session.get(OutboxMessage, message_id)
    if row is None:  # missing or another organisation's: the same answer
        raise NotFound("no such message")
    if row.status not in FAILING:
        raise Conflict("only a message that failed can be sent again")
    await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.status.in_(FAILING))
        .values(
            status=PENDING,
            attempts=0,
            next_attempt_at=now,
            claimed_by=None,
            lease_expires_at=None,
            updated_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    mark_written(session)  # the deliverers are woken once this commits
