"""Issue 14, item 3: deeply nested JSON answers 400, never a 500, on every JSON endpoint."""

from __future__ import annotations

from typing import Any

import pytest

from api.security.json_depth import MAX_JSON_DEPTH, json_depth_exceeds
from tests.factories import application_payload, bearer, next_weekday
from tests.security.helpers import Client, submit

DEEP_ARRAYS = "[" * 1000 + "]" * 1000  # 2 KB
DEEP_OBJECTS = '{"a":' * 400 + "1" + "}" * 400


@pytest.mark.parametrize("body", [DEEP_ARRAYS, DEEP_OBJECTS], ids=["arrays", "objects"])
async def test_deep_json_answers_400_on_every_json_endpoint(
    client: Client, seeded: dict[str, Any], body: str
) -> None:
    created = await submit(client, seeded["hall_a"].id)
    officer = bearer(seeded["officer_token"])
    targets: list[tuple[str, str, dict[str, str]]] = [
        ("POST", "/api/v1/applications", {}),
        ("POST", f"/api/v1/applicant/{created['applicant_token']}/information", {}),
        ("POST", f"/api/v1/applications/{created['id']}/decision", officer),
        ("POST", "/api/v1/flagged-entries", officer),
        ("POST", "/api/v1/screening", officer),
        ("POST", "/api/v1/feeds", bearer(seeded["manager_token"])),
        ("PUT", f"/api/v1/rooms/{seeded['hall_a'].id}", bearer(seeded["admin_token"])),
        ("POST", "/api/v1/subject-access", bearer(seeded["admin_token"])),
    ]
    for method, path, headers in targets:
        response = await client.request(
            method, path, content=body, headers={"Content-Type": "application/json", **headers}
        )
        assert response.status_code == 400, (path, response.status_code, response.text)
        assert "nested too deeply" in response.json()["detail"], path
    view = await client.get(f"/api/v1/applications/{created['id']}", headers=officer)
    assert view.json()["status"] == "under_review"


async def test_ordinary_nesting_still_works(client: Client, seeded: dict[str, Any]) -> None:
    body = application_payload(seeded["hall_a"].id, next_weekday(2, weeks_ahead=4))
    body["event"]["description"] = "[[[[{{{{ brackets in text do not count }}}}]]]]" * 20
    response = await client.post("/api/v1/applications", json=body)
    assert response.status_code == 201, response.text


def test_the_depth_scanner() -> None:
    assert not json_depth_exceeds(b"[" * MAX_JSON_DEPTH + b"]" * MAX_JSON_DEPTH)
    assert json_depth_exceeds(b"[" * (MAX_JSON_DEPTH + 1) + b"]" * (MAX_JSON_DEPTH + 1))
    assert not json_depth_exceeds(b'["' + b"[" * 100 + b'"]')
    assert not json_depth_exceeds(b'["\\"' + b"[" * 100 + b'"]')
    assert not json_depth_exceeds(b"[[]]" * 100)
