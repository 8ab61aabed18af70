"""Issuing invoices (when a booking is confirmed) and credit notes (when it is cancelled).

An invoice is the case's quote at the moment of confirmation, frozen: its lines are copied into
the invoice row and never recalculated. A credit note gives back a share of what is left of an
invoice, each line credited and rounded on its own (`policies.rate_card.round_pence`), and never
more than the invoice less earlier credit notes.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from policies.rate_card import round_pence, vat_pence
from policies.rate_card_loader import bundled_rate_card, bundled_rate_card_ids
from venues.charges.booking_quote import Priced, case_quote
from venues.charges.models import CreditNote, Deposit, Invoice
from venues.charges.numbering import document_number, next_number
from venues.charges.quote import Line
from venues.models import Room, Venue
from vetting.models import VettingCase


def _line_dict(line: Line) -> dict[str, Any]:
    return {
        "day": line.day.isoformat(),
        "kind": line.kind,
        "description": line.description,
        "net_pence": line.net_pence,
        "vat_code": line.vat_code,
        "vat_pence": line.vat_pence,
    }


def issuer_of(case: VettingCase) -> str:
    """Invoices are numbered per council or partner: the organisation that vets the case."""
    return str(case.provider_id) if case.provider_id else "service"


async def invoice_for_case(session: AsyncSession, case_id: Any) -> Invoice | None:
    return (await session.execute(select(Invoice).where(Invoice.case_id == case_id))).scalar_one_or_none()


def invoice_fields(
    case: VettingCase, priced: Priced, venue: Venue, room: Room, *, today: dt.date, seq: int
) -> dict[str, Any]:
    """The columns of the invoice numbered `seq` for a case and its quote: one definition for the
    invoice issued on confirmation and those issued in bulk (casework/bulk_invoicing.py)."""
    assert priced.quote is not None and priced.card is not None
    q, card = priced.quote, priced.card
    submitted = case.organisation_submitted or {}
    return {
        "issuer": issuer_of(case),
        "seq": seq,
        "number": document_number("invoice", seq),
        "case_id": case.id,
        "issuer_name": venue.owner_name,
        "hirer_name": case.organisation_name,
        "hirer_address": str(submitted.get("address") or ""),
        "reference": case.reference,
        "venue_name": venue.name,
        "room_name": room.name,
        "issued_on": today,
        "due_on": today + dt.timedelta(days=card.payment_terms_days),
        "rate_card_id": card.id,
        "rate_card_version": card.version,
        "category_label": q.category_label,
        "lines": [_line_dict(line) for line in q.lines],
        "net_pence": q.net_pence,
        "vat_pence": q.vat_pence,
        "gross_pence": q.gross_pence,
        "deposit_pence": q.deposit_pence,
        "payment_instructions": card.payment_instructions,
    }


def deposit_fields(
    invoice_id: Any, case: VettingCase, priced: Priced, venue: Venue, *, today: dt.date
) -> dict[str, Any]:
    """The columns of the deposit recorded with an invoice: one definition for the invoice issued
    on confirmation and those issued in bulk (casework/bulk_invoicing.py)."""
    assert priced.quote is not None and priced.card is not None
    return {
        "invoice_id": invoice_id,
        "case_id": case.id,
        "issuer": issuer_of(case),
        "venue_name": venue.name,
        "amount_pence": priced.quote.deposit_pence,
        "collected": priced.card.deposit_collected,
        "recorded_on": today,
    }


async def issue_invoice(session: AsyncSession, case: VettingCase, *, today: dt.date) -> Invoice | None:
    """The case's invoice, issued now if it has none; None when its venue does not charge (or its
    rate card cannot price it: the officer saw that on the case before confirming)."""
    existing = await invoice_for_case(session, case.id)
    if existing is not None:
        return existing
    priced, venue, room = await case_quote(session, case)
    if priced.quote is None or priced.card is None or venue is None or room is None:
        return None
    issuer = issuer_of(case)
    seq = await next_number(session, issuer, "invoice")
    invoice = Invoice(**invoice_fields(case, priced, venue, room, today=today, seq=seq))
    session.add(invoice)
    await session.flush()
    if priced.quote.deposit_pence:
        session.add(Deposit(**deposit_fields(invoice.id, case, priced, venue, today=today)))
        await session.flush()
    return invoice


async def credited_pence(session: AsyncSession, invoice: Invoice) -> int:
    total = await session.scalar(
        select(func.coalesce(func.sum(CreditNote.gross_pence), 0)).where(CreditNote.invoice_id == invoice.id)
    )
    return int(total or 0)


def credit_lines(lines: list[dict[str, Any]], refund_percent: int, limit_pence: int) -> list[dict[str, Any]]:
    """Each line credited by `refund_percent`, rounded per line; trimmed so that the whole never
    exceeds `limit_pence` (what is left of the invoice) and is never below nothing."""
    out: list[dict[str, Any]] = []
    for line in lines:
        net = round_pence(Decimal(int(line["net_pence"])) * refund_percent / 100)
        if net == 0:
            continue
        out.append({**line, "net_pence": net, "vat_pence": vat_pence(net, str(line["vat_code"]))})
    total = sum(line["net_pence"] + line["vat_pence"] for line in out)
    if total <= 0 or limit_pence <= 0:
        return []
    if total > limit_pence:  # per-line rounding (or earlier credits) left less than this
        over = total - limit_pence
        out.append(
            {
                "day": out[-1]["day"],
                "kind": "adjustment",
                "description": "Less: already credited or rounding",
                "net_pence": -over,
                "vat_code": "exempt",
                "vat_pence": 0,
            }
        )
    return out


async def issue_credit_note(
    session: AsyncSession, invoice: Invoice, *, refund_percent: int, reason: str, today: dt.date
) -> CreditNote | None:
    """Credit `refund_percent` of the invoice's lines (100: everything left). None when nothing
    is left to credit or the share is nothing."""
    left = invoice.gross_pence - await credited_pence(session, invoice)
    lines = credit_lines(list(invoice.lines), refund_percent, left)
    return await _credit(session, invoice, lines, reason, today)


async def _credit(
    session: AsyncSession, invoice: Invoice, lines: list[dict[str, Any]], reason: str, today: dt.date
) -> CreditNote | None:
    if not lines:
        return None
    seq = await next_number(session, invoice.issuer, "credit_note")
    note = CreditNote(
        issuer=invoice.issuer,
        seq=seq,
        number=document_number("credit_note", seq),
        invoice_id=invoice.id,
        issued_on=today,
        reason=reason,
        lines=lines,
        net_pence=sum(line["net_pence"] for line in lines),
        vat_pence=sum(line["vat_pence"] for line in lines),
        gross_pence=sum(line["net_pence"] + line["vat_pence"] for line in lines),
    )
    session.add(note)
    await session.flush()
    return note


async def credit_notes_for(session: AsyncSession, invoice_id: Any) -> list[CreditNote]:
    rows = await session.execute(
        select(CreditNote).where(CreditNote.invoice_id == invoice_id).order_by(CreditNote.seq)
    )
    return list(rows.scalars())


async def credited_days(session: AsyncSession, invoice: Invoice) -> frozenset[str]:
    """The dates (ISO) a credit note has already settled: never credited a second time."""
    return frozenset(
        str(line["day"])
        for note in await credit_notes_for(session, invoice.id)
        for line in note.lines
        if line.get("kind") != "adjustment"
    )


def _fee_percent(invoice: Invoice, notice: int) -> int:
    card_id = invoice.rate_card_id
    return (
        bundled_rate_card(card_id).cancellation_fee_percent(notice)
        if card_id in bundled_rate_card_ids()
        else 0
    )


def _days(n: int) -> str:
    return f"{n} day{'' if n == 1 else 's'}"


def cancellation_refund(
    invoice: Invoice, today: dt.date, *, by_council: bool, settled: frozenset[str] = frozenset()
) -> tuple[int, int, str]:
    """What a cancellation today gives back: (refund percent, days' notice, the reason in words).

    The council cancelling never charges a fee; a hirer withdrawing pays the rate card's fee for
    the notice given before the first date still to come (dates already past, or `settled` by
    an earlier credit note, are not credited)."""
    future = sorted(d for d in _days_left(invoice, today) if d not in settled)
    notice = (dt.date.fromisoformat(future[0]) - today).days if future else 0
    if by_council:
        return 100, notice, "Cancelled by the council: no cancellation fee"
    fee = _fee_percent(invoice, notice)
    if fee == 0:
        return 100, notice, f"Withdrawn by the hirer with {_days(notice)}' notice: no cancellation fee"
    fee_words = f"cancellation fee of {fee}% of the charges"
    return 100 - fee, notice, f"Withdrawn by the hirer with {_days(notice)}' notice: {fee_words}"


def _days_left(invoice: Invoice, today: dt.date) -> set[str]:
    return {str(line["day"]) for line in invoice.lines if line["day"] >= today.isoformat()}


def date_refund(invoice: Invoice, day: dt.date, today: dt.date, *, by_council: bool) -> tuple[int, int, str]:
    """What cancelling one date of a series gives back: (refund percent, days' notice, reason).
    The fee (a hirer's withdrawal only) is the rate card's for the notice given before that date."""
    notice = max((day - today).days, 0)
    when = f"{day:%A %-d %B %Y}"
    if by_council:
        return 100, notice, f"{when} cancelled by the council: no cancellation fee"
    fee = _fee_percent(invoice, notice)
    words = "no cancellation fee" if fee == 0 else f"cancellation fee of {fee}% of its charges"
    return 100 - fee, notice, f"{when} withdrawn by the hirer with {_days(notice)}' notice: {words}"


async def credit_cancellation(
    session: AsyncSession, invoice: Invoice, *, today: dt.date, by_council: bool
) -> CreditNote | None:
    """Credit the dates still to come of a cancelled booking, less any cancellation fee."""
    settled = await credited_days(session, invoice)
    refund, _, reason = cancellation_refund(invoice, today, by_council=by_council, settled=settled)
    left = invoice.gross_pence - await credited_pence(session, invoice)
    future = [
        line for line in invoice.lines if line["day"] >= today.isoformat() and line["day"] not in settled
    ]
    lines = credit_lines(future, refund, left)
    return await _credit(session, invoice, lines, reason, today)


async def credit_dates(
    session: AsyncSession, invoice: Invoice, days: list[dt.date], *, today: dt.date, by_council: bool
) -> CreditNote | None:
    """One credit note for dates of a series cancelled while the rest goes ahead: each date's
    lines, less the fee for the notice given before it when the hirer withdrew it. Dates
    already credited, or on no line of the invoice, give nothing."""
    settled = await credited_days(session, invoice)
    left = invoice.gross_pence - await credited_pence(session, invoice)
    lines: list[dict[str, Any]] = []
    reasons: list[str] = []
    for day in sorted(set(days)):
        iso = day.isoformat()
        if iso in settled:
            continue
        refund, _, reason = date_refund(invoice, day, today, by_council=by_council)
        credited = credit_lines([line for line in invoice.lines if line["day"] == iso], refund, left)
        if credited:
            left -= sum(line["net_pence"] + line["vat_pence"] for line in credited)
            lines.extend(credited)
            reasons.append(reason)
    reason = reasons[0] if len(reasons) == 1 else f"{len(reasons)} dates: " + "; ".join(reasons)
    return await _credit(session, invoice, lines, reason, today)
