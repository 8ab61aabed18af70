"""Run Alembic migrations through advanced-alchemy's commands."""

from __future__ import annotations

import asyncio

from advanced_alchemy.alembic.commands import AlembicCommands

from api.db.config import make_db_config
from api.db.engine import create_engine
from api.settings import Settings


def upgrade(database_url: str, revision: str = "head") -> None:
    """Bring the database to `revision`; creates the SQLite file and btree_gist as needed."""
    engine = create_engine(database_url)
    try:
        commands = AlembicCommands(
            sqlalchemy_config=make_db_config(Settings(database_url=database_url), engine)
        )
        commands.upgrade(revision=revision)
    finally:
        # Leave no pooled connection behind: PostgreSQL refuses to copy a template still in use.
        asyncio.run(engine.dispose())


def make_revision(database_url: str, message: str) -> None:
    """Autogenerate a new migration from the models (developers only)."""
    engine = create_engine(database_url)
    try:
        commands = AlembicCommands(
            sqlalchemy_config=make_db_config(Settings(database_url=database_url), engine)
        )
        commands.revision(message=message, autogenerate=True)
    finally:
        asyncio.run(engine.dispose())
