"""A migration that only adds an index: the index is there after the upgrade with its columns,
no row changes, the downgrade drops it and a second upgrade makes it again."""

from __future__ import annotations

import asyncio

from api.db.migrate import upgrade
from tests.api.test_migration_providers import _counts, table_indexes
from tests.api.test_migration_weak_aliases import _downgrade


def index_comes_and_goes(
    url: str, previous: str, revision: str, table: str, index: str, columns: list[str]
) -> None:
    upgrade(url, previous)
    before = _counts(url)
    assert index not in asyncio.run(table_indexes(url, table))
    upgrade(url, revision)
    assert asyncio.run(table_indexes(url, table))[index] == columns
    assert _counts(url) == before
    _downgrade(url, previous)
    assert index not in asyncio.run(table_indexes(url, table))
    upgrade(url, revision)
    assert index in asyncio.run(table_indexes(url, table))
