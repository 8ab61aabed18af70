"""The report's figures on a constructed data set (tests/reports/scenario.py), on each engine:
every section, the venue filter, the organisation's own cases only, and suppression."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from casework.reports import Report, build_report
from tests.reports import scenario
from vetting.actors import Actor
from vetting.errors import Forbidden, Invalid
from vetting.sharing_scope import scope_for_request
from vetting.tenancy import set_scope

START, END = dt.date(2027, 2, 1), dt.date(2027, 3, 31)


async def report_as(engine: AsyncEngine, actor: Actor, **kw: Any) -> Report:
    """The report as a request would build it: on a session scoped to the actor's organisation."""
    async with async_sessionmaker(engine, expire_on_commit=False)() as s:
        set_scope(s, await scope_for_request(s, actor))
        return await build_report(s, actor, kw.pop("start", START), kw.pop("end", END), **kw)


def raw(report: Report) -> dict[str, Any]:
    return {
        "requests_total": report.requests_total.value,
        "requests_by_month": {r.key: r.count.value for r in report.requests_by_month},
        "requests_by_status": {r.key: r.count.value for r in report.requests_by_status},
        "decisions": {r.key: r.count.value for r in report.decisions},
        "decisions_total": report.decisions_total.value,
        "grounds": {g.code: (g.refusals.value, g.cancellations.value) for g in report.grounds},
        "decided": report.decided.value,
        "median_days": report.median_days,
        "p90_days": report.p90_days,
        "days_buckets": {r.key: r.count.value for r in report.days_buckets},
        "referrals": {r.key: r.count.value for r in report.referrals},
        "referral_matches": report.referral_matches.value,
        "cases_referred": report.cases_referred.value,
        "appeals": {r.key: r.count.value for r in report.appeals},
        "appeals_total": report.appeals_total.value,
        "rooms": {(r.venue, r.room): (r.booked_hours, r.open_hours) for r in report.rooms},
    }


@pytest.fixture
async def world(engine: AsyncEngine, session: AsyncSession) -> scenario.Scenario:
    return await scenario.build(session)


async def test_every_figure_of_the_constructed_period(engine: AsyncEngine, world: scenario.Scenario) -> None:
    report = await report_as(engine, world.officer, threshold=1)
    assert raw(report) == scenario.EXPECTED_ALL
    assert report.booked_hours == 10.5 and report.open_hours == 1743.0
    assert report.use_share == round(10.5 / 1743, 3)
    # Grounds in the policy's own words, never the raw code.
    labels = {g.code: g.label for g in report.grounds}
    assert labels["public_safety"].startswith("The event cannot be held safely")
    assert all(g.short and "_" not in g.short for g in report.grounds)


async def test_one_venue(engine: AsyncEngine, world: scenario.Scenario) -> None:
    figures = raw(await report_as(engine, world.officer, venue_id=world.annexe.id, threshold=1))
    assert figures["requests_total"] == 3 and figures["requests_by_month"] == {"2027-02": 0, "2027-03": 3}
    assert figures["decisions"] == {
        "approved": 2, "approved_with_conditions": 0, "refused": 1, "cancelled": 1,
        "information_requested": 0, "refusal_not_countersigned": 0, "awaiting_countersignature": 0,
    }  # fmt: skip
    assert figures["decided"] == 3 and figures["median_days"] == 2 and figures["p90_days"] == 2
    assert figures["appeals"]["upheld"] == 1 and figures["appeals_total"] == 1
    assert figures["referral_matches"] == 0
    assert figures["rooms"] == {("Annexe", "Annexe Room"): (2.0, 855.0)}


async def test_another_organisations_venue_is_unknown_and_its_cases_never_counted(
    engine: AsyncEngine, world: scenario.Scenario
) -> None:
    with pytest.raises(Invalid):
        await report_as(engine, world.officer, venue_id=world.other.id)
    theirs = raw(await report_as(engine, world.other_officer, threshold=1))
    assert theirs["requests_total"] == 10 and theirs["decisions"]["refused"] == 10
    assert theirs["appeals"]["pending"] == 10 and theirs["referrals"]["confirmed"] == 10
    assert list(theirs["rooms"]) == [("Other Hall", "Other Room")]
    assert theirs["rooms"][("Other Hall", "Other Room")][0] == 40.0


async def test_small_counts_are_hidden_and_cannot_be_worked_out(
    engine: AsyncEngine, world: scenario.Scenario
) -> None:
    report = await report_as(engine, world.officer)
    figures = raw(report)
    assert figures["requests_total"] == 12
    assert figures["requests_by_month"] == {"2027-02": 6, "2027-03": 6}
    # 5 under review is shown; every count from 1 to 4 is hidden; zero stays zero.
    assert figures["requests_by_status"] == {
        "under_review": 5, "awaiting_information": 0, "awaiting_acceptance": None, "confirmed": None,
        "refused": None, "withdrawn": None, "cancelled": None,
    }  # fmt: skip
    assert figures["decisions"]["approved"] == 5 and figures["decisions_total"] == 13
    assert figures["decisions"]["refused"] is None
    assert figures["decisions"]["awaiting_countersignature"] is None
    # Days to decision: 8 decided, so the median and 90th percentile are given; the buckets
    # 5 and 3: the 3 is hidden, and with it the 5 (else 8 - 5 would give it away).
    assert (figures["decided"], figures["median_days"], figures["p90_days"]) == (8, 2.5, 10)
    assert figures["days_buckets"] == {"0": None, "1": None, "2": 0, "3": 0}
    assert figures["referral_matches"] is None and figures["cases_referred"] is None
    assert set(figures["referrals"].values()) == {None}
    assert figures["appeals_total"] is None and figures["grounds"]["public_safety"] == (None, 0)
    # Room use is about rooms, not people: never hidden.
    assert figures["rooms"][("Civic Hall", "Studio")] == (1.5, 63.0)
    # Fewer than 5 decided: no median, no percentile.
    small = raw(await report_as(engine, world.officer, venue_id=world.annexe.id))
    assert small["decided"] is None and small["median_days"] is None and small["p90_days"] is None


async def test_only_officers_and_admins(engine: AsyncEngine, world: scenario.Scenario) -> None:
    manager = Actor(id=None, name="m", role="venue_manager", provider_id=world.officer.provider_id)
    with pytest.raises(Forbidden):
        await report_as(engine, manager)
    assert (await report_as(engine, world.admin, threshold=1)).requests_total.value == 12


async def test_a_period_that_ends_before_it_starts_or_is_too_long(
    engine: AsyncEngine, world: scenario.Scenario
) -> None:
    with pytest.raises(Invalid):
        await report_as(engine, world.officer, start=END, end=START)
    with pytest.raises(Invalid):
        await report_as(engine, world.officer, start=dt.date(2020, 1, 1), end=dt.date(2027, 1, 1))


async def test_the_number_of_queries_does_not_grow_with_the_cases(
    engine: AsyncEngine, session: AsyncSession, world: scenario.Scenario
) -> None:
    """No query per case: twenty more decided, referred and appealed cases cost no statement more."""
    from sqlalchemy import event

    from tests.reports import builder as b
    from tests.reports.builder import at

    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(str(args[2]))

    event.listen(engine.sync_engine, "before_cursor_execute", count)
    try:
        await report_as(engine, world.officer)
        before = len(statements)
        entry = await b.flagged_entry(session)
        for k in range(20):
            case = await b.make_case(session, world.hall, world.civic, at("2027-02-15"), status="refused")
            await b.decide(
                session,
                case,
                at("2027-02-16"),
                "refuse",
                ground="public_safety",
                effective=False,
                overturned=True,
            )
            await b.decide(session, case, at("2027-02-25"), "upheld", kind="appeal", created=at("2027-02-18"))
            await b.match(session, case, entry.id, at("2027-02-15"), "cleared" if k % 2 else "open")
        await session.commit()
        statements.clear()
        report = await report_as(engine, world.officer, threshold=1)
        assert report.requests_total.value == 32 and report.appeals_total.value == 22
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", count)
    assert len(statements) == before <= 14, statements
