"""Migration d19d00000001 adds payment.refund_of and payment.reason with plain ALTERs, and takes
them away again, without losing rows, on both engines."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy.exc import DBAPIError

from api.db.migrate import upgrade
from tests.api.pre_provider_data import BEFORE, seed_old_data
from tests.api.test_migration_providers import _counts, _read, blank_url  # noqa: F401  # fixture
from tests.api.test_migration_weak_aliases import _downgrade

PREVIOUS = "d19h00000001"
REVISION = "d19d00000001"


def test_refund_columns_come_and_go_without_losing_rows(blank_url: str) -> None:  # noqa: F811
    upgrade(blank_url, BEFORE)
    asyncio.run(seed_old_data(blank_url))
    upgrade(blank_url, PREVIOUS)
    before = _counts(blank_url)
    with pytest.raises(DBAPIError):
        asyncio.run(_read(blank_url, "SELECT refund_of FROM payment"))

    upgrade(blank_url, REVISION)
    assert _counts(blank_url) == before
    assert asyncio.run(_read(blank_url, "SELECT refund_of, reason FROM payment")) == []

    _downgrade(blank_url, PREVIOUS)
    assert _counts(blank_url) == before
    with pytest.raises(DBAPIError):
        asyncio.run(_read(blank_url, "SELECT reason FROM payment"))
