from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine


async def test_health_answers_ok_when_database_answers(client: AsyncTestClient[Litestar]) -> None:
    response = await client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_health_is_503_when_database_is_gone(
    client: AsyncTestClient[Litestar], engine_kind: str, db_url: str, engine: AsyncEngine
) -> None:
    # Break the database under the running app: health must say so, not pretend.
    if engine_kind == "sqlite":
        from pathlib import Path

        path = Path(db_url.split(":///", 1)[1])
        path.unlink()
        path.mkdir()  # a directory where the file was: SQLite cannot open it
    else:
        async with engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
        name = db_url.rsplit("/", 1)[1]
        from tests.conftest import _pg_execute

        await _pg_execute([f'DROP DATABASE "{name}" WITH (FORCE)'])
    response = await client.get("/health")
    assert response.status_code == 503
    assert "Traceback" not in response.text


async def test_openapi_schema_is_served(client: AsyncTestClient[Litestar], seeded: dict[str, Any]) -> None:
    # Outside development the schema is for signed-in staff only (tests/security/test_headers.py).
    response = await client.get(
        "/schema/openapi.json", headers={"Authorization": f"Bearer {seeded['officer_token']}"}
    )
    assert response.status_code == 200
    assert "/health" in response.json()["paths"]
