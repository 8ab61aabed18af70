"""Delivering the outbox: claim one due message with a conditional UPDATE (a lease), hand it to
its channel outside any transaction, then record what happened.

* Claiming is one statement: ``UPDATE ... WHERE id = (SELECT the first due row ... FOR UPDATE
  SKIP LOCKED) AND <still due>``. Two deliverers (threads, processes, machines) never hold the
  same row: on PostgreSQL the row lock and the re-checked condition, on SQLite the write lock.
* A claim lasts `DeliveryPolicy.lease`; a deliverer killed while it held one leaves a row in
  ``sending`` whose lease lapses, and the next sweep (any process, or this one after restart)
  takes it again. Only the holder of the claim records the outcome.
* A temporary failure is tried again after an exponential back-off; after `max_attempts`, or at
  once on a permanent failure, the row is ``dead`` and shows on the admin's outbox page.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

import structlog
from sqlalchemy import ColumnElement, and_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from vetting.channels.base import Channels, DeliveryFailure, PermanentFailure, TemporaryFailure
from vetting.notify import Mail
from vetting.outbox_models import DEAD, PENDING, RETRYING, SENDING, SENT, OutboxMessage

log = structlog.get_logger("venue_hire.outbox")


@dataclass(frozen=True)
class DeliveryPolicy:
    lease: dt.timedelta = dt.timedelta(seconds=60)  # longer than a channel's own timeout
    max_attempts: int = 8
    first_backoff: dt.timedelta = dt.timedelta(seconds=30)
    max_backoff: dt.timedelta = dt.timedelta(hours=6)

    def backoff(self, attempts: int) -> dt.timedelta:
        """30 s, 1 min, 2 min, ... doubling per attempt made, at most `max_backoff`."""
        delay: dt.timedelta = self.first_backoff * (2 ** max(attempts - 1, 0))
        return min(delay, self.max_backoff)


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _due(now: dt.datetime) -> ColumnElement[bool]:
    return or_(
        and_(OutboxMessage.status.in_((PENDING, RETRYING)), OutboxMessage.next_attempt_at <= now),
        and_(OutboxMessage.status == SENDING, OutboxMessage.lease_expires_at <= now),
    )


def mail_of(row: OutboxMessage) -> Mail:
    return Mail(
        to=row.to_address,
        subject=row.subject,
        body=row.body,
        html=row.html,
        channel=row.channel,
        template=row.template,
        case_id=row.case_id,
        provider_id=row.provider_id,
        audience=row.audience,
        dedupe_key=row.dedupe_key,
        outbox_id=row.id,
    )


@dataclass
class Deliverer:
    """Delivers what is due through `channels`; one per process (its `owner` names its claims)."""

    maker: async_sessionmaker[AsyncSession]
    channels: Channels
    policy: DeliveryPolicy = field(default_factory=DeliveryPolicy)
    owner: str = field(default_factory=lambda: f"deliverer-{uuid.uuid4().hex[:16]}")
    clock: Callable[[], dt.datetime] = _utcnow  # tests move time on without waiting

    def now(self) -> dt.datetime:
        return self.clock()

    async def claim(self) -> Mail | None:
        """Take the next due message for this deliverer, or None when nothing is due."""
        now = self.now()
        first_due = (
            select(OutboxMessage.id)
            .where(_due(now))
            .order_by(OutboxMessage.next_attempt_at)
            .limit(1)
            .with_for_update(skip_locked=True)  # PostgreSQL; SQLite has its write lock instead
            .scalar_subquery()
        )
        claim = (
            update(OutboxMessage)
            .where(OutboxMessage.id == first_due, _due(now))
            .values(
                status=SENDING,
                claimed_by=self.owner,
                lease_expires_at=now + self.policy.lease,
                attempts=OutboxMessage.attempts + 1,
                updated_at=now,
            )
            .returning(OutboxMessage)
            .execution_options(synchronize_session=False, populate_existing=True)
        )
        async with self.maker() as session, session.begin():
            row = (await session.execute(claim)).scalar_one_or_none()
            return mail_of(row) if row is not None else None

    async def deliver_one(self) -> bool:
        """Claim and deliver one message; False when nothing was due."""
        mail = await self.claim()
        if mail is None:
            return False
        channel = self.channels.get(mail.channel)
        try:
            if channel is None:
                raise PermanentFailure(f"no channel for {mail.channel}")
            # Channels block (smtplib, files): in a thread, so the event loop serves requests.
            provider_id = await asyncio.to_thread(channel.deliver, mail)
        except DeliveryFailure as exc:
            await self._failed(mail, exc)
        except Exception as exc:  # a bug in a channel: treat as temporary, keep the message
            await self._failed(mail, TemporaryFailure(f"unexpected {type(exc).__name__}"))
        else:
            await self._sent(mail, provider_id)
        return True

    async def deliver_due(self, limit: int = 1000) -> int:
        """Deliver due messages one by one until none is left (or `limit`); how many were tried."""
        done = 0
        while done < limit and await self.deliver_one():
            done += 1
        return done

    async def _finish(self, mail: Mail, **values: object) -> None:
        assert mail.outbox_id is not None
        mine = update(OutboxMessage).where(
            OutboxMessage.id == mail.outbox_id,
            OutboxMessage.claimed_by == self.owner,
            OutboxMessage.status == SENDING,
        )
        async with self.maker() as session, session.begin():
            await session.execute(
                mine.values(claimed_by=None, lease_expires_at=None, updated_at=self.now(), **values)
            )

    async def _sent(self, mail: Mail, provider_id: str | None) -> None:
        await self._finish(
            mail, status=SENT, sent_at=self.now(), provider_message_id=provider_id, last_error=None
        )
        log.debug("outbox.sent", message=str(mail.outbox_id), template=mail.template, channel=mail.channel)

    async def _failed(self, mail: Mail, exc: DeliveryFailure) -> None:
        assert mail.outbox_id is not None
        async with self.maker() as session:
            attempts = (
                await session.execute(
                    select(OutboxMessage.attempts).where(OutboxMessage.id == mail.outbox_id)
                )
            ).scalar_one_or_none() or 0
        reason = str(exc)[:300]
        if isinstance(exc, PermanentFailure) or attempts >= self.policy.max_attempts:
            await self._finish(mail, status=DEAD, last_error=reason)
            log.warning("outbox.dead", message=str(mail.outbox_id), reason=reason, attempts=attempts)
            return
        await self._finish(
            mail,
            status=RETRYING,
            last_error=reason,
            next_attempt_at=self.now() + self.policy.backoff(attempts),
        )
        log.info("outbox.retrying", message=str(mail.outbox_id), reason=reason, attempts=attempts)
