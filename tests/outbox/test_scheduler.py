"""Scheduled work runs once per period however many runners try, and a requested job once after
the commit that asked for it (both engines)."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from api.jobs import RETENTION, register_service_jobs
from api.outbox_runtime import deps_factory
from api.settings import Settings
from casework import scheduler
from casework.deps import CaseDeps
from casework.jobs import RESCREEN
from casework.scheduler import Schedule, register, request_job, run_periodic, run_requested, run_scheduled
from tests.factories import application_payload, bearer, next_weekday
from vetting.models import ScreeningMatch
from vetting.notify import Mail, send_after_commit
from vetting.outbox_models import OutboxMessage, ScheduledRun

T0 = dt.datetime(2030, 3, 4, 9, 0, tzinfo=dt.UTC)
HOURLY = Schedule(every=dt.timedelta(hours=1))


@pytest.fixture
def jobs() -> Iterator[dict[str, list[dt.datetime]]]:
    """A clean registry with a test job that writes a message (deduplicated by its hour)."""
    saved = dict(scheduler.JOBS)
    scheduler.JOBS.clear()
    ran: dict[str, list[dt.datetime]] = {"hourly": [], "failing": []}

    async def hourly(deps: CaseDeps, now: dt.datetime) -> int:
        ran["hourly"].append(now)
        mail = Mail(to="officer@testshire.example", subject="Hourly", body="x", dedupe_key=f"hourly:{now:%H}")
        send_after_commit(deps.session, deps.mailer, mail)
        await asyncio.sleep(0.05)  # long enough for a second runner to arrive meanwhile
        return 1

    register("hourly", hourly, HOURLY)
    yield ran
    scheduler.JOBS.clear()
    scheduler.JOBS.update(saved)


def _maker(engine: AsyncEngine) -> Any:
    return async_sessionmaker(engine, expire_on_commit=False)


def _deps(session: AsyncSession) -> CaseDeps:
    return CaseDeps(session=session)


async def _runs(engine: AsyncEngine) -> list[tuple[str, str, str, int | None]]:
    async with _maker(engine)() as s:
        rows = await s.execute(select(ScheduledRun).order_by(ScheduledRun.job, ScheduledRun.period))
        return [(r.job, r.period, r.status, r.result) for r in rows.scalars()]


async def test_a_periodic_job_runs_once_per_period_across_runners(
    engine: AsyncEngine, jobs: dict[str, list[dt.datetime]]
) -> None:
    maker = _maker(engine)
    # Four runners (as in four processes) at once, then again later in the same hour.
    results = await asyncio.gather(*(run_periodic(maker, _deps, T0) for _ in range(4)))
    assert sorted(r.get("hourly", 0) for r in results) == [0, 0, 0, 1]
    await run_periodic(maker, _deps, T0 + dt.timedelta(minutes=59))
    assert jobs["hourly"] == [T0]
    await run_periodic(maker, _deps, T0 + dt.timedelta(minutes=61))  # the next hour
    assert len(jobs["hourly"]) == 2
    assert await _runs(engine) == [
        ("hourly", T0.isoformat(), "done", 1),
        ("hourly", (T0 + dt.timedelta(hours=1)).isoformat(), "done", 1),
    ]
    async with maker() as s:
        assert len((await s.execute(select(OutboxMessage))).scalars().all()) == 2


async def test_a_failing_job_leaves_its_period_open_and_writes_nothing(
    engine: AsyncEngine, jobs: dict[str, list[dt.datetime]]
) -> None:
    attempts: list[int] = []

    async def failing(deps: CaseDeps, now: dt.datetime) -> int:
        attempts.append(1)
        send_after_commit(deps.session, None, Mail(to="x@testshire.example", subject="never", body="x"))
        if len(attempts) == 1:
            raise RuntimeError("the first run fails")
        return 5

    register("failing", failing, HOURLY)
    maker = _maker(engine)
    first = await run_periodic(maker, _deps, T0)
    assert "failing" not in first
    assert await run_periodic(maker, _deps, T0 + dt.timedelta(minutes=1)) == {"failing": 5}
    assert len(attempts) == 2
    async with maker() as s:
        subjects = [m.subject for m in (await s.execute(select(OutboxMessage))).scalars()]
    assert sorted(subjects) == ["Hourly", "never"]  # the failed run's message was rolled back with it


async def test_a_requested_job_runs_once_after_the_commit_that_asked(
    engine: AsyncEngine, jobs: dict[str, list[dt.datetime]]
) -> None:
    done: list[int] = []

    async def on_request(deps: CaseDeps, now: dt.datetime) -> int:
        done.append(1)
        return 3

    register("on_request", on_request)
    maker = _maker(engine)
    async with maker() as s:
        await request_job(s, "on_request")
        await s.rollback()
    assert await run_requested(maker, _deps, T0) == {}
    async with maker() as s:
        await request_job(s, "on_request", key="import-1")
        await request_job(s, "on_request", key="import-1")  # the same request twice: once
        await s.commit()
    results = await asyncio.gather(*(run_requested(maker, _deps, T0) for _ in range(3)))
    assert sum(r.get("on_request", 0) for r in results) == 3 and done == [1]
    assert [(job, status, result) for job, _, status, result in await _runs(engine)] == [
        ("on_request", "done", 3)
    ]


async def test_the_service_registers_the_retention_purge_and_the_rescreen(
    engine: AsyncEngine, settings: Settings, seeded: dict[str, Any]
) -> None:
    saved = dict(scheduler.JOBS)
    try:
        register_service_jobs()
        assert scheduler.JOBS[RETENTION].schedule is not None
        assert scheduler.JOBS[RESCREEN].schedule is None
        app_settings = settings.model_copy(update={"delivery": "off"})
        from api.app import create_app

        async with AsyncTestClient(
            app=create_app(app_settings), base_url="http://testserver.local"
        ) as client:
            created = await client.post(
                "/api/v1/applications",
                json=application_payload(
                    seeded["hall_b"].id,
                    next_weekday(2),
                    people=[{"name": "Ottoline Vexmoor", "role": "speaker"}],
                ),
            )
            assert created.status_code == 201
            # A name added by hand after the request was screened: a rescreen is requested.
            added = await client.post(
                "/api/v1/flagged-entries",
                json={
                    "kind": "person",
                    "name": "Ottoline Vexmoor",
                    "aliases": [],
                    "source": "local",
                    "reason": "x",
                },
                headers=bearer(seeded["officer_token"]),
            )
            assert added.status_code == 201
        maker = _maker(engine)
        async with maker() as s:
            assert (await s.execute(select(ScreeningMatch))).scalars().all() == []
        done = await run_scheduled(maker, deps_factory(app_settings))
        assert done[RESCREEN] >= 1 and RETENTION in done
        async with maker() as s:
            matches = (await s.execute(select(ScreeningMatch))).scalars().all()
        assert [m.matched_name for m in matches] == ["Ottoline Vexmoor"]
        assert await run_scheduled(maker, deps_factory(app_settings)) == {}  # nothing twice
    finally:
        scheduler.JOBS.clear()
        scheduler.JOBS.update(saved)


def test_the_service_runs_the_reminder_and_digest_jobs_every_five_minutes() -> None:
    from api.jobs import register_service_jobs
    from casework.scheduler import JOBS

    register_service_jobs()
    for name in ("booking_reminders", "information_reminders", "decision_reminders", "alert_digests"):
        schedule = JOBS[name].schedule
        assert schedule is not None and schedule.every == dt.timedelta(minutes=5), name
    assert {"rescreen", "retention_purge"} <= set(JOBS)
