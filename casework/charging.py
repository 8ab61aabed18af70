"""Money follows the case: an invoice when a booking is confirmed (or, where the venue says so,
when it is approved), a credit note when an invoiced booking is withdrawn (less the rate card's
cancellation fee) or cancelled by the council (in full), or when one of its dates is (see
`credit_date`). Called in the transaction of the change, so a change that rolls back takes its
invoice, and its invoice number, with it."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from venues.charges.invoicing import credit_cancellation, credit_dates, invoice_for_case, issue_invoice
from venues.models import Booking, Room, Venue
from vetting.lifecycle import CaseStatus
from vetting.models import VettingCase

# Invoice dates are the council's calendar days.
_LOCAL = ZoneInfo("Europe/London")
INVOICE_ON = {"confirmation": "When the booking is confirmed", "approval": "When the booking is approved"}
# An invoice issued on approval stands while the hirer has the conditions to accept.
_INVOICED = (CaseStatus.AWAITING_ACCEPTANCE, CaseStatus.CONFIRMED)


def local_today(now: dt.datetime | None = None) -> dt.date:
    return (now or dt.datetime.now(dt.UTC)).astimezone(_LOCAL).date()


async def invoices_on_approval(session: AsyncSession, case: VettingCase) -> bool:
    """Whether the case's venue invoices when a booking is approved rather than confirmed."""
    setting = await session.scalar(
        select(Venue.invoice_on)
        .join(Room, Room.venue_id == Venue.id)
        .join(Booking, Booking.room_id == Room.id)
        .where(Booking.case_id == case.id)
    )
    return setting == "approval"


async def after_transition(
    session: AsyncSession, case: VettingCase, before: str, after: CaseStatus, action: str
) -> None:
    if after == CaseStatus.CONFIRMED or (
        after == CaseStatus.AWAITING_ACCEPTANCE and await invoices_on_approval(session, case)
    ):
        await issue_invoice(session, case, today=local_today())
    elif before in _INVOICED and after in (CaseStatus.WITHDRAWN, CaseStatus.CANCELLED):
        invoice = await invoice_for_case(session, case.id)
        if invoice is not None:
            await credit_cancellation(
                session, invoice, today=local_today(), by_council=after == CaseStatus.CANCELLED
            )


async def credit_cancelled_dates(
    session: AsyncSession, case: VettingCase, days: list[dt.date], *, by_council: bool
) -> None:
    """A partial credit note when dates of an invoiced series are cancelled (by the council: in
    full) or withdrawn by the hirer (less the rate card's fee for the notice given)."""
    invoice = await invoice_for_case(session, case.id)
    if invoice is not None and days:
        await credit_dates(session, invoice, days, today=local_today(), by_council=by_council)
