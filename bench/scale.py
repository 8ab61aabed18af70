"""How each cost grows with years of data (issue 22 item 2): `make bench-scale`.

For each size (1, 3 and 10 years of a large council by default, bench/scale_data.py) and each
engine (SQLite, and PostgreSQL when VENUE_HIRE_TEST_POSTGRES_URL is set), a fresh database is
loaded and these are timed through the real app (litestar's AsyncTestClient) or the real
functions: the officer queue (`GET /api/v1/applications`) and a case
(`GET /api/v1/applications/{id}`), a month of availability, a booking POST, a feed render and its
304, the reports JSON, subject access for the most frequent hirer, the retention purge's plan,
`audit verify`, and the re-screening of every upcoming booking (after an import of 1,000 entries
when `--rescreen` is given: it builds the 100,000-entry index, so it is slow).

It prints a table of p95 (or single-run) times by size with the growth from the smallest size to
the largest beside each, writes the figures as JSON, and draws docs/scale-growth.svg. Growth is
the point: "flat" means the 10-year figure is within 1.5x of the 1-year one on the same run.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import logging
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _databases import pg_admin
from litestar.testing import AsyncTestClient
from scale_data import load
from scale_plot import write_svg
from sqlalchemy import func, select, text, update
from sqlalchemy.ext.asyncio import async_sessionmaker

from api.app import create_app
from api.audit import verify_chain
from api.auth.api_tokens import create_api_token
from api.dataprotection.retention import plan_purge
from api.dataprotection.subject_access import export_subject
from api.db.engine import create_engine
from api.db.migrate import upgrade
from api.models import User
from api.routes import feeds as feed_routes
from api.settings import Settings
from casework.rescreen import rescreen_upcoming
from venues import feed_render
from venues.models import Feed, Room
from vetting.actors import Actor
from vetting.models import VettingCase
from vetting.tokens import new_token, token_hash

ROOT = Path(__file__).resolve().parents[1]
LONDON = ZoneInfo("Europe/London")
NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) >= 2 else values[0]


async def timed(fn: Callable[[], Awaitable[Any]], runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        started = time.perf_counter()
        await fn()
        out.append((time.perf_counter() - started) * 1000)
    return out


async def prepare(url: str, years: float) -> dict[str, Any]:
    """Load the data, then an officer's API token, a feed's token and the ids the requests use."""
    started = time.perf_counter()
    counts = await load(url, years, now=NOW)
    loaded_s = time.perf_counter() - started
    engine = create_engine(url)
    maker = async_sessionmaker(engine, expire_on_commit=False)
    try:
        async with maker() as session, session.begin():
            officer = (
                await session.execute(select(User).where(User.role == "officer").limit(1))
            ).scalar_one()
            api_token = await create_api_token(session, officer)
            feed_token = new_token()
            feed = (await session.execute(select(Feed).limit(1))).scalar_one()
            await session.execute(
                update(Feed).where(Feed.id == feed.id).values(token_hash=token_hash(feed_token))
            )
            cases = list((await session.execute(select(VettingCase.id).limit(2000))).scalars())
            room = (await session.execute(select(Room.id).order_by(Room.name).limit(1))).scalar_one()
            frequent = (
                await session.execute(
                    select(VettingCase.organisation_name)
                    .group_by(VettingCase.organisation_name)
                    .order_by(func.count().desc())
                    .limit(1)
                )
            ).scalar_one()
            rooms = list((await session.execute(select(Room.id))).scalars())
            actor = Actor(id=officer.id, name=officer.name, role="officer", provider_id=officer.provider_id)
        postgres = engine.dialect.name == "postgresql"
        async with engine.connect() as conn:  # statistics as autovacuum would have them
            if postgres:
                await conn.execution_options(isolation_level="AUTOCOMMIT")
            await conn.execute(text("VACUUM ANALYZE" if postgres else "ANALYZE"))
            await conn.commit()
    finally:
        await engine.dispose()
    return {
        "counts": counts, "loaded_s": loaded_s, "api_token": api_token, "feed_token": feed_token,
        "cases": cases, "room": room, "rooms": rooms, "frequent": frequent, "actor": actor,
    }  # fmt: skip


async def measure(url: str, years: float, runs: int, rescreen: bool) -> dict[str, float]:
    w = await prepare(url, years)
    print(f"    loaded {w['counts'].get('vetting_case', 0):,} cases, "
          f"{w['counts'].get('occurrence', 0):,} dates in {w['loaded_s']:.0f} s")  # fmt: skip
    out: dict[str, float] = {"load (s)": w["loaded_s"] * 1000}
    headers = {"Authorization": f"Bearer {w['api_token']}"}
    month = NOW + dt.timedelta(days=14)
    with tempfile.TemporaryDirectory(prefix="vh-bench-scale-") as tmp:
        settings = Settings(
            database_url=url, secret_key="bench-secret-key-" + "s" * 32, environment="test",
            base_url="http://bench.local", outbox_dir=Path(tmp) / "outbox", log_level="WARNING",
            delivery="off", scheduler_enabled=False,
        )  # fmt: skip
        app = create_app(settings)
        logging.getLogger("httpx").setLevel(logging.WARNING)  # a line per request otherwise
        async with AsyncTestClient(app=app, base_url="http://bench.local") as client:
            index = iter(range(10**9))

            async def get(path: str, expect: int = 200, **kw: Any) -> Any:
                answer = await client.get(path, **kw)
                assert answer.status_code == expect, (path, answer.status_code, answer.text[:300])
                return answer

            async def queue() -> None:
                await get("/api/v1/applications?status=under_review", headers=headers)

            async def case() -> None:
                await get(
                    f"/api/v1/applications/{w['cases'][next(index) % len(w['cases'])]}", headers=headers
                )

            async def availability() -> None:
                q = {"start": month.isoformat(), "end": (month + dt.timedelta(days=31)).isoformat()}
                await get(f"/api/v1/rooms/{w['room']}/availability", params=q)

            feed_path = f"/feeds/{w['feed_token']}.ics"

            async def feed() -> None:
                # As a poll after a change anywhere: the worker's validators and bodies are gone
                # (each booking's rendered events stay cached, as they do in service).
                feed_routes._VALIDATORS.clear()
                feed_routes._RENDERED.clear()
                await get(feed_path)

            async def feed_first() -> None:
                # The first render in a fresh worker: no booking's events cached either.
                feed_render._CACHE.clear()
                await feed()

            etag = (await get(feed_path)).headers["etag"]

            async def feed_304() -> None:
                await get(feed_path, 304, headers={"If-None-Match": etag})

            async def reports() -> None:
                await get("/api/v1/reports", headers=headers)

            free = iter(_free_hours(NOW + dt.timedelta(days=200)))

            async def booking() -> None:
                room, start = next(free)
                answer = await client.post("/api/v1/applications", json=_payload(w["rooms"][room], start))
                assert answer.status_code == 201, answer.text[:300]

            for name, fn in (
                ("officer queue", queue), ("case", case), ("availability, a month", availability),
                ("feed render, first", feed_first), ("feed render", feed), ("feed 304", feed_304),
                ("reports", reports),
                ("booking POST", booking),
            ):  # fmt: skip
                await fn()  # warm
                out[name] = p95(await timed(fn, runs))
    engine = create_engine(url)
    maker = async_sessionmaker(engine, expire_on_commit=False)
    try:
        async with maker() as session:
            out["subject access, frequent hirer"] = (
                await timed(lambda: export_subject(session, organisation=w["frequent"], now=NOW), 1)
            )[0]
            out["retention purge plan"] = (await timed(lambda: plan_purge(session, now=NOW), 1))[0]
            out["audit verify"] = (await timed(lambda: verify_chain(session), 1))[0]
            if rescreen:
                out["rescreen upcoming"] = (
                    await timed(lambda: rescreen_upcoming(session, w["actor"], now=NOW), 1)
                )[0]
            await session.rollback()
    finally:
        await engine.dispose()
    return out


def _free_hours(first: dt.datetime) -> Any:
    """Hours the generated data never holds (its slots are 9-11, 13-15, 16-18 and 19-21 local),
    on days that are neither bank holidays nor the Christmas closure: (room index, start)."""
    from vetting.workdays import bank_holidays

    day = first.astimezone(LONDON).date()
    closed = {d for d, _ in bank_holidays(day, day + dt.timedelta(days=120))}
    while True:
        if day not in closed and not (day.month == 12 and 24 <= day.day <= 27):
            for room in range(7):
                for hour in (8, 11, 15, 18):
                    yield room, dt.datetime(day.year, day.month, day.day, hour, tzinfo=LONDON)
        day += dt.timedelta(days=1)


def _payload(room: uuid.UUID, start: dt.datetime) -> dict[str, Any]:
    from policies import default_declarations

    return {
        "room_id": str(room),
        "organisation": {"name": "Scale Probe Club", "type": "club"},
        "contact": {"name": "Pia Probe", "email": "pia@probe.example", "phone": "07700 900555"},
        "people": [{"name": "Pia Probe", "role": "officer"}],
        "event": {"title": "Probe", "description": "", "expected_attendance": 10},
        "start": start.isoformat(),
        "end": (start + dt.timedelta(hours=1)).isoformat(),
        "declarations": default_declarations(),
    }


def run_one(
    engine_label: str, years: float, runs: int, rescreen: bool, pg_url: str | None
) -> dict[str, float]:
    if engine_label == "SQLite":
        with tempfile.TemporaryDirectory(prefix="vh-scale-") as tmp:
            url = f"sqlite+aiosqlite:///{Path(tmp) / 'scale.sqlite3'}"
            upgrade(url)
            return asyncio.run(measure(url, years, runs, rescreen))
    assert pg_url
    name = f"vh_bench_scale_{uuid.uuid4().hex[:8]}"
    asyncio.run(pg_admin(pg_url, f'CREATE DATABASE "{name}"'))
    try:
        url = f"{pg_url.rpartition('/')[0]}/{name}"
        upgrade(url)
        return asyncio.run(measure(url, years, runs, rescreen))
    finally:
        asyncio.run(pg_admin(pg_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def _in_own_process(label: str, years: float, args: argparse.Namespace) -> dict[str, float]:
    """One engine and size measured in a process of its own. In one process for them all, each
    size ran with the sizes before it still in memory (their apps' caches, a 100,000-entry
    screening index per rescreen), and the later sizes read slower for it: the SQLite officer
    queue took 12 to 17 ms at a year and 28 to 38 ms at ten in two such runs, and 12 ms at ten
    years measured in a process of its own (the collector's full passes over the larger heap are
    the likely cause; not traced further)."""
    with tempfile.TemporaryDirectory(prefix="vh-scale-one-") as tmp:
        out = Path(tmp) / "figures.json"
        command = [sys.executable, __file__, "--one", label, str(years), str(out), "--runs", str(args.runs)]
        if args.rescreen:
            command.append("--rescreen")
        if args.postgres:
            command += ["--postgres", args.postgres]
        subprocess.run(command, check=True)
        figures: dict[str, float] = json.loads(out.read_text())
        return figures


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--years", default="1,3,10", help="sizes in years of data (default 1,3,10)")
    parser.add_argument("--runs", type=int, default=40, help="timed runs per request")
    parser.add_argument("--postgres", default=os.environ.get("VENUE_HIRE_TEST_POSTGRES_URL"))
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only (the production engine)")
    parser.add_argument(
        "--rescreen", action="store_true", help="also time re-screening every upcoming booking"
    )
    parser.add_argument("--json", default=str(ROOT / "var" / "bench-scale.json"))
    parser.add_argument("--svg", default=str(ROOT / "docs" / "scale-growth.svg"))
    parser.add_argument("--one", nargs=3, metavar=("ENGINE", "YEARS", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        label, years, out = args.one
        figures = run_one(label, float(years), args.runs, args.rescreen, args.postgres)
        Path(out).write_text(json.dumps(figures))
        return 0
    sizes = [float(y) for y in args.years.split(",")]
    engines = ([] if args.no_sqlite else ["SQLite"]) + (
        [] if args.no_postgres or not args.postgres else ["PostgreSQL"]
    )
    if not engines:
        parser.error("no engine left: PostgreSQL needs --postgres or VENUE_HIRE_TEST_POSTGRES_URL")
    results: dict[str, dict[float, dict[str, float]]] = {}
    for label in engines:
        results[label] = {}
        for years in sizes:
            print(f"{label}, {years:g} years of data:", flush=True)
            results[label][years] = _in_own_process(label, years, args)
    for label, by_size in results.items():
        ops = list(next(iter(by_size.values())))
        print(f"\n{label}: p95 ms (single runs for the batch jobs, seconds for the load)")
        print(f"  {'':34}" + "".join(f"{f'{y:g} y':>12}" for y in sizes) + f"{'growth':>10}")
        for op in ops:
            cells = [by_size[y][op] / (1000 if op.startswith("load") else 1) for y in sizes]
            growth = cells[-1] / cells[0] if cells[0] else float("nan")
            print(f"  {op:34}" + "".join(f"{c:12.1f}" for c in cells) + f"{growth:9.1f}x")
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(
        json.dumps({k: {str(y): v for y, v in r.items()} for k, r in results.items()}, indent=2)
    )
    write_svg(Path(args.svg), results, sizes)
    print(
        f"\nfigures: {args.json}; plot: {args.svg}; "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
