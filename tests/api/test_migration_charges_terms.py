"""Migration d19c00000001 adds vetting_case.charges, venue.invoice_on and the deposit table without
losing a row of what refers to cases and venues (plain ALTERs, never a SQLite batch rebuild), and
its downgrade takes them away again, on both engines."""

from __future__ import annotations

import asyncio

import pytest
import sqlalchemy as sa

from api.db.migrate import upgrade
from tests.api.pre_provider_data import BEFORE, seed_old_data
from tests.api.test_migration_providers import _counts, _read, blank_url  # noqa: F401  # fixture
from tests.api.test_migration_weak_aliases import _downgrade

PREVIOUS = "d19a00000001"
REVISION = "d19c00000001"


def test_cases_and_venues_survive_the_upgrade_and_the_downgrade(blank_url: str) -> None:  # noqa: F811
    upgrade(blank_url, BEFORE)
    asyncio.run(seed_old_data(blank_url))
    upgrade(blank_url, PREVIOUS)
    before = _counts(blank_url)
    assert before["vetting_case"] >= 1 and before["venue"] >= 1

    upgrade(blank_url, REVISION)
    assert _counts(blank_url) == before
    rows = asyncio.run(_read(blank_url, "SELECT charges FROM vetting_case"))
    assert rows and all(row[0] is None for row in rows)  # old cases asked for no extras
    rows = asyncio.run(_read(blank_url, "SELECT invoice_on FROM venue"))
    assert rows and all(row[0] is None for row in rows)  # invoiced on confirmation, as before
    assert asyncio.run(_read(blank_url, "SELECT count(*) FROM deposit")) == [(0,)]

    _downgrade(blank_url, PREVIOUS)
    assert _counts(blank_url) == before
    with pytest.raises(sa.exc.DBAPIError):
        asyncio.run(_read(blank_url, "SELECT count(*) FROM deposit"))
