"""Issue 14, item 2: `Idempotency-Key` scoped to the caller, bound to the body, replayed in full."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

from litestar import Litestar
from sqlalchemy import event, func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from api.cli import main
from api.idempotency import (
    RECORD_TTL,
    Claim,
    IdempotencyStore,
    Replay,
    body_hash,
    purge_expired,
    scope_hash,
)
from api.models import IdempotencyRecord
from casework.input import ApplicationRequest
from tests.factories import application_payload, bearer, next_weekday
from tests.security.helpers import Client, concurrent_client
from vetting.models import VettingCase

URL = "/api/v1/applications"
SECRET = "idempotency-test-secret-" + "x" * 40


def _body(seeded: dict[str, Any], weeks: int, **kw: Any) -> dict[str, Any]:
    return application_payload(seeded["hall_a"].id, next_weekday(2, weeks_ahead=weeks), **kw)


async def _cases(engine: AsyncEngine) -> int:
    async with async_sessionmaker(engine)() as s:
        return int((await s.execute(select(func.count()).select_from(VettingCase))).scalar_one())


async def test_another_caller_reusing_a_key_gets_its_own_case(
    client: Client, seeded: dict[str, Any], engine: AsyncEngine
) -> None:
    key = {"Idempotency-Key": "shared-key-0001"}
    first = await client.post(URL, json=_body(seeded, 4), headers=key)
    # Another anonymous client, another request, the same key: its own case, not the first one's.
    other = await client.post(URL, json=_body(seeded, 5, organisation="Testtown Kite Club"), headers=key)
    # Signed-in callers have keys of their own.
    officer = await client.post(URL, json=_body(seeded, 6), headers=key | bearer(seeded["officer_token"]))
    admin = await client.post(URL, json=_body(seeded, 10), headers=key | bearer(seeded["admin_token"]))
    answers = (first, other, officer, admin)
    assert [r.status_code for r in answers] == [201, 201, 201, 201], [r.text for r in answers]
    assert len({r.json()["id"] for r in answers}) == 4
    assert all(r.json()["applicant_token"] for r in answers)
    assert await _cases(engine) == 4


async def test_the_same_key_with_another_body_answers_422(
    client: Client, seeded: dict[str, Any], engine: AsyncEngine
) -> None:
    headers = {"Idempotency-Key": "officer-key-0001"} | bearer(seeded["officer_token"])
    first = await client.post(URL, json=_body(seeded, 4), headers=headers)
    assert first.status_code == 201
    changed = await client.post(URL, json=_body(seeded, 7), headers=headers)
    assert changed.status_code == 422, changed.text
    assert "different request body" in changed.json()["detail"]
    assert "Idempotency-Key" in changed.json()["errors"]
    assert await _cases(engine) == 1


async def test_a_retry_gets_the_original_answer_in_full(
    client: Client, seeded: dict[str, Any], engine: AsyncEngine
) -> None:
    for caller, weeks in ((None, 4), (seeded["officer_token"], 8)):
        headers = {"Idempotency-Key": f"retry-{weeks}-abcdef"} | (bearer(caller) if caller else {})
        body = _body(seeded, weeks)
        first = await client.post(URL, json=body, headers=headers)
        retry = await client.post(URL, json=body, headers=headers)
        assert first.status_code == retry.status_code == 201
        assert retry.json() == first.json()
        assert retry.headers["idempotent-replayed"] == "true"
        token = retry.json()["applicant_token"]
        assert token, "the retry must carry what the hirer needs to follow the case"
        assert (await client.get(f"/api/v1/applicant/{token}")).json()["reference"] == first.json()[
            "reference"
        ]
    assert await _cases(engine) == 2
    # The token is not kept readable at rest.
    async with async_sessionmaker(engine)() as s:
        sealed = (await s.execute(select(IdempotencyRecord.response_sealed))).scalars().all()
    assert len(sealed) == 2
    assert all(token.encode() not in (blob or b"") for blob in sealed)
    assert all(b"applicant_token" not in (blob or b"") for blob in sealed)


async def test_a_key_committed_as_running_answers_409(
    client: Client, seeded: dict[str, Any], engine: AsyncEngine
) -> None:
    """A `running` record only becomes visible when a process died between a claim and its
    answer under the former two-transaction claim; until its lease ends the key answers 409."""
    body = _body(seeded, 4)
    digest = body_hash(ApplicationRequest.model_validate(body).model_dump(mode="json"))
    async with async_sessionmaker(engine)() as s:
        s.add(
            IdempotencyRecord(
                scope_hash=scope_hash(None, digest),
                idempotency_key="running-key-01",
                body_hash=digest,
                state="running",
                created_at=dt.datetime.now(dt.UTC),
            )
        )
        await s.commit()
    response = await client.post(URL, json=body, headers={"Idempotency-Key": "running-key-01"})
    assert response.status_code == 409, response.text
    assert "still being processed" in response.json()["detail"]
    assert await _cases(engine) == 0


async def test_simultaneous_duplicates_make_one_case(
    app: Litestar, seeded: dict[str, Any], engine: AsyncEngine
) -> None:
    body = _body(seeded, 4)
    headers = {"Idempotency-Key": "race-key-000001"}
    async with concurrent_client(app) as c:
        answers = await asyncio.gather(*(c.post(URL, json=body, headers=headers) for _ in range(4)))
    statuses = sorted(r.status_code for r in answers)
    assert statuses.count(201) >= 1 and set(statuses) <= {201, 409}, [r.text for r in answers]
    assert len({r.json()["id"] for r in answers if r.status_code == 201}) == 1
    assert await _cases(engine) == 1


async def test_keys_expire_after_24_hours(
    client: Client, seeded: dict[str, Any], engine: AsyncEngine
) -> None:
    headers = {"Idempotency-Key": "expiring-key-01"} | bearer(seeded["officer_token"])
    first = await client.post(URL, json=_body(seeded, 4), headers=headers)
    assert first.status_code == 201
    async with async_sessionmaker(engine)() as s:
        await s.execute(
            update(IdempotencyRecord).values(
                created_at=dt.datetime.now(dt.UTC) - RECORD_TTL - dt.timedelta(minutes=1)
            )
        )
        await s.commit()
    # Past its period the key is free again: another body is a new request, not a 422.
    again = await client.post(URL, json=_body(seeded, 9), headers=headers)
    assert again.status_code == 201, again.text
    assert again.json()["id"] != first.json()["id"]
    async with async_sessionmaker(engine)() as s:
        await s.execute(
            update(IdempotencyRecord).values(
                created_at=dt.datetime.now(dt.UTC) - RECORD_TTL - dt.timedelta(minutes=1)
            )
        )
        assert await purge_expired(s) == 1
        await s.commit()
        left = (await s.execute(select(func.count()).select_from(IdempotencyRecord))).scalar_one()
    assert left == 0


async def test_retention_purge_deletes_expired_keys(
    client: Client, seeded: dict[str, Any], engine: AsyncEngine, cli_database: None
) -> None:
    for n in (1, 2):
        headers = {"Idempotency-Key": f"purge-key-{n:05d}"}
        assert (await client.post(URL, json=_body(seeded, 3 + n), headers=headers)).status_code == 201
    async with async_sessionmaker(engine)() as s:
        await s.execute(
            update(IdempotencyRecord)
            .where(IdempotencyRecord.idempotency_key == "purge-key-00001")
            .values(created_at=dt.datetime.now(dt.UTC) - RECORD_TTL - dt.timedelta(minutes=1))
        )
        await s.commit()
    assert await asyncio.to_thread(main, ["retention", "purge"]) == 0
    async with async_sessionmaker(engine)() as s:
        left = (await s.execute(select(IdempotencyRecord.idempotency_key))).scalars().all()
    assert left == ["purge-key-00002"]


async def test_idempotency_key_makes_one_application(client: Client, seeded: dict[str, Any]) -> None:
    body = application_payload(seeded["hall_b"].id, next_weekday(4, weeks_ahead=7))
    first = await client.post("/api/v1/applications", json=body, headers={"Idempotency-Key": "abc-123-def"})
    second = await client.post("/api/v1/applications", json=body, headers={"Idempotency-Key": "abc-123-def"})
    assert first.status_code == 201
    # The retry gets the original answer in full (issue 14, item 2).
    assert second.status_code == 201
    assert second.json() == first.json()
    assert second.headers["idempotent-replayed"] == "true"
    queue = await client.get("/api/v1/applications", headers=bearer(seeded["officer_token"]))
    assert len(queue.json()) == 1


async def test_a_keyed_request_commits_once_as_an_unkeyed_one_does(
    app: Litestar, client: Client, seeded: dict[str, Any]
) -> None:
    """The claim, the case and the answer share one transaction (issue 15: the separate claim
    commit cost a keyed request a third of its throughput on SQLite)."""
    sync_engine = app.state.db_config.get_engine().sync_engine
    commits: list[str] = []

    def count(_conn: object) -> None:
        commits.append("commit")

    event.listen(sync_engine, "commit", count)
    try:
        keyed = await client.post(URL, json=_body(seeded, 4), headers={"Idempotency-Key": "one-commit-0001"})
        keyed_commits = len(commits)
        plain = await client.post(URL, json=_body(seeded, 5))
    finally:
        event.remove(sync_engine, "commit", count)
    assert keyed.status_code == plain.status_code == 201, (keyed.text, plain.text)
    assert keyed_commits == 1
    assert len(commits) - keyed_commits == 1


async def test_a_second_request_with_the_key_waits_for_the_first_and_gets_its_answer(
    engine: AsyncEngine,
) -> None:
    """Two requests with one key at once: the second's claim waits (SQLite: for the write lock;
    PostgreSQL: on the unique constraint, then re-reads) and replays the first's answer."""
    maker = async_sessionmaker(engine, expire_on_commit=False)
    scope, key, digest = scope_hash(None, "d" * 64), "waiting-key-0001", "d" * 64
    async with maker() as first_session, maker() as second_session:
        first = IdempotencyStore(first_session, SECRET)
        claim = await first.claim(scope, key, digest)
        assert isinstance(claim, Claim)
        second = asyncio.create_task(IdempotencyStore(second_session, SECRET).claim(scope, key, digest))
        await asyncio.sleep(0.5)
        assert not second.done(), "the second request must not take a key the first holds"
        await first.finish(claim, 201, {"id": "the-first-case"})
        await first_session.commit()
        answer = await asyncio.wait_for(second, timeout=30)
        await second_session.rollback()
    assert answer == Replay(201, {"id": "the-first-case"})


async def test_when_the_first_request_fails_the_waiting_one_takes_the_key(engine: AsyncEngine) -> None:
    maker = async_sessionmaker(engine, expire_on_commit=False)
    scope, key, digest = scope_hash(None, "e" * 64), "failing-key-0001", "e" * 64
    async with maker() as first_session, maker() as second_session:
        first = IdempotencyStore(first_session, SECRET)
        claim = await first.claim(scope, key, digest)
        assert isinstance(claim, Claim)
        second = asyncio.create_task(IdempotencyStore(second_session, SECRET).claim(scope, key, digest))
        await asyncio.sleep(0.5)
        assert not second.done()
        await first.release(claim)
        taken = await asyncio.wait_for(second, timeout=30)
        assert isinstance(taken, Claim)
        await second_session.commit()
    async with maker() as check:
        rows = (await check.execute(select(IdempotencyRecord.id))).scalars().all()
    assert rows == [taken.record_id]
