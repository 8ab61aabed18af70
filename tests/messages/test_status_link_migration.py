"""Migration c16b00000007: every case's existing private link becomes its first status link, so
links mailed before the upgrade keep working."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from api.db.migrate import upgrade
from tests.api.pre_provider_data import BEFORE, seed_old_data
from tests.api.test_migration_providers import _read, _uuid
from tests.conftest import ENGINES, _pg_admin_url, _pg_execute, _with_database


@pytest.fixture(params=ENGINES)
def blank_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'links.sqlite3'}"
        return
    name = f"vh_migl_{uuid.uuid4().hex[:10]}"
    asyncio.run(_pg_execute([f'CREATE DATABASE "{name}"']))
    yield _with_database(_pg_admin_url(), name)
    asyncio.run(_pg_execute([f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)']))


def _pairs(rows: list[Any]) -> set[tuple[uuid.UUID | None, str]]:
    return {(_uuid(r[0]), str(r[1])) for r in rows}


def test_existing_links_become_status_links(blank_url: str) -> None:
    upgrade(blank_url, BEFORE)
    asyncio.run(seed_old_data(blank_url))
    upgrade(blank_url, "c16b00000007")
    cases = _pairs(asyncio.run(_read(blank_url, "SELECT id, applicant_token_hash FROM vetting_case")))
    links = asyncio.run(
        _read(blank_url, "SELECT case_id, token_hash, revoked_at, created_at FROM status_link")
    )
    assert len(cases) >= 2
    assert _pairs(links) == cases
    assert all(r[2] is None and r[3] is not None for r in links)
