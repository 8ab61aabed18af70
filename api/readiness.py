"""What a load balancer asks before sending traffic: is this process ready to serve?

Liveness (`/health`) says the process and its database answer. Readiness (`/ready`) says more:
the database's schema is the one this code was written for (no migration pending: an old or new
schema behind a request would fail it halfway), nothing the process needs is still loading, and
the process is not shutting down (so the balancer stops sending new requests while in-flight ones
and queued mail finish). Each reason it is not ready is said in words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from api.db.config import MIGRATIONS_DIR


@dataclass
class Readiness:
    """Held on the app's state; parts of the app say what they are loading and when they stop."""

    loading: set[str] = field(default_factory=set)
    shutting_down: bool = False

    def start_loading(self, what: str) -> None:
        self.loading.add(what)

    def done_loading(self, what: str) -> None:
        self.loading.discard(what)


@lru_cache(maxsize=1)
def code_heads() -> frozenset[str]:
    """The migration heads shipped with this code (read from the files once: they cannot change)."""
    return frozenset(ScriptDirectory(str(MIGRATIONS_DIR)).get_heads())


async def database_revisions(engine: AsyncEngine) -> frozenset[str]:
    """The revisions recorded in the database; empty when it was never migrated."""
    async with engine.connect() as conn:
        exists = await conn.run_sync(lambda sync: sync.dialect.has_table(sync, "alembic_version"))
        if not exists:
            return frozenset()
        rows = await conn.execute(text("SELECT version_num FROM alembic_version"))
        return frozenset(str(r[0]) for r in rows)


async def not_ready_reasons(state: Readiness, engine: AsyncEngine) -> list[str]:
    reasons: list[str] = []
    if state.shutting_down:
        reasons.append("shutting down: finishing requests in flight and queued mail")
    reasons += [f"{what} loading" for what in sorted(state.loading)]
    at = await database_revisions(engine)
    wanted = code_heads()
    if at != wanted:
        have = ", ".join(sorted(at)) or "none"
        reasons.append(
            f"migrations pending: the database is at {have}, this code needs {', '.join(sorted(wanted))} "
            "(run `venue-hire db upgrade`)"
        )
    return reasons
