"""Does a read replica pay? (issue 22 item 5)  .venv/bin/python bench/replica.py [--years Y] [--rounds N]

Starts a primary and a streaming standby on loopback (tools/pg_pair.py), loads `--years` of the
large council (bench/scale_data.py) into the primary, then runs the same mixed workload through
the real app twice: once with everything on the primary, once with `read_replica_url` set so the
reports and the feeds read the standby. Each round is a booking POST, the reports JSON and five
feed polls (each poll after a write, so it renders: the worst case for the primary).

Printed for each mode: CPU seconds used by each cluster's server processes (from /proc: the
postmaster and its children, sampled before and after), and p95 of each request. The same-run
baseline is the primary-only mode: the ratio is how much primary CPU the standby takes over.
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
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from litestar.testing import AsyncTestClient
from scale import NOW, _free_hours, _payload, prepare
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from api.app import create_app
from api.db.migrate import upgrade
from api.settings import Settings
from tools.pg_pair import PgPair, wait_for_replay

TICK = os.sysconf("SC_CLK_TCK")


def cluster_cpu(data_dir: Path) -> dict[int, float]:
    """CPU seconds (user + system) of a cluster's postmaster and each process it started, by pid."""
    parent = int((data_dir / "postmaster.pid").read_text().split()[0])
    out: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended while we looked
        pid, ppid = int(entry.name), int(fields[1])
        if pid == parent or ppid == parent:
            out[pid] = (int(fields[11]) + int(fields[12])) / TICK
    return out


def cpu_used(before: dict[int, float], after: dict[int, float]) -> float:
    # Processes alive at the end: the app's pooled connections live through the whole run, so
    # only short-lived helpers (an autovacuum worker) can be missed.
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) >= 2 else values[0]


async def run_mode(
    pair: PgPair, w: dict[str, Any], replica: bool, rounds: int, free: Any
) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="vh-bench-replica-") as tmp:
        settings = Settings(
            database_url=pair.url("vh"), read_replica_url=pair.url("vh", standby=True) if replica else None,
            secret_key="bench-secret-key-" + "s" * 32, environment="test", base_url="http://bench.local",
            outbox_dir=Path(tmp) / "outbox", log_level="WARNING", delivery="off", scheduler_enabled=False,
        )  # fmt: skip
        headers = {"Authorization": f"Bearer {w['api_token']}"}
        feed_path = f"/feeds/{w['feed_token']}.ics"
        times: dict[str, list[float]] = {"booking POST": [], "reports JSON": [], "feed poll": []}
        async with AsyncTestClient(app=create_app(settings), base_url="http://bench.local") as client:

            async def timed(name: str, method: str, path: str, expect: int, **kw: Any) -> None:
                started = time.perf_counter()
                answer = await client.request(method, path, **kw)
                times[name].append((time.perf_counter() - started) * 1000)
                assert answer.status_code == expect, (path, answer.status_code, answer.text[:300])

            # Warm-up: the first booking builds the screening index, the first reads fill the pools.
            for _ in range(2):
                room, start = next(free)
                await timed("booking POST", "POST", "/api/v1/applications", 201,
                            json=_payload(w["rooms"][room], start))  # fmt: skip
                await timed("reports JSON", "GET", "/api/v1/reports", 200, headers=headers)
                await timed("feed poll", "GET", feed_path, 200)
            for values in times.values():
                values.clear()
            primary0 = cluster_cpu(pair.root / "primary")
            standby0 = cluster_cpu(pair.root / "standby")
            started = time.perf_counter()
            for _ in range(rounds):
                room, start = next(free)
                await timed(
                    "booking POST",
                    "POST",
                    "/api/v1/applications",
                    201,
                    json=_payload(w["rooms"][room], start),
                )
                await timed("reports JSON", "GET", "/api/v1/reports", 200, headers=headers)
                for _poll in range(5):
                    await timed("feed poll", "GET", feed_path, 200)
            wall = time.perf_counter() - started
            out = {
                "primary CPU s": cpu_used(primary0, cluster_cpu(pair.root / "primary")),
                "standby CPU s": cpu_used(standby0, cluster_cpu(pair.root / "standby")),
                "wall s": wall,
            }
        lag = wait_for_replay(pair)
        out |= {f"{name} p95 ms": p95(values) for name, values in times.items()}
        out["replay caught up after s"] = lag
        return out


async def _create_database(url: str) -> None:
    engine = create_async_engine(url, isolation_level="AUTOCOMMIT")
    async with engine.connect() as conn:
        await conn.execute(text("CREATE DATABASE vh"))
    await engine.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--years", type=float, default=0.2, help="years of data in the primary (default 0.2)")
    parser.add_argument("--rounds", type=int, default=30, help="rounds of the workload per mode")
    args = parser.parse_args()
    with PgPair() as pair:
        asyncio.run(_create_database(pair.url("postgres")))
        upgrade(pair.url("vh"))
        print(f"primary :{pair.primary_port}, standby :{pair.standby_port}; loading {args.years} years ...")
        w = asyncio.run(prepare(pair.url("vh"), args.years))
        wait_for_replay(pair, timeout_s=600)
        free = iter(_free_hours(NOW + dt.timedelta(days=200)))
        results = {}
        for label, replica in (("primary only", False), ("reads on the standby", True)):
            print(f"  {label} ...", flush=True)
            results[label] = asyncio.run(run_mode(pair, w, replica, args.rounds, free))
    base, tried = results["primary only"], results["reads on the standby"]
    print(
        f"\nRead replica, {args.years} years, {args.rounds} rounds (booking POST, reports JSON, 5 feed polls)"
    )
    print(f"{'':28}{'primary only':>16}{'reads on standby':>18}{'ratio':>8}")
    for key in base:
        ratio = base[key] / tried[key] if tried[key] else float("inf")
        print(f"  {key:26}{base[key]:16.2f}{tried[key]:18.2f}{ratio:7.2f}x")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
