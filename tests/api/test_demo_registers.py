"""The demo data carries a small invented register extract, so `make run` shows the register
checks: a dissolved company, a removed charity, a number quoted under another name, and a trustee
on the flagged list, each on a demo case. Both engines."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.demo import load_demo
from vetting.models import ScreeningMatch, VettingCase

NOW = dt.datetime(2026, 12, 6, 9, 0, tzinfo=dt.UTC)


async def _registration(session: AsyncSession, organisation: str) -> dict[str, object]:
    case = (
        await session.execute(select(VettingCase).where(VettingCase.organisation_name == organisation))
    ).scalar_one()
    return next(c for c in case.checks if c.get("check") == "registry_numbers")


async def test_the_demo_shows_the_register_checks(session: AsyncSession) -> None:
    assert (await load_demo(session, now=NOW)).created
    await session.commit()
    dissolved = await _registration(session, "Harrowmere Events Ltd")
    assert dissolved["outcome"] == "review"
    assert "Companies House shows 08123456 as dissolved" in str(dissolved["needed"])
    removed = await _registration(session, "Harrowmere Heritage Trust")
    assert "removed on Monday 30 June 2025 (Ceased to exist)" in str(removed["needed"])
    borrowed = await _registration(session, "Sunrise Dance Collective")
    assert "gives 09345678 to 'EASTGATE LANTERN ARTS LIMITED'" in str(borrowed["needed"])
    good = await _registration(session, "Riverside Community Choir Trust")
    assert good["outcome"] == "pass"
    trustee = (
        await session.execute(
            select(ScreeningMatch).where(ScreeningMatch.subject_role == "trustee on the register")
        )
    ).scalar_one()
    assert trustee.query_name == "Dariusz Velkov"
    assert "Named as a trustee of charity 1176543" in trustee.explanation
