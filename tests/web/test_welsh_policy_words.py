"""The policy's own words on the public pages in Welsh (issue 18 item 4): the booking form's
questions, choices and declarations, the conditions of hire page, and the conditions an officer
attached on the status page. What the form sends is the same in both languages."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from policies import bundled_policy
from tests.factories import application_payload, bearer, next_weekday
from tests.web.pages import booking_form_steps
from vetting.models import VettingCase

Client = AsyncTestClient[Litestar]
TOKEN_RE = re.compile(r'name="csrf_token" value="([0-9a-f]+)"')
STATE_RE = re.compile(r'name="state" value="([^"]+)"')
POLICY = bundled_policy("council-default")


@pytest.fixture
async def web(app: Litestar) -> AsyncIterator[Client]:
    async with AsyncTestClient(app=app, base_url="https://testserver.local") as c:
        yield c


def _welsh(english: str) -> str:
    for item in [*POLICY.declarations, *POLICY.conditions, *POLICY.refusal_grounds]:
        if item.text == english:
            assert item.text_cy
            return item.text_cy
    for q in POLICY.questions:
        if q.label == english:
            assert q.label_cy
            return q.label_cy
    raise AssertionError(english)


async def _walk(web: Client, seeded: dict[str, Any], language: str) -> list[str]:
    """The booking form from its start to the check page, in `language`, with a public event (so
    the admission question is asked): the HTML of the questions, declarations and check pages."""
    page = await web.get(f"/book?lang={language}")
    token = TOKEN_RE.search(page.text)
    assert token
    html = page.text
    forms = booking_form_steps(seeded, 3)
    forms[-1]["open_to_public"] = "yes"
    forms += [
        {"step": "questions", "q_alcohol": "no", "q_admission": "donation"},
        {"step": "declarations", "declarations": [d.id for d in POLICY.declarations]},
    ]
    pages = []
    for form in forms:
        state = STATE_RE.search(html)
        assert state, html[:2000]
        response = await web.post(
            "/book", data={"state": state.group(1), "csrf_token": token.group(1), "nav": "continue", **form}
        )
        assert response.status_code == 200, response.text[:3000]
        html = response.text
        if form["step"] in ("event", "questions", "declarations"):
            pages.append(html.replace("&#39;", "'"))
    return pages


async def test_the_booking_form_asks_the_policy_in_welsh(web: Client, seeded: dict[str, Any]) -> None:
    questions, declarations, check = await _walk(web, seeded, "cy")
    assert '<html lang="cy"' in questions
    assert _welsh("Will alcohol be sold or supplied at the event?") in questions
    assert _welsh("How will people be admitted?") in questions
    assert "Will alcohol be sold" not in questions
    assert "Am ddim" in questions and "Gyda thocyn" in questions and "Ticketed" not in questions
    assert POLICY.title_cy is not None and POLICY.title_cy in questions  # the link to the policy

    for d in POLICY.declarations:
        assert d.text_cy is not None and d.text_cy in declarations
        assert d.text not in declarations
    assert "Drwy rodd" in check  # the answer to a choice, as the check page reads it back
    assert "Donation" not in check


async def test_what_the_form_sends_is_the_same_in_either_language(
    web: Client, engine: AsyncEngine, seeded: dict[str, Any]
) -> None:
    kept = []
    for language in ("en", "cy"):
        *_, check = await _walk(web, seeded, language)
        assert ("Drwy rodd" in check) == (language == "cy")
        state = STATE_RE.search(check)
        token = TOKEN_RE.search(check)
        assert state and token
        sent = await web.post(
            "/book",
            data={"state": state.group(1), "csrf_token": token.group(1), "step": "check", "nav": "send"},
        )
        assert sent.status_code in (200, 303), sent.text[:2000]
        async with async_sessionmaker(engine)() as s:
            newest = select(VettingCase).order_by(VettingCase.created_at.desc())
            case = (await s.execute(newest)).scalars().first()
            assert case is not None
            kept.append((case.declarations, case.answers, case.policy_id, case.policy_version, case.language))
    # Declaration ids and answers (the choice's value, not its words) are what a case keeps,
    # with the language the hirer read them in.
    assert [k[:4] for k in kept] == [kept[0][:4]] * 2
    assert kept[0][1] == {"alcohol": False, "admission": "donation"}
    assert [k[4] for k in kept] == ["en", "cy"]


async def test_the_conditions_of_hire_page_in_welsh(web: Client, seeded: dict[str, Any]) -> None:
    welsh = await web.get("/conditions/council-default?lang=cy")
    assert welsh.status_code == 200
    page = welsh.text.replace("&#39;", "'")
    assert POLICY.title_cy in page and POLICY.description_cy in page  # type: ignore[operator]  # both given
    for item in [*POLICY.declarations, *POLICY.conditions, *POLICY.refusal_grounds]:
        assert item.text_cy in page, item  # type: ignore[operator]  # every text has Welsh
        assert item.text not in page
    english = (await web.get("/conditions/council-default?lang=en")).text.replace("&#39;", "'")
    assert all(c.text in english for c in POLICY.conditions)


async def test_the_status_page_shows_the_policys_conditions_in_welsh(
    web: Client, seeded: dict[str, Any]
) -> None:
    created = await web.post(
        "/api/v1/applications", json=application_payload(seeded["hall_a"].id, next_weekday(2, weeks_ahead=6))
    )
    assert created.status_code == 201, created.text
    own = POLICY.condition_of_hire("leave_as_found")
    assert own is not None and own.text_cy
    varied = "A named responsible person stays until the hall is locked."
    decided = await web.post(
        f"/api/v1/applications/{created.json()['id']}/decision",
        json={
            "outcome": "approve",
            "reason": "Fine with conditions",
            "conditions": [
                {"code": "leave_as_found", "text": None},
                {"code": "responsible_person", "text": varied},
            ],
        },
        headers=bearer(seeded["officer_token"]),
    )
    assert decided.status_code in (200, 201), decided.text
    token = created.json()["applicant_token"]
    welsh = (await web.get(f"/status/{token}?lang=cy")).text.replace("&#39;", "'")
    assert own.text_cy in welsh and own.text not in welsh
    assert varied in welsh  # the officer's own words, shown as written
    english = (await web.get(f"/status/{token}?lang=en")).text.replace("&#39;", "'")
    assert own.text in english and own.text_cy not in english
    # The API answers with what the decision keeps.
    api = (await web.get(f"/api/v1/applicant/{token}")).json()
    assert [c["text"] for c in api["conditions"]] == [own.text, varied]


async def test_the_status_page_names_the_kinds_of_document_in_welsh(
    web: Client, seeded: dict[str, Any]
) -> None:
    created = await web.post(
        "/api/v1/applications", json=application_payload(seeded["hall_a"].id, next_weekday(3, weeks_ahead=6))
    )
    assert created.status_code == 201, created.text
    token = created.json()["applicant_token"]
    welsh = (await web.get(f"/status/{token}?lang=cy")).text
    assert "Tystysgrif yswiriant atebolrwydd cyhoeddus" in welsh and "Polisi diogelu" in welsh
    assert "Public liability insurance certificate" not in welsh
    assert "Public liability insurance certificate" in (await web.get(f"/status/{token}?lang=en")).text
