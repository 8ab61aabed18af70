"""Import the flagged list, then re-screen: the one sequence the API, the officer page and the CLI
share (casework.rescreen.import_and_rescreen)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from casework.input import ApplicationRequest
from casework.rescreen import import_and_rescreen
from casework.workflow import Workflow
from tests.factories import ADMIN, application_payload, next_weekday
from vetting.importers import ImportedEntry
from vetting.models import FlaggedEntry, ScreeningMatch

LISTED = ImportedEntry(kind="person", name="Jordan Plotholder", source="proscribed", source_ref="T-1")


async def _count(session: AsyncSession, model: Any) -> int:
    return (await session.execute(select(func.count()).select_from(model))).scalar_one()


async def test_a_dry_run_changes_nothing_and_screens_nothing(
    session: AsyncSession, seeded: dict[str, Any]
) -> None:
    body = application_payload(seeded["hall_a"].id, next_weekday(2, weeks_ahead=5))
    await Workflow(session).submit(ApplicationRequest.model_validate(body))
    await session.commit()
    done = await import_and_rescreen(session, ADMIN, [LISTED], dry_run=True)
    assert done.counts.added == 1
    assert done.rescreen is None
    assert await _count(session, FlaggedEntry) == 0
    assert await _count(session, ScreeningMatch) == 0


async def test_an_import_refers_upcoming_cases_that_name_a_new_entry(
    session: AsyncSession, seeded: dict[str, Any]
) -> None:
    body = application_payload(seeded["hall_a"].id, next_weekday(2, weeks_ahead=5))
    submitted = await Workflow(session).submit(ApplicationRequest.model_validate(body))
    await session.commit()
    done = await import_and_rescreen(session, ADMIN, [LISTED])
    await session.commit()
    assert done.counts.added == 1
    assert done.rescreen is not None
    assert done.rescreen.as_dict() == {"cases": 1, "new_matches": 1}
    matches = (await session.execute(select(ScreeningMatch))).scalars().all()
    assert [(m.case_id, m.query_name, m.disposition) for m in matches] == [
        (submitted.case.id, "Jordan Plotholder", "open")
    ]
