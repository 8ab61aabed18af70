"""Robustness: concurrent decisions, all-or-nothing submissions, SQLite durability, backup and restore."""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from api.app import create_app
from api.cli import main
from api.db.backup import BackupError, backup_database
from api.db.engine import SQLITE_BUSY_TIMEOUT_MS, create_engine
from api.settings import Settings
from tests.factories import application_payload, bearer, next_weekday
from tests.security.helpers import Client, concurrent_client, submit


async def test_two_officers_deciding_at_once_one_wins_the_other_gets_409(
    settings: Settings, client: Client, seeded: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    import casework.decide
    import vetting.case_screening

    original = vetting.case_screening.open_referrals

    async def slow_open_referrals(session: Any, case_id: Any) -> int:
        # Widen the window between reading the case and changing it, so both requests have read
        # it before either writes (on SQLite, BEGIN IMMEDIATE makes the second wait instead).
        await asyncio.sleep(0.2)
        return await original(session, case_id)

    monkeypatch.setattr(casework.decide, "open_referrals", slow_open_referrals)
    for outcomes in (("approve", "approve"), ("approve", "request_information")):
        created = await submit(client, seeded["hall_a"].id, weeks_ahead=4 + len(outcomes[1]) // 4)
        # Both officers decide on the revision they opened; whichever commits second finds the
        # case changed (409), whatever order the two transactions run in.
        seen = (
            await client.get(f"/api/v1/applications/{created['id']}", headers=bearer(seeded["admin_token"]))
        ).json()["revision"]
        bodies: list[dict[str, Any]] = [
            {
                "outcome": o,
                "reason": "Looks fine" if o == "approve" else "Send the insurance",
                "conditions": [],
                "revision": seen,
            }
            for o in outcomes
        ]
        async with concurrent_client(create_app(settings)) as c:
            responses = await asyncio.gather(
                *(
                    c.post(f"/api/v1/applications/{created['id']}/decision", json=body, headers=bearer(token))
                    for body, token in zip(
                        bodies, (seeded["officer_token"], seeded["officer2_token"]), strict=True
                    )
                )
            )
        assert sorted(r.status_code for r in responses) == [200, 409], [r.text for r in responses]
        case = (
            await client.get(f"/api/v1/applications/{created['id']}", headers=bearer(seeded["admin_token"]))
        ).json()
        decisions = [d for d in case["decisions"] if d["kind"] == "decision"]
        winner = next(r for r in responses if r.status_code == 200).json()
        assert case["status"] == winner["status"]
        assert len(decisions) == (1 if winner["status"] != "awaiting_information" else 0)


TABLES = (
    "vetting_case",
    "booking",
    "occurrence",
    "occurrence_hold",
    "case_event",
    "organisation",
    "screening_match",
    "decision",
    "audit_record",
)


async def _row_counts(engine: AsyncEngine) -> dict[str, int]:
    async with engine.connect() as conn:
        return {t: int((await conn.execute(text(f"SELECT count(*) FROM {t}"))).scalar_one()) for t in TABLES}  # noqa: S608  # fixed table names


async def test_an_error_halfway_through_a_submission_leaves_nothing_behind(
    client: Client, seeded: dict[str, Any], engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    await submit(client, seeded["hall_b"].id)  # something already there, so "nothing" is not trivially zero
    before = await _row_counts(engine)
    reached: list[str] = []

    async def failing_base_url(deps: Any, provider_id: Any) -> Any:
        # By now the case, its organisation, booking, dates and history are written; the hirer's
        # mail is next.
        from vetting.models import CaseEvent, VettingCase

        for model in (VettingCase, CaseEvent):
            written = (await deps.session.execute(select(func.count()).select_from(model))).scalar_one()
            assert written > before[model.__tablename__]
        reached.append(str(provider_id))
        raise RuntimeError("injected failure after the case was written")

    monkeypatch.setattr("casework.submit.messages.base_url_for", failing_base_url)
    body = application_payload(
        seeded["hall_a"].id,
        next_weekday(3, weeks_ahead=5),
        organisation="Testtown Unfinished Society",
        rrule="FREQ=WEEKLY;COUNT=4",
    )
    response = await client.post(
        "/api/v1/applications", json=body, headers={"Idempotency-Key": "half-written-1"}
    )
    assert response.status_code == 500
    assert reached, "the failure was not injected halfway"
    assert await _row_counts(engine) == before
    # The same request, with the same idempotency key, then goes through cleanly.
    monkeypatch.undo()
    retry = await client.post(
        "/api/v1/applications", json=body, headers={"Idempotency-Key": "half-written-1"}
    )
    assert retry.status_code == 201, retry.text


async def test_sqlite_connections_have_the_durability_settings(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'durable.sqlite3'}")
    try:
        async with engine.connect() as conn:
            values = {
                pragma: (await conn.exec_driver_sql(f"PRAGMA {pragma}")).scalar_one()
                for pragma in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")
            }
    finally:
        await engine.dispose()
    assert str(values["journal_mode"]).lower() == "wal"
    assert values["synchronous"] == 2  # FULL
    assert values["foreign_keys"] == 1
    assert values["busy_timeout"] == SQLITE_BUSY_TIMEOUT_MS >= 5000


def _snapshot(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    conn = sqlite3.connect(path)
    try:
        return {
            t: sorted(conn.execute(f"SELECT * FROM {t}").fetchall(), key=repr)  # noqa: S608  # fixed table names
            for t in ("vetting_case", "organisation", "occurrence", "case_event", "audit_record", "app_user")
        }
    finally:
        conn.close()


async def test_backup_and_restore_drill(
    settings: Settings,
    seeded: dict[str, Any],
    engine: AsyncEngine,
    db_url: str,
    engine_kind: str,
    tmp_path: Path,
    cli_database: None,
    capsys: pytest.CaptureFixture[str],
) -> None:
    if engine_kind != "sqlite":
        # PostgreSQL: the command explains pg_dump and fails clearly rather than pretending.
        assert await asyncio.to_thread(main, ["db", "backup", "--out", str(tmp_path / "x.dump")]) == 2
        err = capsys.readouterr().err
        assert "pg_dump" in err and "pg_restore" in err
        with pytest.raises(BackupError):
            backup_database(db_url, tmp_path / "x.dump")
        return
    database = Path(db_url.split(":///", 1)[1])
    # The service runs...
    running = create_app(settings)
    async with AsyncTestClient(app=running, base_url="http://testserver.local") as client:
        created = await submit(client, seeded["hall_a"].id)
        await _backup_then_carry_on(client, seeded, database, tmp_path, capsys, created)
    # Stopping a process closes its pooled connections; in one test process, dispose the pool.
    await running.state.db_config.get_engine().dispose()
    # ...is stopped; the backup is copied over the database (WAL side files dropped)...
    await engine.dispose()
    backup = tmp_path / "backups" / "venue-hire.sqlite3"
    at_backup = _snapshot(backup)
    assert _snapshot(database) != at_backup
    for side in (database.with_name(database.name + "-wal"), database.with_name(database.name + "-shm")):
        side.unlink(missing_ok=True)
    shutil.copyfile(backup, database)
    assert _snapshot(database) == at_backup
    # ...and started again: it serves exactly what was backed up, with the audit chain intact.
    async with AsyncTestClient(app=create_app(settings), base_url="http://testserver.local") as client:
        view = await client.get(f"/api/v1/applicant/{created['applicant_token']}")
        assert view.status_code == 200 and view.json()["status"] == "under_review"
        assert (await client.get("/api/v1/applications", headers=bearer(seeded["officer_token"]))).json()[0][
            "reference"
        ] == created["reference"]
    assert await asyncio.to_thread(main, ["audit", "verify"]) == 0


async def _backup_then_carry_on(
    client: Client,
    seeded: dict[str, Any],
    database: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    created: dict[str, Any],
) -> None:
    backup = tmp_path / "backups" / "venue-hire.sqlite3"
    # Back up while a connection holds an open read transaction, as a running service would.
    held = sqlite3.connect(database)
    held.execute("BEGIN")
    held.execute("SELECT count(*) FROM vetting_case").fetchone()
    try:
        assert await asyncio.to_thread(main, ["db", "backup", "--out", str(backup)]) == 0
    finally:
        held.rollback()
        held.close()
    assert "Backed up" in capsys.readouterr().out
    assert oct(backup.stat().st_mode)[-3:] == "600"
    assert len(_snapshot(backup)["vetting_case"]) == 1
    # Life goes on: another request, a decision.
    await submit(client, seeded["hall_b"].id, weeks_ahead=6)
    decided = await client.post(
        f"/api/v1/applications/{created['id']}/decision",
        json={"outcome": "approve", "reason": "ok", "conditions": []},
        headers=bearer(seeded["officer_token"]),
    )
    assert decided.status_code == 200


def test_backup_refuses_to_overwrite_the_database_itself(tmp_path: Path) -> None:
    database = tmp_path / "db.sqlite3"
    sqlite3.connect(database).close()
    with pytest.raises(BackupError):
        backup_database(f"sqlite+aiosqlite:///{database}", database)
    with pytest.raises(BackupError):
        backup_database(f"sqlite+aiosqlite:///{tmp_path / 'missing.sqlite3'}", tmp_path / "out.sqlite3")
