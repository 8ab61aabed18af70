"""Invoices on confirmation and credit notes on cancellation, through the real workflow and the
real database on both engines; numbers without gaps or repeats under 20 concurrent confirmations."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from casework.input import ApplicationRequest
from casework.workflow import DecisionInput, Workflow
from tests.factories import application_payload, next_weekday
from venues.charges.invoicing import (
    cancellation_refund,
    credit_lines,
    credit_notes_for,
    invoice_for_case,
    issue_credit_note,
)
from venues.charges.models import CreditNote, Invoice
from venues.models import Venue

RACERS = 20

APPROVE = DecisionInput(
    "approve", "ok", checks_in_review_confirmed=True, checks_in_review_reason="Seen at the desk."
)


async def _charge(engine: AsyncEngine, venue_id: Any, card: str | None = "council-halls") -> None:
    async with async_sessionmaker(engine)() as s:
        await s.execute(update(Venue).where(Venue.id == venue_id).values(rate_card_id=card))
        await s.commit()


async def _submit(engine: AsyncEngine, room_id: Any, start: dt.datetime, **kw: Any) -> tuple[Any, str]:
    async with async_sessionmaker(engine, expire_on_commit=False)() as s:
        body = application_payload(room_id, start, **kw)
        submitted = await Workflow(s).submit(ApplicationRequest.model_validate(body))
        await s.commit()
        assert submitted.applicant_token
        return submitted.case.id, submitted.applicant_token


async def test_confirmation_issues_the_quote_as_an_invoice(engine: AsyncEngine, seeded: dict[str, Any]):
    await _charge(engine, seeded["venue"].id)
    start = next_weekday(1, weeks_ahead=4)  # Tuesdays 19:00 to 21:00: peak
    case_id, _ = await _submit(engine, seeded["hall_a"].id, start, rrule="FREQ=WEEKLY;COUNT=3")
    maker = async_sessionmaker(engine, expire_on_commit=False)
    async with maker() as s:
        assert await invoice_for_case(s, case_id) is None  # nothing to pay before a decision
        await Workflow(s).decide(seeded["officer"], case_id, APPROVE)
        await s.commit()
    async with maker() as s:
        invoice = await invoice_for_case(s, case_id)
        assert invoice is not None
        assert invoice.number == "INV-000001"
        assert invoice.hirer_name == "Testtown Allotment Society"
        assert invoice.hirer_address == "2 Test Lane"
        assert invoice.category_label == "Community or voluntary group"  # a club
        # 2 hours at £32.00 peak (the 15-minute clear-down is not charged), less 25%, three times
        assert invoice.gross_pence == 3 * (6400 - 1600)
        assert invoice.gross_pence == sum(line["net_pence"] + line["vat_pence"] for line in invoice.lines)
        assert invoice.deposit_pence == 5000
        assert (invoice.due_on - invoice.issued_on).days == 14
        assert "quoting the invoice number" in invoice.payment_instructions


async def test_a_venue_without_a_rate_card_invoices_nothing(engine: AsyncEngine, seeded: dict[str, Any]):
    case_id, _ = await _submit(engine, seeded["hall_a"].id, next_weekday(1, weeks_ahead=4))
    async with async_sessionmaker(engine, expire_on_commit=False)() as s:
        await Workflow(s).decide(seeded["officer"], case_id, APPROVE)
        await s.commit()
        assert await invoice_for_case(s, case_id) is None


async def test_withdrawal_and_cancellation_credit_the_dates_to_come(
    engine: AsyncEngine, seeded: dict[str, Any]
) -> None:
    await _charge(engine, seeded["venue"].id)
    maker = async_sessionmaker(engine, expire_on_commit=False)
    far = next_weekday(1, weeks_ahead=6)  # more than 28 days' notice: no fee
    withdrawn, token = await _submit(engine, seeded["hall_a"].id, far)
    cancelled, _ = await _submit(engine, seeded["hall_b"].id, far)
    async with maker() as s:
        for case_id in (withdrawn, cancelled):
            await Workflow(s).decide(seeded["officer"], case_id, APPROVE)
        await s.commit()
    async with maker() as s:
        await Workflow(s).withdraw(token)
        await Workflow(s).cancel(seeded["officer"], cancelled, "public_safety", "The roof is being repaired.")
        await s.commit()
    async with maker() as s:
        expected = ((withdrawn, "Withdrawn by the hirer"), (cancelled, "Cancelled by the council"))
        for case_id, words in expected:
            invoice = await invoice_for_case(s, case_id)
            assert invoice is not None
            (note,) = await credit_notes_for(s, invoice.id)
            assert note.gross_pence == invoice.gross_pence
            assert note.reason.startswith(words)
        numbers = sorted((await s.execute(select(CreditNote.number))).scalars())
        assert numbers == ["CRN-000001", "CRN-000002"]


def _invoice(lines: list[dict[str, Any]], card: str = "council-halls") -> Invoice:
    gross = sum(x["net_pence"] + x["vat_pence"] for x in lines)
    return Invoice(lines=lines, rate_card_id=card, gross_pence=gross)


def test_cancellation_fee_by_notice_never_when_the_council_cancels():
    day = dt.date(2027, 3, 2)
    invoice = _invoice([{"day": day.isoformat(), "net_pence": 6400, "vat_code": "exempt", "vat_pence": 0}])
    assert cancellation_refund(invoice, day - dt.timedelta(days=30), by_council=False)[0] == 100
    assert cancellation_refund(invoice, day - dt.timedelta(days=10), by_council=False)[0] == 50
    refund, notice, reason = cancellation_refund(invoice, day - dt.timedelta(days=2), by_council=False)
    assert (refund, notice) == (0, 2)
    assert "cancellation fee of 100%" in reason
    assert cancellation_refund(invoice, day - dt.timedelta(days=2), by_council=True)[0] == 100


line_st = st.fixed_dictionaries(
    {
        "day": st.just("2027-03-02"),
        "kind": st.sampled_from(["hire", "concession", "extra"]),
        "description": st.just("x"),
        "net_pence": st.integers(min_value=-50_000, max_value=200_000),
        "vat_code": st.sampled_from(["standard", "reduced", "zero", "exempt"]),
    }
).map(lambda d: {**d, "vat_pence": 0})


@settings(max_examples=300, deadline=None)
@given(
    st.lists(line_st, min_size=1, max_size=12),
    st.lists(st.integers(min_value=0, max_value=100), min_size=1, max_size=4),
)
def test_credit_notes_never_exceed_their_invoice(lines, refunds):
    from policies.rate_card import vat_pence

    lines = [{**x, "vat_pence": vat_pence(x["net_pence"], x["vat_code"])} for x in lines]
    gross = sum(x["net_pence"] + x["vat_pence"] for x in lines)
    assume(gross >= 0)  # an invoice is never below nothing: a concession is at most its hire
    credited = 0
    for refund in refunds:  # several partial credits against one invoice
        note = credit_lines(lines, refund, gross - credited)
        total = sum(x["net_pence"] + x["vat_pence"] for x in note)
        assert 0 <= total <= gross - credited
        credited += total
    assert credited <= max(gross, 0)


async def test_credit_note_service_stops_at_the_invoice(engine: AsyncEngine, seeded: dict[str, Any]) -> None:
    await _charge(engine, seeded["venue"].id)
    case_id, _ = await _submit(engine, seeded["hall_a"].id, next_weekday(1, weeks_ahead=4))
    maker = async_sessionmaker(engine, expire_on_commit=False)
    async with maker() as s:
        await Workflow(s).decide(seeded["officer"], case_id, APPROVE)
        await s.commit()
    async with maker() as s:
        invoice = await invoice_for_case(s, case_id)
        assert invoice is not None
        today = invoice.issued_on
        first = await issue_credit_note(s, invoice, refund_percent=60, reason="a", today=today)
        second = await issue_credit_note(s, invoice, refund_percent=60, reason="b", today=today)
        third = await issue_credit_note(s, invoice, refund_percent=60, reason="c", today=today)
        await s.commit()
    assert first is not None and second is not None and third is None
    assert first.gross_pence + second.gross_pence == invoice.gross_pence


@pytest.mark.slow
async def test_twenty_concurrent_confirmations_number_without_gaps(
    engine: AsyncEngine, seeded: dict[str, Any]
) -> None:
    await _charge(engine, seeded["venue"].id)
    rooms = [seeded["hall_a"].id, seeded["hall_b"].id]
    case_ids = [
        (
            await _submit(
                engine, rooms[i % 2], next_weekday(1, weeks_ahead=3 + i // 2), organisation=f"Racer {i}"
            )
        )[0]
        for i in range(RACERS)
    ]
    maker = async_sessionmaker(engine, expire_on_commit=False)
    gate = asyncio.Event()

    async def confirm(case_id: Any, fail: bool) -> str:
        async with maker() as s:
            await gate.wait()
            await Workflow(s).decide(seeded["officer"], case_id, APPROVE)
            if fail:  # a confirmation that rolls back gives its number back
                await s.rollback()
                return "rolled back"
            await s.commit()
            return "confirmed"

    tasks = [asyncio.create_task(confirm(c, fail=i % 7 == 3)) for i, c in enumerate(case_ids)]
    await asyncio.sleep(0.05)
    gate.set()
    outcomes = await asyncio.gather(*tasks)
    async with maker() as s:
        seqs = sorted((await s.execute(select(Invoice.seq))).scalars())
    assert outcomes.count("confirmed") == len(seqs)
    assert seqs == list(range(1, len(seqs) + 1))  # no gaps, no repeats
    assert len(seqs) == RACERS - sum(1 for i in range(RACERS) if i % 7 == 3)
