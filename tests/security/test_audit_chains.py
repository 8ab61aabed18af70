"""One audit chain per organisation (api/audit.py): appenders of different organisations do not
wait for each other, those of one organisation still do, and `verify` still finds a record
removed from or changed in any one chain, and a chain cut short at its end."""

from __future__ import annotations

import asyncio
from uuid import UUID

import pytest
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from api.audit import append, verify_chain
from api.models import AuditRecord
from tests.security.test_audit import _DROP_APPEND_ONLY

NORTH = UUID("00000000-0000-4000-8000-0000000000a1")
SOUTH = UUID("00000000-0000-4000-8000-0000000000b2")


async def _append(engine: AsyncEngine, provider: UUID | None, n: int) -> None:
    async with async_sessionmaker(engine)() as s:
        await append(
            s, actor="system:test", action="view", object_type="case", object_id=str(n), provider_id=provider
        )
        await s.commit()


async def test_appenders_wait_only_for_their_own_organisation(engine: AsyncEngine) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite serialises every writer (BEGIN IMMEDIATE); the lock is PostgreSQL's")
    maker = async_sessionmaker(engine)
    async with maker() as holder:
        # An open request of the north council has appended and not yet committed.
        await append(holder, actor="system:test", action="view", object_type="case", provider_id=NORTH)
        # The south council's and the service's records go in meanwhile ...
        await asyncio.wait_for(_append(engine, SOUTH, 1), timeout=5)
        await asyncio.wait_for(_append(engine, None, 2), timeout=5)
        # ... the north council's next one waits for the open one's commit.
        waiting = asyncio.create_task(_append(engine, NORTH, 3))
        await asyncio.sleep(0.5)
        assert not waiting.done()
        await holder.commit()
    await asyncio.wait_for(waiting, timeout=5)
    async with maker() as s:
        check = await verify_chain(s)
    assert check.ok and check.checked == 4, check


async def _verify(engine: AsyncEngine) -> tuple[bool, int | None, str]:
    async with async_sessionmaker(engine)() as s:
        check = await verify_chain(s)
    return check.ok, check.broken_id, check.head_hash


async def _tamper(engine: AsyncEngine, statement: str, record_id: int) -> None:
    async with engine.begin() as conn:
        for drop in _DROP_APPEND_ONLY[engine.dialect.name]:
            await conn.execute(text(drop))
        await conn.execute(text(statement), {"id": record_id})


@pytest.mark.parametrize("tamper", ["update", "delete", "cut the end"])
async def test_tampering_with_one_organisations_chain_is_found(engine: AsyncEngine, tamper: str) -> None:
    # Interleaved records of two councils and the service, as concurrent requests write them.
    for n, provider in enumerate([NORTH, SOUTH, NORTH, None, SOUTH, NORTH, SOUTH, NORTH]):
        await _append(engine, provider, n)
    ok, _, head = await _verify(engine)
    assert ok
    async with async_sessionmaker(engine)() as s:
        north = list(
            (
                await s.execute(
                    select(AuditRecord.id).where(AuditRecord.provider_id == NORTH).order_by(AuditRecord.id)
                )
            ).scalars()
        )
    if tamper == "update":
        await _tamper(engine, "UPDATE audit_record SET actor = 'admin:someone-else' WHERE id = :id", north[1])
        assert (await _verify(engine))[:2] == (False, north[1])
    elif tamper == "delete":
        await _tamper(engine, "DELETE FROM audit_record WHERE id = :id", north[1])
        # The next record of the same chain no longer follows on; the other chains' records between do.
        assert (await _verify(engine))[:2] == (False, north[2])
    else:
        await _tamper(engine, "DELETE FROM audit_record WHERE id = :id", north[-1])
        ok, _, cut_head = await _verify(engine)
        # What is left is a valid chain, but the head noted before no longer matches.
        assert ok and cut_head != head
