"""Invoicing a month's confirmed bookings at once: every confirmed booking with a charged date in
the month (optionally at one venue) that has no invoice yet, for example bookings confirmed
before their venue began charging, or imported ones.

Each invoice is exactly the one `venues.charges.invoicing.issue_invoice` would issue for the
booking (the same quote and the same columns, `invoice_fields`); only the work is batched. A
batch (default 1,000 bookings) is one transaction:

1. the invoice counter of each council in the batch is locked (in a fixed order, so two bulk
   runs cannot deadlock), so a confirmation issuing its own invoice meanwhile waits;
2. the bookings are read again under that lock, dropping any that were invoiced or changed
   since they were listed, with their dates, rooms and venues in four statements;
3. each is quoted in memory; the counter is moved on once per council by the number issued;
4. the invoices are written by one multi-row insert.

A batch that fails rolls back whole, numbers included, so numbers stay without gaps or repeats.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import Table, and_, exists, insert, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import load_only

from venues.charges.booking_quote import UNCHARGED, case_terms, slots_quote
from venues.charges.invoicing import deposit_fields, invoice_fields, issuer_of
from venues.charges.models import Deposit, Invoice
from venues.charges.numbering import reserve_numbers
from venues.models import Booking, Occurrence, Room, Venue
from vetting.lifecycle import CaseStatus
from vetting.models import VettingCase

BATCH = 1000
_INVOICE_TABLE: Table = Invoice.__table__  # type: ignore[assignment]  # a declarative class's table is a Table
Progress = Callable[[int, int], None]  # (bookings done, bookings listed)


@dataclass
class BulkResult:
    listed: int = 0
    issued: int = 0
    # Bookings the rate card cannot price (the per-booking path issues nothing for them either).
    not_priced: list[str] = field(default_factory=list)
    # Invoiced or no longer confirmed between listing and issuing (a concurrent change).
    changed: int = 0
    numbers: dict[str, tuple[str, str]] = field(default_factory=dict)  # issuer: (first, last)


def month_bounds(month: str) -> tuple[dt.datetime, dt.datetime]:
    """``2027-03`` -> local midnight on the first of the month and of the next one."""
    try:
        year, mon = (int(part) for part in month.split("-"))
        first = dt.datetime(year, mon, 1)
    except ValueError:
        raise ValueError(f"{month!r} is not a month like 2027-03") from None
    return first, (first + dt.timedelta(days=32)).replace(day=1)


def _uninvoiced() -> Any:
    return and_(
        VettingCase.status == CaseStatus.CONFIRMED,
        ~exists().where(Invoice.case_id == VettingCase.id),
    )


async def uninvoiced_cases(session: AsyncSession, month: str, venue_id: UUID | None = None) -> list[UUID]:
    """Confirmed bookings at charging venues with a charged date in the month and no invoice, in
    the order they were made (so numbers follow the bookings' order, as they would one by one)."""
    first, after = month_bounds(month)
    dated = exists().where(
        Occurrence.booking_id == Booking.id,
        Occurrence.local_start >= first,
        Occurrence.local_start < after,
        Occurrence.status.not_in(UNCHARGED),
    )
    query = (
        select(VettingCase.id)
        .join(Booking, Booking.case_id == VettingCase.id)
        .join(Room, Room.id == Booking.room_id)
        .join(Venue, Venue.id == Room.venue_id)
        .where(_uninvoiced(), Venue.rate_card_id.is_not(None), dated)
        .order_by(VettingCase.created_at, VettingCase.id)
    )
    if venue_id is not None:
        query = query.where(Venue.id == venue_id)
    return list((await session.execute(query)).scalars())


async def _issuers(session: AsyncSession, case_ids: Sequence[UUID]) -> list[str]:
    rows = await session.execute(
        select(VettingCase.provider_id).where(VettingCase.id.in_(case_ids)).distinct()
    )
    return sorted({str(p) if p else "service" for p in rows.scalars()})


async def issue_batch(
    session: AsyncSession, case_ids: Sequence[UUID], *, today: dt.date, result: BulkResult
) -> None:
    """Issue the invoices of one batch in the caller's transaction (see the module's notes)."""
    for issuer in await _issuers(session, case_ids):
        await reserve_numbers(session, issuer, "invoice", 0)  # lock first, then read
    cases = list(
        (
            await session.execute(
                select(VettingCase)
                .options(
                    load_only(
                        VettingCase.id,
                        VettingCase.provider_id,
                        VettingCase.reference,
                        VettingCase.organisation_name,
                        VettingCase.organisation_submitted,
                        VettingCase.charges,
                        VettingCase.checks,
                    )
                )
                .where(VettingCase.id.in_(case_ids), _uninvoiced())
                .order_by(VettingCase.created_at, VettingCase.id)
            )
        ).scalars()
    )
    result.changed += len(case_ids) - len(cases)
    if not cases:
        return
    bookings = {
        b.case_id: b
        for b in (
            await session.execute(
                select(Booking.id, Booking.case_id, Booking.room_id).where(
                    Booking.case_id.in_([c.id for c in cases])
                )
            )
        ).all()
    }
    rooms = {
        r.id: r
        for r in (
            await session.execute(select(Room).where(Room.id.in_({b.room_id for b in bookings.values()})))
        ).scalars()
    }
    venues = {
        v.id: v
        for v in (
            await session.execute(select(Venue).where(Venue.id.in_({r.venue_id for r in rooms.values()})))
        ).scalars()
    }
    slots: dict[UUID, list[tuple[dt.datetime, dt.datetime]]] = {}
    dated = await session.execute(
        select(Occurrence.booking_id, Occurrence.local_start, Occurrence.local_end)
        .where(
            Occurrence.booking_id.in_([b.id for b in bookings.values()]),
            Occurrence.status.not_in(UNCHARGED),
        )
        .order_by(Occurrence.booking_id, Occurrence.local_start)
    )
    for booking_id, rows in groupby(dated.all(), key=lambda row: row[0]):
        slots[booking_id] = [(start, end) for _, start, end in rows]
    priced: list[tuple[VettingCase, Any, Venue, Room]] = []
    for case in cases:
        booking = bookings.get(case.id)
        room = rooms.get(booking.room_id) if booking else None
        venue = venues.get(room.venue_id) if room else None
        if booking is None or room is None or venue is None or not slots.get(booking.id):
            continue
        terms = case_terms(case)  # the extras and concession the case asked for, as issue_invoice
        quoted = slots_quote(
            venue, room, terms.organisation_type, slots[booking.id], terms.extras, concession=terms.concession
        )
        if quoted.quote is None or quoted.card is None:
            result.not_priced.append(case.reference)
            continue
        priced.append((case, quoted, venue, room))
    values: list[dict[str, Any]] = []
    deposits: list[dict[str, Any]] = []
    for issuer, group in groupby(
        sorted(priced, key=lambda p: issuer_of(p[0])), key=lambda p: issuer_of(p[0])
    ):
        batch = list(group)  # sorted() is stable: the bookings' order within each council stays
        first = await reserve_numbers(session, issuer, "invoice", len(batch))
        for offset, (case, quoted, venue, room) in enumerate(batch):
            fields = invoice_fields(case, quoted, venue, room, today=today, seq=first + offset)
            values.append({"id": uuid4(), **fields})
            if fields["deposit_pence"]:  # recorded with its invoice, as issue_invoice does
                deposit = deposit_fields(values[-1]["id"], case, quoted, venue, today=today)
                deposits.append({"id": uuid4(), **deposit})
        first_number = result.numbers.get(issuer, (values[-len(batch)]["number"], ""))[0]
        result.numbers[issuer] = (first_number, values[-1]["number"])
    if values:  # the table, not the class: a plain multi-row insert, without the ORM's bookkeeping
        await session.execute(insert(_INVOICE_TABLE), values)
    if deposits:
        await session.execute(insert(Deposit), deposits)
    result.issued += len(values)


async def issue_month(
    maker: async_sessionmaker[AsyncSession],
    month: str,
    *,
    today: dt.date,
    venue_id: UUID | None = None,
    batch: int = BATCH,
    progress: Progress | None = None,
) -> BulkResult:
    """Invoice the month's uninvoiced confirmed bookings, one transaction per batch."""
    async with maker() as session:
        case_ids = await uninvoiced_cases(session, month, venue_id)
    result = BulkResult(listed=len(case_ids))
    for start in range(0, len(case_ids), batch):
        async with maker() as session, session.begin():
            await issue_batch(session, case_ids[start : start + batch], today=today, result=result)
        if progress:
            progress(min(start + batch, len(case_ids)), len(case_ids))
    return result
