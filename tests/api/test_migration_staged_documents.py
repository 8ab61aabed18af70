"""Migration d19b00000001 adds staged_document (documents sent inside the booking form) and takes
it away again, on both engines, without touching the tables that hold data."""

from __future__ import annotations

import asyncio

from api.db.migrate import upgrade
from tests.api.pre_provider_data import BEFORE, seed_old_data
from tests.api.test_migration_providers import _counts, _read, blank_url  # noqa: F401  # fixture
from tests.api.test_migration_weak_aliases import _downgrade

PREVIOUS = "d19g00000001"
REVISION = "d19b00000001"
TABLES_SQL = "SELECT count(*) FROM staged_document"  # fails when the table is absent


def _has_table(url: str) -> bool:
    try:
        asyncio.run(_read(url, TABLES_SQL))
    except Exception:  # the driver's own "no such table" / "relation does not exist"
        return False
    return True


def test_staged_documents_up_and_down_keep_every_row(blank_url: str) -> None:  # noqa: F811
    upgrade(blank_url, BEFORE)
    asyncio.run(seed_old_data(blank_url))
    upgrade(blank_url, PREVIOUS)
    before = _counts(blank_url)
    assert not _has_table(blank_url)
    upgrade(blank_url, REVISION)
    assert _has_table(blank_url) and _counts(blank_url) == before
    _downgrade(blank_url, PREVIOUS)
    assert not _has_table(blank_url) and _counts(blank_url) == before
    upgrade(blank_url, REVISION)
    assert _has_table(blank_url)
