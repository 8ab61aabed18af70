"""Migration d18g00000001 adds flagged_entry.weak_aliases without losing what refers to the entries.

On SQLite a batch alter copies and drops flagged_entry, and with foreign keys on the drop cascades
to the clearances: every clearance was lost on upgrade and on downgrade until the column was added
and dropped with plain ALTERs.
"""

from __future__ import annotations

import asyncio

from advanced_alchemy.alembic.commands import AlembicCommands

from api.db.config import make_db_config
from api.db.engine import create_engine
from api.db.migrate import upgrade
from api.settings import Settings
from tests.api.pre_provider_data import BEFORE, seed_old_data
from tests.api.test_migration_providers import _counts, _read, blank_url  # noqa: F401  # fixture

PREVIOUS = "d18e00000001"
REVISION = "d18g00000001"


def _downgrade(url: str, revision: str) -> None:
    engine = create_engine(url)
    try:
        AlembicCommands(sqlalchemy_config=make_db_config(Settings(database_url=url), engine)).downgrade(
            revision=revision
        )
    finally:
        asyncio.run(engine.dispose())


def test_clearances_and_entries_survive_the_upgrade_and_the_downgrade(blank_url: str) -> None:  # noqa: F811
    upgrade(blank_url, BEFORE)
    asyncio.run(seed_old_data(blank_url))
    upgrade(blank_url, PREVIOUS)
    before = _counts(blank_url)
    assert before["screening_clearance"] >= 1 and before["flagged_entry"] >= 1

    upgrade(blank_url, REVISION)
    assert _counts(blank_url) == before
    weak = asyncio.run(_read(blank_url, "SELECT weak_aliases FROM flagged_entry"))
    assert {str(row[0]) for row in weak} == {"[]"}

    _downgrade(blank_url, PREVIOUS)
    assert _counts(blank_url) == before
