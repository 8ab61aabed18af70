"""Benchmark: invoicing a month's confirmed bookings in bulk, beside the naive per-booking version.

    .venv/bin/python bench/invoicing.py [--quick] [--bookings N] [--postgres URL] [--no-postgres]
                                        [--no-sqlite] [--json PATH]

Seeds two identical databases per engine (bench/invoicing_data.py: 10,000 confirmed bookings of
March 2027 without invoices, two councils) and invoices the month in each:

* **bulk**: casework.bulk_invoicing.issue_month (batches of 1,000 bookings, a transaction each,
  four reads, one counter move per council and one multi-row insert per batch);
* **baseline**: the naive version, venues.charges.invoicing.issue_invoice per booking through the
  ORM (its own reads, a counter move and an insert per booking), in the same batches of 1,000 per
  transaction so that both pay the same commits.

Target (issue 19, "Numbers"): at most 30 s for 10,000 bookings on PostgreSQL. The script stops with
an error unless both databases end with the same invoices, column by column, numbers included.
``--quick``: 2,000 bookings. ``--bulk-only``: time the bulk path again without the baseline (one
database; for a second reading at another load, beside a full run's same-run baseline). Prints the
load average and this process's CPU time beside the figures (the machine is shared).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _databases import pg_admin
from _figures import Figure, fmt, write_json
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from api.db.engine import create_engine
from api.db.migrate import upgrade
from bench import invoicing_data
from casework.bulk_invoicing import BATCH, issue_month, uninvoiced_cases
from venues.charges.invoicing import issue_invoice
from venues.charges.models import Invoice
from vetting.models import VettingCase

TARGET_S = 30.0
ISSUED = dt.date(2027, 4, 1)
# Ids differ between the two databases; the council is told apart by `issuer_name` instead.
SKIP = {"id", "case_id", "issuer", "created_at", "updated_at", "sa_orm_sentinel"}


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (5 min {five:.1f}) on {os.cpu_count()} cores"


async def seed(url: str, bookings: int) -> float:
    engine = create_engine(url)
    started = time.perf_counter()
    try:
        await invoicing_data.build(bookings).write(async_sessionmaker(engine, expire_on_commit=False))
        postgres = engine.dialect.name == "postgresql"
        async with engine.connect() as conn:
            if postgres:
                await conn.execution_options(isolation_level="AUTOCOMMIT")
            await conn.execute(text("VACUUM ANALYZE" if postgres else "ANALYZE"))
            await conn.commit()
    finally:
        await engine.dispose()
    return time.perf_counter() - started


async def bulk(url: str) -> tuple[float, float]:
    engine = create_engine(url)
    try:
        maker = async_sessionmaker(engine, expire_on_commit=False)
        started, cpu = time.perf_counter(), time.process_time()

        def progress(done: int, listed: int) -> None:
            print(f"    bulk: {done:,} of {listed:,} ({time.perf_counter() - started:.1f} s)", flush=True)

        result = await issue_month(maker, invoicing_data.MONTH, today=ISSUED, progress=progress)
        took, used = time.perf_counter() - started, time.process_time() - cpu
        if result.not_priced or result.changed:
            raise SystemExit(f"bulk: {len(result.not_priced)} not priced, {result.changed} changed")
        return took, used
    finally:
        await engine.dispose()


async def naive(url: str) -> tuple[float, float]:
    """issue_invoice per booking, the same bookings in the same order and batches."""
    engine = create_engine(url)
    try:
        maker = async_sessionmaker(engine, expire_on_commit=False)
        started, cpu = time.perf_counter(), time.process_time()
        async with maker() as session:
            case_ids = await uninvoiced_cases(session, invoicing_data.MONTH)
        for first in range(0, len(case_ids), BATCH):
            async with maker() as session, session.begin():
                for case_id in case_ids[first : first + BATCH]:
                    case = await session.get(VettingCase, case_id)
                    assert case is not None
                    await issue_invoice(session, case, today=ISSUED)
            print(f"    baseline: {min(first + BATCH, len(case_ids)):,} of {len(case_ids):,} "
                  f"({time.perf_counter() - started:.1f} s)", flush=True)  # fmt: skip
        return time.perf_counter() - started, time.process_time() - cpu
    finally:
        await engine.dispose()


async def invoices(url: str) -> dict[str, dict[str, Any]]:
    engine = create_engine(url)
    try:
        async with async_sessionmaker(engine)() as session:
            return await _by_reference(session)
    finally:
        await engine.dispose()


async def _by_reference(session: AsyncSession) -> dict[str, dict[str, Any]]:
    rows = (await session.execute(select(Invoice))).scalars()
    return {i.reference: {c.key: getattr(i, c.key) for c in Invoice.__table__.columns if c.key not in SKIP}
            for i in rows}  # fmt: skip


def measure(urls: tuple[str, str], label: str, bookings: int, bulk_only: bool = False) -> list[Figure]:
    if bulk_only:
        urls = (urls[0], urls[0])
    for url in urls[: 1 if bulk_only else 2]:
        upgrade(url)  # migrations run their own event loop: before ours
    seeded = sum(asyncio.run(seed(url, bookings)) for url in urls[: 1 if bulk_only else 2])
    print(f"{label}: {bookings:,} confirmed bookings seeded in {seeded:.1f} s; {load()}")
    bulk_s, bulk_cpu = asyncio.run(bulk(urls[0]))
    print(f"  bulk: {bulk_s:.1f} s (CPU of this process {bulk_cpu:.1f} s); {load()}")
    if bulk_only:
        issued = asyncio.run(invoices(urls[0]))
        if len(issued) != bookings:
            raise SystemExit(f"{label}: {len(issued)} invoices for {bookings} bookings")
        return [Figure(f"invoicing: {bookings:,} bookings in bulk, {label}", bulk_s, "s", note=load())]
    base_s, base_cpu = asyncio.run(naive(urls[1]))
    print(f"  baseline, issue_invoice per booking: {base_s:.1f} s (CPU {base_cpu:.1f} s); {load()}")
    ours, theirs = asyncio.run(invoices(urls[0])), asyncio.run(invoices(urls[1]))
    if len(ours) != bookings or ours != theirs:
        differ = sorted(k for k in ours.keys() | theirs.keys() if ours.get(k) != theirs.get(k))
        first = differ[0] if differ else ""
        raise SystemExit(
            f"{label}: {len(ours)} and {len(theirs)} invoices; they differ for {differ[:5]}:\n"
            f"{ours.get(first)}\n{theirs.get(first)}"
        )
    total = sum(i["gross_pence"] for i in ours.values())
    print(f"  the same {len(ours):,} invoices both ways (numbers included), £{total / 100:,.2f} in all")
    print(f"  ratio baseline / bulk: {base_s / bulk_s:.1f}x")
    return [
        Figure(
            f"invoicing: {bookings:,} bookings in bulk, {label}",
            bulk_s,
            "s",
            target=TARGET_S if bookings >= 10_000 and label == "PostgreSQL" else None,
            baseline=base_s,
            baseline_label="issue_invoice per booking (ORM), same batches",
            note=load(),
            extra={"cpu_s": bulk_cpu, "baseline_cpu_s": base_cpu, "load_average": os.getloadavg()[0]},
        )
    ]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="2,000 bookings")
    parser.add_argument("--bookings", type=int, default=10_000)
    parser.add_argument("--postgres", default=os.environ.get("VENUE_HIRE_TEST_POSTGRES_URL"))
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--bulk-only", action="store_true", help="no baseline: the bulk path alone")
    parser.add_argument("--json", help="write the figures to this file for bench/run_all.py")
    args = parser.parse_args()
    bookings = 2_000 if args.quick else args.bookings
    figures: list[Figure] = []
    if not args.no_sqlite:
        with tempfile.TemporaryDirectory(prefix="vh-bench-invoicing-") as tmp:
            urls = (
                f"sqlite+aiosqlite:///{Path(tmp) / 'bulk.sqlite3'}",
                f"sqlite+aiosqlite:///{Path(tmp) / 'one.sqlite3'}",
            )
            figures += measure(urls, "SQLite", bookings, args.bulk_only)
    if args.postgres and not args.no_postgres:
        names = [f"vh_bench_invoicing_{uuid.uuid4().hex[:10]}" for _ in range(2)]
        try:
            for name in names:
                asyncio.run(pg_admin(args.postgres, f'CREATE DATABASE "{name}"'))
            base = args.postgres.rpartition("/")[0]
            pair = (f"{base}/{names[0]}", f"{base}/{names[1]}")
            figures += measure(pair, "PostgreSQL", bookings, args.bulk_only)
        finally:
            for name in names:
                asyncio.run(pg_admin(args.postgres, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    else:
        print("PostgreSQL: skipped (set VENUE_HIRE_TEST_POSTGRES_URL or pass --postgres URL)")
    for f in figures:
        verdict = "" if f.target is None else f" ({f.target_text()}): {'met' if f.met else 'MISSED'}"
        print(f"{f.name}: {fmt(f.value, f.unit)}, baseline {fmt(f.baseline, 's')}{verdict}")
    write_json(args.json, "invoicing", figures)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
