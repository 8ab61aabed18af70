"""Paying an invoice online from the status page (GOV.UK Pay when it is set up), the return from
the provider's pages, and the provider's signed webhook."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Response, get, post
from litestar.response import Redirect
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.actor import PUBLIC, roles
from api.settings import Settings
from api.web.common import WEB_EXCEPTION_HANDLERS, AnyRequest, csrf_guard, redirect, settings_of
from api.web.i18n import current_language
from casework.charging import local_today
from casework.online_payments import apply_provider_status, payment_returned, start_online_payment
from casework.payment_gateway import (
    GovUkPay,
    ManualPayments,
    PaymentProvider,
    PaymentUnavailable,
    provider_payment,
    signature_ok,
)
from casework.workflow import Workflow
from vetting.errors import Invalid


def payment_provider(settings: Settings) -> PaymentProvider:
    """The provider the settings choose; without a key, GOV.UK Pay is not offered."""
    key = settings.govuk_pay_api_key
    if settings.payments_provider == "govuk_pay" and key is not None:
        return GovUkPay(key.get_secret_value(), settings.govuk_pay_base_url)
    return ManualPayments()


class PayController(Controller):
    path = "/status"
    guards = [csrf_guard]
    exception_handlers = WEB_EXCEPTION_HANDLERS
    include_in_schema = False

    @post("/{token:str}/pay", opt=roles(PUBLIC), name="hirer_pay")
    async def pay(
        self, request: AnyRequest, token: str, workflow: Workflow, db_session: AsyncSession
    ) -> Redirect:
        settings = settings_of(request)
        try:
            next_url = await start_online_payment(
                workflow,
                payment_provider(settings),
                token,
                return_base=settings.base_url,
                language=current_language(),  # GOV.UK Pay's pages in the language the hirer reads
            )
        except (PaymentUnavailable, Invalid):
            await db_session.rollback()
            return redirect(f"/status/{token}?done=pay_unavailable#invoice")
        await db_session.commit()
        return Redirect(path=next_url, status_code=303)

    @get("/{token:str}/paid", opt=roles(PUBLIC), name="hirer_paid")
    async def paid(
        self, request: AnyRequest, token: str, workflow: Workflow, db_session: AsyncSession, payment: str = ""
    ) -> Redirect:
        """GOV.UK Pay's return URL (``?payment=`` our payment's id): ask how the payment ended."""
        try:
            payment_id = UUID(payment)
        except ValueError:
            return redirect(f"/status/{token}#invoice")
        try:
            returned = await payment_returned(
                workflow, payment_provider(settings_of(request)), token, payment_id, today=local_today()
            )
        except PaymentUnavailable:
            await db_session.rollback()
            return redirect(f"/status/{token}?done=pay_unknown#invoice")
        status = returned.status  # read before the commit expires the row
        await db_session.commit()
        outcome = {"success": "paid", "failed": "pay_failed", "cancelled": "pay_failed"}.get(
            status, "pay_unknown"
        )
        return redirect(f"/status/{token}?done={outcome}#invoice")


class PayWebhookController(Controller):
    path = "/api/v1/payments"
    exception_handlers = WEB_EXCEPTION_HANDLERS
    include_in_schema = False

    @post("/govuk-pay/webhook", opt=roles(PUBLIC), name="govuk_pay_webhook", status_code=200)
    async def webhook(
        self, request: AnyRequest, workflow: Workflow, db_session: AsyncSession
    ) -> Response[Any]:
        settings = settings_of(request)
        secret = settings.govuk_pay_webhook_secret
        body = await request.body()
        if secret is None or not signature_ok(
            body, request.headers.get("Pay-Signature"), secret.get_secret_value()
        ):
            # 400, not 401: the sender is not a caller who could sign in; the message is not one we accept.
            return Response({"error": "the signature does not match"}, status_code=400)
        try:
            message = await request.json()
            resource = message["resource"]
            if message.get("resource_type") != "payment":
                return Response({"ignored": True})
            state = provider_payment(resource)
        except (ValueError, KeyError, TypeError):
            return Response({"error": "not a payment event"}, status_code=400)
        payment = await apply_provider_status(workflow, state, today=local_today())
        await db_session.commit()
        return Response({"recorded": payment is not None})
