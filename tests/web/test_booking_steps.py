"""The booking form's pages check what they read with the API's own input models (issue 15).

Through the real app over HTTP (no browser): each page's fields go through `OrganisationIn`,
`ContactIn`, `PersonIn` and `EventIn`, so what the API would refuse is refused on the page that
asks for it, in the page's words, instead of on the check page after the hirer has gone on.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from api.web.booking.choices import ORGANISATION_TYPES, PERSON_ROLES
from api.web.booking.field_errors import FieldRule, check
from api.web.booking.questions import question_facts
from casework import input as application_input
from casework.input import ContactIn, EventIn, PersonIn
from policies import bundled_policy
from policies.predicates import FACTS
from tests.web.pages import booking_form_steps

Client = AsyncTestClient[Litestar]
TOKEN_RE = re.compile(r'name="csrf_token" value="([0-9a-f]+)"')
STATE_RE = re.compile(r'name="state" value="([^"]+)"')
ERROR_LINK_RE = re.compile(r'<a href="#([^"]+)">([^<]+)</a>')


@pytest.fixture
async def web(app: Litestar) -> AsyncIterator[Client]:
    async with AsyncTestClient(app=app, base_url="https://testserver.local") as c:
        yield c


def _pages(seeded: dict[str, Any]) -> list[dict[str, Any]]:
    return booking_form_steps(seeded, 4)


async def _post_until(web: Client, seeded: dict[str, Any], step: str, fields: dict[str, Any]) -> Any:
    """Fill in the pages before `step` correctly, then post `step` with `fields` changed."""
    page = await web.get("/book")
    token = TOKEN_RE.search(page.text)
    assert token
    html = page.text
    for form in _pages(seeded):
        state = STATE_RE.search(html)
        assert state, html[:2000]
        data = {"state": state.group(1), "csrf_token": token.group(1), "nav": "continue", **form}
        if form["step"] == step:
            return await web.post("/book", data=data | fields)
        response = await web.post("/book", data=data)
        assert response.status_code == 200, response.text[:3000]
        html = response.text
    raise AssertionError(f"no page {step}")


def _errors(html: str) -> dict[str, str]:
    return {anchor: text.strip() for anchor, text in ERROR_LINK_RE.findall(html)}


async def test_the_organisation_page_refuses_a_name_the_api_refuses(
    web: Client, seeded: dict[str, Any]
) -> None:
    refused = await _post_until(web, seeded, "organisation", {"org_name": "Q" * 301})
    assert refused.status_code == 400
    assert "Your organisation and contact details" in refused.text
    errors = _errors(refused.text)
    assert list(errors) == ["org_name"]
    assert errors["org_name"].startswith("Name of the organisation: ")
    assert "300 characters" in errors["org_name"]
    # What was typed is kept for the hirer to shorten.
    assert 'value="' + "Q" * 301 + '"' in refused.text


async def test_the_organisation_page_keeps_its_messages(web: Client, seeded: dict[str, Any]) -> None:
    fields = {"org_name": "", "org_type": "cic", "contact_name": "", "contact_email": "nobody@"}
    refused = await _post_until(web, seeded, "organisation", fields)
    assert refused.status_code == 400
    assert _errors(refused.text) == {
        "org_name": "Enter the name of your organisation or group",
        "company_number": "Enter the company number",
        "contact_name": "Enter the name of the person we should contact",
        "contact_email": "Enter an email address in the correct format, like name@example.com",
    }


async def test_the_people_page_checks_each_row_with_person_in(web: Client, seeded: dict[str, Any]) -> None:
    fields = {"person_0_name": "Alex Testrook", "person_0_role": "jester", "person_1_name": "Z" * 301}
    refused = await _post_until(web, seeded, "people", fields)
    assert refused.status_code == 400
    errors = _errors(refused.text)
    assert errors["person_0_role"] == "Select the role of person 1"
    assert errors["person_1_role"] == "Select the role of person 2"
    assert errors["person_1_name"].startswith("Full name: ") and "300 characters" in errors["person_1_name"]


async def test_attendance_is_asked_once_and_refused_where_the_api_would(
    web: Client, seeded: dict[str, Any]
) -> None:
    # Issue 18: the number of people is asked on the first page only, with the API's limit.
    refused = await _post_until(web, seeded, "room", {"attendance": "200,000"})
    assert refused.status_code == 400
    assert _errors(refused.text) == {"attendance": "The number of people must be 100,000 or fewer"}
    refused = await _post_until(web, seeded, "event", {"under_18s": "maybe"})
    assert refused.status_code == 400
    assert 'name="expected_attendance"' not in refused.text and 'name="title"' in refused.text
    assert _errors(refused.text) == {
        "under_18s-yes": "Select whether children or young people under 18 will attend",
    }


def test_pydantic_findings_become_the_page_words() -> None:
    rules = {
        "name": FieldRule("contact_name", "Full name", "Enter a name"),
        "email": FieldRule("contact_email", "Email address", "Enter an email", "Enter a real email"),
    }
    model, errors = check(ContactIn, {"name": " ", "email": "x@"}, rules)
    assert model is None
    assert errors == {"contact_name": "Enter a name", "contact_email": "Enter a real email"}
    model, errors = check(ContactIn, {"name": "Sam Testplayer", "email": "sam@testtown.example"}, rules)
    assert errors == {} and model == ContactIn(name="Sam Testplayer", email="sam@testtown.example")
    # A field without a rule still gets a message, under its own name.
    _, errors = check(PersonIn, {"name": "Robin Testcase", "role": "speaker", "age": 3}, {})
    assert list(errors) == ["age"]
    _, errors = check(EventIn, {"title": "T", "expected_attendance": 0}, {})
    assert list(errors) == ["expected_attendance"]


def test_the_form_names_only_facts_the_policies_know() -> None:
    policy = bundled_policy("council-default")
    draft = {
        "open_to_public": "yes",
        "expected_attendance": "40",
        "people": [{"name": "A", "role": "speaker"}],
    }
    facts = question_facts(draft, policy)
    plain = {name for name in facts if not name.startswith("answers.")}
    assert plain <= set(FACTS)
    assert facts["event.open_to_public"] is True
    assert facts["event.expected_attendance"] == 40
    assert facts["booking.external_speakers"] == 1


def test_the_pages_label_exactly_the_codes_the_api_takes() -> None:
    assert tuple(ORGANISATION_TYPES) == application_input.ORGANISATION_TYPES
    assert tuple(PERSON_ROLES) == application_input.PERSON_ROLES
