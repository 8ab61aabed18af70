"""`/ready` (api/readiness.py): what a load balancer checks before sending a process traffic."""

from __future__ import annotations

from alembic.script import ScriptDirectory
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from api.app import _stop_taking_traffic
from api.db.config import MIGRATIONS_DIR
from api.readiness import code_heads


async def test_ready_when_migrated_and_nothing_loading(client: AsyncTestClient[Litestar]) -> None:
    response = await client.get("/ready")
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "reasons": []}


async def test_not_ready_while_something_loads(client: AsyncTestClient[Litestar], app: Litestar) -> None:
    app.state.readiness.start_loading("screening index")
    response = await client.get("/ready")
    assert response.status_code == 503
    assert response.json() == {"status": "not ready", "reasons": ["screening index loading"]}
    app.state.readiness.done_loading("screening index")
    assert (await client.get("/ready")).status_code == 200


async def test_not_ready_once_shutdown_begins(client: AsyncTestClient[Litestar], app: Litestar) -> None:
    await _stop_taking_traffic(app)
    response = await client.get("/ready")
    assert response.status_code == 503
    assert response.json()["reasons"] == ["shutting down: finishing requests in flight and queued mail"]
    assert (await client.get("/health")).status_code == 200  # alive, just not taking new work


async def test_not_ready_while_a_migration_is_pending(
    client: AsyncTestClient[Litestar], engine: AsyncEngine
) -> None:
    # The database as an older release left it: its recorded revision is the head's parent.
    (head,) = code_heads()
    parent = ScriptDirectory(str(MIGRATIONS_DIR)).get_revision(head).down_revision
    assert isinstance(parent, str)
    async with engine.begin() as conn:
        await conn.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": parent})
    response = await client.get("/ready")
    assert response.status_code == 503
    (reason,) = response.json()["reasons"]
    assert reason.startswith("migrations pending: the database is at ")
    assert reason == (
        f"migrations pending: the database is at {parent}, this code needs {head} "
        "(run `venue-hire db upgrade`)"
    )
    async with engine.begin() as conn:
        await conn.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": head})
    assert (await client.get("/ready")).status_code == 200
