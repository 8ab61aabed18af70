"""The audit log: who viewed or changed each case and the flagged list, hash-chained, verifiable."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from litestar import Litestar
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from api.app import create_app
from api.audit import AUDITED_OPERATIONS, append, verify_chain
from api.cli import main
from api.models import AuditRecord
from api.settings import Settings
from tests.factories import bearer
from tests.security.authz_routes import officer_routes_touching_cases_or_the_list
from tests.security.helpers import Client, concurrent_client, flag, submit


async def _records(engine: AsyncEngine) -> list[AuditRecord]:
    async with async_sessionmaker(engine, expire_on_commit=False)() as s:
        return list((await s.execute(select(AuditRecord).order_by(AuditRecord.id))).scalars())


async def _verify(engine: AsyncEngine) -> Any:
    async with async_sessionmaker(engine, expire_on_commit=False)() as s:
        return await verify_chain(s)


def test_every_officer_route_on_cases_and_the_flagged_list_is_audited(app: Litestar) -> None:
    missing = [op for op in officer_routes_touching_cases_or_the_list(app) if op not in AUDITED_OPERATIONS]
    assert missing == []


async def test_views_and_changes_are_recorded_without_personal_data(
    client: Client, seeded: dict[str, Any], engine: AsyncEngine
) -> None:
    officer = seeded["officer_token"]
    officer_id = seeded["officer"].id
    created = await submit(
        client,
        seeded["hall_a"].id,
        organisation="Testtown Quilting Circle",
        people=[{"name": "Ottilie Testbridge", "role": "speaker"}],
    )
    entry = await flag(client, officer, "Ottilie Testbrige")
    case = await client.get(f"/api/v1/applications/{created['id']}", headers=bearer(officer))
    assert case.status_code == 200
    await client.get("/api/v1/flagged-entries", params={"q": "Ottilie"}, headers=bearer(officer))
    await client.get(f"/api/v1/applicant/{created['applicant_token']}")
    missing = await client.get(
        "/api/v1/applications/00000000-0000-4000-8000-000000000000", headers=bearer(officer)
    )
    assert missing.status_code == 404

    rows = await _records(engine)
    seen = {(r.actor, r.action, r.object_type, r.object_id) for r in rows}
    assert (f"officer:{officer_id}", "add_entry", "flagged_list", "") in seen
    assert (f"officer:{officer_id}", "view", "case", created["id"]) in seen
    assert (f"officer:{officer_id}", "view", "flagged_list", "") in seen
    assert ("hirer", "view", "case", created["id"]) in seen
    # A refused or failed request records nothing.
    assert not any(r.object_id == "00000000-0000-4000-8000-000000000000" for r in rows)
    everything = " ".join(f"{r.actor} {r.action} {r.object_type} {r.object_id} {r.detail}" for r in rows)
    for secret in (
        "Quilting",
        "Ottilie",
        "Testbri",
        "morgan@testtown.example",
        "Morgan",
        "07700",
        created["applicant_token"],
        officer,
        seeded["officer"].name,
        entry["name"],
    ):
        assert secret not in everything, secret
    assert (await _verify(engine)).ok


async def test_concurrent_requests_keep_one_unbroken_chain(
    settings: Settings, client: Client, seeded: dict[str, Any], engine: AsyncEngine
) -> None:
    created = await submit(client, seeded["hall_a"].id)
    path = f"/api/v1/applications/{created['id']}"
    tokens = [seeded["officer_token"], seeded["officer2_token"], seeded["admin_token"]] * 4
    async with concurrent_client(create_app(settings)) as c:
        responses = await asyncio.gather(*(c.get(path, headers=bearer(t)) for t in tokens))
    assert {r.status_code for r in responses} == {200}
    check = await _verify(engine)
    assert check.ok, check
    assert check.checked >= len(tokens)


async def test_concurrent_appenders_cannot_fork_the_chain(engine: AsyncEngine) -> None:
    maker = async_sessionmaker(engine, expire_on_commit=False)

    async def one(n: int) -> None:
        async with maker() as s:
            await append(s, actor="system:test", action="view", object_type="case", object_id=str(n))
            await asyncio.sleep(0.05)  # the rest of the request's work, before its commit
            await s.commit()

    await asyncio.gather(*(one(n) for n in range(8)))
    check = await _verify(engine)
    assert check.ok, check
    assert check.checked == 8


_DROP_APPEND_ONLY = {
    "sqlite": ["DROP TRIGGER audit_record_no_update", "DROP TRIGGER audit_record_no_delete"],
    "postgresql": ["DROP TRIGGER audit_record_append_only ON audit_record"],
}


@pytest.mark.parametrize(
    "statement", ["UPDATE audit_record SET actor = 'admin:someone-else'", "DELETE FROM audit_record"]
)
async def test_the_database_refuses_to_change_or_remove_audit_records(
    client: Client, seeded: dict[str, Any], engine: AsyncEngine, statement: str
) -> None:
    created = await submit(client, seeded["hall_a"].id)
    await client.get(f"/api/v1/applications/{created['id']}", headers=bearer(seeded["officer_token"]))
    before = [(r.id, r.actor, r.hash) for r in await _records(engine)]
    assert before
    with pytest.raises(DBAPIError, match="append-only"):
        async with engine.begin() as conn:
            await conn.execute(text(statement))
    assert [(r.id, r.actor, r.hash) for r in await _records(engine)] == before


@pytest.mark.parametrize("tamper", ["update", "delete"])
async def test_tampering_is_detected_and_named(
    client: Client,
    seeded: dict[str, Any],
    engine: AsyncEngine,
    tamper: str,
    cli_database: None,
    capsys: pytest.CaptureFixture[str],
) -> None:
    created = await submit(client, seeded["hall_a"].id)
    for _ in range(3):
        await client.get(f"/api/v1/applications/{created['id']}", headers=bearer(seeded["officer_token"]))
    rows = await _records(engine)
    assert len(rows) >= 3
    assert await asyncio.to_thread(main, ["audit", "verify"]) == 0
    assert "intact" in capsys.readouterr().out

    victim = rows[1]
    async with engine.begin() as conn:
        # Someone in control of the database: first the triggers that refuse changes go.
        for statement in _DROP_APPEND_ONLY[engine.dialect.name]:
            await conn.execute(text(statement))
        if tamper == "update":
            await conn.execute(
                text("UPDATE audit_record SET actor = 'admin:someone-else' WHERE id = :id"), {"id": victim.id}
            )
            broken = victim.id
        else:
            await conn.execute(text("DELETE FROM audit_record WHERE id = :id"), {"id": victim.id})
            broken = rows[2].id
    check = await _verify(engine)
    assert not check.ok
    assert check.broken_id == broken
    assert await asyncio.to_thread(main, ["audit", "verify"]) == 1
    out = capsys.readouterr().out
    assert f"broken at record {broken}" in out
