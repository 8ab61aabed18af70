"""Messages are written to the outbox with the change that causes them: never on rollback, once
per dedupe key (both engines)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from vetting.notify import Mail, NullMailer, send_after_commit
from vetting.outbox_models import PENDING, OutboxMessage
from vetting.outbox_write import add_waker, remove_waker


def _mail(n: int = 1, **kw: Any) -> Mail:
    return Mail(to=f"hirer{n}@testtown.example", subject=f"Subject {n}", body="Body\n", **kw)


async def _rows(engine: AsyncEngine) -> list[OutboxMessage]:
    async with async_sessionmaker(engine, expire_on_commit=False)() as s:
        return list((await s.execute(select(OutboxMessage).order_by(OutboxMessage.to_address))).scalars())


async def test_a_committed_change_writes_its_message_and_wakes_the_deliverers(
    session: AsyncSession, engine: AsyncEngine
) -> None:
    woken: list[int] = []

    def waker() -> None:
        woken.append(1)

    add_waker(waker)
    try:
        send_after_commit(session, NullMailer(), _mail(1, template="submitted", audience="hirer"))
        assert woken == []  # not before the commit
        await session.commit()
    finally:
        remove_waker(waker)
    assert woken == [1]
    (row,) = await _rows(engine)
    assert (row.to_address, row.subject, row.template, row.status, row.attempts) == (
        "hirer1@testtown.example",
        "Subject 1",
        "submitted",
        PENDING,
        0,
    )


async def test_a_rolled_back_change_writes_nothing(session: AsyncSession, engine: AsyncEngine) -> None:
    send_after_commit(session, None, _mail(1))
    await session.rollback()
    await session.commit()  # a later commit of the same session does not bring it back
    assert await _rows(engine) == []


async def test_a_dedupe_key_already_in_the_outbox_writes_nothing(
    session: AsyncSession, engine: AsyncEngine
) -> None:
    send_after_commit(session, None, _mail(1, dedupe_key="reminder:case-1:2027-01-12"))
    send_after_commit(session, None, _mail(2, dedupe_key="reminder:case-1:2027-01-12"))  # same transaction
    await session.commit()
    send_after_commit(session, None, _mail(3, dedupe_key="reminder:case-1:2027-01-12"))  # a later one
    send_after_commit(session, None, _mail(4, dedupe_key="reminder:case-1:2027-01-19"))
    send_after_commit(session, None, _mail(5))  # no key: always written
    send_after_commit(session, None, _mail(6))
    await session.commit()
    rows = await _rows(engine)
    assert [r.to_address for r in rows] == [
        "hirer1@testtown.example",
        "hirer4@testtown.example",
        "hirer5@testtown.example",
        "hirer6@testtown.example",
    ]
    async with async_sessionmaker(engine)() as s:
        keyed = await s.execute(select(func.count()).where(OutboxMessage.dedupe_key.is_not(None)))
        assert keyed.scalar_one() == 2
