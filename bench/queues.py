"""Benchmark: the officer's queue tabs over 20,000 cases, beside the naive per-case version.

    .venv/bin/python bench/queues.py [--runs N] [--quick] [--cases N] [--postgres URL] [--json PATH]

Seeds a fresh, migrated SQLite file (and, when ``--postgres URL`` or
``VENUE_HIRE_TEST_POSTGRES_URL`` names a server, a temporary PostgreSQL database) with the data of
bench/reports_data.py (20,000 cases of one council over two years, 5,000 of another that the
officer's scope leaves out), each case given a decide-by date ten working days after it was made
and one open case in seven assigned to the benchmark officer.

Measured, per engine and per tab: ``GET /officer/?tab=...`` through the real app in process
(roles guard, bearer token, the officer's scoped session, the counts of every tab, the tab's
rows, the page rendered), p95 and median. Target: each tab's p95 <= 150 ms (issue 17, "Numbers").
Same-run baseline: bench/queues_naive.py, the tab counts worked out with queries per case; both
must agree (the script stops with an error if they do not).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _databases import pg_admin
from _figures import Figure, fmt, write_json
from litestar.testing import AsyncTestClient
from sqlalchemy import select, text, update
from sqlalchemy.ext.asyncio import async_sessionmaker

from api.app import create_app
from api.db.engine import create_engine
from api.db.migrate import upgrade
from api.settings import Settings
from api.users import create_api_token, create_user
from bench import reports_data
from bench.queues_naive import naive_tabs
from casework.queue_tabs import TABS, london_today, tab_counts
from vetting.actors import Actor
from vetting.lifecycle import NEEDS_ACTION_STATUSES
from vetting.models import VettingCase
from vetting.sharing_scope import scope_for_request
from vetting.tenancy import set_scope
from vetting.workdays import add_working_days

TARGET_MS = 150.0


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) >= 2 else values[0]


async def seed(url: str, cases: int) -> tuple[Actor, str, float]:
    engine = create_engine(url)
    maker = async_sessionmaker(engine, expire_on_commit=False)
    started = time.perf_counter()
    try:
        rows, providers = reports_data.build(cases, cases // 4)
        for case in rows.rows[VettingCase]:
            case["target_date"] = add_working_days(case["created_at"].date(), 10)
        await rows.write(maker)
        async with maker() as session:
            user = await create_user(
                session,
                email="bench.queue@benchshire.example",
                name="Bench Queue Officer",
                role="officer",
                password="correct horse battery staple",  # noqa: S106  (an invented benchmark user)
                provider_id=providers["ours"],
            )
            token = await create_api_token(session, user)
            actor = Actor(id=user.id, name=user.name, role="officer", provider_id=user.provider_id)
            ids = (
                await session.execute(
                    select(VettingCase.id)
                    .where(VettingCase.provider_id == providers["ours"])
                    .order_by(VettingCase.reference)
                )
            ).scalars()
            chosen = [i for n, i in enumerate(ids) if n % 7 == 0]
            for i in range(0, len(chosen), 500):
                await session.execute(
                    update(VettingCase)
                    .where(
                        VettingCase.id.in_(chosen[i : i + 500]), VettingCase.status.in_(NEEDS_ACTION_STATUSES)
                    )
                    .values(assigned_to_id=user.id, assigned_to_name=user.name, assigned_at=reports_data.END)
                )
            await session.commit()
        postgres = engine.dialect.name == "postgresql"
        async with engine.connect() as conn:
            if postgres:
                await conn.execution_options(isolation_level="AUTOCOMMIT")
            await conn.execute(text("VACUUM ANALYZE" if postgres else "ANALYZE"))
            await conn.commit()
    finally:
        await engine.dispose()
    return actor, token, time.perf_counter() - started


async def measure(url: str, label: str, runs: int, baseline_runs: int, cases: int) -> list[Figure]:
    actor, token, seeded_s = await seed(url, cases)
    print(f"{label}: seeded {cases:,} + {cases // 4:,} cases in {seeded_s:.1f} s")
    times: dict[str, list[float]] = {}
    # CPU milliseconds of this process (the app and, for SQLite, the database's thread): on a
    # shared machine wall time also counts the waits for a core.
    cpu: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory(prefix="vh-bench-queues-") as tmp:
        settings = Settings(
            database_url=url,
            secret_key="bench-secret-key-" + "q" * 32,
            environment="test",
            base_url="http://bench.local",
            outbox_dir=Path(tmp) / "outbox",
            log_level="WARNING",
            # The scheduled jobs (reminders, digests over every case) run in the worker in use
            # (deploy/venue-hire-worker.service); left on here, a tick inside the timed runs cost
            # a page seconds of processor time (seen on a loaded machine: 8 s in one run).
            scheduler_enabled=False,
        )
        headers = {"Authorization": f"Bearer {token}"}
        async with AsyncTestClient(app=create_app(settings), base_url="http://bench.local") as client:
            for tab in TABS:
                url_tab = f"/officer/?tab={tab}"
                answer = await client.get(url_tab, headers=headers)  # warm-up
                assert answer.status_code == 200 and "queue-tabs" in answer.text, answer.text[:300]
                times[tab], cpu[tab] = [], []
                for _ in range(runs):
                    started, used = time.perf_counter(), time.process_time()
                    answer = await client.get(url_tab, headers=headers)
                    times[tab].append((time.perf_counter() - started) * 1000)
                    cpu[tab].append((time.process_time() - used) * 1000)
                    assert answer.status_code == 200
    engine = create_engine(url)
    maker = async_sessionmaker(engine, expire_on_commit=False)
    today = london_today(reports_data.END)
    try:
        async with maker() as session:
            set_scope(session, await scope_for_request(session, actor))
            real = await tab_counts(session, actor.id, today)
            await session.rollback()
        async with maker() as session:  # unscoped: see bench/queues_naive.py
            assert actor.provider_id is not None
            base_times: list[float] = []
            naive: dict[str, int] = {}
            for _ in range(baseline_runs):
                session.expunge_all()
                started = time.perf_counter()
                naive = await naive_tabs(session, actor.provider_id, actor.id, today, "new")
                base_times.append((time.perf_counter() - started) * 1000)
            await session.rollback()
    finally:
        await engine.dispose()
    if real != naive:
        raise SystemExit(f"{label}: the tabs say {real}\nbut the per-case version says {naive}")
    base = statistics.median(base_times)
    print(
        f"  counts agree with the per-case version on {today}: "
        + ", ".join(f"{k} {v:,}" for k, v in real.items())
    )
    for tab, values in times.items():
        print(f"  GET /officer/?tab={tab}, {len(values)} runs: median {statistics.median(values):.1f} ms, "
              f"p95 {p95(values):.1f} ms (CPU of this process: median {statistics.median(cpu[tab]):.1f} ms, "
              f"p95 {p95(cpu[tab]):.1f} ms)")  # fmt: skip
    print(
        f"  baseline: the counts and one tab's rows a query per case, {len(base_times)} runs: "
        f"median {base:,.0f} ms"
    )
    load = os.getloadavg()
    print(
        f"  load average during the run: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} on {os.cpu_count()} cores"
    )
    return [
        Figure(
            f"queues: tab {tab}, {cases:,} cases, {label} (p95)",
            p95(values),
            "ms",
            target=TARGET_MS,
            baseline=base,
            baseline_label="counts and the tab's rows, a query per case",
            note=f"CPU p95 {p95(cpu[tab]):.0f} ms; load {load[0]:.0f}",
            extra={
                "median_ms": statistics.median(values),
                "cpu_p95_ms": p95(cpu[tab]),
                "load_average": load[0],
            },
        )
        for tab, values in times.items()
    ]


def run_migrated(url: str, label: str, runs: int, baseline_runs: int, cases: int) -> list[Figure]:
    upgrade(url)  # migrations run their own event loop: before ours
    return asyncio.run(measure(url, label, runs, baseline_runs, cases))


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=60, help="timed page loads per tab and engine")
    parser.add_argument("--quick", action="store_true", help="fewer timed runs (same data size)")
    parser.add_argument("--cases", type=int, default=20_000, help="cases of the officer's council")
    parser.add_argument("--postgres", default=os.environ.get("VENUE_HIRE_TEST_POSTGRES_URL"))
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    parser.add_argument("--json", help="write the figures to this file for bench/run_all.py")
    args = parser.parse_args()
    runs, baseline_runs = (20, 1) if args.quick else (args.runs, 2)
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="vh-bench-queues-") as tmp:
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'bench.sqlite3'}"
        figures += run_migrated(url, "SQLite", runs, baseline_runs, args.cases)
    if args.postgres and not args.no_postgres:
        name = f"vh_bench_queues_{uuid.uuid4().hex[:10]}"
        asyncio.run(pg_admin(args.postgres, f'CREATE DATABASE "{name}"'))
        try:
            pg_url = f"{args.postgres.rpartition('/')[0]}/{name}"
            figures += run_migrated(pg_url, "PostgreSQL", runs, baseline_runs, args.cases)
        finally:
            asyncio.run(pg_admin(args.postgres, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    else:
        print("PostgreSQL: skipped (set VENUE_HIRE_TEST_POSTGRES_URL or pass --postgres URL)")
    for f in figures:
        print(f"{f.name}: {fmt(f.value, f.unit)} ({f.target_text()}): {'met' if f.met else 'MISSED'}")
    write_json(args.json, "queues", figures)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
