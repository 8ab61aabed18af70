"""Charges terms on the pages, through the real app over HTTP: extras chosen in the booking form
and priced on the check page (and priced afresh when changed), a date withdrawn by the hirer after
seeing the fee, the deposit refunded by staff, and the venue's invoicing setting."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from tests.factories import application_payload, bearer, next_weekday
from tests.web.pages import booking_form_steps
from tests.web.sign_in import csrf_of, sign_in_as, sign_in_officer
from venues.charges.models import CreditNote, Deposit
from venues.models import Venue
from vetting.models import VettingCase

Client = AsyncTestClient[Litestar]
STATE_RE = re.compile(r'name="state" value="([^"]+)"')


@pytest.fixture
async def web(app: Litestar) -> AsyncIterator[Client]:
    async with AsyncTestClient(app=app, base_url="https://testserver.local") as c:
        yield c


async def _card(session: AsyncSession, seeded: dict[str, Any], card: str = "council-halls") -> None:
    await session.execute(update(Venue).where(Venue.id == seeded["venue"].id).values(rate_card_id=card))
    await session.commit()


def _state(html: str) -> str:
    state = STATE_RE.search(html)
    assert state, html[:2000]
    return state.group(1)


async def _post(web: Client, html: str, fields: dict[str, Any]) -> Any:
    state = STATE_RE.search(html)
    assert state, html[:2000]
    data = {"state": state.group(1), "csrf_token": csrf_of(html), "nav": "continue", **fields}
    return await web.post("/book", data=data)


async def _to_check(web: Client, seeded: dict[str, Any], extras: list[str]) -> str:
    html = (await web.get("/book")).text
    pages = booking_form_steps(seeded, 1)  # Tuesday 18:00 to 19:30: peak
    for form in pages:
        if form["step"] == "choose":
            form = {**form, "extras": extras}
        answer = await _post(web, html, form)
        assert answer.status_code == 200, answer.text[:3000]
        html = answer.text
    for step in ("questions", "declarations"):
        if f'name="step" value="{step}"' in html:
            fields: dict[str, Any] = {"step": step}
            if step == "declarations":
                fields["declarations"] = re.findall(r'name="declarations"[^>]*value="([^"]+)"', html)
            else:
                fields.update(dict.fromkeys(set(re.findall(r'name="(q_[a-z_]+)"', html)), "no"))
            html = (await _post(web, html, fields)).text
    assert "Check your answers before sending your request" in html, html[:3000]
    return html


async def test_extras_are_chosen_with_the_room_and_priced_before_sending(
    web: Client, session: AsyncSession, seeded: dict[str, Any]
) -> None:
    await _card(session, seeded)
    html = (await web.get("/book")).text
    choose = await _post(web, html, booking_form_steps(seeded, 1)[0])
    assert "Extras (optional)" in choose.text
    assert "Projector and screen: £20.00 a date (VAT 20%)" in choose.text
    assert "Caretaker on duty: £18.50 an hour (VAT 20%)" in choose.text

    check = await _to_check(web, seeded, ["projector", "kitchen"])
    assert "Use of the kitchen, Projector and screen" in check  # the Extras row
    assert "Projector and screen" in check and "£24.00" in check  # £20.00 and VAT at 20%
    # 1.5 hours of peak hire at £32.00 and the 2-hour minimum (£64.00), less 25% for a club (£48.00),
    # the kitchen £15.00 and the projector £24.00
    assert re.search(r"data-total><strong>£87\.00<", check), check
    # "Change" the extras: the price is worked out again from the new choice
    changed = await web.post(
        "/book",
        data={"state": _state(check), "csrf_token": csrf_of(check), "nav": "goto:choose"},
    )
    again = await _post(web, changed.text, {"step": "choose", "room_id": str(seeded["hall_b"].id)})
    assert "Check your answers before sending your request" in again.text
    assert "Projector and screen" not in again.text
    assert re.search(r"data-total><strong>£48\.00<", again.text)
    sent = await web.post(
        "/book",
        data={
            "state": STATE_RE.search(check).group(1),
            "csrf_token": csrf_of(check),
            "nav": "continue",
            "step": "check",
        },  # type: ignore[union-attr]  # found above
    )
    assert sent.status_code in (200, 303), sent.text[:2000]
    made = (await session.execute(select(VettingCase))).scalar_one()
    assert made.charges == {"extras": ["kitchen", "projector"], "concession": None}


async def test_a_venue_without_charges_offers_no_extras(
    web: Client, session: AsyncSession, seeded: dict[str, Any]
) -> None:
    html = (await web.get("/book")).text
    choose = await _post(web, html, booking_form_steps(seeded, 1)[0])
    assert choose.status_code == 200 and "Extras (optional)" not in choose.text


async def _confirmed(web: Client, seeded: dict[str, Any], count: int, weeks_ahead: int) -> dict[str, Any]:
    body = application_payload(
        seeded["hall_a"].id, next_weekday(1, weeks_ahead=weeks_ahead), rrule=f"FREQ=WEEKLY;COUNT={count}"
    )
    created = await web.post("/api/v1/applications", json=body)
    assert created.status_code == 201, created.text
    case = dict(created.json())
    decided = await web.post(
        f"/api/v1/applications/{case['id']}/decision",
        json={"outcome": "approve", "reason": "ok", "conditions": []},
        headers=bearer(seeded["officer_token"]),
    )
    assert decided.status_code == 200, decided.text
    return case


async def test_the_hirer_withdraws_one_date_from_the_status_page(
    web: Client, session: AsyncSession, seeded: dict[str, Any]
) -> None:
    await _card(session, seeded)
    case = await _confirmed(web, seeded, 2, weeks_ahead=6)
    token = case["applicant_token"]
    status = await web.get(f"/status/{token}")
    links = re.findall(rf'href="(/status/{token}/dates/[0-9a-f-]+/withdraw)"', status.text)
    assert len(links) == 2
    ask = await web.get(links[1])
    assert ask.status_code == 200
    # more than 28 days' notice: no fee, the date's £48.00 credited back
    assert "there is no cancellation fee: £48.00 will be credited back to you" in ask.text
    unticked = await web.post(links[1], data={"csrf_token": csrf_of(ask.text)})
    assert unticked.status_code == 400 and "Tick the box to confirm" in unticked.text
    done = await web.post(links[1], data={"csrf_token": csrf_of(ask.text), "confirm": "yes"})
    assert done.status_code == 200 and "You withdrew the date" in done.text
    assert "(cancelled)" in done.text and "Credit note CRN-000001" in done.text
    assert len(re.findall(r"/dates/[0-9a-f-]+/withdraw", done.text)) == 0  # the last date: withdraw all
    again = await web.get(links[0])
    assert again.status_code == 409 and "withdraw the whole request instead" in again.text
    note = (await session.execute(select(CreditNote))).scalar_one()
    assert note.gross_pence == 4800


async def test_staff_refund_a_deposit_in_words(
    web: Client, session: AsyncSession, engine: AsyncEngine, seeded: dict[str, Any]
) -> None:
    await _card(session, seeded, "community-centre")
    case = await _confirmed(web, seeded, 1, weeks_ahead=6)
    status = await web.get(f"/status/{case['applicant_token']}")
    assert "payable with this invoice; refunded after your booking" in status.text
    await sign_in_officer(web, session, seeded)
    page = await web.get(f"/officer/cases/{case['id']}/invoice")
    assert "Damage deposit" in page.text and "can be refunded from" in page.text
    early = await web.post(
        f"/officer/cases/{case['id']}/deposit",
        data={"csrf_token": csrf_of(page.text), "refund": "25.00", "deposit_reason": ""},
    )
    assert early.status_code == 400 and "from the day after the last date" in early.text
    # withdrawn before the date: nothing to inspect, so the deposit can go back at once
    status = await web.get(f"/status/{case['applicant_token']}")
    withdrawn = await web.post(
        f"/status/{case['applicant_token']}/withdraw",
        data={"csrf_token": csrf_of(status.text), "confirm": "yes"},
    )
    assert withdrawn.status_code == 200 and "You withdrew your request." in withdrawn.text
    page = await web.get(f"/officer/cases/{case['id']}/invoice")
    no_reason = await web.post(
        f"/officer/cases/{case['id']}/deposit",
        data={"csrf_token": csrf_of(page.text), "refund": "20", "deposit_reason": ""},
    )
    assert no_reason.status_code == 400 and "say why part of the deposit is kept" in no_reason.text
    done = await web.post(
        f"/officer/cases/{case['id']}/deposit",
        data={"csrf_token": csrf_of(page.text), "refund": "25.00", "deposit_reason": ""},
    )
    assert done.status_code == 200 and "The deposit is settled." in done.text
    assert "Refund the deposit" not in done.text
    async with async_sessionmaker(engine)() as s:
        deposit = (await s.execute(select(Deposit))).scalar_one()
        assert (deposit.amount_pence, deposit.refunded_pence) == (2500, 2500)


async def test_an_administrator_sets_when_a_venue_invoices(
    web: Client, session: AsyncSession, engine: AsyncEngine, seeded: dict[str, Any]
) -> None:
    await _card(session, seeded)
    venue = seeded["venue"]
    await sign_in_as(web, session, seeded["admin"])
    form = await web.get(f"/officer/venues/{venue.id}/edit")
    assert "When invoices are issued" in form.text
    fields = {
        "csrf_token": csrf_of(form.text),
        "name": venue.name,
        "address": venue.address,
        "policy_id": "council-default",
        "bank_holidays_region": "ENG",
    }
    bad = await web.post(f"/officer/venues/{venue.id}/edit", data={**fields, "invoice_on": "payday"})
    assert bad.status_code == 400 and "Choose when the venue" in bad.text
    saved = await web.post(
        f"/officer/venues/{venue.id}/edit", data={**fields, "invoice_on": "approval"}, follow_redirects=False
    )
    assert saved.status_code in (302, 303), saved.text
    async with async_sessionmaker(engine)() as s:
        saved_venue = await s.get(Venue, venue.id)
        assert saved_venue is not None and saved_venue.invoice_on == "approval"
