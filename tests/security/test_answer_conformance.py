"""Every JSON answer has a declared model in /schema, and real answers match it.

Generated requests (test_schemathesis_seeded.py) seldom get a whole booking request or a valid
decision right, so this walks every JSON operation through its success path, on both engines, and
checks each answer against the schema the app publishes for that operation and status code.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import jsonschema_rs
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from pydantic import BaseModel

from api.app import create_app
from api.schemas import (
    ApplicationCreatedOut,
    DispositionOut,
    FeedOut,
    FlaggedEntryOut,
    FlaggedImportOut,
    ScreenNamesOut,
)
from api.settings import Settings
from tests.factories import application_payload, bearer, next_weekday

Client = AsyncTestClient[Litestar]

# Answers still built as plain dicts: their handlers are being reworked on other branches. Their
# models exist (api.schemas) and are checked below against the real answers, ready to be wired.
NOT_YET_WIRED: set[tuple[str, str]] = set()


def _json_answers(raw: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    """(method, path) -> the schema of its JSON success answer."""
    out = {}
    for path, item in raw["paths"].items():
        for method, operation in item.items():
            for code, response in operation.get("responses", {}).items():
                content = response.get("content", {}).get("application/json")
                if code.startswith("2") and content and content["schema"] != {"type": "string"}:
                    out[(method.upper(), path)] = content["schema"]
    return out


def _bare(schema: dict[str, Any]) -> bool:
    """An object (or list of objects) that says nothing about its keys."""
    if schema.get("type") == "array":
        return _bare(schema["items"])
    return (
        schema.get("type") == "object"
        and "properties" not in schema
        and schema.get("additionalProperties") in ({}, True, None)
    )


def test_every_json_answer_declares_its_model() -> None:
    # Building the schema needs no database: one run, not one per engine.
    app = create_app(Settings(database_url="sqlite+aiosqlite:///:memory:", environment="development"))
    answers = _json_answers(app.openapi_schema.to_schema())
    bare = {key for key, schema in answers.items() if _bare(schema)}
    assert bare == NOT_YET_WIRED, sorted(bare ^ NOT_YET_WIRED)


class _Conformance:
    """Checks each answer against the schema published for its operation and status code."""

    def __init__(self, client: Client, app: Litestar) -> None:
        self.client = client
        self.raw = app.openapi_schema.to_schema()
        self.checked: set[tuple[str, str]] = set()

    async def call(
        self, method: str, template: str, expect: int, *, auth: str | None = None, **kw: Any
    ) -> Any:
        path = template.format(**kw.pop("ids", {}))
        headers = bearer(auth) if auth else {}
        response = await self.client.request(method, path, headers=headers, **kw)
        assert response.status_code == expect, (method, path, response.text)
        if expect == 204:
            return None
        declared = self.raw["paths"][template][method.lower()]["responses"][str(expect)]["content"]
        body = response.json()
        schema = {**declared["application/json"]["schema"], "components": self.raw["components"]}
        jsonschema_rs.Draft202012Validator(schema).validate(body)
        self.checked.add((method, template))
        return body


def _same_as_model(model: type[BaseModel], answer: Any) -> None:
    """The model declared for a not-yet-wired answer gives back exactly that answer."""
    items = answer if isinstance(answer, list) else [answer]
    for item in items:
        assert model.model_validate(item).model_dump(mode="json") == item


@pytest.fixture
def check(client: Client, app: Litestar) -> _Conformance:
    return _Conformance(client, app)


async def test_venue_and_room_answers_match_their_schemas(
    check: _Conformance, seeded: dict[str, Any]
) -> None:
    admin = seeded["admin_token"]
    venue_body = {
        "name": "Conformance Hall",
        "owner": {"kind": "council", "name": "Testtown"},
        "address": "1 Way",
    }
    venue = await check.call("POST", "/api/v1/venues", 201, auth=admin, json=venue_body)
    ids = {"venue_id": venue["id"]}
    await check.call("PUT", "/api/v1/venues/{venue_id}", 200, auth=admin, ids=ids, json=venue_body)
    room_body = {"name": "Side Room", "capacity": 20, "opening_hours": {"tue": [["09:00", "21:00"]]}}
    room = await check.call(
        "POST", "/api/v1/venues/{venue_id}/rooms", 201, auth=admin, ids=ids, json=room_body
    )
    part = await check.call(
        "POST", "/api/v1/venues/{venue_id}/rooms", 201, auth=admin, ids=ids, json=room_body
    )
    ids["room_id"] = room["id"]
    await check.call("PUT", "/api/v1/rooms/{room_id}", 200, auth=admin, ids=ids, json=room_body)
    parts = await check.call(
        "PUT", "/api/v1/rooms/{room_id}/parts", 200, auth=admin, ids=ids, json={"parts": [part["id"]]}
    )
    assert parts["parts"] == [part["id"]]
    closure = {"start_date": "2031-01-01", "end_date": "2031-01-02", "reason": "Repairs"}
    await check.call("POST", "/api/v1/venues/{venue_id}/closures", 201, auth=admin, ids=ids, json=closure)
    start = next_weekday(1, weeks_ahead=3)
    window = {"start": start.isoformat(), "end": (start + dt.timedelta(days=7)).isoformat()}
    await check.call("GET", "/api/v1/rooms/{room_id}/availability", 200, ids=ids, params=window)
    slot = {"start": start.isoformat(), "end": (start + dt.timedelta(hours=2)).isoformat(), "capacity": 10}
    found = await check.call("GET", "/api/v1/rooms/search", 200, params=slot)
    assert found
    await check.call("GET", "/api/v1/venues", 200)
    await check.call("GET", "/api/v1/venues/{venue_id}/rooms", 200, ids=ids)
    await check.call("GET", "/api/v1/accessibility-features", 200)


async def test_case_answers_match_their_schemas(check: _Conformance, seeded: dict[str, Any]) -> None:
    officer, officer2, admin = seeded["officer_token"], seeded["officer2_token"], seeded["admin_token"]
    entry = await check.call(
        "POST",
        "/api/v1/flagged-entries",
        201,
        auth=officer,
        json={"kind": "person", "name": "Rowan Quillfeather"},
    )
    _same_as_model(FlaggedEntryOut, entry)
    people = [
        {"name": "Jordan Plotholder", "role": "officer"},
        {"name": "Rowan Quillfeather", "role": "speaker"},
    ]
    payload = application_payload(seeded["hall_a"].id, next_weekday(1, weeks_ahead=4), people=people)
    created = await check.call("POST", "/api/v1/applications", 201, json=payload)
    _same_as_model(ApplicationCreatedOut, created)
    ids = {"case_id": created["id"], "token": created["applicant_token"]}
    await check.call("GET", "/api/v1/applications", 200, auth=officer)
    case = await check.call("GET", "/api/v1/applications/{case_id}", 200, auth=officer, ids=ids)
    ids["match_id"] = case["screening"][0]["id"]
    ids["occurrence_id"] = case["occurrences"][0]["id"]
    disposed = await check.call(
        "POST",
        "/api/v1/screening-matches/{match_id}/disposition",
        200,
        auth=officer,
        ids=ids,
        json={"disposition": "cleared", "note": "Different person"},
    )
    _same_as_model(DispositionOut, disposed)
    ask = {"outcome": "request_information", "reason": "Who will steward the event?"}
    await check.call("POST", "/api/v1/applications/{case_id}/decision", 200, auth=officer, ids=ids, json=ask)
    await check.call("GET", "/api/v1/applicant/{token}", 200, ids=ids)
    await check.call(
        "POST", "/api/v1/applicant/{token}/information", 200, ids=ids, json={"response": "Two members"}
    )
    approve = {
        "outcome": "approve",
        "reason": "ok",
        "conditions": [{"code": "stewarding", "rationale": "Busy"}],
    }
    await check.call(
        "POST", "/api/v1/applications/{case_id}/decision", 200, auth=officer, ids=ids, json=approve
    )
    await check.call("POST", "/api/v1/applicant/{token}/accept-conditions", 200, ids=ids)
    await check.call("GET", "/api/v1/applicant/{token}", 200, ids=ids)
    moved_start = next_weekday(3, weeks_ahead=4)
    move = {
        "start": moved_start.isoformat(),
        "end": (moved_start + dt.timedelta(hours=2)).isoformat(),
        "reason": "hirer_asked",
    }
    await check.call(
        "POST",
        "/api/v1/applications/{case_id}/occurrences/{occurrence_id}/move",
        200,
        auth=officer,
        ids=ids,
        json=move,
    )
    await check.call("GET", "/api/v1/applications/{case_id}", 200, auth=officer, ids=ids)
    contact = {"phone": "07700 900111", "reason": "The hirer asked"}
    await check.call(
        "POST", "/api/v1/applications/{case_id}/contact", 200, auth=officer, ids=ids, json=contact
    )
    ids["organisation_id"] = case["request"]["organisation"]["id"]
    rectify = {"address": "3 Test Lane", "reason": "Moved"}
    await check.call(
        "POST", "/api/v1/organisations/{organisation_id}/rectify", 200, auth=officer, ids=ids, json=rectify
    )
    export = await check.call(
        "POST", "/api/v1/subject-access", 200, auth=admin, json={"name": "Rowan Quillfeather"}
    )
    assert export["export"]["requests"]
    await check.call(
        "POST",
        "/api/v1/applications/{case_id}/occurrences/{occurrence_id}/cancel",
        200,
        auth=officer,
        ids=ids,
        json={"reason": "venue_closed"},
    )
    cancel = {"reason_code": "public_safety", "reason": "The hall is unsafe after storm damage"}
    await check.call("POST", "/api/v1/applications/{case_id}/cancel", 200, auth=officer, ids=ids, json=cancel)

    # A refusal, countersigned, appealed and decided on appeal by an officer who took no part.
    refused = await check.call(
        "POST",
        "/api/v1/applications",
        201,
        json=application_payload(seeded["hall_b"].id, next_weekday(2, weeks_ahead=5)),
    )
    rids = {"case_id": refused["id"], "token": refused["applicant_token"]}
    refuse = {
        "outcome": "refuse",
        "reason": "Not a permitted use",
        "reason_code": "use_not_permitted",
        "options_considered": "Another room",
    }
    await check.call(
        "POST", "/api/v1/applications/{case_id}/decision", 200, auth=officer, ids=rids, json=refuse
    )
    await check.call(
        "POST",
        "/api/v1/applications/{case_id}/countersign",
        200,
        auth=officer2,
        ids=rids,
        json={"agree": True},
    )
    await check.call("GET", "/api/v1/applicant/{token}", 200, ids=rids)
    await check.call(
        "POST", "/api/v1/applicant/{token}/appeal", 200, ids=rids, json={"grounds": "It is a permitted use"}
    )
    upheld = {"outcome": "upheld", "reason": "The use is permitted"}
    await check.call(
        "POST", "/api/v1/applications/{case_id}/appeal-decision", 200, auth=admin, ids=rids, json=upheld
    )

    withdrawn = await check.call(
        "POST",
        "/api/v1/applications",
        201,
        json=application_payload(seeded["main"].id, next_weekday(4, weeks_ahead=6)),
    )
    await check.call(
        "POST", "/api/v1/applicant/{token}/withdraw", 200, ids={"token": withdrawn["applicant_token"]}
    )


async def test_organisation_link_answer_matches_its_schema(
    check: _Conformance, seeded: dict[str, Any]
) -> None:
    officer = seeded["officer_token"]
    known = {
        "name": "Testtown Allotment Society",
        "type": "charity",
        "charity_number": "1187654",
        "address": "2 Test Lane",
    }
    other = {**known, "name": "Testtown Allotment Club", "address": "9 Other Road"}
    for organisation, weeks in ((known, 4), (other, 6)):
        body = application_payload(seeded["hall_a"].id, next_weekday(1, weeks_ahead=weeks))
        body["organisation"] = organisation
        created = await check.call("POST", "/api/v1/applications", 201, json=body)
    ids = {"case_id": created["id"]}
    case = await check.call("GET", "/api/v1/applications/{case_id}", 200, auth=officer, ids=ids)
    assert case["organisation_link"]["status"] == "possible"
    decision = {"decision": "reject", "note": "A different club at another address"}
    await check.call(
        "POST", "/api/v1/applications/{case_id}/organisation-link", 200, auth=officer, ids=ids, json=decision
    )


async def test_flagged_and_feed_answers_match_their_schemas_and_models(
    check: _Conformance, seeded: dict[str, Any]
) -> None:
    officer, manager = seeded["officer_token"], seeded["manager_token"]
    listed = (
        b"kind,name,aliases,source,source_ref,reason,listed_date\n"
        b"person,Orlan Vetrov,,uk-sanctions,L1,invented,\n"
    )
    dry = await check.call(
        "POST",
        "/api/v1/flagged-entries/import",
        200,
        auth=officer,
        params={"format": "native-csv", "dry_run": "true"},
        content=listed,
    )
    done = await check.call(
        "POST",
        "/api/v1/flagged-entries/import",
        200,
        auth=officer,
        params={"format": "native-csv"},
        content=listed,
    )
    _same_as_model(FlaggedImportOut, dry)
    _same_as_model(FlaggedImportOut, done)
    entries = await check.call("GET", "/api/v1/flagged-entries", 200, auth=officer)
    _same_as_model(FlaggedEntryOut, entries)
    screened = await check.call(
        "POST", "/api/v1/screening", 200, auth=officer, json={"names": ["Orlan Vetroff"]}
    )
    assert screened["results"][0]["matches"]
    _same_as_model(ScreenNamesOut, screened)
    ids = {"entry_id": entries[0]["id"]}
    gone = await check.call(
        "POST",
        "/api/v1/flagged-entries/{entry_id}/deactivate",
        200,
        auth=officer,
        ids=ids,
        json={"reason": "Delisted"},
    )
    _same_as_model(FlaggedEntryOut, gone)

    feed = await check.call(
        "POST", "/api/v1/feeds", 201, auth=manager, json={"room_id": str(seeded["hall_a"].id)}
    )
    listed_feeds = await check.call("GET", "/api/v1/feeds", 200, auth=manager)
    ids = {"feed_id": feed["id"]}
    rotated = await check.call("POST", "/api/v1/feeds/{feed_id}/rotate", 200, auth=manager, ids=ids)
    for answer in (feed, listed_feeds, rotated):
        _same_as_model(FeedOut, answer)
    await check.call("DELETE", "/api/v1/feeds/{feed_id}", 204, auth=manager, ids=ids)


async def test_health_answer_matches_its_schema(check: _Conformance) -> None:
    await check.call("GET", "/health", 200)
