"""Payments staff record against a case's invoice (bank transfer, cheque, card at the desk), and
the invoice a hirer or an officer may open. Staff only record: money is never taken here."""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from sqlalchemy import func, select

from casework.charges_view import case_charges, invoice_by_case, invoice_view
from casework.deps import CaseDeps, case_by_token, get_case
from casework.message_language import language_of
from venues.charges.deposits import due_with_invoice
from venues.charges.invoicing import credited_pence
from venues.charges.models import Invoice, Payment
from vetting.actors import Actor
from vetting.errors import Forbidden, Invalid, NotFound
from vetting.history import record
from vetting.models import VettingCase

STAFF_METHODS = {"bacs": "Bank transfer (BACS)", "cheque": "Cheque", "card_desk": "Card at the desk"}
METHOD_WORDS = {**STAFF_METHODS, "govuk_pay": "Online (GOV.UK Pay)"}
MAX_REFERENCE = 200


async def officer_case_charges(
    deps: CaseDeps, actor: Actor, case_id: UUID, *, today: dt.date
) -> tuple[VettingCase, dict[str, Any] | None]:
    if not actor.is_officer:
        raise Forbidden("only officers see a case's charges")
    case = await get_case(deps, case_id)
    return case, await case_charges(deps.session, case, today=today)


async def _invoice(deps: CaseDeps, case: VettingCase) -> Invoice:
    invoice = await invoice_by_case(deps.session, case.id)
    if invoice is None:
        raise NotFound("this booking has no invoice")
    return invoice


async def officer_invoice(deps: CaseDeps, actor: Actor, case_id: UUID) -> dict[str, Any] | None:
    """The case's invoice; None while it has none (a case the officer may not see: NotFound)."""
    if not actor.is_officer:
        raise Forbidden("only officers see invoices")
    case = await get_case(deps, case_id)
    invoice = await invoice_by_case(deps.session, case.id)
    return invoice_view(invoice) | {"language": language_of(case.language)} if invoice else None


async def hirer_invoice(deps: CaseDeps, token: str) -> dict[str, Any]:
    """The invoice with the language of the request (the PDF, a document to the hirer, is in it)."""
    case = await case_by_token(deps, token)
    return invoice_view(await _invoice(deps, case)) | {"language": language_of(case.language)}


async def paid_pence(deps: CaseDeps, invoice: Invoice) -> int:
    total = await deps.session.scalar(
        select(func.coalesce(func.sum(Payment.amount_pence), 0)).where(
            Payment.invoice_id == invoice.id, Payment.status == "success"
        )
    )
    return int(total or 0)


def parse_pounds(text: str) -> int | None:
    """ "12.50", "£12.50", "12" -> pence; None when it is not an amount of money."""
    cleaned = (text or "").strip().removeprefix("£").replace(",", "")
    whole, _, part = cleaned.partition(".")
    if not whole.isdigit() or (part and (not part.isdigit() or len(part) > 2)):
        return None
    return int(whole) * 100 + int(part.ljust(2, "0") or 0)


async def record_payment(
    deps: CaseDeps,
    actor: Actor,
    case_id: UUID,
    *,
    method: str,
    amount: str,
    reference: str,
    received_on: dt.date,
) -> Payment:
    """Record money received against the case's invoice; at most what is left to pay."""
    if not actor.is_officer:
        raise Forbidden("only officers record payments")
    case = await get_case(deps, case_id)
    invoice = await invoice_by_case(deps.session, case.id)
    if invoice is None:
        raise Invalid("this booking has no invoice", {"amount": "there is no invoice to pay yet"})
    errors: dict[str, str] = {}
    if method not in STAFF_METHODS:
        errors["method"] = "choose how it was paid"
    pence = parse_pounds(amount)
    left = (
        invoice.gross_pence
        + await due_with_invoice(deps.session, invoice)
        - await credited_pence(deps.session, invoice)
        - await paid_pence(deps, invoice)
    )
    if pence is None or pence <= 0:
        errors["amount"] = "enter the amount received in pounds, such as 48.00"
    elif pence > left:
        errors["amount"] = f"at most what is left to pay ({left / 100:.2f} pounds)"
    ref = (reference or "").strip()
    if len(ref) > MAX_REFERENCE:
        errors["reference"] = f"at most {MAX_REFERENCE} characters"
    if errors:
        raise Invalid("the payment could not be recorded", errors)
    assert pence is not None
    payment = Payment(
        invoice_id=invoice.id,
        method=method,
        amount_pence=pence,
        status="success",
        reference=ref,
        received_on=received_on,
        recorded_by=actor.name,
    )
    deps.session.add(payment)
    await deps.session.flush()
    await record(deps.session, case, actor, "payment_recorded", {"invoice": invoice.number, "pence": pence})
    return payment
