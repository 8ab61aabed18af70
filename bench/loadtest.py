"""Load test: the real service on 127.0.0.1 under wrk, one worker then two, beside the framework's ceiling.

    .venv/bin/python bench/loadtest.py [--quick] [--workers 1,2] [--json PATH]
    .venv/bin/python bench/loadtest.py --postgres postgresql+asyncpg://postgres@127.0.0.1:5432/test \
        --redis redis://127.0.0.1:6379/15 --workers 1,2,4          # several workers (issue 22 item 3)

What it does, all on loopback and bounded in time (every wrk run has a fixed duration and a
timeout; the servers are stopped by process id when the script ends, even on error):

1. Makes a fresh SQLite database (WAL) in a temporary folder with the service's migrations and
   seeds it through the service's own code: a venue whose room has 200 confirmed bookings and a
   venue feed of them, rooms for new requests, and 100,000 flagged entries imported with
   ``vetting.flagged.import_entries`` (invented names, generated like ``bench/screening.py``'s).
   With ``--postgres ADMIN_URL`` the database is instead a fresh PostgreSQL database made (and
   dropped afterwards) beside the one the URL names; with ``--redis URL`` sessions and throttling
   go to Redis, and messages are only written to the outbox (``VENUE_HIRE_DELIVERY=worker``, as
   on an app machine: docs/deployment.md).
2. Starts the service as deployed, ``venue-hire serve --workers N`` (N > 1: forked from a parent
   that has loaded the app and the screening index, api/cli/prefork.py), sends one application
   per worker, and reads the workers' VmRSS.
3. Runs wrk (Debian's package) against ``GET /health``, room availability, the venue feed (200
   and 304 with ``If-None-Match``) and ``POST /api/v1/applications`` with prepared bodies:
   each a distinct two-hour slot, names to screen from the evaluation set, an idempotency key.
4. Same run baseline: ``bench/ceiling_app.py`` (Litestar answering a constant) under the same
   server, workers, connections and duration.
5. Afterwards: a query proves no two held occurrences of one unit overlap, and every id
   answered with 201 is a case in the database.

Targets, one worker on two cores: /health >= 3,000 rps; feed 304 >= 2,000; feed 200 (200 events)
>= 300; application POST >= 100 rps with p95 < 250 ms; zero errors; server memory with 100,000
flagged entries <= 600 MB. With --postgres: two workers >= 1.5 times one worker's booking POSTs a
second, p95 < 250 ms with any number of workers. Missing a target is printed, never an error exit.
The table "booking POST by worker count" puts each worker count beside one worker's figure.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy.engine import make_url

from api.db.migrate import upgrade
from bench._databases import pg_admin
from bench._figures import fmt, write_json
from bench.load.checks import verify
from bench.load.clients import Result, ensure_wrk
from bench.load.processes import service_env
from bench.load.report import figures_from, print_results, print_worker_table
from bench.load.run import Config, run_server
from bench.load.seed import FLAGGED, POST_ROOMS, free_slots, post_bodies, seed


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="shorter runs (4 s per endpoint, 8 s POST)")
    parser.add_argument("--workers", default="1,2", help="comma-separated worker counts, default 1,2")
    parser.add_argument("--seconds", type=float, default=10.0, help="measured seconds per GET endpoint")
    parser.add_argument("--post-seconds", type=float, default=20.0, help="measured seconds of POSTs")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections (all endpoints)")
    parser.add_argument("--flagged", type=int, default=FLAGGED, help=argparse.SUPPRESS)
    parser.add_argument(
        "--no-idempotency-key", action="store_true", help="measured POSTs without Idempotency-Key (A/B)"
    )
    parser.add_argument(
        "--postgres", metavar="ADMIN_URL", help="run on a fresh PostgreSQL database made beside this one"
    )
    parser.add_argument("--redis", metavar="URL", help="sessions and throttling in this Redis")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (database, logs)")
    parser.add_argument("--json", help="write the figures to this file for bench/run_all.py")
    args = parser.parse_args()
    cfg = Config(
        get_seconds=4.0 if args.quick else args.seconds,
        post_seconds=8.0 if args.quick else args.post_seconds,
        connections=args.connections,
        post_connections=args.connections,
        warmup_seconds=1.0 if args.quick else 2.0,
        idempotency_key=not args.no_idempotency_key,
    )
    worker_counts = [int(w) for w in args.workers.split(",") if w.strip()]
    if ensure_wrk() is None:
        print("wrk is not installed and could not be installed: apt-get install -y wrk", file=sys.stderr)
        return 3
    tmp = Path(tempfile.mkdtemp(prefix="vh-loadtest-"))
    url, database = "", ""
    try:
        if args.postgres:
            database = f"vh_load_{uuid.uuid4().hex[:10]}"
            asyncio.run(pg_admin(args.postgres, f'CREATE DATABASE "{database}"'))
            url = str(make_url(args.postgres).set(database=database).render_as_string(hide_password=False))
        else:
            url = f"sqlite+aiosqlite:///{tmp / 'loadtest.sqlite3'}"
        print(f"database: {url.split('@')[-1]}" + (f", Redis {args.redis}" if args.redis else ""), flush=True)
        now = dt.datetime.now(dt.UTC)
        upgrade(url)
        seeded = asyncio.run(seed(url, now, args.flagged))
        for what, took in seeded.seconds.items():
            print(f"seeded {what} in {took:.1f} s")
        env = service_env(url, tmp, "load-test-" + uuid.uuid4().hex * 2, args.redis)
        # Saved before any server starts, as a release does (docs/deployment.md): each start then
        # loads the same file, and no worker's memory holds what building it left on the heap.
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "api.cli", "screening", "build-index"], env=env, check=True)
        print(f"screening index built and saved in {time.perf_counter() - started:.1f} s", flush=True)
        slots = free_slots(POST_ROOMS, now)
        results: list[Result] = []
        memory: dict[int, dict[str, float]] = {}
        ids_dir = tmp / "ids"
        ids_dir.mkdir()
        for workers in worker_counts:
            bodies = tmp / f"bodies-{workers}.txt"
            # Enough distinct slots for 200 requests a second (twice the target; the rooms have
            # about 20,000 slots for all the runs): a faster server would start replaying
            # (idempotent, answered 200) and the statuses would show it.
            wanted = int(200 * (cfg.post_seconds + 10))
            written = post_bodies(bodies, seeded.post_rooms, slots, wanted)
            print(
                f"\n== {workers} worker(s): uvicorn, wrk -t1 -c{cfg.connections}, "
                f"{written:,} prepared requests",
                flush=True,
            )
            run, memory[workers] = run_server(workers, cfg, env, tmp, seeded, bodies, ids_dir)
            for what, value in memory[workers].items():
                print(f"  {what}: {value:.1f}")
            results += run
        print()
        print_results(results)
        print(f"\nbooking POST by worker count (load average {os.getloadavg()[0]:.1f}):")
        print_worker_table(results, memory)
        checks = asyncio.run(verify(url, ids_dir))
        print("\nafter the runs: " + ", ".join(f"{k} {v:,}" for k, v in checks.items()))
        figures = figures_from(results, memory, checks, several_workers_targets=bool(args.postgres))
        print()
        for f in figures:
            if f.target is not None:
                verdict = "met" if f.met else "MISSED"
                print(f"{f.name}: {fmt(f.value, f.unit)} (target {f.target_text()}): {verdict}")
        write_json(
            args.json,
            "loadtest",
            figures,
            results=[r.__dict__ | {"rps": r.rps, "errors": r.errors} for r in results],
            memory={str(k): v for k, v in memory.items()},
            checks=checks,
        )
    finally:
        if args.postgres and url.startswith("postgresql") and not args.keep:
            asyncio.run(pg_admin(args.postgres, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
