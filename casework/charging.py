"""Money follows the case: an invoice when a booking is confirmed, a credit note when a confirmed
booking is withdrawn (less the rate card's cancellation fee) or cancelled by the council (in
full). Called by `casework.transition` in the transaction of the change, so a change that rolls
back takes its invoice, and its invoice number, with it."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from venues.charges.invoicing import credit_cancellation, invoice_for_case, issue_invoice
from vetting.lifecycle import CaseStatus
from vetting.models import VettingCase

# Invoice dates are the council's calendar days.
_LOCAL = ZoneInfo("Europe/London")


def local_today(now: dt.datetime | None = None) -> dt.date:
    return (now or dt.datetime.now(dt.UTC)).astimezone(_LOCAL).date()


async def after_transition(
    session: AsyncSession, case: VettingCase, before: str, after: CaseStatus, action: str
) -> None:
    if after == CaseStatus.CONFIRMED:
        await issue_invoice(session, case, today=local_today())
    elif before == CaseStatus.CONFIRMED and after in (CaseStatus.WITHDRAWN, CaseStatus.CANCELLED):
        invoice = await invoice_for_case(session, case.id)
        if invoice is not None:
            await credit_cancellation(
                session, invoice, today=local_today(), by_council=after == CaseStatus.CANCELLED
            )
