"""CPU per booking POST, the worker's and PostgreSQL's, on one worker: the figure issue 22 item 3 halves.

    .venv/bin/python bench/submit_cpu.py --postgres postgresql+asyncpg://postgres@127.0.0.1:5432/test \
        [--redis redis://127.0.0.1:6379/14] [--requests 400] [--clients 4] [--keep NAME] [--py-spy OUT.svg]

`bench/loadtest.py` measures throughput under wrk, where the figure moves with whatever else the
machine runs; this measures what one request costs: the worker's CPU (user + system, from /proc)
and every PostgreSQL process's, over a fixed number of POSTs sent by a few client threads, after
a warm-up; then, as the same run's baseline, the CPU of 2,000 `GET /health` on the same worker
(the framework, the middleware and one `SELECT 1`). Seeded as the load test seeds (100,000 flagged
entries unless --flagged says less). --json writes the figures for `make bench-workers`.
With --keep NAME the database and the saved index are kept and reused by the next run with the
same name (seeding takes under a minute); the slots already asked for are skipped. --py-spy
needs py-spy (`pip install py-spy`; a profiler, not a dependency of the service or its tests):
OUT.txt is written as collapsed stacks, OUT.json for speedscope, anything else as an SVG.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import itertools
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy.engine import make_url

from api.db.migrate import upgrade
from bench._databases import pg_admin
from bench._figures import Figure, write_json
from bench.load.clients import http
from bench.load.processes import SERVICE, alive_cpu, cpu_seconds, postgres_pids, serve, service_env
from bench.load.seed import FLAGGED, POST_ROOMS, free_slots, post_bodies, seed

WARM = 100
HEALTH = 2_000
# Issue 22: half of the ~9 ms of Python a booking POST cost in November (SQLite, an idle machine).
TARGET_CPU_MS = 4.5


def post_all(base: str, lines: list[str], clients: int) -> list[float]:
    """Send every line's request from `clients` threads; the seconds each took. Any non-201 fails."""

    def post(line: str) -> tuple[int, bytes]:
        key, body = line.split("\t", 1)
        status, answer, _ = http(
            "POST", base + "/api/v1/applications", body.encode(),
            {"Content-Type": "application/json", "Idempotency-Key": key},
        )  # fmt: skip
        return status, answer

    return send_all(post, lines, clients, 201)


def health_all(base: str, count: int, clients: int) -> list[float]:
    """`count` GET /health from `clients` threads: a request the framework answers with one
    `SELECT 1`, the same-run baseline a booking POST's CPU is set beside."""
    return send_all(lambda _: http("GET", base + "/health")[:2], [""] * count, clients, 200)


def send_all(
    send: Callable[[str], tuple[int, bytes]], items: list[str], clients: int, ok: int
) -> list[float]:
    """Each item sent by `send` from `clients` threads; the seconds each took. Any status but
    `ok` fails the run."""
    queue = iter(items)
    lock = threading.Lock()
    took: list[float] = []
    failures: list[str] = []

    def client() -> None:
        while True:
            with lock:
                item = next(queue, None)
            if item is None or failures:
                return
            started = time.perf_counter()
            status, answer = send(item)
            with lock:
                took.append(time.perf_counter() - started)
                if status != ok:
                    failures.append(f"{status}: {answer[:300]!r}")

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if failures:
        raise RuntimeError(f"{len(failures)} requests failed; first: {failures[0]}")
    return took


def prepare(args: argparse.Namespace, state: Path) -> tuple[str, dt.datetime, list[str]]:
    """The database URL, the seeding time and the rooms: made now, or read from a kept run."""
    saved = state / "state.json"
    if saved.exists():
        kept = json.loads(saved.read_text())
        return kept["url"], dt.datetime.fromisoformat(kept["now"]), kept["rooms"]
    database = f"vh_cpu_{args.keep or uuid.uuid4().hex[:10]}"
    asyncio.run(pg_admin(args.postgres, f'CREATE DATABASE "{database}"'))
    url = str(make_url(args.postgres).set(database=database).render_as_string(hide_password=False))
    now = dt.datetime.now(dt.UTC)
    upgrade(url)
    started = time.perf_counter()
    seeded = asyncio.run(seed(url, now, args.flagged))
    print(f"seeded in {time.perf_counter() - started:.0f} s", flush=True)
    saved.write_text(json.dumps({"url": url, "now": now.isoformat(), "rooms": seeded.post_rooms, "used": 0}))
    return url, now, seeded.post_rooms


def next_requests(
    state: Path, env: dict[str, str], now: dt.datetime, rooms: list[str], wanted: int
) -> list[str]:
    """The next `wanted` booking requests of the run kept in `state` (slots not asked for by an
    earlier run), the screening index saved first if it is not yet (with `env`'s code)."""
    if not (state / "screening-index").exists():
        subprocess.run([sys.executable, "-m", "api.cli", "screening", "build-index"], env=env, check=True)
    kept = json.loads((state / "state.json").read_text())
    slots = itertools.islice(free_slots(POST_ROOMS, now), kept["used"], None)
    bodies = state / "bodies.txt"
    if post_bodies(bodies, rooms, slots, wanted) < wanted:
        raise SystemExit(f"the rooms have no free slots left in {state}: drop it or keep another name")
    kept["used"] += wanted
    (state / "state.json").write_text(json.dumps(kept))
    return bodies.read_text(encoding="utf-8").splitlines()


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--postgres", required=True, metavar="ADMIN_URL")
    parser.add_argument("--redis", metavar="URL", help="sessions and throttling in this Redis")
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--flagged", type=int, default=FLAGGED)
    parser.add_argument(
        "--keep", metavar="NAME", help="keep the database and index under this name, reuse them"
    )
    parser.add_argument("--drop", action="store_true", help="with --keep: drop the kept database and stop")
    parser.add_argument(
        "--py-spy", metavar="OUT", help="record the worker with py-spy during the measured POSTs"
    )
    parser.add_argument("--json", help="write the figures to this file for bench/run_all.py")
    args = parser.parse_args()
    state = (
        Path(tempfile.gettempdir()) / f"vh-submit-cpu-{args.keep}" if args.keep else Path(tempfile.mkdtemp())
    )
    state.mkdir(exist_ok=True)
    if args.drop:
        if (state / "state.json").exists():
            database = make_url(json.loads((state / "state.json").read_text())["url"]).database
            asyncio.run(pg_admin(args.postgres, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        shutil.rmtree(state, ignore_errors=True)
        return 0
    url, now, rooms = prepare(args, state)
    try:
        env = service_env(url, state, "submit-cpu-" + "0" * 40, args.redis)
        lines = next_requests(state, env, now, rooms, WARM + args.requests)
        with serve(SERVICE, 1, env, state, []) as server:
            post_all(server.base, lines[:WARM], args.clients)
            workers = server.worker_pids()
            spy = None
            if args.py_spy:
                form = {".json": ["-f", "speedscope"], ".txt": ["-f", "raw"]}.get(
                    Path(args.py_spy).suffix, []
                )
                # The virtual environment's py-spy when the bench runs from it without activating it.
                spy_command = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
                spy = subprocess.Popen(
                    [spy_command, "record", "--gil", "-r", "250", "-p", str(workers[0]), "-o", args.py_spy,
                     *form],
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                )  # fmt: skip
                time.sleep(1)
            pg = postgres_pids()
            worker_before, pg_before, started = cpu_seconds(workers), alive_cpu(pg), time.perf_counter()
            took = post_all(server.base, lines[WARM:], args.clients)
            elapsed = time.perf_counter() - started
            worker_cpu, pg_cpu = cpu_seconds(workers) - worker_before, alive_cpu(postgres_pids()) - pg_before
            if spy is not None:
                spy.send_signal(2)
                spy.wait(timeout=60)
            health_all(server.base, HEALTH // 5, args.clients)
            worker_before, pg_before = cpu_seconds(workers), alive_cpu(postgres_pids())
            health = len(health_all(server.base, HEALTH, args.clients))
            health_cpu = cpu_seconds(workers) - worker_before
            health_pg = alive_cpu(postgres_pids()) - pg_before
        n = len(took)
        per, pg_per = worker_cpu / n * 1000, pg_cpu / n * 1000
        health_per, health_pg_per = health_cpu / health * 1000, health_pg / health * 1000
        print(
            f"{n} booking POSTs, {args.clients} clients, one worker: "
            f"worker CPU {per:.2f} ms per request, "
            f"PostgreSQL {pg_per:.2f} ms, {n / elapsed:.1f} a second, "
            f"latency median {statistics.median(took) * 1000:.0f} ms "
            f"(load average {os.getloadavg()[0]:.1f})"
        )
        print(
            f"{health} GET /health, same worker: worker CPU {health_per:.3f} ms per request, "
            f"PostgreSQL {health_pg_per:.3f} ms; a booking POST costs {per / health_per:.1f} of them"
        )
        write_json(args.json, "submit_cpu", figures(per, pg_per, health_per, health_pg_per))
    finally:
        if not args.keep:
            asyncio.run(
                pg_admin(args.postgres, f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')
            )
            shutil.rmtree(state, ignore_errors=True)
    return 0


def figures(per: float, pg_per: float, health_per: float, health_pg_per: float) -> list[Figure]:
    baseline = "GET /health, same worker"
    return [
        Figure("booking POST on PostgreSQL: worker CPU per request", per, "ms", target=TARGET_CPU_MS,
               baseline=health_per, baseline_label=baseline,
               note=f"{per / health_per:.1f} times a /health"),
        Figure("booking POST on PostgreSQL: PostgreSQL CPU per request", pg_per, "ms",
               baseline=health_pg_per, baseline_label=baseline),
    ]  # fmt: skip


if __name__ == "__main__":
    raise SystemExit(main())
