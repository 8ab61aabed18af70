"""Migration d19a00000001 fills, for decisions and cases made before it, what the services now stamp
when a decision takes effect (casework/decision_effect.py): when each decision counts and as what,
and each case's first decision to take effect with its working days. The bench's data set (every
decision shape: approvals with and without conditions, refusals made, countersigned, waiting and
overturned on appeal, cancellations) is written without those columns, migrated, and compared with
the values stamped as the services would; the downgrade loses no row."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
import sqlalchemy as sa

from api.db.engine import create_engine
from api.db.migrate import upgrade
from bench import reports_data
from tests.api.test_migration_providers import blank_url  # noqa: F401  # fixture
from tests.api.test_migration_weak_aliases import _downgrade
from venues.models import Occurrence
from vetting.models import Decision, VettingCase

PREVIOUS = "d19b00000001"
REVISION = "d19a00000001"
NEW = {
    "decision": ("effect_at", "report_state"),
    "vetting_case": ("first_decision_at", "decision_working_days"),
}


# Columns later migrations add (d20p00000001: the request's language): the schema under test has
# none of them, so the rows cannot carry them.
LATER = {"vetting_case": ("language",)}


def _without_new_columns(rows: reports_data.Rows) -> dict[str, dict[Any, tuple[Any, ...]]]:
    """Take the stamped values out of the rows (the old schema has no such columns): the expected."""
    expected: dict[str, dict[Any, tuple[Any, ...]]] = {}
    for model, values in rows.rows.items():
        columns = NEW.get(model.__tablename__)
        if columns:
            expected[model.__tablename__] = {v["id"]: tuple(v.pop(c, None) for c in columns) for v in values}
    return expected


def _as_before(model: Any) -> Any:
    """The model's table as the schema under test has it: without the columns later migrations
    add (a column with a default would otherwise be written, and the old table has no such column)."""
    later = LATER.get(model.__tablename__)
    if not later:
        return model
    table = model.__table__
    return sa.Table(table.name, sa.MetaData(), *(c._copy() for c in table.columns if c.name not in later))


async def _write(url: str, rows: reports_data.Rows) -> None:
    engine = create_engine(url)
    try:
        async with engine.begin() as conn:
            for model in rows.ORDER:
                values = rows.rows[model]
                for i in range(0, len(values), 2000):
                    await conn.execute(sa.insert(_as_before(model)), values[i : i + 2000])
    finally:
        await engine.dispose()


async def _stamped(url: str) -> dict[str, dict[Any, tuple[Any, ...]]]:
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            decisions = await conn.execute(sa.select(Decision.id, Decision.effect_at, Decision.report_state))
            cases = await conn.execute(
                sa.select(VettingCase.id, VettingCase.first_decision_at, VettingCase.decision_working_days)
            )
            return {
                "decision": {r[0]: tuple(r[1:]) for r in decisions.all()},
                "vetting_case": {r[0]: tuple(r[1:]) for r in cases.all()},
            }
    finally:
        await engine.dispose()


async def _count(url: str, table: str) -> int:
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            return int((await conn.execute(sa.text(f"SELECT count(*) FROM {table}"))).scalar_one())  # noqa: S608
    finally:
        await engine.dispose()


@pytest.mark.slow
def test_existing_decisions_and_cases_are_stamped_as_the_services_stamp_them(blank_url: str) -> None:  # noqa: F811
    rows, _ = reports_data.build(300, 60, seed=5)
    # A later revision's columns (d20r00000001).
    for occurrence in rows.rows[Occurrence]:
        del occurrence["room_id"]
    for decision in rows.rows[Decision]:
        del decision["provider_id"]
    expected = _without_new_columns(rows)
    states = {state for _, state in expected["decision"].values()}
    assert {
        "approved",
        "approved_with_conditions",
        "refused",
        "cancelled",
        "awaiting_countersignature",
    } <= states
    upgrade(blank_url, PREVIOUS)
    asyncio.run(_write(blank_url, rows))
    before = {t: asyncio.run(_count(blank_url, t)) for t in ("decision", "vetting_case", "occurrence")}

    upgrade(blank_url, REVISION)
    assert asyncio.run(_stamped(blank_url)) == expected

    _downgrade(blank_url, PREVIOUS)
    assert {t: asyncio.run(_count(blank_url, t)) for t in before} == before
