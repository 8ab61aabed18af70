"""The hirer may agree to text reminders and give a mobile number (issue 16): the booking form and
the API take it through the same `ContactIn`, so both refuse and keep it alike."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any
from uuid import UUID

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from policies import default_declarations
from tests.factories import application_payload, bearer, next_weekday
from tests.web.pages import booking_form_steps
from tests.web.sign_in import csrf_of, sign_in_officer
from vetting.models import VettingCase
from vetting.phone import sms_number, uk_mobile

Client = AsyncTestClient[Litestar]
STATE_RE = re.compile(r'name="state" value="([^"]+)"')
ERROR_LINK_RE = re.compile(r'<a href="#([^"]+)">([^<]+)</a>')


@pytest.fixture
async def web(app: Litestar) -> AsyncIterator[Client]:
    async with AsyncTestClient(app=app, base_url="https://testserver.local") as c:
        yield c


async def _walk(web: Client, seeded: dict[str, Any], contact: dict[str, str], until: str = "check") -> Any:
    """Fill in the form with `contact` on the organisation page; the answer to the page `until`."""
    page = await web.get("/book")
    token = csrf_of(page.text)
    steps: list[dict[str, Any]] = [
        *booking_form_steps(seeded, 2),
        {"step": "questions", "q_alcohol": "no"},
        {"step": "declarations", "declarations": default_declarations()},
    ]
    html = page.text
    for fields in steps:
        if fields["step"] == "organisation":
            fields = fields | contact
        state = STATE_RE.search(html)
        assert state, html[:2000]
        response = await web.post(
            "/book", data={"state": state.group(1), "csrf_token": token, "nav": "continue", **fields}
        )
        if fields["step"] == until:
            return response
        assert response.status_code == 200, response.text[:3000]
        html = response.text
    assert "Check your answers" in html
    return html, token


def _errors(html: str) -> dict[str, str]:
    return dict(ERROR_LINK_RE.findall(html))


@pytest.mark.parametrize(
    ("contact", "message"),
    [
        ({"sms_consent": "yes"}, "Enter a UK mobile number to get text message reminders"),
        (
            {"sms_consent": "yes", "contact_phone": "01632 960000"},
            "Enter a UK mobile number, like 07700 900123",
        ),
        (
            {"sms_consent": "yes", "contact_phone": "07012 345678"},
            "Enter a UK mobile number, like 07700 900123",
        ),
    ],
)
async def test_texts_need_a_uk_mobile_number(
    web: Client, seeded: dict[str, Any], contact: dict[str, str], message: str
) -> None:
    refused = await _walk(web, seeded, contact, until="organisation")
    assert refused.status_code == 400
    errors = _errors(refused.text)
    assert list(errors) == ["contact_phone"] and errors["contact_phone"].startswith(message)
    # The box stays ticked and the number as typed, for the hirer to correct.
    assert 'value="yes" checked' in refused.text
    assert contact.get("contact_phone", "") in refused.text


async def test_without_consent_no_number_is_needed_and_any_number_is_kept_as_typed(
    web: Client, seeded: dict[str, Any], engine: AsyncEngine
) -> None:
    html, token = await _walk(web, seeded, {"contact_phone": "01632 960000"})
    assert re.search(r"Text message reminders</dt>\s*<dd[^>]*>No</dd>", html)
    case = await _send(web, engine, html, token)
    assert case.contact["phone"] == "01632 960000" and case.contact["sms_consent"] is False
    assert sms_number(case.contact) is None


async def test_consent_and_a_mobile_are_kept_in_one_form_and_shown_to_the_officer(
    web: Client, seeded: dict[str, Any], engine: AsyncEngine
) -> None:
    html, token = await _walk(web, seeded, {"contact_phone": "07700 900 321", "sms_consent": "yes"})
    assert re.search(r"Text message reminders</dt>\s*<dd[^>]*>Yes, to \+447700900321</dd>", html)
    case = await _send(web, engine, html, token)
    assert case.contact["phone"] == "+447700900321" and case.contact["sms_consent"] is True
    assert sms_number(case.contact) == "+447700900321"
    async with async_sessionmaker(engine, expire_on_commit=False)() as session:
        await sign_in_officer(web, session, seeded)
    page = await web.get(f"/officer/cases/{case.id}")
    assert page.status_code == 200
    assert re.search(r"Text reminders</dt><dd[^>]*>Agreed, to \+447700900321</dd>", page.text)


async def _send(web: Client, engine: AsyncEngine, html: str, token: str) -> VettingCase:
    state = STATE_RE.search(html)
    assert state
    sent = await web.post(
        "/book",
        data={"state": state.group(1), "csrf_token": token, "step": "check", "nav": "continue"},
        follow_redirects=False,
    )
    assert sent.status_code == 303, sent.text[:2000]
    async with async_sessionmaker(engine, expire_on_commit=False)() as session:
        return (await session.execute(select(VettingCase))).scalar_one()


async def test_the_api_takes_the_same_consent(client: Client, seeded: dict[str, Any]) -> None:
    payload = application_payload(seeded["hall_b"].id, next_weekday(1))
    payload["contact"] = {"name": "Morgan Testwell", "email": "morgan@testtown.example", "sms_consent": True}
    refused = await client.post("/api/v1/applications", json=payload)
    assert refused.status_code == 422
    assert "mobile" in refused.text and "phone" in refused.text
    payload["contact"]["phone"] = "01632 960000"
    refused = await client.post("/api/v1/applications", json=payload)
    assert refused.status_code == 422 and "UK mobile" in refused.text
    payload["contact"]["phone"] = "+44 (0)7700 900 444"
    created = await client.post("/api/v1/applications", json=payload)
    assert created.status_code == 201, created.text
    case = (
        await client.get(
            f"/api/v1/applications/{created.json()['id']}", headers=bearer(seeded["officer_token"])
        )
    ).json()
    assert case["request"]["contact"]["phone"] == "+447700900444"
    assert case["request"]["contact"]["sms_consent"] is True


async def test_the_schema_documents_the_consent(client: Client, seeded: dict[str, Any]) -> None:
    schema = (await client.get("/schema/openapi.json", headers=bearer(seeded["officer_token"]))).json()
    contact = schema["components"]["schemas"]["ContactIn"]["properties"]
    assert (
        contact["sms_consent"]["type"] == "boolean" and "UK mobile" in contact["sms_consent"]["description"]
    )


async def test_correcting_the_number_keeps_texts_reachable(
    client: Client, seeded: dict[str, Any], engine: AsyncEngine
) -> None:
    officer = bearer(seeded["officer_token"])
    payload = application_payload(seeded["hall_b"].id, next_weekday(1))
    payload["contact"] |= {"phone": "07700 900555", "sms_consent": True}
    case_id = (await client.post("/api/v1/applications", json=payload)).json()["id"]
    url = f"/api/v1/applications/{case_id}/contact"
    landline = await client.post(url, json={"phone": "01632 960000", "reason": "Hirer rang"}, headers=officer)
    assert landline.status_code in (400, 422) and "UK mobile" in landline.text
    moved = await client.post(url, json={"phone": "07700 900666", "reason": "New phone"}, headers=officer)
    assert moved.status_code == 200, moved.text
    emptied = await client.post(url, json={"phone": "", "reason": "Hirer wants no texts"}, headers=officer)
    assert emptied.status_code == 200, emptied.text
    assert set(emptied.json()["changed"]) == {"phone", "sms_consent"}
    async with async_sessionmaker(engine, expire_on_commit=False)() as session:
        case = await session.get(VettingCase, UUID(case_id))
        assert case is not None
        assert case.contact["sms_consent"] is False and sms_number(case.contact) is None


def test_uk_mobile_numbers_are_written_one_way() -> None:
    same = ["07700 900123", "+44 7700 900123", "+44 (0)7700-900123", "0044 7700 900123", "447700900123"]
    assert {uk_mobile(n) for n in same} == {"+447700900123"}
    assert uk_mobile("07624 123456") == "+447624123456"  # Isle of Man mobiles
    for not_mobile in ["01632 960000", "07012 345678", "07612 345678", "0770090012", "+1 7700 900123", ""]:
        assert uk_mobile(not_mobile) is None, not_mobile
    assert sms_number({"phone": "07700 900123", "sms_consent": "yes"}) is None  # only a real yes
