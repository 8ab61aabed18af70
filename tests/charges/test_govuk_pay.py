"""Paying online through GOV.UK Pay's create / return / status flow and its webhooks, against the
local stand-in that checks every request as the published API describes (tests/govuk_pay_stub.py):
success, the payer cancelling, a failure, a webhook replayed, a webhook with a bad signature."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlparse

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from pydantic import SecretStr
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from api.settings import Settings
from casework.payment_gateway import signature_ok
from tests.factories import application_payload, bearer, next_weekday
from tests.govuk_pay_stub import PayStub, running_pay_stub
from tests.web.sign_in import csrf_of
from venues.charges.models import Payment
from venues.models import Venue

Client = AsyncTestClient[Litestar]
API_KEY = "api_test_k3y-for-the-stand-in"
WEBHOOK_SECRET = "webhook_test_s3cret"
JSON = {"Content-Type": "application/json"}  # as GOV.UK Pay sends its webhooks
TOTAL = 3840  # one date: 2 hours of peak hire at £32.00, less 40% for a registered charity


@pytest.fixture
def pay_stub() -> Iterator[PayStub]:
    with running_pay_stub(API_KEY) as stub:
        yield stub


@pytest.fixture
def settings(settings: Settings, pay_stub: PayStub) -> Settings:
    return settings.model_copy(
        update={
            "payments_provider": "govuk_pay",
            "govuk_pay_api_key": SecretStr(API_KEY),
            "govuk_pay_base_url": pay_stub.base_url,
            "govuk_pay_webhook_secret": SecretStr(WEBHOOK_SECRET),
        }
    )


@pytest.fixture
async def web(app: Litestar) -> AsyncIterator[Client]:
    async with AsyncTestClient(app=app, base_url="https://testserver.local") as c:
        yield c


async def _invoiced(web: Client, session: AsyncSession, seeded: dict[str, Any]) -> str:
    await session.execute(
        update(Venue).where(Venue.id == seeded["venue"].id).values(rate_card_id="council-halls")
    )
    await session.commit()
    body = application_payload(
        seeded["hall_a"].id, next_weekday(1, weeks_ahead=4), organisation="Testtown Choir"
    )
    body["organisation"].update(type="charity", charity_number="1234567")
    case = (await web.post("/api/v1/applications", json=body)).json()
    decided = await web.post(
        f"/api/v1/applications/{case['id']}/decision",
        json={"outcome": "approve", "reason": "ok", "conditions": []},
        headers=bearer(seeded["officer_token"]),
    )
    assert decided.status_code == 200, decided.text
    return str(case["applicant_token"])


async def _start(web: Client, token: str, stub: PayStub) -> tuple[str, str]:
    status = await web.get(f"/status/{token}")
    assert f"Pay £{TOTAL / 100:.2f} online" in status.text
    sent = await web.post(
        f"/status/{token}/pay", data={"csrf_token": csrf_of(status.text)}, follow_redirects=False
    )
    assert sent.status_code == 303, sent.text
    (payment_id,) = [p for p in stub.payments if sent.headers["location"] == f"{stub.base_url}/secure/{p}"]
    request = stub.accepted[-1]
    assert request["language"] == "en"  # the status page was read in English
    assert request["description"].startswith("Room hire, booking ")
    assert request["amount"] == TOTAL
    assert request["reference"] == "INV-000001"
    back = urlparse(request["return_url"])
    assert back.path == f"/status/{token}/paid"  # the service's own address (BASE_URL)
    assert back.query.startswith("payment=")
    return payment_id, f"{back.path}?{back.query}"


async def _payments(session: AsyncSession) -> list[tuple[str, int]]:
    rows = (await session.execute(select(Payment.status, Payment.amount_pence))).all()
    await session.commit()  # end the read: on SQLite every transaction takes the write lock
    return [(s, a) for s, a in rows]


async def test_success_then_a_replayed_webhook_records_one_payment(
    web: Client, session: AsyncSession, seeded: dict[str, Any], pay_stub: PayStub
) -> None:
    token = await _invoiced(web, session, seeded)
    payment_id, back = await _start(web, token, pay_stub)
    assert await _payments(session) == [("created", TOTAL)]
    pay_stub.finish(payment_id, "success")
    returned = await web.get(back, follow_redirects=False)
    assert returned.headers["location"] == f"/status/{token}?done=paid#invoice"
    body, signature = pay_stub.webhook(payment_id, WEBHOOK_SECRET)
    for _ in range(3):  # GOV.UK Pay retries; each delivery is the same message
        hook = await web.post(
            "/api/v1/payments/govuk-pay/webhook",
            content=body,
            headers={"Pay-Signature": signature, **JSON},
        )
        assert hook.status_code == 200, hook.text
    assert await _payments(session) == [("success", TOTAL)]
    status = await web.get(f"/status/{token}")
    assert "Thank you" not in status.text  # the notice is for the return only
    assert "Pay £" not in status.text  # nothing left to pay
    assert pay_stub.refused == []


async def test_webhook_before_the_return_counts_once(
    web: Client, session: AsyncSession, seeded: dict[str, Any], pay_stub: PayStub
) -> None:
    token = await _invoiced(web, session, seeded)
    payment_id, back = await _start(web, token, pay_stub)
    pay_stub.finish(payment_id, "success")
    body, signature = pay_stub.webhook(payment_id, WEBHOOK_SECRET)
    await web.post(
        "/api/v1/payments/govuk-pay/webhook", content=body, headers={"Pay-Signature": signature, **JSON}
    )
    returned = await web.get(back, follow_redirects=False)
    assert returned.headers["location"].endswith("done=paid#invoice")
    assert await _payments(session) == [("success", TOTAL)]


@pytest.mark.parametrize(("code", "words"), [("P0030", "cancelled by the user"), ("P0010", "rejected")])
async def test_the_payer_cancels_or_the_payment_fails(
    web: Client, session: AsyncSession, seeded: dict[str, Any], pay_stub: PayStub, code: str, words: str
) -> None:
    token = await _invoiced(web, session, seeded)
    payment_id, back = await _start(web, token, pay_stub)
    pay_stub.finish(payment_id, "failed", code)
    assert words in pay_stub.payments[payment_id]["state"]["message"]
    returned = await web.get(back, follow_redirects=False)
    assert returned.headers["location"] == f"/status/{token}?done=pay_failed#invoice"
    assert await _payments(session) == [("failed", TOTAL)]
    status = await web.get(f"/status/{token}?done=pay_failed")
    assert "nothing was taken" in status.text
    assert f"Pay £{TOTAL / 100:.2f} online" in status.text  # still owed: the hirer may try again


async def test_a_webhook_with_a_bad_signature_changes_nothing(
    web: Client, session: AsyncSession, seeded: dict[str, Any], pay_stub: PayStub
) -> None:
    token = await _invoiced(web, session, seeded)
    payment_id, _ = await _start(web, token, pay_stub)
    pay_stub.finish(payment_id, "success")
    body, signature = pay_stub.webhook(payment_id, "somebody-elses-secret")
    for sig in (signature, "", "00" * 32):
        hook = await web.post(
            "/api/v1/payments/govuk-pay/webhook", content=body, headers={"Pay-Signature": sig, **JSON}
        )
        assert hook.status_code == 400
    tampered = body.replace(b'"success"', b'"failed"')
    _, good = pay_stub.webhook(payment_id, WEBHOOK_SECRET)
    hook = await web.post(
        "/api/v1/payments/govuk-pay/webhook", content=tampered, headers={"Pay-Signature": good, **JSON}
    )
    assert hook.status_code == 400
    assert await _payments(session) == [("created", TOTAL)]


def test_signature_check() -> None:
    import hashlib
    import hmac

    body = b'{"resource_type": "payment"}'
    good = hmac.new(b"k", body, hashlib.sha256).hexdigest()
    assert signature_ok(body, good, "k")
    assert signature_ok(body, good.upper(), "k")
    assert not signature_ok(body + b" ", good, "k")
    assert not signature_ok(body, good, "other")
    assert not signature_ok(body, None, "k")
    assert not signature_ok(body, good, "")


async def test_the_stand_in_refuses_what_the_api_refuses(pay_stub: PayStub) -> None:
    import httpx

    async with httpx.AsyncClient(base_url=pay_stub.base_url) as c:
        ok = {"amount": 100, "reference": "INV-1", "description": "x", "return_url": "https://a.example/r"}
        auth = {"Authorization": f"Bearer {API_KEY}"}
        assert (await c.post("/v1/payments", json=ok)).status_code == 401
        assert (await c.post("/v1/payments", json=ok, headers=auth)).status_code == 201
        for language in ("en", "cy"):
            made = await c.post("/v1/payments", json={**ok, "language": language}, headers=auth)
            assert made.status_code == 201 and made.json()["language"] == language
        for bad in (
            {**ok, "amount": 1.5},
            {**ok, "amount": 0},
            {**ok, "amount": True},
            {**ok, "colour": "red"},
            {**ok, "language": "fr"},
            {**ok, "language": "CY"},
        ):
            answer = await c.post("/v1/payments", json=bad, headers=auth)
            assert answer.status_code == 400 and answer.json()["code"] == "P0102"
        missing = {k: v for k, v in ok.items() if k != "return_url"}
        answer = await c.post("/v1/payments", json=missing, headers=auth)
        assert answer.json()["code"] == "P0101"


async def test_a_hirer_reading_welsh_pays_on_welsh_pages(
    web: Client, session: AsyncSession, seeded: dict[str, Any], pay_stub: PayStub
) -> None:
    """GOV.UK Pay's pages come in English or Welsh (`language`, "en" or "cy"): a hirer paying
    from the status page in Welsh is sent to Welsh ones, with the payment described in Welsh."""
    token = await _invoiced(web, session, seeded)
    status = await web.get(f"/status/{token}?lang=cy")
    assert '<html lang="cy"' in status.text
    sent = await web.post(
        f"/status/{token}/pay", data={"csrf_token": csrf_of(status.text)}, follow_redirects=False
    )
    assert sent.status_code == 303, sent.text
    request = pay_stub.accepted[-1]
    assert request["language"] == "cy"
    assert request["description"].startswith("Llogi ystafell, archeb ")
    assert pay_stub.refused == []
