"""Liveness that proves the database answers."""

from __future__ import annotations

import structlog
from litestar import get
from litestar.datastructures import State
from litestar.exceptions import ServiceUnavailableException

from api.db.engine import ping

log = structlog.get_logger("venue_hire.health")


@get(
    "/health",
    operation_id="health",
    tags=["service"],
    summary="Database reachability",
    opt={"roles": ("public",)},
)
async def health(state: State) -> dict[str, str]:
    # No ORM session or transaction: a probe of the database itself (api.db.engine.ping).
    try:
        await ping(state.db_config.get_engine())
    except Exception as exc:
        # Drivers raise their own connection errors (asyncpg's are not wrapped by SQLAlchemy):
        # any failure here means the database does not answer.
        log.warning("health.database_unavailable", error=type(exc).__name__)
        raise ServiceUnavailableException(detail="database unavailable") from exc
    return {"status": "ok"}
