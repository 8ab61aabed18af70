"""Persistence of charges: invoices, credit notes and the counters that number them.

Numbers run without gaps per council (or partner): the next number comes from a counter row
updated inside the transaction that issues the document, so the row stays locked until that
transaction ends and a rolled-back issue gives its number back (see `venues.charges.numbering`).
Lines are kept as issued (a list of dicts in the row): an invoice never changes after it is
issued; a cancellation gets a credit note.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from advanced_alchemy.base import UUIDAuditBase, UUIDBase
from advanced_alchemy.types import GUID, JsonB
from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column

from vetting.models import VettingCase  # noqa: F401  (the table the invoices refer to)
from vetting.tenancy import Scope, plain, scoped_by


class ChargeCounter(UUIDBase):
    """The last number issued of one kind of document (invoice, credit_note) by one organisation."""

    __tablename__ = "charge_counter"
    __table_args__ = (UniqueConstraint("issuer", "kind", name="uq_charge_counter_issuer_kind"),)

    issuer: Mapped[str] = mapped_column(String(40))  # the provider's id, or "service" without one
    kind: Mapped[str] = mapped_column(String(20))
    last_number: Mapped[int] = mapped_column(Integer, default=0)


class Invoice(UUIDAuditBase):
    """An invoice for one booking, issued when it is confirmed."""

    __tablename__ = "invoice"
    __table_args__ = (
        UniqueConstraint("issuer", "seq", name="uq_invoice_issuer_seq"),
        # The money reports read an organisation's invoices by issue date (migration d19d00000001).
        Index("ix_invoice_issuer_issued_on", "issuer", "issued_on"),
    )

    issuer: Mapped[str] = mapped_column(String(40))
    seq: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(30))
    case_id: Mapped[UUID] = mapped_column(ForeignKey("vetting_case.id", ondelete="RESTRICT"), unique=True)
    issuer_name: Mapped[str] = mapped_column(String(200))
    hirer_name: Mapped[str] = mapped_column(String(300))
    hirer_address: Mapped[str] = mapped_column(Text)
    reference: Mapped[str] = mapped_column(String(20))  # the case's reference, for the hirer
    venue_name: Mapped[str] = mapped_column(String(200))
    room_name: Mapped[str] = mapped_column(String(200))
    issued_on: Mapped[dt.date] = mapped_column(Date)
    due_on: Mapped[dt.date] = mapped_column(Date)
    rate_card_id: Mapped[str] = mapped_column(String(80))
    rate_card_version: Mapped[int] = mapped_column(Integer)
    category_label: Mapped[str] = mapped_column(String(200))
    # per line: day (ISO date), kind, description, net_pence, vat_code, vat_pence
    lines: Mapped[list[dict[str, Any]]] = mapped_column(JsonB)
    net_pence: Mapped[int] = mapped_column(Integer)
    vat_pence: Mapped[int] = mapped_column(Integer)
    gross_pence: Mapped[int] = mapped_column(Integer)
    deposit_pence: Mapped[int] = mapped_column(Integer)
    payment_instructions: Mapped[str] = mapped_column(Text)


class CreditNote(UUIDAuditBase):
    """Money given back against an invoice (a cancellation); never more than what is left of it."""

    __tablename__ = "credit_note"
    __table_args__ = (UniqueConstraint("issuer", "seq", name="uq_credit_note_issuer_seq"),)

    issuer: Mapped[str] = mapped_column(String(40))
    seq: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(30))
    invoice_id: Mapped[UUID] = mapped_column(ForeignKey("invoice.id", ondelete="RESTRICT"), index=True)
    issued_on: Mapped[dt.date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    lines: Mapped[list[dict[str, Any]]] = mapped_column(JsonB)
    net_pence: Mapped[int] = mapped_column(Integer)
    vat_pence: Mapped[int] = mapped_column(Integer)
    gross_pence: Mapped[int] = mapped_column(Integer)


class Payment(UUIDAuditBase):
    """Money received against an invoice: recorded by staff, or taken online through a provider.

    ``provider_ref`` is the provider's own id for the payment (GOV.UK Pay's ``payment_id``): unique,
    so a payment the provider reports twice (a replayed webhook, a return and a webhook for the
    same payment) is recorded once."""

    __tablename__ = "payment"

    invoice_id: Mapped[UUID] = mapped_column(ForeignKey("invoice.id", ondelete="RESTRICT"), index=True)
    method: Mapped[str] = mapped_column(String(20))  # bacs, cheque, card_desk, govuk_pay
    amount_pence: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20))  # created, started, success, failed, cancelled, error
    reference: Mapped[str] = mapped_column(String(200), default="")  # the bank or cheque reference
    provider_ref: Mapped[str | None] = mapped_column(String(100), unique=True, nullable=True)
    received_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    recorded_by: Mapped[str | None] = mapped_column(String(200), nullable=True)  # staff email
    # A refund is a payment row of its own: a negative amount, the payment it gives money back
    # from, and why (casework/refunds.py). GOV.UK Pay's refund_id is its provider_ref.
    # (No foreign key: see migration d19d00000001.)
    refund_of: Mapped[UUID | None] = mapped_column(GUID, nullable=True, index=True)
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)


class Deposit(UUIDAuditBase):
    """A booking's refundable damage deposit, charged with its invoice (or asked for separately,
    as the rate card says) and held until staff settle it after the date: refunded in full, or in
    part with the reason the rest is kept. One settlement ends it."""

    __tablename__ = "deposit"

    invoice_id: Mapped[UUID] = mapped_column(ForeignKey("invoice.id", ondelete="RESTRICT"), unique=True)
    case_id: Mapped[UUID] = mapped_column(ForeignKey("vetting_case.id", ondelete="RESTRICT"))
    issuer: Mapped[str] = mapped_column(String(40), index=True)
    venue_name: Mapped[str] = mapped_column(String(200))
    amount_pence: Mapped[int] = mapped_column(Integer)
    collected: Mapped[str] = mapped_column(String(20))  # invoice, separate
    recorded_on: Mapped[dt.date] = mapped_column(Date)
    refunded_pence: Mapped[int | None] = mapped_column(Integer, nullable=True)
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    settled_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    settled_by: Mapped[str | None] = mapped_column(String(200), nullable=True)


def _invoices_of(s: Scope) -> Any:
    invoice = plain(Invoice)
    return select(invoice.c.id).where(invoice.c.issuer.in_([str(i) for i in s.ids]))


# A scoped session (staff of one organisation) reads only its own organisation's money.
scoped_by(Invoice, lambda s: Invoice.issuer.in_([str(i) for i in s.ids]))
scoped_by(CreditNote, lambda s: CreditNote.invoice_id.in_(_invoices_of(s)))
scoped_by(Payment, lambda s: Payment.invoice_id.in_(_invoices_of(s)))
scoped_by(Deposit, lambda s: Deposit.issuer.in_([str(i) for i in s.ids]))
