"""Migration d19g00000001 adds vetting_case.register_people and two register tables without losing
a case or anything that refers to one, up and down, on both engines."""

from __future__ import annotations

import asyncio

from api.db.migrate import upgrade
from tests.api.pre_provider_data import BEFORE, seed_old_data
from tests.api.test_migration_providers import _counts, _read, blank_url  # noqa: F401  # fixture
from tests.api.test_migration_weak_aliases import _downgrade

PREVIOUS = "d19d00000001"
REVISION = "d19g00000001"


def test_cases_survive_the_upgrade_and_the_downgrade(blank_url: str) -> None:  # noqa: F811
    upgrade(blank_url, BEFORE)
    asyncio.run(seed_old_data(blank_url))
    upgrade(blank_url, PREVIOUS)
    before = _counts(blank_url)
    assert before["vetting_case"] >= 1

    upgrade(blank_url, REVISION)
    assert _counts(blank_url) == before
    people = asyncio.run(_read(blank_url, "SELECT register_people FROM vetting_case"))
    assert {str(row[0]) for row in people} == {"[]"}
    assert asyncio.run(_read(blank_url, "SELECT count(*) FROM register_charity_devolved")) == [(0,)]

    _downgrade(blank_url, PREVIOUS)
    assert _counts(blank_url) == before
