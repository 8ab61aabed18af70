"""The finance journal: every invoice line, credit-note line and payment of a period, for upload
to the council's finance system (CSV), of the caller's organisation only.

Each row carries the venue's cost code (from the venue's rate card: ``venue_cost_codes``, else
the card's ``cost_code``) and the line's VAT code in the Sage-style T codes most council ledgers
import: T1 standard (20%), T5 reduced (5%), T0 zero-rated, T2 exempt; payments are T9 (outside
the scope of VAT). Amounts are signed pence written as pounds: invoices positive, credit notes
and payments negative against the hirer's account; a refund (a payment row with a negative
amount, casework/refunds.py) is positive, once, on the day it succeeded.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from policies.rate_card_loader import bundled_rate_card, bundled_rate_card_ids
from venues.charges.models import CreditNote, Deposit, Invoice, Payment
from vetting.actors import Actor
from vetting.errors import Forbidden, Invalid

VAT_CODES = {"standard": "T1", "reduced": "T5", "zero": "T0", "exempt": "T2"}
OUTSIDE_SCOPE = "T9"
COLUMNS = (
    "date",
    "type",
    "document",
    "booking_reference",
    "customer",
    "venue",
    "cost_code",
    "description",
    "net",
    "vat_code",
    "vat",
    "gross",
)
MAX_DAYS = 400


@dataclass(frozen=True)
class JournalRow:
    date: dt.date
    type: str  # invoice, credit_note, payment, refund, deposit, deposit_refund
    document: str
    booking_reference: str
    customer: str
    venue: str
    cost_code: str
    description: str
    net: int
    vat_code: str
    vat: int

    def cells(self) -> list[str]:
        return [
            self.date.isoformat(),
            self.type,
            self.document,
            self.booking_reference,
            self.customer,
            self.venue,
            self.cost_code,
            self.description,
            _money(self.net),
            self.vat_code,
            _money(self.vat),
            _money(self.net + self.vat),
        ]


def _money(pence: int) -> str:
    sign = "-" if pence < 0 else ""
    return f"{sign}{abs(pence) // 100}.{abs(pence) % 100:02d}"


def cost_code(invoice: Invoice) -> str:
    if invoice.rate_card_id not in bundled_rate_card_ids():
        return ""
    card = bundled_rate_card(invoice.rate_card_id)
    return card.venue_cost_codes.get(invoice.venue_name, card.cost_code)


def _scope(actor: Actor) -> Any:
    if not actor.is_officer:
        raise Forbidden("only officers export the finance journal")
    if actor.is_service_admin:
        return True
    return Invoice.issuer == str(actor.provider_id)


async def journal(session: AsyncSession, actor: Actor, start: dt.date, end: dt.date) -> list[JournalRow]:
    if end < start or (end - start).days > MAX_DAYS:
        raise Invalid("choose a period of at most 400 days", {"end": "must be on or after the start"})
    scope = _scope(actor)
    rows: list[JournalRow] = []
    invoices = (
        await session.execute(
            select(Invoice)
            .where(scope, Invoice.issued_on >= start, Invoice.issued_on <= end)
            .order_by(Invoice.seq)
        )
    ).scalars()
    for inv in invoices:
        code = cost_code(inv)
        for line in inv.lines:
            rows.append(_row(inv, inv.issued_on, "invoice", inv.number, code, line, 1))
    notes = await session.execute(
        select(CreditNote, Invoice)
        .join(Invoice, Invoice.id == CreditNote.invoice_id)
        .where(scope, CreditNote.issued_on >= start, CreditNote.issued_on <= end)
        .order_by(CreditNote.seq)
    )
    for note, inv in notes.all():
        code = cost_code(inv)
        for line in note.lines:
            rows.append(_row(inv, note.issued_on, "credit_note", note.number, code, line, -1))
    payments = await session.execute(
        select(Payment, Invoice)
        .join(Invoice, Invoice.id == Payment.invoice_id)
        .where(scope, Payment.status == "success", Payment.received_on >= start, Payment.received_on <= end)
        .order_by(Payment.received_on, Payment.created_at)
    )
    for pay, inv in payments.all():
        refund = pay.refund_of is not None
        words = "Refund made" if refund else "Payment received"
        rows.append(
            JournalRow(
                pay.received_on or start,
                "refund" if refund else "payment",
                inv.number,
                inv.reference,
                inv.hirer_name,
                inv.venue_name,
                cost_code(inv),
                f"{words} ({pay.method}){': ' + pay.reference if pay.reference else ''}",
                -pay.amount_pence,
                OUTSIDE_SCOPE,
                0,
            )
        )
    rows.extend(await _deposit_rows(session, scope, start, end))
    rows.sort(key=lambda r: (r.date, r.type != "invoice", r.document))
    return rows


async def _deposit_rows(session: AsyncSession, scope: Any, start: dt.date, end: dt.date) -> list[JournalRow]:
    """Deposits charged in the period (held for the hirer, outside the scope of VAT) and deposits
    refunded in it, the part kept named in the description."""
    rows: list[JournalRow] = []
    charged = await session.execute(
        select(Deposit, Invoice)
        .join(Invoice, Invoice.id == Deposit.invoice_id)
        .where(scope, Deposit.recorded_on >= start, Deposit.recorded_on <= end)
    )
    for dep, inv in charged.all():
        how = "with the invoice" if dep.collected == "invoice" else "asked for separately"
        rows.append(
            _deposit_row(
                inv, dep.recorded_on, "deposit", f"Refundable damage deposit ({how})", dep.amount_pence
            )
        )
    settled = await session.execute(
        select(Deposit, Invoice)
        .join(Invoice, Invoice.id == Deposit.invoice_id)
        .where(scope, Deposit.settled_on >= start, Deposit.settled_on <= end)
    )
    for dep, inv in settled.all():
        refunded = dep.refunded_pence or 0
        kept = dep.amount_pence - refunded
        words = "Deposit refunded" + (f"; {kept / 100:.2f} kept: {dep.reason}" if kept else " in full")
        assert dep.settled_on is not None
        rows.append(_deposit_row(inv, dep.settled_on, "deposit_refund", words, -refunded))
    return rows


def _deposit_row(inv: Invoice, day: dt.date, kind: str, words: str, pence: int) -> JournalRow:
    return JournalRow(
        day,
        kind,
        inv.number,
        inv.reference,
        inv.hirer_name,
        inv.venue_name,
        cost_code(inv),
        words,
        pence,
        OUTSIDE_SCOPE,
        0,
    )


def _row(
    inv: Invoice, day: dt.date, kind: str, number: str, code: str, line: dict[str, Any], sign: int
) -> JournalRow:
    return JournalRow(
        day,
        kind,
        number,
        inv.reference,
        inv.hirer_name,
        inv.venue_name,
        code,
        f"{line['day']}: {line['description']}",
        sign * int(line["net_pence"]),
        VAT_CODES[str(line["vat_code"])],
        sign * int(line["vat_pence"]),
    )


def journal_csv(rows: list[JournalRow]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        # A cell a spreadsheet would read as a formula is written as text.
        writer.writerow([f"'{c}" if c[:1] in ("=", "+", "@") else c for c in row.cells()])
    return out.getvalue()
