"""Fixtures: a fresh, migrated database per test on SQLite, and on PostgreSQL when configured.

Migrations run once per session into a template (a SQLite file, a PostgreSQL template database);
each test then gets a copy, so tests are isolated without paying for a migration each.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from api.app import create_app
from api.db.engine import create_engine
from api.db.migrate import upgrade
from api.settings import Settings

PG_URL = os.environ.get("VENUE_HIRE_TEST_POSTGRES_URL")
ENGINES = ["sqlite", "postgres"] if PG_URL else ["sqlite"]
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")


def _pg_admin_url() -> str:
    assert PG_URL
    return PG_URL


def _with_database(url: str, name: str) -> str:
    base, _, _ = url.rpartition("/")
    return f"{base}/{name}"


async def _pg_execute(statements: list[str]) -> None:
    engine = create_async_engine(_pg_admin_url(), isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as conn:
            for statement in statements:
                await conn.execute(text(statement))
    finally:
        await engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    upgrade(f"sqlite+aiosqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def pg_template() -> Iterator[str]:
    name = f"vh_tpl_{WORKER}_{uuid.uuid4().hex[:8]}"
    asyncio.run(_pg_execute([f'CREATE DATABASE "{name}"']))
    upgrade(_with_database(_pg_admin_url(), name))
    yield name
    asyncio.run(_pg_execute([f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)']))


@pytest.fixture(params=ENGINES)
def engine_kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def db_url(engine_kind: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """URL of a fresh, fully migrated database for this test."""
    if engine_kind == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        target = tmp_path / "test.sqlite3"
        shutil.copyfile(template, target)
        yield f"sqlite+aiosqlite:///{target}"
        return
    template_name: str = request.getfixturevalue("pg_template")
    name = f"vh_t_{WORKER}_{uuid.uuid4().hex[:10]}"
    asyncio.run(_pg_execute([f'CREATE DATABASE "{name}" TEMPLATE "{template_name}"']))
    yield _with_database(_pg_admin_url(), name)
    asyncio.run(_pg_execute([f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)']))


@pytest.fixture
async def engine(db_url: str) -> AsyncIterator[AsyncEngine]:
    eng = create_engine(db_url)
    yield eng
    await eng.dispose()


@pytest.fixture
async def session(engine: AsyncEngine) -> AsyncIterator[AsyncSession]:
    maker = async_sessionmaker(engine, expire_on_commit=False)
    async with maker() as s:
        yield s


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    return Settings(
        database_url=db_url,
        secret_key="test-secret-key-" + "x" * 32,
        environment="test",
        base_url="http://testserver.local",
        outbox_dir=tmp_path / "outbox",
        # Thousands of apps start in one test process: freezing each one's heap would keep every
        # earlier test's leftovers for good.
        freeze_startup_heap=False,
        # Mail is delivered by the app itself as before; scheduled jobs (retention, re-screening)
        # run only where a test drives them (tests/outbox/test_scheduler.py).
        scheduler_enabled=False,
    )


@pytest.fixture
def cli_env(tmp_path: Path) -> dict[str, str]:
    """The environment for running `venue-hire` as a child process, on a SQLite file of its own."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("VENUE_HIRE_")}
    env["VENUE_HIRE_DATABASE_URL"] = f"sqlite+aiosqlite:///{tmp_path / 'cli.sqlite3'}"
    env["VENUE_HIRE_SECRET_KEY"] = "cli-test-secret-" + "y" * 32
    return env


@pytest.fixture
def notify_stub() -> Iterator[Any]:
    """A local GOV.UK Notify on loopback (tests/notify_stub.py) that checks requests as Notify does."""
    from tests.notify_stub import NotifyStub

    with NotifyStub().running() as stub:
        yield stub


@pytest.fixture
def app(settings: Settings) -> Litestar:
    return create_app(settings)


@pytest.fixture
async def client(app: Litestar) -> AsyncIterator[AsyncTestClient[Litestar]]:
    async with AsyncTestClient(app=app, base_url="http://testserver.local") as c:
        yield c


@pytest.fixture
async def seeded(engine: AsyncEngine) -> dict[str, Any]:
    """A venue with a divisible hall, an admin, two officers and a venue manager (with tokens)."""
    from tests import factories as f

    maker = async_sessionmaker(engine, expire_on_commit=False)
    async with maker() as s:
        venue = await f.make_venue(s, "Testtown Civic Hall")
        hall_a = await f.make_room(s, venue, "Hall A", capacity=60, buffer_after=15)
        hall_b = await f.make_room(s, venue, "Hall B", capacity=60, buffer_after=15)
        main = await f.make_room(
            s, venue, "Main Hall", capacity=150, buffer_after=15, parts=[hall_a.id, hall_b.id]
        )
        small = await f.make_room(s, venue, "Meeting Room", capacity=12, hours={"tue": [["09:00", "18:00"]]})
        admin, admin_token = await f.make_staff(s, "admin")
        officer, officer_token = await f.make_staff(s, "officer")
        officer2, officer2_token = await f.make_staff(s, "officer")
        manager, manager_token = await f.make_staff(s, "venue_manager", venue_ids=[venue.id])
        await s.commit()
    return {
        "venue": venue,
        "hall_a": hall_a,
        "hall_b": hall_b,
        "main": main,
        "small": small,
        "admin": admin,
        "admin_token": admin_token,
        "officer": officer,
        "officer_token": officer_token,
        "officer2": officer2,
        "officer2_token": officer2_token,
        "manager": manager,
        "manager_token": manager_token,
    }
