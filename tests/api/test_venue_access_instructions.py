"""A venue's access instructions (sent with reminders): set and read by its administrators, never
shown in the public venue list."""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.factories import bearer

Client = AsyncTestClient[Litestar]
CODE = "Key safe left of the green door, code 7130."


async def test_administrators_set_access_instructions_the_public_never_sees_them(
    client: Client, seeded: dict[str, Any]
) -> None:
    admin = bearer(seeded["admin_token"])
    body = {
        "name": "Willow Hall",
        "owner": {"kind": "council", "name": "Testshire Council"},
        "address": "3 Lane",
    }
    made = await client.post("/api/v1/venues", json=body | {"access_instructions": CODE}, headers=admin)
    assert made.status_code == 201, made.text
    assert made.json()["access_instructions"] == CODE
    listed = await client.get("/api/v1/venues")
    assert listed.status_code == 200
    assert CODE not in listed.text and "access_instructions" not in listed.text
    changed = await client.put(
        f"/api/v1/venues/{made.json()['id']}",
        json=body | {"access_instructions": "Ring the caretaker."},
        headers=admin,
    )
    assert changed.status_code == 200 and changed.json()["access_instructions"] == "Ring the caretaker."
    too_long = await client.post(
        "/api/v1/venues", json=body | {"access_instructions": "x" * 2001}, headers=admin
    )
    assert too_long.status_code == 422
