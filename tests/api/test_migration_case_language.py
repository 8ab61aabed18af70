"""Migration d20p00000001 adds vetting_case.language without losing a row of what refers to cases
(a plain ALTER, never a SQLite batch rebuild): requests made before it read as English; its
downgrade takes the column away again and a second upgrade brings it back, on both engines."""

from __future__ import annotations

import asyncio

import pytest
import sqlalchemy as sa

from api.db.migrate import upgrade
from tests.api.pre_provider_data import BEFORE, seed_old_data
from tests.api.test_migration_providers import _counts, _read, blank_url  # noqa: F401  # fixture
from tests.api.test_migration_weak_aliases import _downgrade

PREVIOUS = "d20d00000001"
REVISION = "d20p00000001"


def test_cases_survive_and_read_as_english(blank_url: str) -> None:  # noqa: F811
    upgrade(blank_url, BEFORE)
    asyncio.run(seed_old_data(blank_url))
    upgrade(blank_url, PREVIOUS)
    before = _counts(blank_url)
    assert before["vetting_case"] >= 1

    upgrade(blank_url, REVISION)
    assert _counts(blank_url) == before
    rows = asyncio.run(_read(blank_url, "SELECT language FROM vetting_case"))
    assert rows and all(row[0] == "en" for row in rows)

    _downgrade(blank_url, PREVIOUS)
    assert _counts(blank_url) == before
    with pytest.raises(sa.exc.DBAPIError):
        asyncio.run(_read(blank_url, "SELECT language FROM vetting_case"))

    upgrade(blank_url, REVISION)
    assert _counts(blank_url) == before
    assert asyncio.run(_read(blank_url, "SELECT count(*) FROM vetting_case WHERE language = 'en'")) == [
        (before["vetting_case"],)
    ]
