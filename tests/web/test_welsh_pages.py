"""The rest of the public pages in Welsh (issue 18 item 4): the accessibility statement, the
lost-link form's errors, the status page's price, invoice and withdrawal terms, the hirer's invoice,
the policy questions' errors, and why dates cannot be booked (worded by the web layer from what
the venues package hands over). English stays as it was beside each Welsh check."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pyotp
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from api.web import i18n
from api.web.booking.not_free import conflict_reasons
from api.web.booking.question_words import declaration_message, missing_message, wrong_message
from policies import Declaration, Question
from tests.factories import application_payload, approve_and_invoice, next_weekday
from tests.web.sign_in import csrf_of, email_of, password_step, set_totp
from venues.availability import OccurrenceProblem
from venues.booking_plan import DatesNotFree
from venues.conflicts import OWN_SERIES
from venues.models import Venue
from vetting.errors import Conflict

Client = AsyncTestClient[Litestar]


@pytest.fixture(autouse=True)
def english_after() -> Iterator[None]:
    yield
    i18n.set_language("en")


@pytest.fixture
async def web(app: Litestar) -> AsyncIterator[Client]:
    async with AsyncTestClient(app=app, base_url="https://testserver.local") as c:
        yield c


async def test_the_accessibility_statement_in_welsh(web: Client, seeded: dict[str, Any]) -> None:
    page = await web.get("/accessibility?lang=cy")
    assert page.status_code == 200
    assert '<html lang="cy"' in page.text
    assert (
        '<h1 class="govuk-heading-l">Datganiad hygyrchedd ar gyfer Archebu ystafell gan y cyngor</h1>'
        in page.text
    )
    assert "Pa mor hygyrch yw’r gwasanaeth hwn" in page.text
    assert "chwyddo hyd at 400% heb" in page.text  # %% in the msgid, one % on the page
    assert "Paratowyd y datganiad hwn ar Dydd Sul 6 Rhagfyr 2026" in page.text  # Babel's Welsh date
    assert "How accessible this service is" not in page.text
    english = await web.get("/accessibility?lang=en")
    assert "zoom in up to 400% without" in english.text
    assert "not yet available in Welsh" not in english.text


async def test_the_lost_link_errors_in_welsh(web: Client, seeded: dict[str, Any]) -> None:
    start = await web.get("/?lang=cy")
    answer = await web.post(
        "/lost-link", data={"reference": "", "email": "not-an-address", "csrf_token": csrf_of(start.text)}
    )
    assert answer.status_code == 400
    assert '<html lang="cy"' in answer.text
    assert "Rhowch y cyfeirnod archebu o’r e-bost cyntaf a anfonwyd atoch" in answer.text
    assert "Rhowch gyfeiriad e-bost fel enw@example.org" in answer.text
    assert "Enter the booking reference" not in answer.text


async def test_the_price_invoice_and_withdrawal_terms_in_welsh(
    web: Client, session: AsyncSession, seeded: dict[str, Any]
) -> None:
    await session.execute(
        update(Venue).where(Venue.id == seeded["venue"].id).values(rate_card_id="council-halls")
    )
    await session.commit()
    body = application_payload(
        seeded["hall_a"].id, next_weekday(1, weeks_ahead=4), rrule="FREQ=WEEKLY;COUNT=2"
    )
    body["organisation"].update(type="charity", charity_number="1234567")
    created = await web.post("/api/v1/applications", json=body)
    assert created.status_code == 201, created.text
    case = created.json()
    token = case["applicant_token"]

    quoted = (await web.get(f"/status/{token}?lang=cy")).text
    assert ">Pris</h2>" in quoted
    assert "Pob un o’r 2 dyddiad" in quoted and "Cyfanswm i’w dalu" in quoted and "£76.80" in quoted
    assert "Total to pay" not in quoted and "What the booking will cost" not in quoted

    invoice = await approve_and_invoice(web, session, seeded, case)
    status = (await web.get(f"/status/{token}")).text  # the cookie keeps Welsh
    assert f"Gweld anfoneb {invoice.number}</a> neu" in status
    assert "Ar ôl i’w dalu" in status and "Rhif yr anfoneb" in status
    assert "felly nid oes ffi canslo: byddai £76.80 o’ch anfoneb yn cael ei gredydu’n ôl i chi." in status
    assert "Left to pay" not in status and "Withdrawing now" not in status
    html = (await web.get(f"/status/{token}/invoice")).text
    assert f"Anfoneb {invoice.number}</h1>" in html
    assert "Cyfanswm i’w dalu" in html and "Sut i dalu" in html
    assert "How to pay" not in html and "Total to pay" not in html


def test_the_policy_questions_errors_in_welsh() -> None:
    yes_no = Question(id="alcohol", label="Will alcohol be served?", type="yes_no")
    number = Question(id="setup", label="How many minutes do you need to set up?", type="number")
    declaration = Declaration(id="lawful", text="The room will be used only for a lawful purpose.")
    assert missing_message(yes_no) == "Select yes if alcohol will be served"
    i18n.set_language("cy")
    assert missing_message(yes_no) == "Dewiswch ‘Ydy’ neu ‘Na’"
    assert missing_message(number) == "Rhowch rif"
    assert wrong_message(number) == "Rhowch rif, fel 30"
    assert declaration_message(declaration) == "Ticiwch y blwch i gadarnhau’r datganiad hwn"


def test_why_dates_cannot_be_booked_in_welsh() -> None:
    evening = dt.datetime(2027, 2, 18, 19, 0), dt.datetime(2027, 2, 18, 21, 0)
    later = dt.datetime(2027, 2, 25, 19, 0), dt.datetime(2027, 2, 25, 21, 0)
    taken = DatesNotFree(
        [
            OccurrenceProblem(1, *later, "closed", "venue closed (Boiler repairs)", "Boiler repairs"),
            OccurrenceProblem(0, *evening, "conflict", "already booked"),
            OccurrenceProblem(1, *later, "conflict", OWN_SERIES),
        ]
    )
    english = conflict_reasons(taken)
    assert english == [
        "Thu 18 Feb 2027 19:00-21:00: already booked",
        "Thu 25 Feb 2027 19:00-21:00: venue closed (Boiler repairs)",
        "Thu 25 Feb 2027 19:00-21:00: overlaps another occurrence of this series",
    ]
    i18n.set_language("cy")
    assert conflict_reasons(taken) == [
        "Iau 18 Chwef 2027, 7yh i 9yh: wedi’i archebu’n barod",
        "Iau 25 Chwef 2027, 7yh i 9yh: mae’r lleoliad ar gau (Boiler repairs)",
        "Iau 25 Chwef 2027, 7yh i 9yh: yn gorgyffwrdd â dyddiad arall yn y gyfres hon",
    ]
    raced = Conflict("some dates were booked by someone else a moment ago", [])
    assert conflict_reasons(raced) == ["cafodd rhai dyddiadau eu harchebu gan rywun arall eiliad yn ôl"]


def test_the_vat_words_are_all_marked_for_translation() -> None:
    from api.web.i18n_labels import VAT_LABELS
    from policies.rate_card import VAT_WORDS

    assert sorted(VAT_WORDS.values()) == sorted(VAT_LABELS)


def test_the_casework_document_errors_are_all_marked_for_translation() -> None:
    """casework.documents words its field errors in English; the pages translate them with |tr,
    so each must be a msgid. A message changed there and not here fails."""
    import inspect

    import casework.documents
    from api.web.i18n_labels import CASEWORK_DOCUMENT_ERRORS

    source = inspect.getsource(casework.documents)
    import re

    said = set(re.findall(r'errors\["\w+"\] = "([^"]+)"', source))
    said |= set(re.findall(r'\{"kind": "([^"]+)"\}', source))
    assert said == set(CASEWORK_DOCUMENT_ERRORS)


async def test_the_second_sign_in_steps_in_welsh(
    web: Client, session: AsyncSession, seeded: dict[str, Any]
) -> None:
    """The code and enrolment steps follow the sign-in page's language, errors included; the
    account page that shows the same setup steps is a staff page and stays English."""
    await web.get("/login?lang=cy")  # the choice is remembered in the cookie
    enrol_first = await password_step(web, await email_of(session, seeded["manager"]))
    assert enrol_first.headers["location"] == "/login/enrol"
    enrol = await web.get("/login/enrol")
    assert '<html lang="cy"' in enrol.text
    assert "Gosod eich cod diogelwch" in enrol.text and "Cod QR y ddolen osod" in enrol.text
    assert "Yn yr ap, dewiswch ychwanegu cyfrif" in enrol.text and "Defnyddio dolen osod" in enrol.text
    assert "Set up your security code" not in enrol.text and "scan this QR code" not in enrol.text
    empty = await web.post("/login/enrol", data={"code": "", "csrf_token": csrf_of(enrol.text)})
    assert empty.status_code == 400 and "Rhowch y cod 6 digid" in empty.text
    assert "Enter the 6-digit code" not in empty.text

    secret = await set_totp(session, seeded["officer"].id)
    coded = await password_step(web, await email_of(session, seeded["officer"]))
    assert coded.headers["location"] == "/login/code"
    form = await web.get("/login/code")
    assert "Rhowch eich cod diogelwch" in form.text and "Cod diogelwch" in form.text
    assert "Enter your security code" not in form.text and ">Sign in<" not in form.text
    now = pyotp.TOTP(secret).now()
    typo = "000000" if now != "000000" else "111111"
    wrong = await web.post("/login/code", data={"code": typo, "csrf_token": csrf_of(form.text)})
    assert wrong.status_code == 400 and "Nid yw’r cod yn gywir" in wrong.text
    assert "The code is not right" not in wrong.text

    await web.get("/login?lang=en")
    english = await password_step(web, await email_of(session, seeded["officer"]))
    assert english.headers["location"] == "/login/code"
    assert "Enter your security code" in (await web.get("/login/code")).text


async def test_a_character_that_cannot_be_stored_is_named_in_welsh(
    web: Client, seeded: dict[str, Any]
) -> None:
    start = await web.get("/?lang=cy")
    refused = await web.post(
        "/lost-link", data={"reference": "VH\x00", "email": "a@b.example", "csrf_token": csrf_of(start.text)}
    )
    assert refused.status_code == 400
    assert "Mae’r maes ‘reference’ yn cynnwys nod na ellir ei gadw" in refused.text
    assert "contains a character" not in refused.text
