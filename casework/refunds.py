"""Refunding a payment taken online through GOV.UK Pay, fully or in part, with a reason (officers).

A refund is a payment row of its own: method ``govuk_pay_refund``, a negative amount, the payment
it gives money back from (`refund_of`) and GOV.UK Pay's ``refund_id`` as its unique
``provider_ref``. So what a hirer has paid (`casework.payments.paid_pence`, successful rows) nets
off refunds that succeeded, and the finance journal lists each refund once, on the day it
succeeded.

Asking for a refund (`refund_online_payment`):

1. the payment row is locked, so two officers refunding at once take turns;
2. GOV.UK Pay is asked how much it still has to refund (the payment's ``refund_summary``): a
   payment whose refunds are ``pending`` (too soon after it was taken), ``unavailable`` or
   ``full`` is refused with its reason; the amount must be at most what both GOV.UK Pay and our
   own rows say is left;
3. the refund is sent with ``refund_amount_available`` set to GOV.UK Pay's own figure, so a refund
   made meanwhile by another route is refused by GOV.UK Pay (412 ``P0604``) rather than paid twice.

A refund is ``submitted`` until GOV.UK Pay says ``success`` or ``error``: `refresh_refunds` asks it
(the officer's invoice page calls it), and a final status is never overwritten.
"""

from __future__ import annotations

import datetime as dt
from uuid import UUID

from sqlalchemy import func, select

from casework.charges_view import invoice_by_case
from casework.deps import CaseDeps, get_case
from casework.payment_gateway import PaymentProvider, PaymentUnavailable, RefundRefused
from casework.payments import parse_pounds
from venues.charges.models import Invoice, Payment
from vetting.actors import Actor
from vetting.errors import Forbidden, Invalid, NotFound
from vetting.history import record

REFUND_METHOD = "govuk_pay_refund"
FINAL = ("success", "error")
MAX_REASON = 500
REFUSALS = {
    "pending": "GOV.UK Pay cannot refund this payment yet: try again in a day or two",
    "unavailable": "GOV.UK Pay cannot refund this payment",
    "full": "this payment has already been refunded in full",
}


async def refunded_pence(deps: CaseDeps, payment: Payment) -> int:
    """What has gone back, or is on its way back, from a payment (refunds not in error)."""
    total = await deps.session.scalar(
        select(func.coalesce(func.sum(-Payment.amount_pence), 0)).where(
            Payment.refund_of == payment.id, Payment.status != "error"
        )
    )
    return int(total or 0)


async def _online_payment(deps: CaseDeps, invoice: Invoice, payment_id: UUID) -> Payment:
    payment = (
        await deps.session.execute(select(Payment).where(Payment.id == payment_id).with_for_update())
    ).scalar_one_or_none()
    if payment is None or payment.invoice_id != invoice.id:
        raise NotFound("no such payment on this booking's invoice")
    if payment.method != "govuk_pay" or payment.status != "success" or not payment.provider_ref:
        raise Invalid("only a payment taken online can be refunded here", {"amount": "choose a card payment"})
    return payment


async def refund_online_payment(
    deps: CaseDeps,
    provider: PaymentProvider,
    actor: Actor,
    case_id: UUID,
    payment_id: UUID,
    *,
    amount: str,
    reason: str,
    today: dt.date,
) -> Payment:
    """Refund `amount` (pounds, as typed) of an online payment of the case's invoice."""
    if not actor.is_officer:
        raise Forbidden("only officers refund payments")
    case = await get_case(deps, case_id)
    invoice = await invoice_by_case(deps.session, case.id)
    if invoice is None:
        raise NotFound("this booking has no invoice")
    payment = await _online_payment(deps, invoice, payment_id)
    errors: dict[str, str] = {}
    pence = parse_pounds(amount)
    left = payment.amount_pence - await refunded_pence(deps, payment)
    if pence is None or pence <= 0:
        errors["amount"] = "Enter the amount to refund in pounds, such as 48.00"
    elif pence > left:
        errors["amount"] = f"Enter at most what is left of the payment ({left / 100:.2f} pounds)"
    why = (reason or "").strip()
    if not why:
        errors["reason"] = "Enter why the money is refunded"
    elif len(why) > MAX_REASON:
        errors["reason"] = f"Reason must be {MAX_REASON} characters or fewer"
    if errors:
        raise Invalid("the refund could not be made", errors)
    assert pence is not None and payment.provider_ref is not None
    try:
        state = await provider.status(payment.provider_ref)
    except PaymentUnavailable as exc:
        raise Invalid(
            "the refund could not be made", {"amount": "GOV.UK Pay did not answer: try again"}
        ) from exc
    if state.refund_status != "available":
        message = REFUSALS.get(state.refund_status or "", "GOV.UK Pay cannot refund this payment")
        raise Invalid("the refund could not be made", {"amount": message})
    if pence > state.refund_available:
        shown = f"{state.refund_available / 100:.2f}"
        raise Invalid(
            "the refund could not be made", {"amount": f"GOV.UK Pay has at most {shown} pounds to refund"}
        )
    try:
        made = await provider.refund(payment.provider_ref, amount=pence, available=state.refund_available)
    except RefundRefused as exc:
        message = (
            "GOV.UK Pay's figure changed meanwhile (another refund?): look again before refunding"
            if exc.code == "P0604"
            else "GOV.UK Pay refused the refund"
        )
        raise Invalid("the refund could not be made", {"amount": message}) from exc
    except PaymentUnavailable as exc:
        raise Invalid(
            "the refund could not be made", {"amount": "GOV.UK Pay did not answer: try again"}
        ) from exc
    refund = Payment(
        invoice_id=invoice.id,
        method=REFUND_METHOD,
        amount_pence=-pence,
        status=made.status,
        reference=f"Refund of {payment.provider_ref}",
        provider_ref=made.refund_ref,
        refund_of=payment.id,
        reason=why,
        received_on=today if made.status == "success" else None,
        recorded_by=actor.name,
    )
    deps.session.add(refund)
    await deps.session.flush()
    await record(deps.session, case, actor, "refund_requested", {"invoice": invoice.number, "pence": pence})
    return refund


async def refresh_refunds(
    deps: CaseDeps, provider: PaymentProvider, invoice_id: UUID, *, today: dt.date
) -> list[Payment]:
    """Ask GOV.UK Pay how the invoice's submitted refunds stand; a final status never changes.
    A provider that does not answer leaves them submitted, to ask again later."""
    rows = await deps.session.execute(
        select(Payment).where(
            Payment.invoice_id == invoice_id, Payment.method == REFUND_METHOD, Payment.status.not_in(FINAL)
        )
    )
    changed: list[Payment] = []
    for refund in rows.scalars():
        original = await deps.session.get(Payment, refund.refund_of) if refund.refund_of else None
        if original is None or not original.provider_ref or not refund.provider_ref:
            continue
        try:
            state = await provider.refund_status(original.provider_ref, refund.provider_ref)
        except PaymentUnavailable:
            continue
        if state.status != refund.status:
            refund.status = state.status
            if state.status == "success":
                refund.received_on = today
            changed.append(refund)
    await deps.session.flush()
    return changed


async def refresh_case_refunds(
    deps: CaseDeps, provider: PaymentProvider, actor: Actor, case_id: UUID, *, today: dt.date
) -> list[Payment]:
    """Ask GOV.UK Pay about the case's submitted refunds; every refund of the case, oldest first."""
    if not actor.is_officer:
        raise Forbidden("only officers see refunds")
    invoice = await invoice_by_case(deps.session, (await get_case(deps, case_id)).id)
    if invoice is None:
        return []  # no invoice, so no payment and no refund
    await refresh_refunds(deps, provider, invoice.id, today=today)
    rows = await deps.session.execute(
        select(Payment)
        .where(Payment.invoice_id == invoice.id, Payment.method == REFUND_METHOD)
        .order_by(Payment.created_at)
    )
    return list(rows.scalars())
