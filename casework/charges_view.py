"""What pages show of a case's money: its quote before confirmation, then its invoice, credit
notes and payments, and what withdrawing now would give back. Amounts stay in pence (the pages'
``pounds`` filter writes them); dates stay dates (``long_date``)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from policies.rate_card import VAT_WORDS
from venues.charges.booking_quote import Priced, case_quote
from venues.charges.invoicing import cancellation_refund, credit_lines, credit_notes_for, credited_pence
from venues.charges.models import Invoice, Payment
from venues.charges.quote import Quote
from vetting.lifecycle import CaseStatus
from vetting.models import VettingCase


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
        "has_vat": any(line["vat_pence"] for line in invoice.lines),
        "payment_instructions": invoice.payment_instructions,
    }


async def case_charges(session: AsyncSession, case: VettingCase, *, today: dt.date) -> dict[str, Any] | None:
    """Everything about the money of one case, or None when its venue does not charge."""
    invoice = (await session.execute(select(Invoice).where(Invoice.case_id == case.id))).scalar_one_or_none()
    if invoice is None:
        submitted = case.organisation_submitted or {}
        priced, _, _ = await case_quote(session, case.id, str(submitted.get("type") or ""))
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
    withdraw = None
    if case.status == CaseStatus.CONFIRMED:
        refund, notice, reason = cancellation_refund(invoice, today, by_council=False)
        future = [line for line in invoice.lines if line["day"] >= today.isoformat()]
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
        "balance": invoice.gross_pence - credited - paid,
        "withdraw": withdraw,
    }


async def invoice_by_case(session: AsyncSession, case_id: UUID) -> Invoice | None:
    return (await session.execute(select(Invoice).where(Invoice.case_id == case_id))).scalar_one_or_none()
