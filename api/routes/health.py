"""Liveness that proves the database answers, and readiness for a load balancer (api/readiness.py)."""

from __future__ import annotations

import structlog
from litestar import Response, get
from litestar.datastructures import State
from litestar.exceptions import ServiceUnavailableException
from litestar.openapi.datastructures import ResponseSpec
from pydantic import BaseModel

from api.db.engine import ping, read_only
from api.readiness import Readiness, not_ready_reasons

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


class ReadyOut(BaseModel):
    status: str
    reasons: list[str] = []


@get(
    "/ready",
    operation_id="ready",
    tags=["service"],
    summary="Readiness: no migration pending, nothing loading, not shutting down",
    opt={"roles": ("public",)},
    responses={
        503: ResponseSpec(data_container=ReadyOut, description="Not ready, with the reasons in words")
    },
)
async def ready(state: State) -> Response[ReadyOut]:
    read_only()  # SQLite: the probe never queues behind a writer
    readiness: Readiness = state.readiness
    try:
        reasons = await not_ready_reasons(readiness, state.db_config.get_engine())
    except Exception as exc:  # any driver's connection error: the database does not answer
        log.warning("ready.database_unavailable", error=type(exc).__name__)
        reasons = ["the database does not answer"]
    if reasons:
        return Response(ReadyOut(status="not ready", reasons=reasons), status_code=503)
    return Response(ReadyOut(status="ready"), status_code=200)
