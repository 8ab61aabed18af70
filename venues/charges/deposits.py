"""Refundable damage deposits: what is charged with an invoice, what is held, and settling one.

A deposit is held from the day its invoice is issued until staff settle it: the amount refunded
(all of it, or part with the reason the rest is kept) and the day. What is held on a day is every
deposit recorded by then and not yet settled that day; a settled deposit holds nothing more (what
was kept has become the council's income).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from venues.charges.models import Deposit, Invoice


async def deposit_for_invoice(session: AsyncSession, invoice: Invoice) -> Deposit | None:
    return (
        await session.execute(select(Deposit).where(Deposit.invoice_id == invoice.id))
    ).scalar_one_or_none()


async def due_with_invoice(session: AsyncSession, invoice: Invoice) -> int:
    """The deposit payable with the invoice itself (nothing when it is asked for separately)."""
    deposit = await deposit_for_invoice(session, invoice)
    return deposit.amount_pence if deposit is not None and deposit.collected == "invoice" else 0


def settle(deposit: Deposit, *, refund_pence: int, reason: str, today: dt.date, by: str) -> None:
    """Record the one settlement of a deposit; the caller has checked the amount and the reason."""
    deposit.refunded_pence = refund_pence
    deposit.reason = reason
    deposit.settled_on = today
    deposit.settled_by = by


@dataclass(frozen=True)
class Held:
    """Deposits held on a day: the total, how many, and the total by venue."""

    total_pence: int = 0
    count: int = 0
    by_venue: dict[str, int] = field(default_factory=dict)


async def held_on(
    session: AsyncSession, issuers: Sequence[str] | None, on: dt.date, venue_name: str | None = None
) -> Held:
    """Deposits recorded on or before `on` and not settled by then, of these issuers (None: all)."""
    query = (
        select(Deposit.venue_name, func.count(), func.coalesce(func.sum(Deposit.amount_pence), 0))
        .where(
            Deposit.recorded_on <= on,
            or_(Deposit.settled_on.is_(None), Deposit.settled_on > on),
        )
        .group_by(Deposit.venue_name)
        .order_by(Deposit.venue_name)
    )
    if issuers is not None:
        query = query.where(Deposit.issuer.in_(list(issuers)))
    if venue_name is not None:
        query = query.where(Deposit.venue_name == venue_name)
    rows = (await session.execute(query)).all()
    by_venue = {str(name): int(total) for name, _, total in rows}
    return Held(sum(by_venue.values()), sum(int(n) for _, n, _ in rows), by_venue)
