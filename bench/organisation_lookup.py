"""A booking request's organisation lookup by name as a council's organisations grow (issue 22 item 2).

    .venv/bin/python bench/organisation_lookup.py [--postgres postgresql+asyncpg://...] \
        [--sizes 1000,9000,60000]

Every booking request looks its organisation up by `lower(name)` within its scope's councils
(vetting/organisation_links.py). Measured: that statement, as the app runs it, against one
council's organisations at each size (and 5,000 of another council's), median of 300 runs of
different names; on PostgreSQL its own planning and execution time (EXPLAIN ANALYZE, planned with
the values as the app's connections plan), not the round trip. The database is migrated to the
head; the same-run baseline is the same database with the indexes it had before migration
d22org0001 (lower(name) and provider_id, each alone). On PostgreSQL the statistics are taken when
only the other council's organisations are there, as on a table that has grown since autovacuum
last analysed it. Invented names only.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import asyncpg  # type: ignore[import-untyped]  # asyncpg ships no type information
from sqlalchemy.engine import make_url

from api.db.migrate import upgrade
from bench._databases import pg_admin

RUNS = 300
OTHER_COUNCIL = 5_000
_COLUMNS = "id, provider_id, name, type, charity_number, company_number, address, website, last_cleared_at"
# The app's statement (vetting/organisation_links._BY_NAME under a one-council scope).
LOOKUP = (
    f"SELECT {_COLUMNS} FROM organisation WHERE lower(organisation.name) = {{0}}"  # noqa: S608
    " AND organisation.provider_id IN ({1})"
    " ORDER BY organisation.last_cleared_at IS NULL, organisation.created_at, organisation.id LIMIT 1"
)
NEW = ["CREATE INDEX ix_organisation_provider_name_lower ON organisation (provider_id, lower(name))"]
OLD = [
    "DROP INDEX ix_organisation_provider_name_lower",
    "CREATE INDEX ix_organisation_provider_id ON organisation (provider_id)",
]
BACK = ["DROP INDEX ix_organisation_provider_id", *NEW]


def _rows(council: str, start: int, stop: int) -> list[tuple[str, str, str]]:
    return [(str(uuid.uuid4()), council, f"Invented Group {n}") for n in range(start, stop)]


def _median_ms(run: Callable[[str], object]) -> float:
    times = []
    for n in range(RUNS):
        started = time.perf_counter()
        run(f"invented group {n * 7}")
        times.append(time.perf_counter() - started)
    return 1000 * statistics.median(times)


def sqlite_series(sizes: list[int]) -> list[tuple[int, float, float]]:
    path = Path(tempfile.mkdtemp()) / "lookup.sqlite3"
    upgrade(f"sqlite+aiosqlite:///{path}")
    db = sqlite3.connect(path)
    insert = (
        "INSERT INTO organisation (id, provider_id, name, type, created_at, updated_at)"
        " VALUES (?, ?, ?, 'club', datetime('now'), datetime('now'))"
    )
    council = str(uuid.uuid4())
    db.executemany(insert, _rows(str(uuid.uuid4()), 0, OTHER_COUNCIL))
    query = LOOKUP.format("?", "?")
    found, have = [], 0
    for size in sizes:
        db.executemany(insert, _rows(council, have, size))
        db.commit()
        have = size

        def run(name: str) -> object:
            return db.execute(query, (name, council)).fetchall()

        now = _median_ms(run)
        for statement in OLD:
            db.execute(statement)
        before = _median_ms(run)
        for statement in BACK:
            db.execute(statement)
        found.append((size, now, before))
    db.close()
    return found


def postgres_series(admin_url: str, sizes: list[int]) -> list[tuple[int, float, float]]:
    name = f"vh_lookup_{uuid.uuid4().hex[:8]}"
    asyncio.run(pg_admin(admin_url, f'CREATE DATABASE "{name}"'))
    url = make_url(admin_url).set(database=name)
    try:
        upgrade(url.render_as_string(hide_password=False))
        plain = url.set(drivername="postgresql").render_as_string(hide_password=False)
        return asyncio.run(_postgres_measured(plain, sizes))
    finally:
        asyncio.run(pg_admin(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


async def _postgres_measured(url: str, sizes: list[int]) -> list[tuple[int, float, float]]:
    db = await asyncpg.connect(url)
    insert = (
        "INSERT INTO organisation (id, provider_id, name, type, created_at, updated_at)"
        " VALUES ($1::uuid, $2::uuid, $3, 'club', now(), now())"
    )
    council = str(uuid.uuid4())
    await db.executemany(insert, _rows(str(uuid.uuid4()), 0, OTHER_COUNCIL))
    await db.execute("ANALYZE organisation")
    found, have = [], 0
    for size in sizes:
        await db.executemany(insert, _rows(council, have, size))
        have = size
        now = await _pg_median_ms(db, council)
        for statement in OLD:
            await db.execute(statement)
        before = await _pg_median_ms(db, council)
        for statement in BACK:
            await db.execute(statement)
        found.append((size, now, before))
    await db.close()
    return found


async def _pg_median_ms(db: asyncpg.Connection, council: str) -> float:
    """PostgreSQL's own time (planning and execution, from EXPLAIN ANALYZE: not the round trip)
    per lookup, median, planned with the values as the app's connections plan."""
    await db.execute("SET plan_cache_mode = force_custom_plan")
    explain = await db.prepare("EXPLAIN (ANALYZE, FORMAT JSON) " + LOOKUP.format("$1::varchar", "$2::uuid"))
    times: list[float] = []
    for n in range(RUNS):
        (plan,) = json.loads(await explain.fetchval(f"invented group {n * 7}", council))
        times.append(float(plan["Planning Time"]) + float(plan["Execution Time"]))
    return statistics.median(times)


def report(engine: str, found: list[tuple[int, float, float]]) -> None:
    for size, now, before in found:
        print(
            f"{engine:10} {size:>7,} organisations: {now:7.3f} ms"
            f"   before d22org0001 {before:7.3f} ms   ({before / now:,.0f}x)",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", help="an admin URL of a PostgreSQL server: also measure there")
    parser.add_argument("--sizes", default="1000,9000,60000", help="the council's organisations, ascending")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    print(
        f"The organisation lookup by name, median of {RUNS} runs; {OTHER_COUNCIL:,} of another council's too"
    )
    report("SQLite", sqlite_series(sizes))
    if args.postgres:
        report("PostgreSQL", postgres_series(args.postgres, sizes))


if __name__ == "__main__":
    main()
