"""Every report statement is kept to the officer's organisation by casework/report_scope.py.

The report switches the session's automatic organisation criteria off for its statements (they
cost SQLite a list of the organisation's case ids per statement) and filters explicitly instead;
so a report statement that bypassed the helper would either read every organisation's rows or
quietly put the slow criteria back. These tests catch both: every statement the report runs is
checked for the switch and the filter in its SQL, on each engine, with two organisations' data
(tests/reports/scenario.py); the figures themselves are checked in test_report_figures.py, whose
other organisation's cases would show in them if a filter were missing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.orm import ORMExecuteState, Session

from casework.report_scope import Narrowed, ReportScope
from casework.reports import build_report
from tests.reports import scenario
from tests.reports.test_report_figures import END, START
from vetting.actors import Actor
from vetting.models import Decision, VettingCase
from vetting.sharing_scope import scope_for_request
from vetting.tenancy import ALL_PROVIDERS, set_scope

FILTERS = ("vetting_case.provider_id IN", "venue.provider_id IN", "decision.provider_id IN")
NOT_ORGANISATION_DATA = ("FROM policy_snapshot",)
"""Statements the report runs that read no organisation's data (the policy texts of the grounds)."""


@pytest.fixture
async def world(engine: AsyncEngine, session: AsyncSession) -> scenario.Scenario:
    return await scenario.build(session)


@contextmanager
def report_statements(engine: AsyncEngine) -> Iterator[list[tuple[str, bool]]]:
    """(SQL as the engine runs it, whether the automatic criteria were off) of each ORM statement."""
    seen: list[tuple[str, bool]] = []

    def record(state: ORMExecuteState) -> None:
        sql = str(state.statement.compile(dialect=engine.dialect))
        seen.append((" ".join(sql.split()), bool(state.execution_options.get(ALL_PROVIDERS, False))))

    event.listen(Session, "do_orm_execute", record)
    try:
        yield seen
    finally:
        event.remove(Session, "do_orm_execute", record)


async def report_run(engine: AsyncEngine, actor: Actor, **kw: Any) -> list[tuple[str, bool]]:
    """The statements `build_report` runs, on a session scoped as a request's would be."""
    async with async_sessionmaker(engine, expire_on_commit=False)() as s:
        set_scope(s, await scope_for_request(s, actor))
        with report_statements(engine) as seen:
            await build_report(s, actor, START, END, **kw)
    return seen


@pytest.mark.parametrize("venue", [False, True])
async def test_every_report_statement_switches_the_scope_off_and_filters_itself(
    engine: AsyncEngine, world: scenario.Scenario, venue: bool
) -> None:
    seen = await report_run(engine, world.officer, venue_id=world.civic.id if venue else None)
    report = [(sql, off) for sql, off in seen if not any(m in sql for m in NOT_ORGANISATION_DATA)]
    # every section ran: requests, decisions, requests for information, time to decision,
    # referrals, appeals, rooms, closures, booked hours (and the venue's name when one is chosen)
    assert len(report) >= 9 + venue, seen
    for sql, off in report:
        assert off, f"a report statement ran with the automatic criteria (not through ReportScope): {sql}"
        assert any(f in sql for f in FILTERS), f"a report statement without its organisation filter: {sql}"


async def test_a_service_administrators_report_reads_every_organisation(
    engine: AsyncEngine, world: scenario.Scenario
) -> None:
    """Unrestricted: the same statements, no filter (the helper adds none when there is no scope)."""
    admin = Actor(id=None, name="service administrator", role="admin")
    seen = await report_run(engine, admin)
    assert seen and not any(f in sql for sql, _ in seen for f in FILTERS)


async def test_the_filter_keeps_another_organisations_rows_out_with_the_scope_off(
    engine: AsyncEngine, session: AsyncSession, world: scenario.Scenario
) -> None:
    """The helper's own filter, on its own: the session's criteria are off, the rows are still one
    organisation's (the scenario has both councils' cases and decisions)."""
    assert world.officer.provider_id is not None and world.other_officer.provider_id is not None
    ours, theirs = ReportScope((world.officer.provider_id,)), ReportScope((world.other_officer.provider_id,))
    query = select(VettingCase.provider_id).select_from(Decision)
    for scope, provider in ((ours, world.officer.provider_id), (theirs, world.other_officer.provider_id)):
        found = set((await scope.run(session, scope.by_case(query, Decision.case_id))).scalars())
        assert found == {provider}
    everyone = ReportScope(None)
    found = set((await everyone.run(session, everyone.by_case(query, Decision.case_id))).scalars())
    assert found == {world.officer.provider_id, world.other_officer.provider_id}


def test_only_the_helper_makes_a_narrowed_statement() -> None:
    with pytest.raises(TypeError):
        Narrowed(select(VettingCase.id), object())
