"""After the runs: no two holds of one unit overlap, and nothing answered 201 is missing."""

from __future__ import annotations

import uuid
from pathlib import Path

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from api.db.engine import create_engine
from vetting.models import VettingCase


async def verify(url: str, ids_dir: Path) -> dict[str, int]:
    """No two holds of one unit overlap; every id answered with 201 is a case in the database."""
    ids = {line.strip() for f in ids_dir.glob("*.txt") for line in f.read_text().splitlines() if line.strip()}  # noqa: ASYNC240
    engine = create_engine(url)
    try:
        async with AsyncSession(engine) as session:
            overlaps = (
                await session.execute(
                    text(
                        "SELECT count(*) FROM occurrence_hold a JOIN occurrence_hold b"
                        " ON a.unit_id = b.unit_id AND a.id < b.id"
                        " AND a.held_from < b.held_to AND b.held_from < a.held_to"
                    )
                )
            ).scalar_one()
            holds = (await session.execute(text("SELECT count(*) FROM occurrence_hold"))).scalar_one()
            found: set[str] = set()
            wanted = [uuid.UUID(i) for i in ids]
            for chunk in range(0, len(wanted), 500):
                rows = await session.execute(
                    select(VettingCase.id).where(VettingCase.id.in_(wanted[chunk : chunk + 500]))
                )
                found.update(str(r) for r in rows.scalars())
            cases = (await session.execute(text("SELECT count(*) FROM vetting_case"))).scalar_one()
    finally:
        await engine.dispose()
    return {
        "holds": int(holds),
        "overlapping hold pairs": int(overlaps),
        "ids answered 201": len(ids),
        "of those missing from the database": len(ids - found),
        "cases in the database": int(cases),
    }
