"""Migration f1a9ed000002 moves entries added by hand under the screened source "local"."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from api.db.engine import create_engine
from api.db.migrate import upgrade
from tests.conftest import ENGINES, _pg_admin_url, _pg_execute, _with_database

BEFORE = "e13c0a5e0005"
NOW = dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC)

VERSION = sa.table(
    "flagged_list_version",
    *(
        sa.column(c)
        for c in ("id", "created_at", "source", "note", "added", "changed", "removed", "actor_name")
    ),
)
ENTRY = sa.table(
    "flagged_entry",
    sa.column("id", sa.Uuid()),
    *(
        sa.column(c)
        for c in (
            "kind",
            "name",
            "aliases",
            "source",
            "source_ref",
            "added_by",
            "active",
            "list_version",
            "content_hash",
            "created_at",
            "updated_at",
        )
    ),
)


@pytest.fixture(params=ENGINES)
def blank_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database (not the migrated template): this test migrates it step by step."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'migrate.sqlite3'}"
        return
    name = f"vh_mig_{uuid.uuid4().hex[:10]}"
    asyncio.run(_pg_execute([f'CREATE DATABASE "{name}"']))
    yield _with_database(_pg_admin_url(), name)
    asyncio.run(_pg_execute([f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)']))


def _entry(name: str, source: str, ref: str, version: int) -> dict[str, object]:
    return {
        "id": uuid.uuid4(),
        "kind": "person",
        "name": name,
        "aliases": "[]",
        "source": source,
        "source_ref": ref,
        "added_by": "Test Officer",
        "active": True,
        "list_version": version,
        "content_hash": "0" * 64,
        "created_at": NOW,
        "updated_at": NOW,
    }


async def _seed(url: str) -> None:
    engine = create_engine(url)
    try:
        async with engine.begin() as conn:
            for row in (
                {"id": 1, "source": "council records", "note": "entry added"},
                {"id": 2, "source": "police notice", "note": "entry added"},
                {"id": 3, "source": "uk-sanctions", "note": "import"},
                {"id": 4, "source": "local", "note": "entry added"},
            ):
                await conn.execute(
                    sa.insert(VERSION).values(
                        **row, created_at=NOW, added=1, changed=0, removed=0, actor_name="Test Officer"
                    )
                )
            for values in (
                _entry("Thessaly Marchbank", "council records", "manual-1", 1),  # generated reference
                _entry("Corvin Aldersgate", "police notice", "CR-17", 2),  # officer's reference, clashes
                _entry("Orlan Vetrov", "uk-sanctions", "RUS1", 3),  # imported: stays
                _entry("Pell Ashcombe", "local", "CR-17", 4),  # already local
            ):
                await conn.execute(sa.insert(ENTRY).values(**values))
    finally:
        await engine.dispose()


async def _rows(url: str) -> dict[str, tuple[str, str, str | None]]:
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            result = await conn.execute(
                sa.text("SELECT name, source, source_ref, source_detail FROM flagged_entry")
            )
            return {r.name: (r.source, r.source_ref, r.source_detail) for r in result}
    finally:
        await engine.dispose()


def test_hand_added_entries_move_to_the_local_source(blank_url: str) -> None:
    upgrade(blank_url, BEFORE)
    asyncio.run(_seed(blank_url))
    upgrade(blank_url, "f1a9ed000002")
    assert asyncio.run(_rows(blank_url)) == {
        "Thessaly Marchbank": ("local", "manual-1", "council records"),
        "Corvin Aldersgate": ("local", "police notice:CR-17", "police notice"),
        "Orlan Vetrov": ("uk-sanctions", "RUS1", None),
        "Pell Ashcombe": ("local", "CR-17", None),
    }
