"""A pooled PostgreSQL connection is checked before each use, in one round trip.

SQLAlchemy's `pool_pre_ping` on asyncpg wraps its `;` in a transaction of its own (BEGIN, `;`,
ROLLBACK: three round trips, for PgBouncer in transaction mode), before every request's own
BEGIN. That was a sixth of a booking request's round trips (bench/submit_cpu.py). Here the
check is the `;` alone: a connection that has gone (PostgreSQL restarted, an idle connection
cut) still fails it, and then every pooled connection older than it is replaced, as the
pre-ping does. Behind PgBouncer in transaction mode the `;` checks the link to PgBouncer.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, exc
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.pool import ConnectionPoolEntry
from sqlalchemy.util import await_only

# Set when a connection is made; the first checkout of a new connection needs no check.
_NEW = "venue_hire_new_connection"


def _mark_new(_dbapi_connection: Any, record: ConnectionPoolEntry) -> None:
    record.info[_NEW] = True


def _check(_dbapi_connection: Any, record: ConnectionPoolEntry, _proxy: Any) -> None:
    driver = record.driver_connection
    if record.info.pop(_NEW, False) or driver is None:
        return  # just made: nothing to check yet (or no driver connection to check)
    try:
        # Checkout runs inside SQLAlchemy's greenlet for the async engine, as its pre-ping does.
        await_only(driver.fetchrow(";"))
    except Exception as error:  # whatever the driver raises, the connection cannot be used
        reason = f"the pooled connection failed its check: {type(error).__name__}"
        raise exc.InvalidatePoolError(reason) from error


def check_on_checkout(engine: AsyncEngine) -> None:
    """Check each reused connection with a bare `;` when it leaves the pool (PostgreSQL)."""
    event.listen(engine.sync_engine, "connect", _mark_new)
    event.listen(engine.sync_engine, "checkout", _check)
