"""Register data follows its own retention: kept live answers go after three months; the
trustees and PSCs a register named on a case go with the case's due-diligence detail."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.dataprotection.retention import _strip_due_diligence, apply_purge, plan_purge
from vetting.models import VettingCase
from vetting.registers.models import RegisterAnswer

NOW = dt.datetime(2026, 12, 6, 9, 0, tzinfo=dt.UTC)


async def test_kept_register_answers_go_after_three_months(session: AsyncSession) -> None:
    for number, days in (("SC123456", 95), ("09876543", 10)):
        session.add(
            RegisterAnswer(
                backend="live",
                register="companies_house",
                number=number,
                kind="entry",
                answered_at=NOW - dt.timedelta(days=days),
                payload={"status": "found", "people": [["person", "person with significant control", "A B"]]},
            )
        )
    await session.commit()
    plan = await plan_purge(session, now=NOW)
    assert plan.counts()["register_answers"] == 1
    await apply_purge(session, plan, now=NOW)
    await session.commit()
    left = (await session.execute(select(RegisterAnswer.number))).scalars().all()
    assert left == ["09876543"]
    assert (await plan_purge(session, now=NOW)).counts()["register_answers"] == 0  # nothing more to do


def test_register_people_go_with_the_due_diligence_detail() -> None:
    case = VettingCase(
        people=[{"name": "Invented Person", "role": "chair"}],
        register_people=[
            ["person", "trustee on the register", "Corvin Aldersgate", "Named as a trustee ..."]
        ],
        answers={},
        checks=[],
    )
    _strip_due_diligence(case)
    assert case.register_people == []
