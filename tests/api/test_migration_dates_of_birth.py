"""Migration d19h00000001 adds flagged_entry.births and vetting_case.birth_dates with plain ALTERs,
so nothing that refers to entries or cases is lost on upgrade or downgrade (both engines)."""

from __future__ import annotations

import asyncio

from api.db.migrate import upgrade
from tests.api.pre_provider_data import BEFORE, seed_old_data
from tests.api.test_migration_providers import _counts, _read, blank_url  # noqa: F401  # fixture
from tests.api.test_migration_weak_aliases import _downgrade

PREVIOUS = "d18g00000001"
REVISION = "d19h00000001"


def test_entries_cases_and_clearances_survive_the_upgrade_and_the_downgrade(blank_url: str) -> None:  # noqa: F811
    upgrade(blank_url, BEFORE)
    asyncio.run(seed_old_data(blank_url))
    upgrade(blank_url, PREVIOUS)
    before = _counts(blank_url)
    assert before["screening_clearance"] >= 1 and before["flagged_entry"] >= 1

    upgrade(blank_url, REVISION)
    assert _counts(blank_url) == before
    births = asyncio.run(_read(blank_url, "SELECT births FROM flagged_entry"))
    asked = asyncio.run(_read(blank_url, "SELECT birth_dates FROM vetting_case"))
    assert {row[0] for row in births} == {None} and {row[0] for row in asked} <= {None}

    _downgrade(blank_url, PREVIOUS)
    assert _counts(blank_url) == before
    upgrade(blank_url, REVISION)  # and up again: the downgrade left no trace behind
    assert _counts(blank_url) == before
