"""Issue 14, item 8: no NUL or other control characters in stored text; 422 naming the field.

PostgreSQL refuses NUL in text, so before the fix the same request was stored on SQLite and
failed with a 500 on PostgreSQL; these tests run on both.
"""

from __future__ import annotations

import copy
import typing
from collections.abc import AsyncIterator
from typing import Any

import pytest
from litestar import Litestar
from litestar.routes import HTTPRoute
from litestar.testing import AsyncTestClient
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import application_payload, bearer, next_weekday
from tests.security.helpers import Client, submit
from tests.web.sign_in import csrf_of, sign_in_officer
from vetting.clean_text import CleanTextModel


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        found = [annotation]
        for field in annotation.model_fields.values():
            found += _models_in(field.annotation)
        return found
    return [m for arg in typing.get_args(annotation) for m in _models_in(arg)]


def test_every_input_model_of_every_route_refuses_control_characters(app: Litestar) -> None:
    checked: set[str] = set()
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            data = handler.parsed_fn_signature.parameters.get("data")
            if data is None:
                continue
            for model in _models_in(data.annotation) or [data.annotation]:
                assert isinstance(model, type) and issubclass(model, CleanTextModel), (route.path, model)
                checked.add(model.__name__)
    assert {"ApplicationRequest", "ContactIn", "DecisionIn", "ConditionIn", "FlaggedEntryIn"} <= checked
    assert len(checked) >= 20


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return []


def _set(body: dict[str, Any], path: str, value: Any) -> None:
    *parents, last = path.split(".")
    target: Any = body
    for part in parents:
        target = target[int(part)] if part.isdigit() else target[part]
    if last.isdigit():
        target[int(last)] = value
    else:
        target[last] = value


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("organisation.name", "Testtown\x00Chess Club"),
        ("organisation.address", "1 High Street\x00"),
        ("organisation.charity_number", "12\x0045"),
        ("contact.name", "Sam\x1bTestplayer"),
        ("contact.phone", "0100\x00"),
        ("people.0.name", "Alex\x00Testrook"),
        ("event.title", "Chess\x7fevening"),
        ("event.description", "Bring boards\x00"),
        ("event.description", "Bring\x85boards"),
        ("declarations.0", "equality\x00"),
        ("answers", {"q_alcohol": "no\x00"}),
        ("answers", {"q_\x00": "no"}),
        ("contact.name", "Sam\nTestplayer"),
        ("event.title", "Chess\tevening"),
    ],
)
async def test_booking_request_text_with_control_characters_is_refused(
    client: Client, seeded: dict[str, Any], path: str, value: Any
) -> None:
    # A deep copy: the factory's default lists are shared between calls.
    body = copy.deepcopy(application_payload(seeded["hall_a"].id, next_weekday(2, weeks_ahead=4)))
    _set(body, path, value)
    response = await client.post("/api/v1/applications", json=body)
    assert response.status_code == 422, response.text
    errors = response.json()["errors"]
    field = path.split(".")[-1] if not path.split(".")[-1].isdigit() else path.split(".")[-2]
    assert any(field in key for key in errors), errors
    assert "control characters" in str(errors)
    queue = await client.get("/api/v1/applications", headers=bearer(seeded["officer_token"]))
    assert queue.json() == []


async def test_multi_line_fields_keep_tabs_and_line_breaks(client: Client, seeded: dict[str, Any]) -> None:
    body = application_payload(seeded["hall_a"].id, next_weekday(2, weeks_ahead=4))
    body["event"]["description"] = "First line\r\n\tSecond line"
    body["organisation"]["name"] = "Testtown Zwi\u200dschen Club"  # format characters are not control ones
    created = await client.post("/api/v1/applications", json=body)
    assert created.status_code == 201, created.text
    view = await client.get(
        f"/api/v1/applications/{created.json()['id']}", headers=bearer(seeded["officer_token"])
    )
    assert "First line\r\n\tSecond line" in _strings(view.json())


async def test_officer_and_hirer_inputs_refuse_control_characters(
    client: Client, seeded: dict[str, Any]
) -> None:
    created = await submit(client, seeded["hall_a"].id)
    officer = bearer(seeded["officer_token"])
    for path, body, field, headers in (
        (
            f"/api/v1/applications/{created['id']}/decision",
            {"outcome": "request_information", "reason": "Who\x00 stewards?"},
            "reason",
            officer,
        ),
        (
            "/api/v1/flagged-entries",
            {"kind": "person", "name": "Orlan Vetrov", "aliases": ["O.\x00Vetrov"]},
            "aliases",
            officer,
        ),
        ("/api/v1/screening", {"names": ["Orlan\x00Vetrov"]}, "names", officer),
        (
            f"/api/v1/applicant/{created['applicant_token']}/information",
            {"response": "Yes\x00"},
            "response",
            {},
        ),
        (
            f"/api/v1/venues/{seeded['venue'].id}/closures",
            {"start_date": "2027-01-01", "end_date": "2027-01-02", "reason": "Works\nday"},
            "reason",
            bearer(seeded["admin_token"]),
        ),
    ):
        response = await client.post(path, json=body, headers=headers)
        assert response.status_code == 422, (path, response.text)
        assert any(field in key for key in response.json()["errors"]), (path, response.text)
    view = await client.get(f"/api/v1/applications/{created['id']}", headers=officer)
    assert view.json()["status"] == "under_review"


@pytest.fixture
async def web(app: Litestar) -> AsyncIterator[Client]:
    async with AsyncTestClient(app=app, base_url="https://testserver.local") as c:
        yield c


async def test_page_forms_with_control_characters_answer_400_not_500(
    web: Client, session: AsyncSession, seeded: dict[str, Any]
) -> None:
    created = await submit(web, seeded["hall_a"].id)
    book = await web.get("/book")
    refused = await web.post(
        "/book",
        data={"csrf_token": csrf_of(book.text), "step": "room", "nav": "continue", "attendance": "1\x002"},
    )
    assert refused.status_code == 400, refused.text[:500]
    assert "attendance" in refused.text and "cannot be stored" in refused.text
    await sign_in_officer(web, session, seeded)
    case_page = await web.get(f"/officer/cases/{created['id']}")
    decided = await web.post(
        f"/officer/cases/{created['id']}/decision",
        data={
            "csrf_token": csrf_of(case_page.text),
            "outcome": "request_information",
            "reason": "Who stewards\x00 the door?",
        },
        follow_redirects=False,
    )
    assert decided.status_code == 400, decided.text[:500]
    assert "reason" in decided.text
    view = await web.get(f"/api/v1/applications/{created['id']}", headers=bearer(seeded["officer_token"]))
    assert view.json()["status"] == "under_review"
