"""The costs issue 22 item 2 found growing with the years, before and after, in one run:
`python bench/retention_scale.py --years 0.3,1`.

For each size, a fresh database (PostgreSQL when VENUE_HIRE_TEST_POSTGRES_URL is set, else
SQLite) is loaded by bench/scale_data.py, then:

* the retention purge's plan, as the whole-table reading it used to be (the reference kept in
  tests/security/test_retention_plan.py: the baseline) and as the database now chooses it, at
  `NOW` (a daily run: little is due) and
  six years on (every case whose hire ended by `NOW` is past its booking-records period); both
  must give the same plan. Then the six-years-on purge itself (rolled back), with its progress.
* `audit verify` and subject access for the most frequent hirer (single runs).
* audit appends from concurrent requests of four councils, each holding its transaction open
  `--hold-ms` after appending (the rest of a request before its commit): with one lock for the
  service (the baseline: what api/audit.py did) and with a lock per organisation.

`--explain` prints PostgreSQL's EXPLAIN ANALYZE of the candidate query, and of the same with the
per-case facts as correlated subqueries (bench/retention_due_correlated.py, the plan before the
"six years on" fix), which the plan is also timed with.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from functools import partial
from pathlib import Path
from typing import Any
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _databases import pg_admin
from dateutil.relativedelta import relativedelta
from retention_due_correlated import correlated_candidate_cases
from scale import NOW, prepare
from sqlalchemy import text
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from api import audit
from api.audit import append, verify_chain
from api.dataprotection import retention
from api.dataprotection.retention import apply_purge, plan_purge
from api.dataprotection.subject_access import export_subject
from api.db.engine import create_engine
from api.db.migrate import upgrade
from tests.security.test_retention_plan import _plan_as_before, _whole_table_plan

ORGANISATIONS = [uuid.UUID(int=n * 7919 + 1) for n in range(4)]


async def once(fn: Callable[[], Awaitable[Any]]) -> tuple[float, Any]:
    started = time.perf_counter()
    value = await fn()
    return (time.perf_counter() - started) * 1000, value


async def appends(engine: AsyncEngine, requests: int, hold_ms: float) -> float:
    """ms for `requests` concurrent audited requests spread over four councils."""
    maker = async_sessionmaker(engine)

    async def one(n: int) -> None:
        async with maker() as s:
            provider = ORGANISATIONS[n % len(ORGANISATIONS)]
            await append(s, actor="system:bench", action="view", object_type="case", provider_id=provider)
            await asyncio.sleep(hold_ms / 1000)
            await s.commit()

    started = time.perf_counter()
    await asyncio.gather(*(one(n) for n in range(requests)))
    return (time.perf_counter() - started) * 1000


async def measure(url: str, years: float, explain: bool, hold_ms: float, repeat: int = 1) -> dict[str, float]:
    w = await prepare(url, years)
    print(
        f"  loaded {w['counts'].get('vetting_case', 0):,} cases, {w['counts'].get('occurrence', 0):,} dates "
        f"in {w['loaded_s']:.0f} s",
        flush=True,
    )
    out: dict[str, float] = {}
    # Six years on: every case whose hire ended by NOW is past its booking-records period.
    late = NOW + relativedelta(months=72)
    engine = create_engine(url)
    maker = async_sessionmaker(engine, expire_on_commit=False)
    try:
        async with maker() as s:
            for label, now in (("daily run", NOW), ("six years on", late)):
                # Interleaved, so a burst of load from elsewhere falls on all three alike; medians.
                runs: dict[str, list[float]] = {
                    "whole table": [],
                    "correlated subqueries": [],
                    "chosen in SQL": [],
                }
                for _ in range(repeat):
                    ms, before = await once(partial(_whole_table_plan, s, now))
                    runs["whole table"].append(ms)
                    with mock.patch.object(retention, "candidate_cases", correlated_candidate_cases):
                        ms, correlated = await once(partial(_plan_as_before, s, now))
                    runs["correlated subqueries"].append(ms)
                    ms, after = await once(partial(_plan_as_before, s, now))
                    runs["chosen in SQL"].append(ms)
                    await s.rollback()
                    assert after == before == correlated, f"the plans differ at {now}"
                for way, times in runs.items():
                    out[f"plan, {way} ({label})"] = statistics.median(times)
                due = len(after["booking_records"]) + len(after["refusals_and_appeals"])
                print(f"  {label}: {due:,} cases to delete, {len(after['strip']):,} to strip; plans equal")
            plan = await plan_purge(s, now=late)
            last = [0.0]

            def progress(what: str, done: int, total: int) -> None:
                if done == total or time.perf_counter() - last[0] > 5:
                    last[0] = time.perf_counter()
                    print(f"    {what}: {done:,}/{total:,}", flush=True)

            out["purge applied (six years on)"], _ = await once(
                lambda: apply_purge(s, plan, now=late, progress=progress)
            )
            await s.rollback()
            if explain and engine.dialect.name == "postgresql":
                await _explain(s, NOW)
                await _explain(s, late)
            await s.rollback()
            out["audit verify, an object per record (baseline)"], _ = await once(
                lambda: _verify_as_objects(s)
            )
            out["audit verify"], check = await once(lambda: verify_chain(s))
            assert check.ok, check
            out["subject access, frequent hirer"], _ = await once(
                lambda: export_subject(s, organisation=w["frequent"], now=NOW)
            )
            await s.rollback()
        requests = 40
        with mock.patch.object(audit, "_chain_lock_key", return_value=0):
            out["40 audited requests, one lock (baseline)"] = await appends(engine, requests, hold_ms)
        out["40 audited requests, lock per council"] = await appends(engine, requests, hold_ms)
        async with maker() as s:
            assert (await verify_chain(s)).ok
    finally:
        await engine.dispose()
    return out


async def _verify_as_objects(session: Any) -> int:
    """verify_chain's reading as it was: AuditRecord objects, expunged per batch, each hashed."""
    from sqlalchemy import select

    from api.audit import record_hash
    from api.models import AuditRecord
    from vetting.tenancy import ALL_PROVIDERS

    last_id, checked = -1, 0
    while True:
        query = select(AuditRecord).where(AuditRecord.id > last_id).order_by(AuditRecord.id).limit(1000)
        rows = list((await session.execute(query.execution_options(**{ALL_PROVIDERS: True}))).scalars())
        if not rows:
            return checked
        for r in rows:
            fields = (r.at, r.actor, r.action, r.object_type, r.object_id, r.detail, r.provider_id)
            record_hash(r.prev_hash, *fields, per_organisation=True)
            checked += 1
            last_id = r.id
        session.expunge_all()


async def _explain(session: Any, now: dt.datetime) -> None:
    """EXPLAIN ANALYZE of the whole candidate query, now and with correlated subqueries (the
    baseline), with its parameters inlined."""
    from retention_due_correlated import correlated_candidate_query

    from api.dataprotection.retention import DUE_DILIGENCE_DONE, _retention
    from api.dataprotection.retention_due import candidate_query, loosest_cutoff

    cutoffs = {
        "delete_cutoff": loosest_cutoff(now, lambda r: r.booking_records, _retention),
        "refusal_cutoff": loosest_cutoff(now, lambda r: r.refusals_and_appeals, _retention),
        "strip_cutoff": loosest_cutoff(now, lambda r: r.due_diligence_no_adverse, _retention),
        "strip_action": DUE_DILIGENCE_DONE,
    }
    dialect = postgresql.dialect()  # type: ignore[no-untyped-call]  # the dialect class is untyped
    for label, build in (("correlated subqueries", correlated_candidate_query), ("now", candidate_query)):
        sql = str(build(**cutoffs).compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
        await session.execute(text("SET LOCAL jit = off"))
        rows = (await session.execute(text(f"EXPLAIN (ANALYZE, BUFFERS) {sql}"))).scalars()
        print(f"  EXPLAIN ANALYZE at {now:%Y-%m-%d}, the candidate query ({label}):")
        for line in rows:
            print(f"    {line}")


def run_one(years: float, pg_url: str | None, explain: bool, hold_ms: float, repeat: int) -> dict[str, float]:
    if not pg_url:
        with tempfile.TemporaryDirectory(prefix="vh-retention-") as tmp:
            url = f"sqlite+aiosqlite:///{Path(tmp) / 'scale.sqlite3'}"
            upgrade(url)
            return asyncio.run(measure(url, years, explain, hold_ms, repeat))
    name = f"vh_bench_retention_{uuid.uuid4().hex[:8]}"
    asyncio.run(pg_admin(pg_url, f'CREATE DATABASE "{name}"'))
    try:
        url = f"{pg_url.rpartition('/')[0]}/{name}"
        upgrade(url)
        return asyncio.run(measure(url, years, explain, hold_ms, repeat))
    finally:
        asyncio.run(pg_admin(pg_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--years", default="0.3,1", help="sizes in years of data")
    parser.add_argument("--postgres", default=os.environ.get("VENUE_HIRE_TEST_POSTGRES_URL"))
    parser.add_argument("--no-postgres", action="store_true", help="SQLite instead")
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--hold-ms", type=float, default=20.0)
    parser.add_argument("--repeat", type=int, default=1, help="plan timings: median of this many runs")
    args = parser.parse_args()
    sizes = [float(y) for y in args.years.split(",")]
    pg_url = None if args.no_postgres else args.postgres
    label = "PostgreSQL" if pg_url else "SQLite"
    results = {}
    for years in sizes:
        print(f"{label}, {years:g} years of data:", flush=True)
        results[years] = run_one(years, pg_url, args.explain, args.hold_ms, args.repeat)
    print(f"\n{label}: ms (plans: median of {args.repeat}; the rest single runs)")
    print(f"  {'':44}" + "".join(f"{f'{y:g} y':>12}" for y in sizes) + f"{'growth':>10}")
    for op in results[sizes[0]]:
        cells = [results[y][op] for y in sizes]
        print(f"  {op:44}" + "".join(f"{c:12.1f}" for c in cells) + f"{cells[-1] / cells[0]:9.1f}x")
    for years in sizes:
        r = results[years]
        ratios = [
            f"{k}: {r[f'plan, whole table ({k})'] / r[f'plan, chosen in SQL ({k})']:.1f}x faster"
            for k in ("daily run", "six years on")
        ] + [
            f"{k}: {r[f'plan, correlated subqueries ({k})'] / r[f'plan, chosen in SQL ({k})']:.1f}x "
            "faster than with correlated subqueries"
            for k in ("daily run", "six years on")
        ]
        one = r["40 audited requests, one lock (baseline)"] / r["40 audited requests, lock per council"]
        verify = r["audit verify, an object per record (baseline)"] / r["audit verify"]
        ratios.append(f"verify {verify:.1f}x faster")
        print(
            f"  {years:g} y: plan {'; '.join(ratios)}; "
            f"audited requests {one:.1f}x faster with a lock per council"
        )
    print(f"\nload average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
