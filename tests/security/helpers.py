"""Small helpers shared by the security tests (invented names only)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.factories import application_payload, bearer, next_weekday

Client = AsyncTestClient[Litestar]


async def submit(
    client: Client, room_id: Any, *, weeks_ahead: int = 4, weekday: int = 1, **kw: Any
) -> dict[str, Any]:
    """A booking request through the public API; returns the 201 body."""
    body = application_payload(room_id, next_weekday(weekday, weeks_ahead=weeks_ahead), **kw)
    response = await client.post("/api/v1/applications", json=body)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def approve(client: Client, token: str, case_id: str) -> dict[str, Any]:
    response = await client.post(
        f"/api/v1/applications/{case_id}/decision",
        json={"outcome": "approve", "reason": "Approved", "conditions": []},
        headers=bearer(token),
    )
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


async def refuse(client: Client, officer: str, officer2: str, case_id: str) -> None:
    proposed = await client.post(
        f"/api/v1/applications/{case_id}/decision",
        json={
            "outcome": "refuse",
            "reason": "The use is not one the venue permits",
            "reason_code": "use_not_permitted",
            "options_considered": "Another date was offered",
        },
        headers=bearer(officer),
    )
    assert proposed.status_code == 200, proposed.text
    signed = await client.post(
        f"/api/v1/applications/{case_id}/countersign", json={"agree": True}, headers=bearer(officer2)
    )
    assert signed.status_code == 200, signed.text


async def flag(client: Client, token: str, name: str, kind: str = "person") -> dict[str, Any]:
    response = await client.post(
        "/api/v1/flagged-entries",
        json={"kind": kind, "name": name, "aliases": [], "source": "local", "reason": "invented for a test"},
        headers=bearer(token),
    )
    assert response.status_code == 201, response.text
    entry: dict[str, Any] = response.json()
    return entry


@asynccontextmanager
async def concurrent_client(app: Litestar) -> AsyncIterator[httpx.AsyncClient]:
    """A client whose requests really run at once, in this event loop.

    Litestar's AsyncTestClient answers one request at a time (its transport blocks), and runs the
    app in another event loop; here the app's lifespan runs in the test's own loop and httpx's
    ASGI transport lets gathered requests interleave.
    """
    async with app.lifespan():
        transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]  # Litestar is an ASGI app; its scope types are narrower
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver.local") as c:
            yield c
