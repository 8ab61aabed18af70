"""Reads that may come from a standby: the reports and the calendar feeds (docs/deployment.md).

Both only read, tolerate a view a fraction of a second old, and are what grows with polling and
with years of data, so they are what a read replica can take off the primary. Everything else,
and every write these routes make (a feed's new validator, the audit record of a report), stays
on the request's own session on the primary.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator

from litestar import Litestar
from litestar.datastructures import State
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from api.db.engine import create_engine
from vetting.tenancy import current_scope, set_scope


class ReadReplica:
    """The standby's engine and sessions, made once per app."""

    def __init__(self, url: str) -> None:
        self.engine = create_engine(url)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)

    async def dispose(self) -> None:
        await self.engine.dispose()


def read_engine(state: State) -> AsyncEngine:
    """The engine the read session of `provide_read_session` uses."""
    replica: ReadReplica | None = state.get("read_replica")
    if replica is not None:
        return replica.engine
    engine: AsyncEngine = state.db_config.get_engine()
    return engine


async def provide_read_session(db_session: AsyncSession, state: State) -> AsyncGenerator[AsyncSession, None]:
    """A session on the standby, narrowed to the same organisation as `db_session`; without a
    standby, `db_session` itself."""
    replica: ReadReplica | None = state.get("read_replica")
    if replica is None:
        yield db_session
        return
    async with replica.sessions() as session:
        set_scope(session, current_scope(db_session))
        try:
            yield session
        finally:
            await session.rollback()


async def close_read_replica(app: Litestar) -> None:
    replica: ReadReplica | None = app.state.get("read_replica")
    if replica is not None:
        await replica.dispose()
