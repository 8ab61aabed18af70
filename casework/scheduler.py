"""Scheduled work: periodic jobs that run once per period across every process, and jobs
requested by a change (written in its transaction, like a message) that run once after it.

The job contract: ``async def job(deps: CaseDeps, now: dt.datetime) -> int`` returns how many
things it did; it does not commit (the runner does); it may be run twice or in two processes at
once and stays correct (messages carry dedupe keys, state changes are conditional).

Exactly once: the runner writes the (job, period) row of `ScheduledRun` and runs the job in ONE
transaction. A second process inserting the same row waits for the first (PostgreSQL's unique
index, SQLite's write lock), then finds it there and skips; a job that fails rolls back with its
row, so the period is tried again at the next tick. A requested run is claimed the same way, by
turning its row from "requested" to "done" in the job's own transaction.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, cast

import structlog
from sqlalchemy import Table, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from casework.deps import CaseDeps
from vetting.outbox_models import ScheduledRun

Job = Callable[[CaseDeps, dt.datetime], Awaitable[int]]
DepsFactory = Callable[[AsyncSession], CaseDeps]
REQUESTED = "requested"
DONE = "done"
_EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
log = structlog.get_logger("venue_hire.scheduler")


@dataclass(frozen=True)
class Schedule:
    """Once every `every`, in periods starting at `offset` past midnight UTC (for daily jobs)."""

    every: dt.timedelta
    offset: dt.timedelta = dt.timedelta(0)

    def period(self, now: dt.datetime) -> str:
        start = _EPOCH + self.offset + self.every * ((now - _EPOCH - self.offset) // self.every)
        return start.isoformat()


@dataclass(frozen=True)
class ScheduledJob:
    name: str
    run: Job
    schedule: Schedule | None  # None: runs only when requested (`request_job`)


JOBS: dict[str, ScheduledJob] = {}
"""The registry: casework/jobs.py and api/jobs.py register what the service runs."""


def register(name: str, run: Job, schedule: Schedule | None = None) -> None:
    JOBS[name] = ScheduledJob(name, run, schedule)


async def request_job(session: AsyncSession, name: str, key: str | None = None) -> None:
    """Ask for `name` to run once after this transaction commits (nothing if it rolls back);
    the same `key` twice asks once."""
    now = dt.datetime.now(dt.UTC)
    await session.execute(
        _insert_ignoring(session).values(_row(name, f"requested:{key or uuid.uuid4().hex}", REQUESTED, now))
    )


def _row(job: str, period: str, status: str, now: dt.datetime) -> dict[str, object]:
    return {
        "id": uuid.uuid4(),
        "job": job,
        "period": period,
        "status": status,
        "created_at": now,
        "updated_at": now,
        "finished_at": now if status == DONE else None,
    }


def _insert_ignoring(session: AsyncSession) -> Any:
    table = ScheduledRun.__table__  # a Table; the ORM types it as a FromClause
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        return postgresql.insert(cast(Table, table)).on_conflict_do_nothing(index_elements=["job", "period"])
    if dialect == "sqlite":
        return sqlite.insert(cast(Table, table)).on_conflict_do_nothing(index_elements=["job", "period"])
    return insert(cast(Table, table))


Maker = Callable[[], AsyncSession]


async def run_periodic(maker: Maker, deps_for: DepsFactory, now: dt.datetime) -> dict[str, int]:
    """Run each periodic job whose current period has not run yet; what each one did."""
    done: dict[str, int] = {}
    for job in list(JOBS.values()):
        if job.schedule is None:
            continue
        period = job.schedule.period(now)
        async with maker() as session:
            try:
                claimed = await session.execute(
                    _insert_ignoring(session).values(_row(job.name, period, DONE, now))
                )
                if claimed.rowcount != 1:  # type: ignore[attr-defined]  # a CursorResult for an INSERT
                    await session.rollback()
                    continue
                result = await job.run(deps_for(session), now)
                await session.execute(
                    update(ScheduledRun)
                    .where(ScheduledRun.job == job.name, ScheduledRun.period == period)
                    .values(result=result)
                )
                await session.commit()
            except Exception as exc:  # the period stays open and is tried at the next tick
                await session.rollback()
                log.warning("scheduler.job_failed", job=job.name, error=type(exc).__name__)
                continue
        done[job.name] = result
        log.info("scheduler.job_done", job=job.name, period=period, result=result)
    return done


async def run_requested(maker: Maker, deps_for: DepsFactory, now: dt.datetime) -> dict[str, int]:
    """Run each requested job once; what each one did (summed over its requests)."""
    async with maker() as session:
        pending = (
            await session.execute(
                select(ScheduledRun.id, ScheduledRun.job)
                .where(ScheduledRun.status == REQUESTED)
                .order_by(ScheduledRun.created_at)
            )
        ).all()
    done: dict[str, int] = {}
    for run_id, name in pending:
        job = JOBS.get(name)
        if job is None:
            continue  # registered by code not in this process: left for one that knows it
        async with maker() as session:
            try:
                claimed = await session.execute(
                    update(ScheduledRun)
                    .where(ScheduledRun.id == run_id, ScheduledRun.status == REQUESTED)
                    .values(status=DONE, finished_at=now, updated_at=now)
                    .execution_options(synchronize_session=False)
                )
                if claimed.rowcount != 1:  # type: ignore[attr-defined]  # a CursorResult for an UPDATE
                    await session.rollback()
                    continue
                result = await job.run(deps_for(session), now)
                await session.execute(
                    update(ScheduledRun)
                    .where(ScheduledRun.id == run_id)
                    .values(result=result)
                    .execution_options(synchronize_session=False)
                )
                await session.commit()
            except Exception as exc:
                await session.rollback()
                log.warning("scheduler.job_failed", job=name, error=type(exc).__name__)
                continue
        done[name] = done.get(name, 0) + result
        log.info("scheduler.job_done", job=name, period="requested", result=result)
    return done


async def run_scheduled(
    maker: Maker, deps_for: DepsFactory, now: dt.datetime | None = None
) -> dict[str, int]:
    now = now or dt.datetime.now(dt.UTC)
    return await run_requested(maker, deps_for, now) | await run_periodic(maker, deps_for, now)
