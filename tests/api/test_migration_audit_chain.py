"""Migration d21purge0001 replaces the audit log's index on provider_id by one on (provider_id,
id), the head of each organisation's chain (api/audit.py), losing no record; its downgrade puts the
old one back and a second upgrade the new one, on both engines. Records written before it (one
chain for the service) still verify, and the first records after it follow on per organisation."""

from __future__ import annotations

import asyncio
import datetime as dt
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from api.audit import GENESIS_HASH, append, record_hash, verify_chain
from api.db.engine import create_engine
from api.db.migrate import upgrade
from api.models import AuditRecord
from tests.api.test_migration_providers import _counts, blank_url, table_indexes  # noqa: F401  # fixture
from tests.api.test_migration_weak_aliases import _downgrade

PREVIOUS = "d20p00000001"
REVISION = "d21purge0001"
PROVIDER = UUID("00000000-0000-4000-8000-00000000000a")


async def _audit_indexes(url: str) -> dict[str, list[str]]:
    found = await table_indexes(url, "audit_record")
    return {name: columns for name, columns in found.items() if "provider" in name}


async def _append_and_verify(url: str, *, per_organisation: bool) -> tuple[bool, int]:
    """Appends a record for the service and one for an organisation, the old way (one chain, as
    before the migration) or the new; then verifies the whole log."""
    engine = create_engine(url)
    maker = async_sessionmaker(engine, expire_on_commit=False)
    try:
        async with maker() as s:
            if per_organisation:
                await append(s, actor="system:test", action="view", object_type="case")
                await append(s, actor="system:test", action="view", object_type="case", provider_id=PROVIDER)
            else:
                await _append_old_way(s, None)
                await _append_old_way(s, PROVIDER)
            await s.commit()
        async with maker() as s:
            check = await verify_chain(s)
    finally:
        await engine.dispose()
    return check.ok, check.checked


async def _append_old_way(s: AsyncSession, provider: UUID | None) -> None:
    """A record as api/audit.py wrote it before: chained onto the last record of the service."""
    prev = (
        await s.execute(sa.select(AuditRecord.hash).order_by(AuditRecord.id.desc()).limit(1))
    ).scalar_one_or_none() or GENESIS_HASH
    at = dt.datetime(2026, 1, 5, 10, tzinfo=dt.UTC)
    digest = record_hash(prev, at, "system:test", "view", "case", "", None, provider)
    s.add(
        AuditRecord(
            at=at,
            actor="system:test",
            action="view",
            object_type="case",
            object_id="",
            prev_hash=prev,
            hash=digest,
            detail=None,
            provider_id=provider,
        )
    )
    await s.flush()


def test_the_chain_index_replaces_the_provider_index_and_old_records_verify(blank_url: str) -> None:  # noqa: F811
    # No seeded old data: its audit rows are placeholders (tests/api/pre_provider_data.py), not a chain.
    upgrade(blank_url, PREVIOUS)
    assert asyncio.run(_append_and_verify(blank_url, per_organisation=False))[0]
    before = _counts(blank_url)
    assert asyncio.run(_audit_indexes(blank_url)) == {"ix_audit_record_provider_id": ["provider_id"]}

    upgrade(blank_url, REVISION)
    assert _counts(blank_url) == before
    assert asyncio.run(_audit_indexes(blank_url)) == {"ix_audit_record_provider_chain": ["provider_id", "id"]}
    # The service-wide chain from before, then each organisation's own chain going on from it.
    ok, checked = asyncio.run(_append_and_verify(blank_url, per_organisation=True))
    assert ok and checked == before["audit_record"] + 2

    _downgrade(blank_url, PREVIOUS)
    assert asyncio.run(_audit_indexes(blank_url)) == {"ix_audit_record_provider_id": ["provider_id"]}
    upgrade(blank_url, REVISION)
    assert asyncio.run(_audit_indexes(blank_url)) == {"ix_audit_record_provider_chain": ["provider_id", "id"]}
    assert _counts(blank_url)["audit_record"] == before["audit_record"] + 2
