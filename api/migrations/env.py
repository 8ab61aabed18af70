"""Alembic environment: runs the migrations on the service's own engine (SQLite or PostgreSQL)."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, cast

from advanced_alchemy.base import metadata_registry
from alembic import context
from sqlalchemy.ext.asyncio import AsyncEngine

# api.db.config imports every model module: the metadata below is complete.
from api.db.config import compare_type

if TYPE_CHECKING:
    from advanced_alchemy.alembic.commands import AlembicCommandConfig
    from sqlalchemy.engine import Connection

config = cast("AlembicCommandConfig", context.config)


def _configure(**kwargs: object) -> None:
    context.configure(
        target_metadata=metadata_registry.get(config.bind_key),
        compare_type=compare_type if config.compare_type else False,
        version_table=config.version_table_name,
        render_as_batch=config.render_as_batch,
        user_module_prefix=config.user_module_prefix,
        **kwargs,  # type: ignore[arg-type]  # alembic's configure takes loosely typed keywords
    )


def run_migrations_offline() -> None:
    _configure(url=config.db_url, literal_binds=True, dialect_opts={"paramstyle": "named"})
    with context.begin_transaction():
        context.run_migrations()


def _run_sync(connection: Connection) -> None:
    _configure(connection=connection)
    with context.begin_transaction():
        context.run_migrations()


async def run_migrations_online() -> None:
    engine = cast(AsyncEngine, config.engine)
    async with engine.connect() as connection:
        await connection.run_sync(_run_sync)
    # Close the pooled connection in this event loop: closed later from another loop (the
    # caller's dispose), asyncpg logs a traceback ("attached to a different loop").
    await engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    asyncio.run(run_migrations_online())
