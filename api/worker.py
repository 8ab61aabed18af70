"""`venue-hire worker`: delivery and scheduled work in processes of their own, for deployments
with several service processes (VENUE_HIRE_DELIVERY=worker).

The queue is SAQ on Redis: the service already uses Redis for sessions and throttling when it
runs as several processes, so the queue adds no server, and SAQ is asyncio like the rest of the
service. The queue carries no message: the outbox and `scheduled_run` tables stay the source of
truth, and a job only says "look now". So

* a wake-up (``deliver``) enqueued by the service after each commit that wrote messages makes a
  worker deliver at once; several workers share the rows by their leases (never the same row);
* a cron job (``sweep``, every minute, unique across workers) delivers retries that fell due and
  messages whose deliverer died, and runs the scheduled jobs (once per period, whichever worker);
* at start a worker sweeps once, so what was written while no worker ran goes out straight away.

Losing Redis's state loses only wake-ups: the next sweep finds every message still in the table.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import structlog
from sqlalchemy.ext.asyncio import async_sessionmaker

from api.db.engine import create_engine
from api.outbox_runtime import deliverer_for, deps_factory, register_jobs
from api.settings import Settings
from casework.scheduler import run_scheduled

log = structlog.get_logger("venue_hire.worker")


def worker_settings(settings: Settings) -> dict[str, Any]:
    """The SAQ worker's functions, cron job and lifecycle for these settings."""
    from saq import CronJob, Queue

    if not settings.redis_url:
        raise ValueError("venue-hire worker needs VENUE_HIRE_REDIS_URL (Redis for the queue)")
    engine = create_engine(settings.database_url)
    maker = async_sessionmaker(engine, expire_on_commit=False)
    deliverer = deliverer_for(settings, engine)
    deps_for = deps_factory(settings)
    register_jobs()

    async def deliver(ctx: dict[str, Any]) -> int:
        return await deliverer.deliver_due()

    async def sweep(ctx: dict[str, Any]) -> int:
        done = await deliverer.deliver_due()
        if settings.scheduler_enabled:
            await run_scheduled(maker, deps_for, dt.datetime.now(dt.UTC))
            done += await deliverer.deliver_due()  # what the jobs just wrote
        return done

    async def startup(ctx: dict[str, Any]) -> None:
        log.info("worker.started", owner=deliverer.owner)
        await sweep(ctx)

    async def shutdown(ctx: dict[str, Any]) -> None:
        await engine.dispose()

    return {
        "queue": Queue.from_url(settings.redis_url, name=settings.worker_queue),
        "functions": [deliver, sweep],
        # unique: one sweep per minute for all workers; a second worker's is not enqueued.
        "cron_jobs": [CronJob(sweep, cron="* * * * *", unique=True, timeout=600)],
        "startup": startup,
        "shutdown": shutdown,
        "concurrency": 2,
    }


async def run_worker(settings: Settings) -> None:
    from saq import Worker

    worker = Worker(**worker_settings(settings))
    await worker.queue.connect()
    try:
        await worker.start()  # until SIGINT or SIGTERM
    finally:
        await worker.queue.disconnect()


def main(settings: Settings) -> int:
    asyncio.run(run_worker(settings))
    return 0
