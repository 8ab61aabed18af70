"""The money section of the reports page: for a period and a venue (or every venue of the
officer's organisation), income by venue and by hirer category, invoices still outstanding at the
period's end, and damage deposits held at the period's end. All amounts are whole pence.

* **Income** of the period: invoices issued in it, less credit notes issued in it (whichever
  invoice they credit), by the invoice's venue and hirer category; and payments received in it.
* **Outstanding**: each invoice issued by the period's end with something left to pay then
  (gross, less credit notes and successful payments dated by the period's end); overdue when
  its due date is before the period's end.
* **Deposits held**: each booking's refundable damage deposit recorded by the period's end and
  not settled by then (refunded in full, or in part with the rest kept for a reason), as
  `venues.charges.deposits.held_on` counts them.

Money figures are about the council's income, not about people, so they are not suppressed as
counts are (casework/report_figures.py). Each statement is narrowed to the caller's
organisation explicitly (`Invoice.issuer`), as well as by the scoped session's own criteria.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from sqlalchemy import Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from casework.report_scope import ReportScope
from venues.charges.models import CreditNote, Deposit, Invoice, Payment
from venues.models import Booking, Room
from vetting.actors import Actor
from vetting.errors import Forbidden


@dataclass(frozen=True)
class Income:
    label: str
    invoiced: int
    credited: int
    received: int = 0

    @property
    def net(self) -> int:
        return self.invoiced - self.credited


@dataclass(frozen=True)
class Outstanding:
    number: str
    reference: str
    hirer: str
    venue: str
    issued_on: dt.date
    due_on: dt.date
    gross: int
    left: int
    overdue: bool


@dataclass(frozen=True)
class Deposits:
    venue: str
    bookings: int
    held: int


@dataclass
class MoneyReport:
    start: dt.date
    end: dt.date
    by_venue: list[Income] = field(default_factory=list)
    by_category: list[Income] = field(default_factory=list)
    outstanding: list[Outstanding] = field(default_factory=list)
    deposits: list[Deposits] = field(default_factory=list)

    @property
    def income(self) -> Income:
        rows = self.by_venue
        return Income(
            "All venues",
            sum(r.invoiced for r in rows),
            sum(r.credited for r in rows),
            sum(r.received for r in rows),
        )

    @property
    def outstanding_total(self) -> int:
        return sum(o.left for o in self.outstanding)

    @property
    def overdue_total(self) -> int:
        return sum(o.left for o in self.outstanding if o.overdue)

    @property
    def deposits_held(self) -> int:
        return sum(d.held for d in self.deposits)


def _narrow(statement: Select[Any], scope: ReportScope, venue_id: UUID | None) -> Select[Any]:
    """Kept to the caller's organisations (invoices are numbered per organisation: `issuer`) and,
    when one is chosen, to the invoices of bookings at that venue."""
    if scope.ids is not None:
        statement = statement.where(Invoice.issuer.in_([str(i) for i in scope.ids]))
    if venue_id is not None:
        at_venue = (
            select(Booking.case_id).join(Room, Room.id == Booking.room_id).where(Room.venue_id == venue_id)
        )
        statement = statement.where(Invoice.case_id.in_(at_venue))
    return statement


async def build_money_report(
    session: AsyncSession, actor: Actor, start: dt.date, end: dt.date, venue_id: UUID | None = None
) -> MoneyReport:
    """The money figures for local dates `start` to `end` inclusive, on the caller's scoped
    session. The period and venue are checked by `casework.reports.build_report` first."""
    if not actor.is_officer:
        raise Forbidden("only officers and administrators see reports")
    scope = ReportScope.of(session)
    report = MoneyReport(start, end)
    await _income(session, scope, venue_id, report)
    report.outstanding = await _outstanding(session, scope, venue_id, end)
    report.deposits = await _deposits(session, scope, venue_id, end)
    return report


async def _income(
    session: AsyncSession, scope: ReportScope, venue_id: UUID | None, report: MoneyReport
) -> None:
    start, end = report.start, report.end
    invoiced = await session.execute(
        _narrow(
            select(Invoice.venue_name, Invoice.category_label, func.sum(Invoice.gross_pence))
            .where(Invoice.issued_on >= start, Invoice.issued_on <= end)
            .group_by(Invoice.venue_name, Invoice.category_label),
            scope,
            venue_id,
        )
    )
    credited = await session.execute(
        _narrow(
            select(Invoice.venue_name, Invoice.category_label, func.sum(CreditNote.gross_pence))
            .join(Invoice, Invoice.id == CreditNote.invoice_id)
            .where(CreditNote.issued_on >= start, CreditNote.issued_on <= end)
            .group_by(Invoice.venue_name, Invoice.category_label),
            scope,
            venue_id,
        )
    )
    received = await session.execute(
        _narrow(
            select(Invoice.venue_name, func.sum(Payment.amount_pence))
            .join(Invoice, Invoice.id == Payment.invoice_id)
            .where(Payment.status == "success", Payment.received_on >= start, Payment.received_on <= end)
            .group_by(Invoice.venue_name),
            scope,
            venue_id,
        )
    )
    venue: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    category: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for column, rows in ((0, invoiced.all()), (1, credited.all())):
        for venue_name, label, pence in rows:
            venue[venue_name][column] += int(pence or 0)
            category[label][column] += int(pence or 0)
    for venue_name, pence in received.all():
        venue[venue_name][2] += int(pence or 0)
    report.by_venue = [Income(name, *venue[name]) for name in sorted(venue)]
    report.by_category = [Income(label, *category[label]) for label in sorted(category)]


def _credited_by(end: dt.date) -> Any:
    return (
        select(func.coalesce(func.sum(CreditNote.gross_pence), 0))
        .where(CreditNote.invoice_id == Invoice.id, CreditNote.issued_on <= end)
        .scalar_subquery()
    )


def _paid_by(end: dt.date) -> Any:
    return (
        select(func.coalesce(func.sum(Payment.amount_pence), 0))
        .where(Payment.invoice_id == Invoice.id, Payment.status == "success", Payment.received_on <= end)
        .scalar_subquery()
    )


async def _outstanding(
    session: AsyncSession, scope: ReportScope, venue_id: UUID | None, end: dt.date
) -> list[Outstanding]:
    left = Invoice.gross_pence - _credited_by(end) - _paid_by(end)
    rows = await session.execute(
        _narrow(
            select(
                Invoice.number,
                Invoice.reference,
                Invoice.hirer_name,
                Invoice.venue_name,
                Invoice.issued_on,
                Invoice.due_on,
                Invoice.gross_pence,
                left,
            )
            .where(Invoice.issued_on <= end, left > 0)
            .order_by(Invoice.due_on, Invoice.issuer, Invoice.seq),
            scope,
            venue_id,
        )
    )
    return [
        Outstanding(number, ref, hirer, venue, issued, due, int(gross), int(owed), due < end)
        for number, ref, hirer, venue, issued, due, gross, owed in rows.all()
    ]


async def _deposits(
    session: AsyncSession, scope: ReportScope, venue_id: UUID | None, end: dt.date
) -> list[Deposits]:
    """Deposits held at the end of the period, as `venues.charges.deposits.held_on` counts them:
    recorded by then and not yet settled (refunded, or kept with a reason) by then."""
    rows = await session.execute(
        _narrow(
            select(Deposit.venue_name, func.count(), func.sum(Deposit.amount_pence))
            .join(Invoice, Invoice.id == Deposit.invoice_id)
            .where(
                Deposit.recorded_on <= end,
                or_(Deposit.settled_on.is_(None), Deposit.settled_on > end),
            )
            .group_by(Deposit.venue_name)
            .order_by(Deposit.venue_name),
            scope,
            venue_id,
        )
    )
    return [Deposits(venue, int(n), int(pence or 0)) for venue, n, pence in rows.all()]
