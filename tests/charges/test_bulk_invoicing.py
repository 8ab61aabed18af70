"""Invoicing a month in bulk (casework/bulk_invoicing.py) on both engines: the same invoices as one
by one, numbers without gaps or repeats when confirmations issue their own invoices meanwhile, and
the command line."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import pytest
from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from api.cli import main as cli_main
from api.settings import get_settings
from casework.bulk_invoicing import issue_month, month_bounds, uninvoiced_cases
from casework.input import ApplicationRequest
from casework.workflow import Workflow
from tests.charges.test_invoicing import APPROVE, _charge, _submit
from tests.factories import application_payload, next_weekday
from venues.charges.invoicing import issue_invoice
from venues.charges.models import ChargeCounter, Deposit, Invoice
from vetting.models import VettingCase

ISSUED = dt.date(2027, 1, 4)
SKIP = {"id", "created_at", "updated_at", "sa_orm_sentinel"}


def _columns(invoice: Invoice) -> dict[str, Any]:
    return {c.key: getattr(invoice, c.key) for c in Invoice.__table__.columns if c.key not in SKIP}


async def _confirmed_without_invoices(
    engine: AsyncEngine, seeded: dict[str, Any], how_many: int
) -> list[Any]:
    """Bookings confirmed while their venue did not charge; then the venue begins charging."""
    kinds = ("club", "company", "charity")
    rooms = (seeded["hall_a"].id, seeded["hall_b"].id)
    cases = []
    for i in range(how_many):
        start = next_weekday(i % 5, weeks_ahead=4 + i // 10, hour=(10, 14, 19)[i % 3])
        body = application_payload(
            rooms[(i // 5) % 2], start, rrule="FREQ=WEEKLY;COUNT=3" if i % 4 == 0 else None
        )
        body["organisation"] = {"name": f"Bulk Group {i}", "type": kinds[i % 3], "address": f"{i} Test Lane"}
        async with async_sessionmaker(engine, expire_on_commit=False)() as s:
            submitted = await Workflow(s).submit(ApplicationRequest.model_validate(body))
            await s.commit()
        cases.append((submitted.case.id, start))
    maker = async_sessionmaker(engine, expire_on_commit=False)
    async with maker() as s:
        for case_id, _ in cases:
            await Workflow(s).decide(seeded["officer"], case_id, APPROVE)
        await s.commit()
        assert await s.scalar(select(func.count()).select_from(Invoice)) == 0
    await _charge(engine, seeded["venue"].id)
    return cases


async def _deposits(s: Any) -> list[tuple[Any, ...]]:
    rows = (await s.execute(select(Deposit))).scalars()
    return sorted(
        (d.case_id, d.issuer, d.venue_name, d.amount_pence, d.collected, d.recorded_on) for d in rows
    )


def _months(cases: list[Any]) -> list[str]:
    return sorted({f"{start:%Y-%m}" for _, start in cases})


async def test_bulk_invoices_are_those_issued_one_by_one(engine: AsyncEngine, seeded: dict[str, Any]) -> None:
    cases = await _confirmed_without_invoices(engine, seeded, 12)
    maker = async_sessionmaker(engine, expire_on_commit=False)
    seen: list[tuple[int, int]] = []
    for month in _months(cases):
        result = await issue_month(
            maker, month, today=ISSUED, batch=5, progress=lambda d, n: seen.append((d, n))
        )
        assert result.not_priced == [] and result.changed == 0
    assert seen and seen[-1][0] == seen[-1][1]
    async with maker() as s:
        bulk = [_columns(i) for i in (await s.execute(select(Invoice).order_by(Invoice.seq))).scalars()]
        assert len(bulk) == len(cases)
        assert [b["seq"] for b in bulk] == list(range(1, len(cases) + 1))
        assert await uninvoiced_cases(s, _months(cases)[0]) == []  # a second run finds nothing
        deposits = await _deposits(s)
        assert deposits, "the rate card charges a deposit: bulk invoicing records it"
        # The same bookings invoiced one by one, in the same order, from a fresh counter.
        await s.execute(delete(Deposit))
        await s.execute(delete(Invoice))
        await s.execute(delete(ChargeCounter))
        await s.commit()
    by_case = {b["case_id"]: b for b in bulk}
    async with maker() as s:
        for row in bulk:
            case = await s.get(VettingCase, row["case_id"])
            assert case is not None
            await issue_invoice(s, case, today=ISSUED)
        await s.commit()
    async with maker() as s:
        single = [_columns(i) for i in (await s.execute(select(Invoice).order_by(Invoice.seq))).scalars()]
        assert await _deposits(s) == deposits  # and the same deposits, recorded with them
    assert single == [by_case[one["case_id"]] for one in single]
    assert single == bulk
    assert {b["category_label"] for b in bulk} == {
        "Community or voluntary group",
        "Commercial",
        "Registered charity",
    }
    assert all(b["gross_pence"] == sum(x["net_pence"] + x["vat_pence"] for x in b["lines"]) for b in bulk)


async def test_a_month_takes_only_its_own_uninvoiced_bookings(
    engine: AsyncEngine, seeded: dict[str, Any]
) -> None:
    cases = await _confirmed_without_invoices(engine, seeded, 3)
    maker = async_sessionmaker(engine, expire_on_commit=False)
    month = _months(cases)[0]
    first, after = month_bounds(month)
    inside = {c for c, start in cases if first <= start.replace(tzinfo=None) < after}
    async with maker() as s:
        assert set(await uninvoiced_cases(s, month)) == inside
        assert await uninvoiced_cases(s, month, venue_id=seeded["hall_a"].id) == []  # a room is no venue
        assert set(await uninvoiced_cases(s, month, venue_id=seeded["venue"].id)) == inside
        # Bookings that are not confirmed, or at a venue that does not charge, are left out.
        await s.execute(update(VettingCase).where(VettingCase.id.in_(inside)).values(status="withdrawn"))
        assert await uninvoiced_cases(s, month) == []
        await s.rollback()
    await _charge(engine, seeded["venue"].id, None)
    async with maker() as s:
        assert await uninvoiced_cases(s, month) == []
    with pytest.raises(ValueError, match="not a month"):
        month_bounds("2027-13")


@pytest.mark.slow
async def test_bulk_interleaved_with_confirmations_numbers_without_gaps(
    engine: AsyncEngine, seeded: dict[str, Any]
) -> None:
    """A bulk run (small batches) while single confirmations issue their own invoices: every
    confirmed booking gets one invoice, and the numbers run 1..n with no gap and no repeat."""
    cases = await _confirmed_without_invoices(engine, seeded, 10)
    racers = [
        (
            await _submit(
                engine,
                seeded["hall_a"].id,
                next_weekday(5, weeks_ahead=4 + i, hour=10),
                organisation=f"Racer {i}",
            )
        )[0]
        for i in range(6)
    ]
    maker = async_sessionmaker(engine, expire_on_commit=False)
    gate = asyncio.Event()

    async def confirm(case_id: Any, fail: bool) -> None:
        async with maker() as s:
            await gate.wait()
            await Workflow(s).decide(seeded["officer"], case_id, APPROVE)
            if fail:  # a confirmation rolled back gives its number back
                await s.rollback()
                return
            await s.commit()

    async def bulk() -> int:
        await gate.wait()
        issued = 0
        for month in _months(cases):
            issued += (await issue_month(maker, month, today=ISSUED, batch=2)).issued
        return issued

    tasks = [asyncio.create_task(confirm(c, fail=i == 2)) for i, c in enumerate(racers)]
    bulk_task = asyncio.create_task(bulk())
    await asyncio.sleep(0.05)
    gate.set()
    await asyncio.gather(*tasks)
    issued = await bulk_task
    async with maker() as s:
        seqs = sorted((await s.execute(select(Invoice.seq))).scalars())
        invoiced = set((await s.execute(select(Invoice.case_id))).scalars())
        confirmed = set(
            (await s.execute(select(VettingCase.id).where(VettingCase.status == "confirmed"))).scalars()
        )
    assert issued == len(cases)
    assert seqs == list(range(1, len(seqs) + 1))  # no gaps, no repeats
    assert invoiced == confirmed and len(seqs) == len(cases) + len(racers) - 1


async def test_command_line_issues_a_month(
    engine: AsyncEngine,
    seeded: dict[str, Any],
    db_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    cases = await _confirmed_without_invoices(engine, seeded, 2)
    monkeypatch.setenv("VENUE_HIRE_DATABASE_URL", db_url)
    monkeypatch.setenv("VENUE_HIRE_SECRET_KEY", "cli-test-secret-" + "y" * 32)
    get_settings.cache_clear()
    try:  # the command runs its own event loop: in a thread, beside the test's
        assert await asyncio.to_thread(cli_main, ["invoices", "issue", "--month", "2027-99"]) == 2
        assert "not a month" in capsys.readouterr().err
        for month in _months(cases):
            argv = ["invoices", "issue", "--month", month, "--issued-on", "2027-01-04"]
            assert await asyncio.to_thread(cli_main, argv) == 0
        out = capsys.readouterr()
    finally:
        get_settings.cache_clear()
    assert "invoices issued for" in out.out and "INV-000001" in out.out
    assert "bookings (" in out.err  # progress
    async with async_sessionmaker(engine)() as s:
        assert await s.scalar(select(func.count()).select_from(Invoice)) == len(cases)
