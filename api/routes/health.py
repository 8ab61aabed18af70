"""Liveness that proves the database answers."""

from __future__ import annotations

import structlog
from litestar import get
from litestar.exceptions import ServiceUnavailableException
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

log = structlog.get_logger("venue_hire.health")


@get(
    "/health",
    operation_id="health",
    tags=["service"],
    summary="Database reachability",
    opt={"roles": ("public",)},
)
async def health(db_session: AsyncSession) -> dict[str, str]:
    try:
        await db_session.execute(text("SELECT 1"))
    except Exception as exc:
        # Drivers raise their own connection errors (asyncpg's are not wrapped by SQLAlchemy):
        # any failure here means the database does not answer.
        log.warning("health.database_unavailable", error=type(exc).__name__)
        raise ServiceUnavailableException(detail="database unavailable") from exc
    return {"status": "ok"}
