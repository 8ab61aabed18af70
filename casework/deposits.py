"""Damage deposits after the booking: staff refund them in full, or in part saying why the rest is
kept; and what is held, for the money reports.

A deposit is settled once, after the last date of its booking (or once the booking was withdrawn
or cancelled, when there is nothing to inspect). The settlement goes into the case's history and
the finance journal (`casework.finance_export`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from casework.charges_view import ENDED, invoice_by_case, last_date
from casework.deps import CaseDeps, get_case
from casework.payments import parse_pounds
from venues.charges.deposits import Held, deposit_for_invoice, held_on, settle
from venues.charges.models import Deposit
from vetting.actors import Actor
from vetting.errors import Conflict, Forbidden, Invalid
from vetting.history import record

REASON_LIMIT = 2000


async def settle_deposit(
    deps: CaseDeps,
    actor: Actor,
    case_id: UUID,
    *,
    refund: str,
    reason: str,
    today: dt.date,
) -> Deposit:
    """Refund `refund` pounds of the case's deposit; any part kept needs a reason."""
    if not actor.is_officer:
        raise Forbidden("only officers refund deposits")
    case = await get_case(deps, case_id)
    invoice = await invoice_by_case(deps.session, case.id)
    deposit = await deposit_for_invoice(deps.session, invoice) if invoice is not None else None
    if invoice is None or deposit is None:
        raise Invalid("this booking has no deposit", {"refund": "this booking has no deposit to refund"})
    if deposit.settled_on is not None:
        raise Conflict("this deposit has already been settled")
    last = last_date(invoice.lines)
    if case.status not in ENDED and last is not None and today <= last:
        raise Invalid(
            "the deposit is refunded after the booking",
            {"refund": f"a deposit can be refunded from the day after the last date ({last:%-d %B %Y})"},
        )
    errors: dict[str, str] = {}
    pence = parse_pounds(refund)
    text = (reason or "").strip()
    if pence is None:
        errors["refund"] = "enter the amount to refund in pounds, such as 50.00 (0 to keep it all)"
    elif pence > deposit.amount_pence:
        errors["refund"] = f"at most the deposit ({deposit.amount_pence / 100:.2f} pounds)"
    elif pence < deposit.amount_pence and not text:
        errors["reason"] = "say why part of the deposit is kept"
    if len(text) > REASON_LIMIT:
        errors["reason"] = f"at most {REASON_LIMIT} characters"
    if errors:
        raise Invalid("the deposit could not be refunded", errors)
    assert pence is not None
    settle(deposit, refund_pence=pence, reason=text, today=today, by=actor.name)
    await deps.session.flush()
    await record(
        deps.session,
        case,
        actor,
        "deposit_settled",
        {"invoice": invoice.number, "refunded_pence": pence, "kept_pence": deposit.amount_pence - pence},
    )
    return deposit


async def deposits_held(
    session: AsyncSession,
    provider_ids: Sequence[UUID | None] | None,
    *,
    on: dt.date,
    venue_name: str | None = None,
) -> Held:
    """Deposits held at the end of `on` by these councils or partners (None: every one; a None
    among them: bookings no council vets), optionally at one venue, in total and by venue."""
    issuers = None if provider_ids is None else [str(p) if p else "service" for p in provider_ids]
    return await held_on(session, issuers, on, venue_name)
