"""What pages show of a case's money: its quote before confirmation, then its invoice, credit
notes and payments, and what withdrawing now would give back. Amounts stay in pence (the pages'
``pounds`` filter writes them); dates stay dates (``long_date``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from policies.rate_card import VAT_WORDS
from policies.rate_card_loader import bundled_rate_card, bundled_rate_card_ids
from venues.charges.booking_quote import Priced, case_quote
from venues.charges.deposits import deposit_for_invoice
from venues.charges.invoicing import (
    cancellation_refund,
    credit_lines,
    credit_notes_for,
    credited_days,
    credited_pence,
    date_refund,
)
from venues.charges.models import Deposit, Invoice, Payment
from venues.charges.money import pounds
from venues.charges.quote import Quote
from vetting.lifecycle import CaseStatus
from vetting.models import VettingCase

# A deposit may be refunded once its booking has ended early, or after its last date.
ENDED = (CaseStatus.WITHDRAWN, CaseStatus.CANCELLED)
# While an invoice stands, withdrawing would credit it: the hirer sees how much first.
INVOICED_AND_LIVE = (CaseStatus.AWAITING_ACCEPTANCE, CaseStatus.CONFIRMED)


def last_date(lines: Sequence[dict[str, Any]]) -> dt.date | None:
    days = [str(line["day"]) for line in lines]
    return dt.date.fromisoformat(max(days)) if days else None


def deposit_view(
    deposit: Deposit | None, case: VettingCase, lines: Sequence[dict[str, Any]]
) -> dict[str, Any] | None:
    if deposit is None:
        return None
    last = last_date(lines)
    return {
        "amount": deposit.amount_pence,
        "collected": deposit.collected,
        "recorded_on": deposit.recorded_on,
        "settled_on": deposit.settled_on,
        "refunded": deposit.refunded_pence,
        "kept": deposit.amount_pence - (deposit.refunded_pence or 0) if deposit.settled_on else 0,
        "reason": deposit.reason,
        "settled_by": deposit.settled_by,
        "last_date": last,
        "refundable_from": (last + dt.timedelta(days=1)) if last and case.status not in ENDED else None,
    }


def quote_view(priced: Priced) -> dict[str, Any] | None:
    """A quote as the check page, the case page and the status page show it (None: no charges)."""
    if priced.quote is None:
        return {"problem": priced.problem} if priced.problem else None
    q: Quote = priced.quote
    return {
        "problem": None,
        "card": priced.card.name if priced.card else q.card_id,
        "category": q.category_label,
        "concession_check": q.concession_check,
        "dates": [
            {
                "start": d.start,
                "end": d.end,
                "lines": [
                    _line(line.description, line.net_pence, line.vat_code, line.vat_pence) for line in d.lines
                ],
                "gross": d.gross_pence,
            }
            for d in q.dates
        ],
        "net": q.net_pence,
        "vat": q.vat_pence,
        "gross": q.gross_pence,
        "deposit": q.deposit_pence,
        "has_vat": any(line.vat_pence for line in q.lines),
    }


def _line(description: str, net: int, vat_code: str, vat: int) -> dict[str, Any]:
    return {
        "description": description,
        "net": net,
        "vat": vat,
        "vat_words": VAT_WORDS[vat_code],
        "gross": net + vat,
    }


def deposit_words(invoice: Invoice) -> str:
    """How the invoice's deposit is paid, as the rate card says: with the invoice or separately."""
    if not invoice.deposit_pence:
        return ""
    known = invoice.rate_card_id in bundled_rate_card_ids()
    collected = bundled_rate_card(invoice.rate_card_id).deposit_collected if known else "invoice"
    amount = pounds(invoice.deposit_pence)
    if collected == "separate":
        return (
            f"A refundable damage deposit of {amount} is payable separately:"
            " the venue will ask for it before the date."
        )
    total = pounds(invoice.gross_pence + invoice.deposit_pence)
    return f"A refundable damage deposit of {amount} is payable with this invoice: {total} in all."


def invoice_view(invoice: Invoice) -> dict[str, Any]:
    days: dict[str, list[dict[str, Any]]] = {}
    for line in invoice.lines:
        days.setdefault(line["day"], []).append(
            _line(line["description"], line["net_pence"], line["vat_code"], line["vat_pence"])
        )
    return {
        "id": str(invoice.id),
        "number": invoice.number,
        "issuer_name": invoice.issuer_name,
        "hirer_name": invoice.hirer_name,
        "hirer_address": invoice.hirer_address,
        "reference": invoice.reference,
        "venue": invoice.venue_name,
        "room": invoice.room_name,
        "issued_on": invoice.issued_on,
        "due_on": invoice.due_on,
        "category": invoice.category_label,
        "days": [{"day": dt.date.fromisoformat(day), "lines": lines} for day, lines in days.items()],
        "net": invoice.net_pence,
        "vat": invoice.vat_pence,
        "gross": invoice.gross_pence,
        "deposit": invoice.deposit_pence,
        "deposit_words": deposit_words(invoice),
        "has_vat": any(line["vat_pence"] for line in invoice.lines),
        "payment_instructions": invoice.payment_instructions,
    }


async def case_charges(session: AsyncSession, case: VettingCase, *, today: dt.date) -> dict[str, Any] | None:
    """Everything about the money of one case, or None when its venue does not charge."""
    invoice = (await session.execute(select(Invoice).where(Invoice.case_id == case.id))).scalar_one_or_none()
    if invoice is None:
        priced, _, _ = await case_quote(session, case)
        quote = quote_view(priced)
        return {"quote": quote, "invoice": None} if quote else None
    notes = await credit_notes_for(session, invoice.id)
    payments = list(
        (
            await session.execute(
                select(Payment).where(Payment.invoice_id == invoice.id).order_by(Payment.created_at)
            )
        ).scalars()
    )
    paid = sum(p.amount_pence for p in payments if p.status == "success")
    credited = await credited_pence(session, invoice)
    deposit = await deposit_for_invoice(session, invoice)
    with_invoice = deposit.amount_pence if deposit is not None and deposit.collected == "invoice" else 0
    withdraw = None
    if case.status in INVOICED_AND_LIVE:
        settled = await credited_days(session, invoice)
        refund, notice, reason = cancellation_refund(invoice, today, by_council=False, settled=settled)
        future = [
            line for line in invoice.lines if line["day"] >= today.isoformat() and line["day"] not in settled
        ]
        back = credit_lines(future, refund, invoice.gross_pence - credited)
        withdraw = {
            "refund_percent": refund,
            "notice_days": notice,
            "reason": reason,
            "credit": sum(line["net_pence"] + line["vat_pence"] for line in back),
        }
    return {
        "quote": None,
        "invoice": invoice_view(invoice),
        "credit_notes": [
            {"number": n.number, "issued_on": n.issued_on, "reason": n.reason, "gross": n.gross_pence}
            for n in notes
        ],
        "payments": [
            {
                "method": p.method,
                "amount": p.amount_pence,
                "status": p.status,
                "reference": p.reference,
                "received_on": p.received_on,
            }
            for p in payments
        ],
        "paid": paid,
        "credited": credited,
        "deposit": deposit_view(deposit, case, invoice.lines),
        "balance": invoice.gross_pence + with_invoice - credited - paid,
        "withdraw": withdraw,
    }


async def invoice_by_case(session: AsyncSession, case_id: UUID) -> Invoice | None:
    return (await session.execute(select(Invoice).where(Invoice.case_id == case_id))).scalar_one_or_none()


async def date_withdrawal_terms(
    session: AsyncSession, case: VettingCase, day: dt.date, *, today: dt.date
) -> dict[str, Any] | None:
    """What withdrawing one date would give back, for the hirer to see before confirming; None
    when the booking has no invoice yet (nothing is charged, so nothing is credited)."""
    invoice = await invoice_by_case(session, case.id)
    if invoice is None:
        return None
    refund, notice, reason = date_refund(invoice, day, today, by_council=False)
    settled = await credited_days(session, invoice)
    lines = (
        []
        if day.isoformat() in settled
        else [line for line in invoice.lines if line["day"] == day.isoformat()]
    )
    back = credit_lines(lines, refund, invoice.gross_pence - await credited_pence(session, invoice))
    return {
        "refund_percent": refund,
        "notice_days": notice,
        "reason": reason,
        "charged": sum(line["net_pence"] + line["vat_pence"] for line in lines),
        "credit": sum(line["net_pence"] + line["vat_pence"] for line in back),
    }
