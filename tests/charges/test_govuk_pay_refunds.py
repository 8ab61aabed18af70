"""Refunding an online payment through GOV.UK Pay (casework/refunds.py) against the local stand-in,
which checks each refund request as the published API describes (tests/govuk_pay_stub.py): the
request's exact body, status polling, the finance journal listing each refund once, and every
refusal (pending, too much, the available amount changed meanwhile, a refund in error, bad input,
no online payments)."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from typing import Any
from uuid import UUID

import httpx
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from pydantic import SecretStr
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.settings import Settings
from casework.deps import CaseDeps
from casework.finance_export import journal
from casework.payment_gateway import GovUkPay, ManualPayments, ProviderPayment
from casework.refunds import refresh_refunds, refund_online_payment
from tests.charges.test_govuk_pay import API_KEY, TOTAL, WEBHOOK_SECRET, Client, _invoiced, _start
from tests.govuk_pay_stub import PayStub, running_pay_stub
from venues.charges.models import Invoice, Payment
from vetting.actors import Actor
from vetting.errors import Invalid
from vetting.models import VettingCase

TODAY = dt.date(2027, 1, 5)


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


async def _paid(
    web: Client, session: AsyncSession, seeded: dict[str, Any], stub: PayStub
) -> tuple[Any, UUID, str]:
    token = await _invoiced(web, session, seeded)
    payment_id, back = await _start(web, token, stub)
    stub.finish(payment_id, "success")
    assert (await web.get(back, follow_redirects=False)).status_code in (302, 303)
    payment = (await session.execute(select(Payment))).scalar_one()
    case_id = (await session.execute(select(VettingCase.id))).scalar_one()
    await session.commit()
    assert payment.status == "success" and payment.provider_ref == payment_id
    return case_id, payment.id, payment_id


async def _refund(
    session: AsyncSession,
    provider: Any,
    officer: Actor,
    case_id: Any,
    payment: UUID,
    amount: str,
    reason: str = "The heating failed.",
) -> Payment:
    refund = await refund_online_payment(
        CaseDeps(session), provider, officer, case_id, payment, amount=amount, reason=reason, today=TODAY
    )
    await session.commit()
    return refund


async def test_a_refund_is_sent_polled_and_journalled_once(
    web: Client, session: AsyncSession, seeded: dict[str, Any], pay_stub: PayStub
) -> None:
    case_id, payment, _ = await _paid(web, session, seeded, pay_stub)
    pay = GovUkPay(API_KEY, pay_stub.base_url)
    officer = seeded["officer"]
    first = await _refund(session, pay, officer, case_id, payment, "10.00")
    assert pay_stub.refund_requests[-1] == {"amount": 1000, "refund_amount_available": TOTAL}
    assert (first.status, first.amount_pence, first.refund_of) == ("submitted", -1000, payment)
    assert first.provider_ref in pay_stub.refunds and first.received_on is None
    first_id, first_ref = first.id, str(first.provider_ref)
    invoice = (await session.execute(select(Invoice.id))).scalar_one()
    admin = Actor(id=None, name="admin", role="admin")
    assert [r.type for r in await journal(session, admin, TODAY, TODAY)] == []  # not yet made
    # Submitted refunds count against what is left to refund: the second sends the rest.
    rest = f"{(TOTAL - 1000) / 100:.2f}"
    second = await _refund(session, pay, officer, case_id, payment, rest)
    assert pay_stub.refund_requests[-1] == {"amount": TOTAL - 1000, "refund_amount_available": TOTAL - 1000}
    assert second.status == "submitted"
    with pytest.raises(Invalid) as more:
        await _refund(session, pay, officer, case_id, payment, "0.01")
    assert "at most what is left" in more.value.errors["amount"]
    await session.rollback()

    pay_stub.settle_refund(first_ref, "success")
    deps = CaseDeps(session)
    changed = await refresh_refunds(deps, pay, invoice, today=TODAY)
    await session.commit()
    assert [c.id for c in changed] == [first_id]
    again = await refresh_refunds(deps, pay, invoice, today=TODAY + dt.timedelta(days=1))
    await session.commit()
    assert again == []  # a final status is never asked about or changed again
    rows = await journal(session, admin, TODAY, TODAY + dt.timedelta(days=1))
    refunds = [r for r in rows if r.type == "refund"]
    assert [(r.document, r.net, r.vat_code) for r in refunds] == [("INV-000001", 1000, "T9")]
    assert refunds[0].date == TODAY and "Refund made" in refunds[0].description


async def test_a_refund_in_error_gives_the_amount_back_to_refund(
    web: Client, session: AsyncSession, seeded: dict[str, Any], pay_stub: PayStub
) -> None:
    case_id, payment, _ = await _paid(web, session, seeded, pay_stub)
    pay = GovUkPay(API_KEY, pay_stub.base_url)
    failed = await _refund(session, pay, seeded["officer"], case_id, payment, f"{TOTAL / 100:.2f}")
    pay_stub.settle_refund(str(failed.provider_ref), "error")
    invoice = (await session.execute(select(Invoice.id))).scalar_one()
    await refresh_refunds(CaseDeps(session), pay, invoice, today=TODAY)
    await session.commit()
    await session.refresh(failed)
    assert failed.status == "error" and failed.received_on is None
    admin = Actor(id=None, name="admin", role="admin")
    assert [r for r in await journal(session, admin, TODAY, TODAY) if r.type == "refund"] == []
    retried = await _refund(session, pay, seeded["officer"], case_id, payment, f"{TOTAL / 100:.2f}")
    assert retried.status == "submitted"
    assert pay_stub.refund_requests[-1] == {"amount": TOTAL, "refund_amount_available": TOTAL}


class StaleFigures(GovUkPay):
    """GOV.UK Pay as it stood before a refund made elsewhere (its admin pages) meanwhile."""

    def __init__(self, key: str, base: str, stale: int) -> None:
        super().__init__(key, base)
        self.stale = stale

    async def status(self, provider_ref: str) -> ProviderPayment:
        return replace(await super().status(provider_ref), refund_available=self.stale)


async def test_refusals(
    web: Client, session: AsyncSession, seeded: dict[str, Any], pay_stub: PayStub
) -> None:
    case_id, payment, pay_id = await _paid(web, session, seeded, pay_stub)
    pay = GovUkPay(API_KEY, pay_stub.base_url)
    officer = seeded["officer"]
    for amount, reason, field in (("ten", "x", "amount"), ("0", "x", "amount"), ("1.00", " ", "reason")):
        with pytest.raises(Invalid) as bad:
            await _refund(session, pay, officer, case_id, payment, amount, reason)
        assert field in bad.value.errors
        await session.rollback()
    with pytest.raises(Invalid) as manual:
        await _refund(session, ManualPayments(), officer, case_id, payment, "1.00")
    assert "did not answer" in manual.value.errors["amount"]
    await session.rollback()
    pay_stub.payments[pay_id]["refund_summary"]["status"] = "pending"
    with pytest.raises(Invalid) as pending:
        await _refund(session, pay, officer, case_id, payment, "1.00")
    assert "cannot refund this payment yet" in pending.value.errors["amount"]
    await session.rollback()
    pay_stub.payments[pay_id]["refund_summary"]["status"] = "available"
    assert pay_stub.refund_requests == []  # none of those reached GOV.UK Pay
    # A refund made elsewhere meanwhile: GOV.UK Pay refuses ours (412 P0604), nothing recorded.
    async with httpx.AsyncClient(base_url=pay_stub.base_url) as c:
        made = await c.post(
            f"/v1/payments/{pay_id}/refunds",
            json={"amount": 500},
            headers={"Authorization": f"Bearer {API_KEY}"},
        )
    assert made.status_code == 202
    with pytest.raises(Invalid) as raced:
        await _refund(
            session, StaleFigures(API_KEY, pay_stub.base_url, TOTAL), officer, case_id, payment, "1.00"
        )
    assert "changed meanwhile" in raced.value.errors["amount"]
    await session.rollback()
    assert (412, {"code": "P0604", "description": "Refund amount available mismatch."}) in pay_stub.refused
    assert len((await session.execute(select(Payment))).scalars().all()) == 1
    # Another officer's organisation cannot see the case at all; a hirer may not refund.
    with pytest.raises(Exception, match="only officers"):
        await _refund(session, pay, Actor(id=None, name="hirer", role="applicant"), case_id, payment, "1.00")
    await session.rollback()
    with pytest.raises(Exception, match="payment"):
        await refund_online_payment(
            CaseDeps(session), pay, officer, case_id, UUID(int=7), amount="1.00", reason="x", today=TODAY
        )


async def test_the_stand_in_refuses_refunds_as_the_api_does(pay_stub: PayStub) -> None:
    auth = {"Authorization": f"Bearer {API_KEY}"}
    async with httpx.AsyncClient(base_url=pay_stub.base_url) as c:
        ok = {"amount": 1000, "reference": "INV-1", "description": "x", "return_url": "https://a.example/r"}
        pay_id = (await c.post("/v1/payments", json=ok, headers=auth)).json()["payment_id"]
        url = f"/v1/payments/{pay_id}/refunds"
        assert (await c.post(url, json={"amount": 100})).status_code == 401
        early = await c.post(url, json={"amount": 100}, headers=auth)
        assert (early.status_code, early.json()["code"]) == (400, "P0603")  # not taken yet: pending
        pay_stub.finish(pay_id, "success")
        for body, code in (
            ({}, "P0601"),
            ({"amount": 1.5}, "P0602"),
            ({"amount": True}, "P0602"),
            ({"amount": 0}, "P0602"),
            ({"amount": 100, "reason": "x"}, "P0602"),
            ({"amount": 100, "refund_amount_available": "1000"}, "P0602"),
        ):
            answer = await c.post(url, json=body, headers=auth)
            assert (answer.status_code, answer.json()["code"]) == (400, code), body
        over = await c.post(url, json={"amount": 1001}, headers=auth)
        assert over.json()["code"] == "P0603"
        stale = await c.post(url, json={"amount": 100, "refund_amount_available": 999}, headers=auth)
        assert (stale.status_code, stale.json()["code"]) == (412, "P0604")
        made = await c.post(url, json={"amount": 1000, "refund_amount_available": 1000}, headers=auth)
        assert made.status_code == 202 and made.json()["status"] == "submitted"
        assert pay_stub.payments[pay_id]["refund_summary"]["status"] == "full"
        refund_id = made.json()["refund_id"]
        assert (await c.get(f"{url}/{refund_id}", headers=auth)).json()["amount"] == 1000
        missing = await c.get(f"{url}/nope", headers=auth)
        assert (missing.status_code, missing.json()["code"]) == (404, "P0700")
        unknown = await c.post("/v1/payments/nope/refunds", json={"amount": 1}, headers=auth)
        assert (unknown.status_code, unknown.json()["code"]) == (404, "P0600")


async def test_refunds_through_the_api(
    web: Client, session: AsyncSession, seeded: dict[str, Any], pay_stub: PayStub
) -> None:
    case_id, payment, _ = await _paid(web, session, seeded, pay_stub)
    url = f"/api/v1/applications/{case_id}/payments/{payment}/refunds"
    officer = {"Authorization": f"Bearer {seeded['officer_token']}"}
    too_much = await web.post(url, json={"amount": "1000.00", "reason": "x"}, headers=officer)
    assert too_much.status_code == 422, too_much.text
    assert "at most what is left" in too_much.text
    assert (await web.post(url, json={"amount": "1.00", "reason": "x"})).status_code in (401, 403)
    made = await web.post(url, json={"amount": "12.50", "reason": "The projector failed."}, headers=officer)
    assert made.status_code == 201, made.text
    body = made.json()
    assert (body["amount_pence"], body["status"], body["refund_of"]) == (1250, "submitted", str(payment))
    assert pay_stub.refund_requests == [{"amount": 1250, "refund_amount_available": TOTAL}]
    pay_stub.settle_refund(body["provider_ref"], "success")
    refreshed = await web.post(f"/api/v1/applications/{case_id}/refunds/refresh", headers=officer)
    assert refreshed.status_code == 200, refreshed.text
    assert [(r["status"], r["amount_pence"]) for r in refreshed.json()] == [("success", 1250)]
    assert refreshed.json()[0]["refunded_on"] is not None
