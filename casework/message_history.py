"""The messages sent about a case: all of them for its officers, the hirer's own on the status
page. One query each, from the outbox (vetting/outbox_models.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from vetting.outbox_models import DEAD, RETRYING, SENT, OutboxMessage

_STATE = {SENT: "delivered", DEAD: "failed", RETRYING: "retrying"}


@dataclass(frozen=True)
class SentMessage:
    to: str
    template: str | None
    subject: str
    channel: str
    audience: str
    written_at: dt.datetime
    sent_at: dt.datetime | None
    state: str  # "delivered", "failed", "retrying" or "pending"

    @property
    def when(self) -> dt.datetime:
        return self.sent_at or self.written_at


def _view(row: OutboxMessage) -> SentMessage:
    return SentMessage(
        to=row.to_address,
        template=row.template,
        subject=row.subject,
        channel=row.channel,
        audience=row.audience,
        written_at=row.created_at,
        sent_at=row.sent_at,
        state=_STATE.get(row.status, "pending"),
    )


async def case_messages(session: AsyncSession, case_id: UUID) -> list[SentMessage]:
    """Every message about the case, oldest first (the officer's session is scoped already)."""
    rows = await session.execute(
        select(OutboxMessage)
        .where(OutboxMessage.case_id == case_id)
        .order_by(OutboxMessage.created_at, OutboxMessage.id)
    )
    return [_view(r) for r in rows.scalars()]


async def hirer_messages(session: AsyncSession, case_id: UUID) -> list[SentMessage]:
    """The messages sent to the hirer of the case (never staff mail), oldest first. The status
    page finds the case from its private link first (casework.deps.case_by_token)."""
    rows = await session.execute(
        select(OutboxMessage)
        .where(OutboxMessage.case_id == case_id, OutboxMessage.audience == "hirer")
        .order_by(OutboxMessage.created_at, OutboxMessage.id)
    )
    return [_view(r) for r in rows.scalars()]
