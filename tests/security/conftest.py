"""Fixtures for the security tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from api.settings import get_settings


@pytest.fixture
def cli_database(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Point `api.cli.main`, called in this process, at this test's database."""
    monkeypatch.setenv("VENUE_HIRE_DATABASE_URL", db_url)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()
