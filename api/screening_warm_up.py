"""The screening index loaded (or built) when the app starts, not inside the first request that
screens a name (issues 21 and 22): a worker with 100,000 entries then answers its first screening
at once, and `/ready` says "screening index loading" (503) until the index is there, so a load
balancer sends it no traffic meanwhile.

The work runs in a thread (vetting/screener_cache.py), so the event loop answers `/health` and
`/ready` while it goes on. If it fails (no tables yet, a database that does not answer), the
reason is logged and readiness stops waiting for it: the first screening loads it instead.
"""

from __future__ import annotations

import asyncio
import contextlib

import structlog
from litestar import Litestar
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from api.readiness import Readiness
from api.settings import Settings
from vetting.policy_store import current_policy
from vetting.screener_cache import LOADING, SCREENERS
from vetting.screening import ScreeningWeights

log = structlog.get_logger(__name__)

# The policy whose screening settings the service-wide screens use (as the flagged-list API does).
_POLICY = "council-default"


def wanted(settings: Settings) -> bool:
    if settings.screening_warm_up is None:
        return settings.environment != "test"
    return settings.screening_warm_up


async def start_screening_warm_up(app: Litestar) -> None:
    if not wanted(app.state.settings):
        return
    readiness: Readiness = app.state.readiness
    readiness.start_loading(LOADING)
    app.state.screening_warm_up = asyncio.create_task(_warm_up(app, readiness))


async def stop_screening_warm_up(app: Litestar) -> None:
    task: asyncio.Task[None] | None = app.state.get("screening_warm_up")
    if task is not None and not task.done():
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def load_screening_index(engine: AsyncEngine) -> int:
    """Load (or build) the index of the current list into this process; its list version.

    Also called by the pre-forking server (api/cli/prefork.py) before it forks the workers."""
    maker = async_sessionmaker(engine, expire_on_commit=False)
    async with maker() as session:
        policy = await current_policy(session, _POLICY)
        version, _ = await SCREENERS.get(
            session,
            threshold=policy.screening.threshold,
            weights=ScreeningWeights.from_mapping(dict(policy.screening.weights)),
            sources=policy.screening.sources,
        )
    return version


async def _warm_up(app: Litestar, readiness: Readiness) -> None:
    try:
        version = await load_screening_index(app.state.db_config.get_engine())
        log.info("screening.index_ready", list_version=version)
    except Exception as exc:  # any failure: the first screening loads it instead
        log.warning("screening.warm_up_failed", error=type(exc).__name__)
    finally:
        readiness.done_loading(LOADING)
