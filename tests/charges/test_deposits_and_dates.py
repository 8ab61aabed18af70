"""Damage deposits held and refunded after the date (in full, or in part with a reason), the
figure held for the money reports and the journal; partial credit notes when one date of a
series is cancelled by the council or withdrawn by the hirer. Real workflow, both engines."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from casework.charging import local_today
from casework.deposits import deposits_held, settle_deposit
from casework.finance_export import journal
from casework.input import ApplicationRequest
from casework.workflow import DecisionInput, Workflow
from policies.rate_card_loader import bundled_rate_card
from tests.factories import application_payload, next_weekday
from venues.charges.invoicing import credit_notes_for, invoice_for_case
from venues.models import Venue
from vetting.errors import Conflict, Invalid, NotFound

APPROVE = DecisionInput(
    "approve", "ok", checks_in_review_confirmed=True, checks_in_review_reason="Seen at the desk."
)


async def _confirmed(
    engine: AsyncEngine, seeded: dict[str, Any], card: str, start: dt.datetime, count: int = 1
) -> tuple[Any, str]:
    maker = async_sessionmaker(engine, expire_on_commit=False)
    async with maker() as s:
        await s.execute(update(Venue).where(Venue.id == seeded["venue"].id).values(rate_card_id=card))
        await s.commit()
    async with maker() as s:
        body = application_payload(seeded["hall_a"].id, start, rrule=f"FREQ=WEEKLY;COUNT={count}")
        submitted = await Workflow(s).submit(ApplicationRequest.model_validate(body))
        await Workflow(s).decide(seeded["officer"], submitted.case.id, APPROVE)
        await s.commit()
        assert submitted.applicant_token
        return submitted.case.id, submitted.applicant_token


async def test_a_deposit_is_held_then_refunded_in_part_with_a_reason(
    engine: AsyncEngine, seeded: dict[str, Any]
) -> None:
    start = next_weekday(1, weeks_ahead=4)
    case_id, _ = await _confirmed(engine, seeded, "community-centre", start)
    officer = seeded["officer"]
    today = local_today()
    after = start.date() + dt.timedelta(days=1)
    maker = async_sessionmaker(engine, expire_on_commit=False)
    async with maker() as s:
        held = await deposits_held(s, None, on=today)
        assert (held.total_pence, held.count, held.by_venue) == (2500, 1, {"Testtown Civic Hall": 2500})
        assert (
            await deposits_held(s, [seeded["venue"].provider_id], on=today - dt.timedelta(days=1))
        ).count == 0
        assert (await deposits_held(s, None, on=today, venue_name="Elsewhere")).total_pence == 0
        w = Workflow(s)
        with pytest.raises(Invalid) as too_soon:
            await settle_deposit(w, officer, case_id, refund="25.00", reason="", today=start.date())
        assert "from the day after the last date" in too_soon.value.errors["refund"]
        with pytest.raises(Invalid) as no_reason:
            await settle_deposit(w, officer, case_id, refund="10.00", reason=" ", today=after)
        assert "reason" in no_reason.value.errors
        with pytest.raises(Invalid) as too_much:
            await settle_deposit(w, officer, case_id, refund="25.01", reason="", today=after)
        assert "at most the deposit" in too_much.value.errors["refund"]
        with pytest.raises(Invalid):
            await settle_deposit(w, officer, case_id, refund="ten pounds", reason="", today=after)
        deposit = await settle_deposit(
            w, officer, case_id, refund="15.00", reason="A chair was broken.", today=after
        )
        await s.commit()
        assert (deposit.refunded_pence, deposit.settled_on) == (1500, after)
    async with maker() as s:
        with pytest.raises(Conflict):
            await settle_deposit(Workflow(s), officer, case_id, refund="10.00", reason="", today=after)
        assert (await deposits_held(s, None, on=after - dt.timedelta(days=1))).total_pence == 2500
        assert (await deposits_held(s, None, on=after)).total_pence == 0  # settled: nothing held
        rows = await journal(s, seeded["admin"], today, after)
        refunds = [r for r in rows if r.type == "deposit_refund"]
        assert [(r.net, r.vat_code) for r in refunds] == [(-1500, "T9")]
        assert "10.00 kept: A chair was broken." in refunds[0].description


async def test_only_officers_refund_deposits(engine: AsyncEngine, seeded: dict[str, Any]) -> None:
    from vetting.errors import Forbidden

    start = next_weekday(1, weeks_ahead=4)
    case_id, _ = await _confirmed(engine, seeded, "community-centre", start)
    async with async_sessionmaker(engine)() as s:
        with pytest.raises(Forbidden):
            await settle_deposit(
                Workflow(s), seeded["manager"], case_id, refund="25.00", reason="", today=start.date()
            )


async def test_the_council_cancelling_one_date_credits_it_in_full(
    engine: AsyncEngine, seeded: dict[str, Any]
) -> None:
    start = next_weekday(1, weeks_ahead=4)
    case_id, _ = await _confirmed(engine, seeded, "council-halls", start, count=3)
    maker = async_sessionmaker(engine, expire_on_commit=False)
    async with maker() as s:
        booking = await Workflow(s).bookings.booking_for_case(case_id)
        second = (await Workflow(s).bookings.occurrences(booking.id))[1]
        await Workflow(s).cancel_date(
            seeded["officer"], case_id, second.id, reason="The venue is closed that day"
        )
        await s.commit()
    async with maker() as s:
        invoice = await invoice_for_case(s, case_id)
        assert invoice is not None
        (note,) = await credit_notes_for(s, invoice.id)
        day = second.local_start.date()
        assert note.gross_pence == invoice.gross_pence // 3 == 4800
        assert {line["day"] for line in note.lines} == {day.isoformat()}
        assert note.reason == f"{day:%A %-d %B %Y} cancelled by the council: no cancellation fee"
        # the whole booking withdrawn later: the date already credited is not credited again
        await Workflow(s).cancel(seeded["officer"], case_id, "public_safety", "The roof is being repaired.")
        await s.commit()
    async with maker() as s:
        invoice = await invoice_for_case(s, case_id)
        assert invoice is not None
        notes = await credit_notes_for(s, invoice.id)
        assert [n.gross_pence for n in notes] == [4800, 9600]
        assert sum(n.gross_pence for n in notes) == invoice.gross_pence


async def test_the_hirer_withdraws_one_date_seeing_the_fee_first(
    engine: AsyncEngine, seeded: dict[str, Any]
) -> None:
    start = next_weekday(1, weeks_ahead=1)
    case_id, token = await _confirmed(engine, seeded, "council-halls", start, count=2)
    maker = async_sessionmaker(engine, expire_on_commit=False)
    async with maker() as s:
        w = Workflow(s)
        dates = await w.hirer_dates(token)
        assert [d.withdrawable for d in dates] == [True, True]
        second = dates[1]
        notice = (second.start.date() - local_today()).days
        fee = bundled_rate_card("council-halls").cancellation_fee_percent(notice)
        terms = await w.date_withdrawal_terms(token, second.id)
        money = terms["money"]
        assert (money["notice_days"], money["refund_percent"]) == (notice, 100 - fee)
        assert money["charged"] == 4800 and money["credit"] == 4800 * (100 - fee) // 100
        await w.withdraw_date(token, second.id)
        await s.commit()
    async with maker() as s:
        w = Workflow(s)
        invoice = await invoice_for_case(s, case_id)
        assert invoice is not None
        (note,) = await credit_notes_for(s, invoice.id)
        assert note.gross_pence == money["credit"]
        assert "withdrawn by the hirer" in note.reason
        dates = await w.hirer_dates(token)
        assert [d.status for d in dates] == ["held", "cancelled"]
        assert not any(d.withdrawable for d in dates)  # the last date goes with the whole request
        with pytest.raises(Conflict):
            await w.withdraw_date(token, dates[0].id)
        with pytest.raises(NotFound):  # already withdrawn
            await w.withdraw_date(token, dates[1].id)
