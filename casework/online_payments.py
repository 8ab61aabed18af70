"""Paying an invoice online: start a payment with the provider, learn its outcome when the payer
comes back (the return URL) or when the provider says so (a signed webhook).

A payment is one row per provider payment, unique on the provider's id (``provider_ref``), and
once it has a final status it never changes again: a replayed webhook, or a webhook and a
return for the same payment, record it once.
"""

from __future__ import annotations

import datetime as dt
from uuid import UUID

from sqlalchemy import select

from casework.charges_view import invoice_by_case
from casework.deps import CaseDeps, case_by_token
from casework.message_language import gettext, language_of
from casework.payment_gateway import FINISHED, PaymentProvider, PaymentUnavailable, ProviderPayment
from casework.payments import paid_pence
from venues.charges.deposits import due_with_invoice
from venues.charges.invoicing import credited_pence
from venues.charges.models import Payment
from vetting.errors import Invalid, NotFound

ONLINE_METHOD = "govuk_pay"


async def start_online_payment(
    deps: CaseDeps, provider: PaymentProvider, token: str, *, return_base: str, language: str | None = None
) -> str:
    """Create the payment of what is left to pay; the address to send the payer to. The provider's
    pages and the payment's description are in `language` (the page the hirer pays from), else in
    the language the request was made in."""
    if not provider.online:
        raise PaymentUnavailable("online payment is not set up")
    case = await case_by_token(deps, token)
    lang = language_of(language or case.language)
    invoice = await invoice_by_case(deps.session, case.id)
    if invoice is None:
        raise NotFound("this booking has no invoice")
    left = (
        invoice.gross_pence
        + await due_with_invoice(deps.session, invoice)
        - await credited_pence(deps.session, invoice)
        - await paid_pence(deps, invoice)
    )
    if left <= 0:
        raise Invalid("there is nothing left to pay", {"pay": "nothing is left to pay"})
    payment = Payment(
        invoice_id=invoice.id,
        method=ONLINE_METHOD,
        amount_pence=left,
        status="created",
        reference=invoice.number,
    )
    deps.session.add(payment)
    await deps.session.flush()
    made = await provider.create(
        amount=left,
        reference=invoice.number,
        description=gettext("Room hire, booking %(reference)s", lang) % {"reference": invoice.reference},
        return_url=f"{return_base.rstrip('/')}/status/{token}/paid?payment={payment.id}",
        language=lang,
    )
    payment.provider_ref = made.provider_ref
    payment.status = made.status
    await deps.session.flush()
    if not made.next_url:
        raise PaymentUnavailable("the provider gave no page to pay on")
    return made.next_url


async def payment_returned(
    deps: CaseDeps, provider: PaymentProvider, token: str, payment_id: UUID, *, today: dt.date
) -> Payment:
    """The payer is back from the provider's pages: ask the provider how it ended."""
    case = await case_by_token(deps, token)
    invoice = await invoice_by_case(deps.session, case.id)
    payment = await deps.session.get(Payment, payment_id)
    if invoice is None or payment is None or payment.invoice_id != invoice.id or not payment.provider_ref:
        raise NotFound("no such payment")
    if payment.status in FINISHED:
        return payment
    await apply_provider_status(deps, await provider.status(payment.provider_ref), today=today)
    return payment


async def apply_provider_status(deps: CaseDeps, state: ProviderPayment, *, today: dt.date) -> Payment | None:
    """Record what the provider says of one of our payments; None for a payment we never made.

    The row is locked while it changes (PostgreSQL; SQLite serialises writers), and a final
    status is never overwritten: whichever of the return and the webhook comes second, and any
    replay, changes nothing."""
    payment = (
        await deps.session.execute(
            select(Payment).where(Payment.provider_ref == state.provider_ref).with_for_update()
        )
    ).scalar_one_or_none()
    if payment is None or payment.status in FINISHED:
        return payment
    if state.status == "success" and state.amount != payment.amount_pence:
        payment.status = "error"  # never count money we did not ask for; staff look at it
        payment.reference = f"{payment.reference} (the provider reported {state.amount} pence)"
    else:
        payment.status = state.status
    if payment.status == "success":
        payment.received_on = today
    await deps.session.flush()
    return payment
