"""Charges on the pages, through the real app: the price on the officer's case before the
decision, the invoice on the hirer's status page as HTML and as a PDF read back with pypdf, a
payment recorded by an officer (and refused when it is more than is owed)."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import AsyncIterator
from typing import Any

import pytest
from babel.dates import format_date
from litestar import Litestar
from litestar.testing import AsyncTestClient
from pypdf import PdfReader
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from tests.factories import application_payload, approve_and_invoice, next_weekday
from tests.web.sign_in import csrf_of, sign_in_officer
from venues.charges.models import Payment
from venues.models import Venue

Client = AsyncTestClient[Litestar]


@pytest.fixture
async def web(app: Litestar) -> AsyncIterator[Client]:
    # Session cookies are Secure: the client speaks https for the browser to keep them.
    async with AsyncTestClient(app=app, base_url="https://testserver.local") as c:
        yield c


async def _charged_request(
    web: Client, session: AsyncSession, seeded: dict[str, Any], language: str = "en"
) -> dict[str, Any]:
    await session.execute(
        update(Venue).where(Venue.id == seeded["venue"].id).values(rate_card_id="council-halls")
    )
    await session.commit()
    body = application_payload(
        seeded["hall_a"].id,
        next_weekday(1, weeks_ahead=4),
        rrule="FREQ=WEEKLY;COUNT=2",
        organisation="Testtown Chess Charity",
    )
    body["organisation"].update(type="charity", charity_number="1234567")
    created = await web.post("/api/v1/applications", json=body | {"language": language})
    assert created.status_code == 201, created.text
    return dict(created.json())


async def test_officer_sees_the_price_and_the_concession_to_check(
    web: Client, session: AsyncSession, seeded: dict[str, Any]
) -> None:
    case = await _charged_request(web, session, seeded)
    await sign_in_officer(web, session, seeded)
    page = await web.get(f"/officer/cases/{case['id']}")
    assert page.status_code == 200
    html = page.text
    assert 'id="charges"' in html
    # 2 hours of peak hire at £32.00, less 40% for a registered charity, on each of two dates
    assert "Price quoted to the hirer: £76.80" in html
    assert "Concession claimed: Registered charity." in html
    assert "Charity Commission" in html


async def test_invoice_on_the_status_page_as_html_and_pdf_and_a_payment(
    web: Client, session: AsyncSession, seeded: dict[str, Any]
) -> None:
    case = await _charged_request(web, session, seeded)
    token = case["applicant_token"]
    status = await web.get(f"/status/{token}")
    assert "Price" in status.text and "£76.80" in status.text
    assert "/invoice" not in status.text  # no invoice before confirmation
    assert (await web.get(f"/status/{token}/invoice")).status_code == 404
    invoice = await approve_and_invoice(web, session, seeded, case)
    status = await web.get(f"/status/{token}")
    assert f"View invoice {invoice.number}" in status.text
    assert "Left to pay" in status.text
    # what withdrawing would cost is shown before the hirer confirms it
    assert re.search(r"there is no cancellation fee: £76.80 of your invoice would be credited", status.text)
    html = await web.get(f"/status/{token}/invoice")
    assert html.status_code == 200
    assert "Total to pay" in html.text and "£76.80" in html.text
    pdf = await web.get(f"/status/{token}/invoice.pdf")
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert f"Invoice {invoice.number}" in text
    assert "Testtown Chess Charity" in text
    totals = re.findall(r"Total to pay\s*£([\d,]+\.\d\d)", text)
    assert totals == ["76.80"]
    # each date: 2 hours of peak hire at £32.00, then 40% off it for a registered charity
    assert (
        re.findall(r"Registered charity: 40% off hire\s*Exempt from VAT\s*(-£[\d.]+)", text)
        == ["-£25.60"] * 2
    )
    assert text.count("£64.00") == 2

    await sign_in_officer(web, session, seeded)
    form = await web.get(f"/officer/cases/{case['id']}/invoice")
    assert form.status_code == 200
    too_much = await web.post(
        f"/officer/cases/{case['id']}/payments",
        data={
            "method": "bacs",
            "amount": "100.00",
            "reference": "BACS 991",
            "received_on": "2027-01-04",
            "csrf_token": csrf_of(form.text),
        },
    )
    assert too_much.status_code == 400
    assert "at most what is left to pay" in too_much.text
    assert (await session.execute(select(Payment))).first() is None
    await session.commit()  # end the read: on SQLite every transaction takes the write lock
    paid = await web.post(
        f"/officer/cases/{case['id']}/payments",
        data={
            "method": "bacs",
            "amount": "76.80",
            "reference": "BACS 991",
            "received_on": "2027-01-04",
            "csrf_token": csrf_of(form.text),
        },
    )
    assert paid.status_code == 200 and "The payment is recorded." in paid.text
    payment = (await session.execute(select(Payment))).scalar_one()
    assert (payment.amount_pence, payment.method, payment.status) == (7680, "bacs", "success")
    await session.commit()
    officer_pdf = await web.get(f"/officer/cases/{case['id']}/invoice?format=pdf")
    assert officer_pdf.status_code == 200


def _pdf_text(content: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)


async def test_the_invoice_pdf_is_in_the_language_of_the_request(
    web: Client, session: AsyncSession, seeded: dict[str, Any]
) -> None:
    """A document to the hirer: Welsh labels, dates and money (Babel, cy_GB) for a request made in
    Welsh, whoever downloads it (the officer's copy too); the lines stay as issued."""
    case = await _charged_request(web, session, seeded, language="cy")
    invoice = await approve_and_invoice(web, session, seeded, case)
    first_day = format_date(dt.date.fromisoformat(invoice.lines[0]["day"]), "EEEE d MMMM y", locale="cy")
    hirer = _pdf_text((await web.get(f"/status/{case['applicant_token']}/invoice.pdf")).content)
    await sign_in_officer(web, session, seeded)
    officer = _pdf_text((await web.get(f"/officer/cases/{case['id']}/invoice?format=pdf")).content)
    for text in (hirer, officer):
        assert f"Anfoneb {invoice.number}" in text and "Invoice " not in text
        assert re.findall(r"Cyfanswm i.w dalu\s*£([\d,]+\.\d\d)", text) == ["76.80"]
        assert "Total to pay" not in text and "How to pay" not in text and "Sut i dalu" in text
        assert "Cyfeirnod yr archeb" in text and "Talu erbyn" in text
        assert first_day[:1].upper() + first_day[1:] in text  # "Dydd Mawrth ..." with the Welsh month
        assert "eithrio rhag TAW" in text and "Exempt from VAT" not in text
        assert "Registered charity: 40% off hire" in text  # a line as issued
