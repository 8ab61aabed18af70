"""Delivery and scheduled work inside the service (the embedded default) or woken through the
queue (`VENUE_HIRE_DELIVERY=worker`, see api/worker.py).

Embedded, one task per app runs delivery and the scheduler: it delivers what is due as soon as a
commit writes a message (the outbox wakes it), looks for retries and lapsed claims every
`outbox_poll_seconds`, and runs scheduled jobs every `schedule_tick_seconds`. Stopping lets it
finish the pass it is in (what was due is delivered), within a bound.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from typing import Any

import structlog
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from api.channels import make_channel
from api.db.engine import create_engine
from api.registry_setup import configure_registers
from api.settings import Settings
from casework.deps import CaseDeps
from casework.scheduler import DepsFactory, run_scheduled
from vetting.channels import Channel
from vetting.document_files import DocumentStore
from vetting.outbox_delivery import Deliverer, DeliveryPolicy
from vetting.outbox_write import add_waker, remove_waker
from vetting.scanner import scanner_for

log = structlog.get_logger("venue_hire.outbox")


def channels_for(settings: Settings) -> dict[str, Channel]:
    """Each channel a message may name, as the settings choose: email by SMTP, GOV.UK Notify or
    the folder; texts by Notify, or skipped with a log line where Notify is not set up."""
    by_kind = make_channel(settings)
    return {"email": by_kind, "sms": by_kind}


def delivery_policy(settings: Settings) -> DeliveryPolicy:
    return DeliveryPolicy(
        lease=dt.timedelta(seconds=settings.outbox_lease_seconds),
        max_attempts=settings.outbox_max_attempts,
        first_backoff=dt.timedelta(seconds=settings.outbox_first_backoff_seconds),
    )


def deps_factory(settings: Settings) -> DepsFactory:
    # Scheduled jobs (the retention purge, the document re-scan) reach the documents' files.
    documents = DocumentStore(settings.documents_store)
    scanner = scanner_for(settings.clamd_socket)
    configure_registers(settings)

    def deps_for(session: AsyncSession) -> CaseDeps:
        return CaseDeps(
            session=session,
            registry_backend=settings.registry_backend,
            horizon_months=settings.booking_horizon_months,
            base_url=settings.base_url,
            documents=documents,
            scanner=scanner,
        )

    return deps_for


def register_jobs() -> None:
    """Every scheduled job the service runs (idempotent: registering twice changes nothing)."""
    from api.jobs import register_service_jobs

    register_service_jobs()


def deliverer_for(settings: Settings, engine: AsyncEngine) -> Deliverer:
    maker = async_sessionmaker(engine, expire_on_commit=False)
    return Deliverer(maker, channels_for(settings), delivery_policy(settings))


class EmbeddedRunner:
    """Its own engine (pool), from the same URL as the app's: delivery never waits for a
    connection that requests hold, and what requests run (and tests count) is theirs alone."""

    def __init__(self, settings: Settings, app_engine: AsyncEngine) -> None:
        self.settings = settings
        # An in-memory SQLite database exists only in the app's own engine.
        self._own = ":memory:" not in settings.database_url
        engine = create_engine(settings.database_url, pool_size=2) if self._own else app_engine
        self.engine = engine
        self.maker = async_sessionmaker(engine, expire_on_commit=False)
        self.deliverer = deliverer_for(settings, engine)
        self.deps_for = deps_factory(settings)
        self._event = asyncio.Event()
        self._stopping = False
        self._task: asyncio.Task[None] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def wake(self) -> None:
        """Called after a commit that wrote messages, from whichever thread committed."""
        loop = self._loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self._event.set)

    async def start(self) -> None:
        register_jobs()
        self._loop = asyncio.get_running_loop()
        add_waker(self.wake)
        self._task = asyncio.create_task(self._run(), name="outbox-embedded")

    async def stop(self) -> None:
        timeout = 15.0  # bounded: what is left is delivered at the next start anyway
        remove_waker(self.wake)
        self._stopping = True
        self._event.set()
        if self._task is not None:
            try:
                await asyncio.wait_for(asyncio.shield(self._task), timeout)
            except TimeoutError:
                self._task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await self._task
        self._loop = None
        if self._own:
            await self.engine.dispose()

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        next_tick = loop.time() + self.settings.schedule_tick_seconds
        while True:
            self._event.clear()
            try:
                await self.deliverer.deliver_due()
                if self.settings.scheduler_enabled and not self._stopping and loop.time() >= next_tick:
                    next_tick = loop.time() + self.settings.schedule_tick_seconds
                    await run_scheduled(self.maker, self.deps_for)
                    await self.deliverer.deliver_due()  # what the jobs just wrote
            except Exception as exc:  # the database is busy or away: try again at the next wake
                log.warning("outbox.pass_failed", error=type(exc).__name__)
            if self._stopping:
                return
            with contextlib.suppress(TimeoutError, asyncio.TimeoutError):
                await asyncio.wait_for(self._event.wait(), self.settings.outbox_poll_seconds)


# Commits this close together share one wake-up: a booking request's commit woke the workers with
# a job of its own, so at a hundred requests a second a hundred delivery passes were queued, and
# putting each on the queue was 3% of the request's CPU (bench/submit_cpu.py). The wake-up is
# sent after the last commit it covers, so its pass finds every message they wrote.
WAKE_GATHER_SECONDS = 0.02


class QueueWaker:
    """Worker mode: after a commit that wrote messages, put a wake-up on the SAQ queue."""

    def __init__(self, settings: Settings) -> None:
        from saq import Queue

        assert settings.redis_url, "VENUE_HIRE_DELIVERY=worker needs VENUE_HIRE_REDIS_URL"
        # SAQ logs every job it enqueues at INFO: a line per booking request in the service's
        # log, saying only that a wake-up went. The workers' own log keeps SAQ's lines.
        logging.getLogger("saq").setLevel(logging.WARNING)
        self.queue = Queue.from_url(settings.redis_url, name=settings.worker_queue)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._tasks: set[asyncio.Future[Any]] = set()
        self._due: asyncio.TimerHandle | None = None

    async def start(self) -> None:
        try:
            await self.queue.connect()
        except Exception as exc:  # Redis away at start: messages wait for the workers' sweep
            log.warning("outbox.queue_unavailable", error=type(exc).__name__)
        self._loop = asyncio.get_running_loop()
        add_waker(self.wake)

    def wake(self) -> None:
        loop = self._loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self._gather)

    def _gather(self) -> None:
        if self._due is None and self._loop is not None:
            self._due = self._loop.call_later(WAKE_GATHER_SECONDS, self._enqueue)
        # else: the wake-up already waiting is sent after this commit, and covers it

    def _enqueue(self) -> None:
        self._due = None
        task = asyncio.ensure_future(self._send())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _send(self) -> None:
        try:
            await self.queue.enqueue("deliver")
        except Exception as exc:  # Redis away: the workers' own sweep delivers it a little later
            log.warning("outbox.wake_failed", error=type(exc).__name__)

    async def stop(self) -> None:
        remove_waker(self.wake)
        if self._due is not None:  # a wake-up still gathering is sent now
            self._due.cancel()
            self._enqueue()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        await self.queue.disconnect()


# Set False in app.state by the pre-forking server (api/cli/prefork.py) in every worker but one:
# one embedded runner delivers and runs the scheduled jobs for all of them.
EMBEDDED_HERE = "outbox_embedded_here"


async def start_outbox(app: Any) -> None:
    settings: Settings = app.state.settings
    runner: EmbeddedRunner | QueueWaker | None = None
    if settings.delivery == "embedded" and app.state.get(EMBEDDED_HERE, True):
        runner = EmbeddedRunner(settings, app.state.db_config.get_engine())
    elif settings.delivery == "worker":
        runner = QueueWaker(settings)
    if runner is not None:
        await runner.start()
    app.state.outbox_runner = runner


async def stop_outbox(app: Any) -> None:
    runner = app.state.get("outbox_runner")
    if runner is not None:
        await runner.stop()
