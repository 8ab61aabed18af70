"""Benchmark: import a generated 1,000,000-row Companies House file and look companies up by number.

    .venv/bin/python bench/registers.py [--rows N] [--quick] [--json PATH]

The file is generated in the published layout (tests/registers_data.py) and imported by the
real command, `venue-hire registers import companies-house FILE`, run as a child process so
its memory can be measured alone: growth is the child's peak resident size minus the peak of
the same command importing a one-row file. Beside it, in the same run, a naive import (an ORM
object added and flushed per row) on a slice of the file, scaled to the full count. Then
look-ups by number through vetting.registers.lookup.company_by_number (median over 2,000
random numbers), beside the naive look-up: reading the file until the number turns up; and
fuzzy look-ups by name among 200,000 generated charities with a typing slip in each
(vetting.registers.name_search), beside scoring every name.
Targets: import <= 180 s and memory growth <= 200 MB on SQLite and on PostgreSQL (the latter
when ``VENUE_HIRE_TEST_POSTGRES_URL`` names a server where a temporary database may be made);
a look-up by number <= 2 ms, by name <= 20 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import datetime as dt
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

# After the path tweak so the script runs from anywhere.
from sqlalchemy.ext.asyncio import async_sessionmaker

from api.db.engine import create_engine
from api.db.migrate import upgrade
from bench._databases import pg_admin
from bench._figures import Figure, fmt, write_json
from tests.registers_data import charity_name, charity_rows, write_companies
from vetting.registers.companies_house import company_rows
from vetting.registers.load import load_table
from vetting.registers.lookup import company_by_number
from vetting.registers.models import RegisterCompany, RegisterExtract
from vetting.registers.name_search import charity_name_index
from vetting.registers.tables import table_named

IMPORT_TARGET_S = 180.0
MEMORY_TARGET_MB = 200.0
LOOKUP_TARGET_MS = 2.0
NAME_TARGET_MS = 20.0
CHARITIES = 200_000
NAIVE_ROWS = 5_000
ROOT = Path(__file__).resolve().parents[1]


def run_import(url: str, path: Path) -> tuple[float, float]:
    """Seconds and peak resident MB of `venue-hire registers import companies-house PATH`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("VENUE_HIRE_")}
    env |= {"VENUE_HIRE_DATABASE_URL": url, "VENUE_HIRE_SECRET_KEY": "bench-secret-" + "z" * 32}
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "registers", "import", "companies-house", str(path)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    _pid, status, usage = os.wait4(child.pid, 0)
    took = time.perf_counter() - started
    out = child.stdout.read().decode() if child.stdout else ""
    if status != 0:
        raise SystemExit(f"the import failed: {out}")
    return took, usage.ru_maxrss / 1024  # ru_maxrss is in KiB on Linux


async def naive_import(url: str, path: Path, rows: int) -> float:
    """Seconds for ``rows`` rows added as ORM objects and flushed one at a time."""
    engine = create_engine(url)
    maker = async_sessionmaker(engine, expire_on_commit=False)
    try:
        async with maker() as s:
            extract = RegisterExtract(
                register="naive", imported_at=dt.datetime.now(dt.UTC), file_name=path.name, rows=0, skipped=0
            )
            s.add(extract)
            await s.flush()
            started = time.perf_counter()
            with path.open(encoding="utf-8-sig", newline="") as stream:
                for n, row in enumerate(company_rows(stream, path.name)):
                    if n >= rows:
                        break
                    assert isinstance(row, dict)
                    # Another number, so the rows the real import left stand (rolled back below).
                    fields = {**row, "company_number": "N" + str(row["company_number"])[1:]}
                    s.add(RegisterCompany(**fields, extract_id=extract.id))
                    await s.flush()
            await s.rollback()
            return time.perf_counter() - started
    finally:
        await engine.dispose()


async def lookups(url: str, count: int, total: int) -> list[float]:
    engine = create_engine(url)
    maker = async_sessionmaker(engine, expire_on_commit=False)
    picker = random.Random(23)
    times: list[float] = []
    try:
        async with maker() as s:
            await company_by_number(s, "00000000")  # warm the connection
            for _ in range(count):
                number = f"{picker.randrange(total):08d}"
                started = time.perf_counter()
                found = await company_by_number(s, number)
                times.append((time.perf_counter() - started) * 1000)
                assert found is not None and getattr(found.row, "company_number", None) == number
    finally:
        await engine.dispose()
    return times


def _mistyped(name: str, picker: random.Random) -> str:
    """The name as a hirer might type it: two letters of one longer word swapped, lower case."""
    words = name.split()
    long = [i for i, w in enumerate(words) if len(w) >= 5]
    i = picker.choice(long)
    w = words[i]
    at = picker.randrange(1, len(w) - 2)
    words[i] = w[:at] + w[at + 1] + w[at] + w[at + 2 :]
    return " ".join(words).lower()


async def name_lookups(url: str, count: int, queries: int) -> tuple[list[float], list[float], float, float]:
    """Milliseconds per fuzzy look-up by name among ``count`` charities (index, and every name scored),
    the seconds to build the index, and the share of mistyped names found first."""
    engine = create_engine(url)
    maker = async_sessionmaker(engine, expire_on_commit=False)
    picker = random.Random(42)
    try:
        async with maker() as s:
            await load_table(
                s,
                table_named("register_charity"),
                charity_rows(count),
                register="charity-commission",
                file_name="publicextract.charity.json",
                extract_date=dt.date(2026, 12, 1),
                now=dt.datetime.now(dt.UTC),
            )
            await s.commit()
            started = time.perf_counter()
            index = await charity_name_index(s)
            built = time.perf_counter() - started
        ours: list[float] = []
        theirs: list[float] = []
        first = 0
        for q in range(queries):
            i = picker.randrange(count)
            typed = _mistyped(charity_name(i), picker)
            started = time.perf_counter()
            hits = index.search(typed)
            ours.append((time.perf_counter() - started) * 1000)
            first += bool(hits) and hits[0].key == str(200_000 + i)
            if q < 20:
                started = time.perf_counter()
                index.score_all(typed)
                theirs.append((time.perf_counter() - started) * 1000)
    finally:
        await engine.dispose()
    return ours, theirs, built, first / queries


def naive_lookup(path: Path, total: int, count: int) -> list[float]:
    """Milliseconds to find a number by reading the file from the top."""
    picker = random.Random(5)
    times = []
    for _ in range(count):
        wanted = f"{picker.randrange(total):08d}"
        started = time.perf_counter()
        with path.open(encoding="utf-8-sig", newline="") as stream:
            reader = csv.reader(stream)
            next(reader)
            for row in reader:
                if row[1] == wanted:
                    break
        times.append((time.perf_counter() - started) * 1000)
    return times


def measure(url: str, label: str, big: Path, tiny: Path, rows: int, lookups_n: int) -> list[Figure]:
    upgrade(url)
    _t, resting = run_import(url, tiny)
    took, peak = run_import(url, big)
    growth = max(0.0, peak - resting)
    naive = asyncio.run(naive_import(url, big, min(NAIVE_ROWS, rows)))
    naive_scaled = naive * rows / min(NAIVE_ROWS, rows)
    ours = asyncio.run(lookups(url, lookups_n, rows))
    theirs = naive_lookup(big, rows, 5)
    mine, base = statistics.median(ours), statistics.median(theirs)
    by_name, scored_all, built, right = asyncio.run(name_lookups(url, CHARITIES, 300))
    name_ms, name_base = statistics.median(by_name), statistics.median(scored_all)
    print(
        f"{label}: imported {rows:,} rows in {took:.1f} s ({rows / took:,.0f} rows/s), peak {peak:.0f} MB, "
        f"growth {growth:.0f} MB over a one-row import ({resting:.0f} MB); naive ORM per row: "
        f"{naive:.1f} s for {min(NAIVE_ROWS, rows):,} rows, {naive_scaled:.0f} s scaled to {rows:,}"
    )
    print(
        f"{label}: look-up by number median {mine:.3f} ms, p95 {sorted(ours)[int(len(ours) * 0.95)]:.3f} ms "
        f"over {len(ours):,}; reading the file until found: median {base:.0f} ms over {len(theirs)}"
    )
    print(
        f"{label}: look-up by name among {CHARITIES:,} charities (one letter pair swapped): median "
        f"{name_ms:.2f} ms, p95 {sorted(by_name)[int(len(by_name) * 0.95)]:.2f} ms over {len(by_name)}, "
        f"right charity first {right:.0%}; index built in {built:.1f} s; every name scored: median "
        f"{name_base:.1f} ms over {len(scored_all)}"
    )
    return [
        Figure(
            f"registers: import {rows:,} Companies House rows, {label}",
            took,
            "s",
            IMPORT_TARGET_S,
            "lower",
            naive_scaled,
            f"ORM object flushed per row ({min(NAIVE_ROWS, rows):,} rows, scaled)",
        ),
        Figure(f"registers: import memory growth, {label}", growth, "MB", MEMORY_TARGET_MB, "lower"),
        Figure(
            f"registers: look-up by number, {label} (median)",
            mine,
            "ms",
            LOOKUP_TARGET_MS,
            "lower",
            base,
            "reading the file until the number turns up",
        ),
        Figure(
            f"registers: look-up by name among {CHARITIES:,} charities, {label} (median)",
            name_ms,
            "ms",
            NAME_TARGET_MS,
            "lower",
            name_base,
            "every name scored (rapidfuzz token-sort ratio)",
        ),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--lookups", type=int, default=2_000)
    parser.add_argument("--quick", action="store_true", help="100,000 rows")
    parser.add_argument(
        "--postgres",
        default=os.environ.get("VENUE_HIRE_TEST_POSTGRES_URL"),
        help="postgresql+asyncpg:// URL of a server where a temporary database may be created",
    )
    parser.add_argument("--json", help="write the figures to this file for bench/run_all.py")
    args = parser.parse_args()
    rows = 100_000 if args.quick else args.rows
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="vh-bench-registers-") as tmp:
        big = Path(tmp) / "BasicCompanyDataAsOneFile-2026-12-01.csv"
        tiny = Path(tmp) / "BasicCompanyDataAsOneFile-2026-11-01.csv"
        started = time.perf_counter()
        write_companies(big, rows)
        write_companies(tiny, 1)
        print(
            f"generated {rows:,} rows ({big.stat().st_size / 1e6:.0f} MB) "
            f"in {time.perf_counter() - started:.0f} s"
        )
        figures += measure(
            f"sqlite+aiosqlite:///{Path(tmp) / 'bench.sqlite3'}", "SQLite", big, tiny, rows, args.lookups
        )
        if args.postgres:
            name = f"vh_bench_reg_{uuid.uuid4().hex[:10]}"
            asyncio.run(pg_admin(args.postgres, f'CREATE DATABASE "{name}"'))
            try:
                url = f"{args.postgres.rpartition('/')[0]}/{name}"
                figures += measure(url, "PostgreSQL", big, tiny, rows, args.lookups)
            finally:
                asyncio.run(pg_admin(args.postgres, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        else:
            print("PostgreSQL: skipped (set VENUE_HIRE_TEST_POSTGRES_URL or pass --postgres URL)")
    for fig in figures:
        print(
            f"{fig.name}: {fmt(fig.value, fig.unit)} ({fig.target_text()}): {'met' if fig.met else 'MISSED'}"
        )
    write_json(args.json, "registers", figures)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
