"""Delivery through a real SMTP server (aiosmtpd): Message-ID from the outbox row, back-off and
dead letters, permanent refusals, leases that keep two deliverers off one row (both engines)."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable

import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from tests.outbox.smtp_server import free_port, smtp_server
from vetting.channels.smtp import SmtpChannel
from vetting.notify import Mail, send_after_commit
from vetting.outbox_delivery import Deliverer, DeliveryPolicy
from vetting.outbox_models import DEAD, PENDING, RETRYING, SENDING, SENT, OutboxMessage

T0 = dt.datetime(2030, 3, 4, 9, 0, tzinfo=dt.UTC)
SENDER = "venue-hire@testshire.example"


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **kw: float) -> None:
        self.now += dt.timedelta(**kw)


async def _write(session: AsyncSession, count: int, *, at: dt.datetime = T0) -> None:
    for n in range(count):
        send_after_commit(
            session, None, Mail(to=f"hirer{n}@testtown.example", subject=f"Message {n}", body="Hello\n")
        )
    await session.commit()
    # Written "now" by the real clock: make them due at the test's clock.
    await session.execute(update(OutboxMessage).values(next_attempt_at=at, created_at=at))
    await session.commit()


async def _rows(engine: AsyncEngine) -> list[OutboxMessage]:
    async with async_sessionmaker(engine, expire_on_commit=False)() as s:
        return list((await s.execute(select(OutboxMessage).order_by(OutboxMessage.to_address))).scalars())


def _deliverer(
    engine: AsyncEngine, port: int, clock: Callable[[], dt.datetime], **policy: object
) -> Deliverer:
    return Deliverer(
        async_sessionmaker(engine, expire_on_commit=False),
        {"email": SmtpChannel("127.0.0.1", port, SENDER, timeout=5)},
        DeliveryPolicy(**policy),  # type: ignore[arg-type]
        clock=clock,
    )


async def test_delivered_once_with_a_message_id_of_its_outbox_row(
    session: AsyncSession, engine: AsyncEngine
) -> None:
    await _write(session, 3)
    with smtp_server() as (inbox, port):
        deliverer = _deliverer(engine, port, Clock())
        assert await deliverer.deliver_due() == 3
        assert await deliverer.deliver_due() == 0  # nothing left: sent rows are never taken again
    rows = await _rows(engine)
    assert [r.status for r in rows] == [SENT] * 3
    assert all(r.sent_at == T0 and r.attempts == 1 and r.claimed_by is None for r in rows)
    expected = {f"<outbox-{r.id.hex}@testshire.example>" for r in rows}
    assert set(inbox.message_ids()) == expected
    assert {r.provider_message_id for r in rows} == expected
    assert max(inbox.message_ids().values()) == 1


async def test_temporary_failures_back_off_then_the_message_is_dead(
    session: AsyncSession, engine: AsyncEngine
) -> None:
    await _write(session, 1)
    clock = Clock()
    nobody = free_port()  # no server listens here: connection refused, a temporary failure
    deliverer = _deliverer(engine, nobody, clock, max_attempts=3, first_backoff=dt.timedelta(seconds=30))
    assert await deliverer.deliver_due() == 1
    (row,) = await _rows(engine)
    assert (row.status, row.attempts, row.next_attempt_at) == (RETRYING, 1, T0 + dt.timedelta(seconds=30))
    assert row.last_error and "testtown" not in row.last_error  # the kind of failure, no address
    clock.advance(seconds=29)
    assert await deliverer.deliver_due() == 0  # not yet due
    clock.advance(seconds=1)
    assert await deliverer.deliver_due() == 1
    (row,) = await _rows(engine)
    assert (row.status, row.attempts, row.next_attempt_at) == (
        RETRYING,
        2,
        clock.now + dt.timedelta(seconds=60),
    )
    clock.advance(seconds=60)
    assert await deliverer.deliver_due() == 1
    (row,) = await _rows(engine)
    assert (row.status, row.attempts) == (DEAD, 3)
    clock.advance(days=30)
    assert await deliverer.deliver_due() == 0  # a dead letter waits for someone to retry it


@pytest.mark.parametrize(
    ("reply", "status"), [("550 5.1.1 No such mailbox", DEAD), ("451 4.3.0 Try later", RETRYING)]
)
async def test_the_server_reply_tells_permanent_from_temporary(
    session: AsyncSession, engine: AsyncEngine, reply: str, status: str
) -> None:
    await _write(session, 1)
    with smtp_server() as (inbox, port):
        inbox.reply = reply
        await _deliverer(engine, port, Clock()).deliver_due()
    (row,) = await _rows(engine)
    assert (row.status, row.attempts) == (status, 1)
    assert row.last_error is not None and reply[:3] in row.last_error
    assert inbox.messages == []


async def test_a_claim_keeps_other_deliverers_off_until_its_lease_lapses(
    session: AsyncSession, engine: AsyncEngine
) -> None:
    await _write(session, 1)
    clock = Clock()
    with smtp_server() as (inbox, port):
        first = _deliverer(engine, port, clock, lease=dt.timedelta(seconds=60))
        second = _deliverer(engine, port, clock, lease=dt.timedelta(seconds=60))
        crashed = await first.claim()  # then "dies" before delivering
        assert crashed is not None
        assert await second.claim() is None
        clock.advance(seconds=59)
        assert await second.deliver_due() == 0
        clock.advance(seconds=1)  # the lease has lapsed: the message is taken again
        assert await second.deliver_due() == 1
        # The first deliverer coming back records nothing over the second's result.
        await first._sent(crashed, "late")
    (row,) = await _rows(engine)
    assert (row.status, row.attempts, row.provider_message_id) == (
        SENT,
        2,
        f"<outbox-{row.id.hex}@testshire.example>",
    )
    assert list(inbox.message_ids().values()) == [1]


async def test_two_deliverers_at_once_deliver_each_message_exactly_once(
    session: AsyncSession, engine: AsyncEngine
) -> None:
    await _write(session, 30)
    clock = Clock()
    with smtp_server() as (inbox, port):
        done = await asyncio.gather(*(_deliverer(engine, port, clock).deliver_due() for _ in range(3)))
    assert sum(done) == 30
    rows = await _rows(engine)
    assert {r.status for r in rows} == {SENT}
    assert len(inbox.messages) == 30 and set(inbox.message_ids().values()) == {1}


async def test_a_message_for_a_channel_that_is_not_configured_is_dead_at_once(
    session: AsyncSession, engine: AsyncEngine
) -> None:
    send_after_commit(session, None, Mail(to="07700900555", subject="", body="Reminder", channel="sms"))
    await session.commit()
    deliverer = Deliverer(async_sessionmaker(engine, expire_on_commit=False), {})
    assert await deliverer.deliver_due() == 1
    (row,) = await _rows(engine)
    assert (row.status, row.last_error) == (DEAD, "no channel for sms")
    assert row.status not in (PENDING, SENDING)
