"""Benchmark: the reports page over 20,000 cases, beside the naive per-row version.

    .venv/bin/python bench/reports.py [--runs N] [--quick] [--cases N] [--postgres URL] [--json PATH]

Seeds a fresh, migrated SQLite file (and, when ``--postgres URL`` or
``VENUE_HIRE_TEST_POSTGRES_URL`` names a server, a temporary PostgreSQL database) with the data
of bench/reports_data.py: 20,000 cases of one council over two years (about half of them in the
twelve months reported on) and 5,000 of another, which the officer's scope leaves out.

Measured, per engine: ``GET /officer/reports`` for those twelve months, through the real app in
process (roles guard, bearer token, the officer's scoped session, every query, the page
rendered), p95 and median; the same for ``GET /api/v1/reports``; and the read model alone
(casework.reports.build_report). Target: the page's p95 <= 150 ms (issue 17, "Numbers").
Same-run baseline: bench/reports_naive.py, the headline figures worked out with a query per
case. Both must agree (the report built with no suppression against the naive figures); the
script stops with an error if they do not.
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
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _databases import pg_admin
from _figures import Figure, fmt, write_json
from litestar.testing import AsyncTestClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import async_sessionmaker

from api.app import create_app
from api.db.engine import create_engine
from api.db.migrate import upgrade
from api.settings import Settings
from api.users import create_api_token, create_user
from bench import reports_data
from bench.reports_naive import naive_figures, report_figures
from casework.reports import build_report
from vetting.actors import Actor
from vetting.sharing_scope import scope_for_request
from vetting.tenancy import set_scope

TARGET_MS = 150.0
SERVICE_ADMIN = Actor(id=None, name="bench administrator", role="admin")
START, END = dt.date(2026, 7, 1), dt.date(2027, 6, 30)
QUERY = f"start={START}&end={END}"


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) >= 2 else values[0]


CPU: dict[int, list[float]] = {}
"""CPU milliseconds of this process per timed run, by the list of wall times they go with: on a
shared machine wall time also counts the waits for a core; CPU time (the app and, for SQLite,
the database engine's thread) does not."""


async def timed(fn: Callable[[], Awaitable[Any]], runs: int) -> list[float]:
    await fn()  # warm-up: statement caches, templates, the page cache of the database
    times: list[float] = []
    cpu: list[float] = []
    for _ in range(runs):
        started, used = time.perf_counter(), time.process_time()
        await fn()
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - used) * 1000)
    CPU[id(times)] = cpu
    return times


async def seed(url: str, cases: int) -> tuple[Actor, str, dict[str, int], float]:
    engine = create_engine(url)
    maker = async_sessionmaker(engine, expire_on_commit=False)
    started = time.perf_counter()
    try:
        rows, providers = reports_data.build(cases, cases // 4)
        counts = await rows.write(maker)
        async with maker() as session:
            user = await create_user(
                session,
                email="bench.officer@benchshire.example",
                name="Bench Officer",
                role="officer",
                password="correct horse battery staple",  # noqa: S106  (an invented benchmark user)
                provider_id=providers["ours"],
            )
            token = await create_api_token(session, user)
            actor = Actor(id=user.id, name=user.name, role="officer", provider_id=user.provider_id)
            await session.commit()
        # Statistics and visibility as a database in use would have them: autovacuum both vacuums
        # and analyses on PostgreSQL (the visibility map is what lets the report's covering
        # indexes be read without the table); SQLite only needs its optimizer's statistics.
        postgres = engine.dialect.name == "postgresql"
        async with engine.connect() as conn:
            if postgres:  # VACUUM runs outside a transaction
                await conn.execution_options(isolation_level="AUTOCOMMIT")
            await conn.execute(text("VACUUM ANALYZE" if postgres else "ANALYZE"))
            await conn.commit()
    finally:
        await engine.dispose()
    return actor, token, counts, time.perf_counter() - started


async def measure(url: str, label: str, runs: int, baseline_runs: int, cases: int) -> list[Figure]:
    actor, token, counts, seeded_s = await seed(url, cases)
    print(
        f"{label}: seeded in {seeded_s:.1f} s: "
        + ", ".join(f"{n:,} {t}" for t, n in counts.items() if t in ("vetting_case", "occurrence", "decision",
                                                                        "case_event", "screening_match"))
    )  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="vh-bench-reports-") as tmp:
        settings = Settings(
            database_url=url,
            secret_key="bench-secret-key-" + "z" * 32,
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

            async def page() -> None:
                answer = await client.get(f"/officer/reports?{QUERY}", headers=headers)
                assert answer.status_code == 200 and "Room use" in answer.text, answer.text[:500]

            async def api() -> None:
                answer = await client.get(f"/api/v1/reports?{QUERY}", headers=headers)
                assert answer.status_code == 200, answer.text[:500]

            page_times = await timed(page, runs)
            api_times = await timed(api, runs)
    engine = create_engine(url)
    maker = async_sessionmaker(engine, expire_on_commit=False)
    try:
        async with maker() as session:
            set_scope(session, await scope_for_request(session, actor))

            async def model() -> None:
                session.expunge_all()
                await build_report(session, actor, START, END)

            model_times = await timed(model, runs)
            await session.rollback()
        # The check and the baseline on an unscoped session (a service administrator's: both
        # councils): the naive version's query per case on a scoped session repeats the scope's
        # subquery every time, which would flatter the comparison further.
        async with maker() as session:

            async def unscoped() -> None:
                session.expunge_all()
                await build_report(session, SERVICE_ADMIN, START, END)

            unscoped_times = await timed(unscoped, runs)
            real = report_figures(await build_report(session, SERVICE_ADMIN, START, END, threshold=1))
            base_times: list[float] = []
            naive: dict[str, Any] = {}
            for _ in range(baseline_runs):
                session.expunge_all()
                started = time.perf_counter()
                naive = await naive_figures(session, START, END)
                base_times.append((time.perf_counter() - started) * 1000)
            await session.rollback()
    finally:
        await engine.dispose()
    if real != naive:
        raise SystemExit(f"{label}: the report says {real}\nbut the per-row version says {naive}")
    base = statistics.median(base_times)
    print(
        f"  figures agree with the per-row version: {real['requests']:,} requests, "
        f"{real['decided']:,} decided"
    )
    for name, times in (("GET /officer/reports", page_times), ("GET /api/v1/reports", api_times),
                        ("build_report alone, the officer's council", model_times),
                        ("build_report alone, unscoped (both councils)", unscoped_times)):  # fmt: skip
        cpu = CPU[id(times)]
        print(
            f"  {name}, {len(times)} runs: median {statistics.median(times):.1f} ms, p95 {p95(times):.1f} ms"
            f" (CPU of this process: median {statistics.median(cpu):.1f} ms, p95 {p95(cpu):.1f} ms)"
        )
    print(
        f"  baseline: a query per case, unscoped (figures only), {len(base_times)} runs: "
        f"median {base:,.0f} ms"
    )
    print(f"  ratio baseline / unscoped read model p95: {base / p95(unscoped_times):.0f}x")
    load = os.getloadavg()
    print(
        f"  load average during the run: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} on {os.cpu_count()} cores"
    )
    return [
        Figure(
            f"reports: page, {cases:,} cases, {label} (p95)",
            p95(page_times),
            "ms",
            target=TARGET_MS,
            note=f"CPU p95 {p95(CPU[id(page_times)]):.0f} ms; load {os.getloadavg()[0]:.0f}",
            extra={"median_ms": statistics.median(page_times), "load_average": os.getloadavg()[0]},
        ),
        Figure(
            f"reports: JSON API, {label} (p95)",
            p95(api_times),
            "ms",
            target=TARGET_MS,
        ),
        Figure(f"reports: read model alone, scoped, {label} (p95)", p95(model_times), "ms"),
        Figure(
            f"reports: read model, unscoped, {label} (p95)",
            p95(unscoped_times),
            "ms",
            baseline=base,
            baseline_label="a query per case, unscoped (figures only)",
        ),
    ]


def run_migrated(url: str, label: str, runs: int, baseline_runs: int, cases: int) -> list[Figure]:
    upgrade(url)  # migrations run their own event loop: before ours
    return asyncio.run(measure(url, label, runs, baseline_runs, cases))


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=100, help="timed page loads per engine")
    parser.add_argument("--quick", action="store_true", help="fewer timed runs (same data size)")
    parser.add_argument("--cases", type=int, default=20_000, help="cases of the officer's council")
    parser.add_argument("--postgres", default=os.environ.get("VENUE_HIRE_TEST_POSTGRES_URL"))
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    parser.add_argument("--json", help="write the figures to this file for bench/run_all.py")
    args = parser.parse_args()
    runs, baseline_runs = (30, 1) if args.quick else (args.runs, 2)
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="vh-bench-reports-") as tmp:
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'bench.sqlite3'}"
        figures += run_migrated(url, "SQLite", runs, baseline_runs, args.cases)
    if args.postgres and not args.no_postgres:
        name = f"vh_bench_reports_{uuid.uuid4().hex[:10]}"
        asyncio.run(pg_admin(args.postgres, f'CREATE DATABASE "{name}"'))
        try:
            pg_url = f"{args.postgres.rpartition('/')[0]}/{name}"
            figures += run_migrated(pg_url, "PostgreSQL", runs, baseline_runs, args.cases)
        finally:
            asyncio.run(pg_admin(args.postgres, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    else:
        print("PostgreSQL: skipped (set VENUE_HIRE_TEST_POSTGRES_URL or pass --postgres URL)")
    for f in figures:
        if f.target is not None:
            print(f"{f.name}: {fmt(f.value, f.unit)} ({f.target_text()}): {'met' if f.met else 'MISSED'}")
    write_json(args.json, "reports", figures)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
