"""Memory of the whole service with 1 and 4 workers and 100,000 flagged entries (issue 22 item 4),
as the machine sees it: the sum of the proportional set size (PSS, /proc/PID/smaps_rollup) of
every process of the server. PSS divides each shared page between the processes that share it,
so pages of the memory-mapped index and pages a forked worker still shares with its parent count
once in the sum; RSS would count them once per process.

Run by ``bench/screening_workers.py --service`` (about 3 minutes): seeds a SQLite database as
the load test does, saves its screening index (``venue-hire screening build-index``), then for
each server start (``venue-hire serve --workers 1``, ``--workers 4``, and uvicorn's own
``--workers 4``, which spawns fresh interpreters: the baseline) waits until every worker is
ready, sums PSS, sends 40 booking requests per worker and sums it again.
"""

from __future__ import annotations

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

from api.db.migrate import upgrade
from bench._figures import Figure
from bench.load.clients import http
from bench.load.processes import SERVICE, Server, pss_mb, serve
from bench.load.seed import POST_ROOMS, free_slots, post_bodies, seed

ROOT = Path(__file__).resolve().parents[1]
PER_WORKER = 40


def _total(server: Server) -> float:
    return sum(pss_mb(pid) for pid in server.all_pids())


def private_mb(pid: int) -> float:
    """Memory only this process maps (smaps_rollup Private_Dirty): in a forked worker, the parent's
    pages it has written to (copied for it) and what it allocated itself."""
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Private_Dirty:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _private(server: Server) -> str:
    """Each process's own memory: with forked workers, what each one adds beyond the shared pages
    (and the parent's own: the pages every worker has copied, which it still holds as well)."""
    workers = server.worker_pids()
    if workers == [server.process.pid]:
        return ""
    mean = sum(private_mb(pid) for pid in workers) / len(workers)
    return f" (private: each worker {mean:.0f} MB, the parent {private_mb(server.process.pid):.0f} MB)"


def _ready(server: Server) -> None:
    """Twenty 200s in a row from /ready: new connections reach any worker, so all have the index."""
    deadline, in_a_row = time.monotonic() + 180, 0
    while in_a_row < 20:
        if time.monotonic() > deadline:
            raise RuntimeError("the workers did not become ready within 180 s")
        in_a_row = in_a_row + 1 if http("GET", server.base + "/ready")[0] == 200 else 0
        time.sleep(0 if in_a_row else 0.3)


def measure(entries: int) -> list[tuple[str, int, float, float]]:
    """(server, workers, PSS MB when ready, PSS MB after the requests) for each start."""
    tmp = Path(tempfile.mkdtemp(prefix="vh-service-memory-"))
    try:
        url = f"sqlite+aiosqlite:///{tmp / 'memory.sqlite3'}"
        upgrade(url)
        # The service checks requests against its own clock, so the seeded bookings and the
        # requests are relative to now (as the load test's are): nothing here depends on the date.
        now = dt.datetime.now(dt.UTC)
        started = time.perf_counter()
        seeded = asyncio.run(seed(url, now, entries))
        print(f"seeded {entries:,} flagged entries and the rooms in {time.perf_counter() - started:.0f} s")
        env = {
            **os.environ,
            "VENUE_HIRE_DATABASE_URL": url,
            "VENUE_HIRE_SECRET_KEY": "memory-" + uuid.uuid4().hex * 2,
            "VENUE_HIRE_ENVIRONMENT": "production",
            "VENUE_HIRE_OUTBOX_DIR": str(tmp / "outbox"),
            "VENUE_HIRE_SCREENING_INDEX_DIR": str(tmp / "screening-index"),
            "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep),
        }
        # Saved once, as a release does (docs/deployment.md), so that every start below loads the
        # same file: a process that built the index itself would keep the build's heap.
        subprocess.run([sys.executable, "-m", "api.cli", "screening", "build-index"], env=env, check=True)
        bodies = tmp / "bodies.txt"
        runs = [(SERVICE, 1), (SERVICE, 4), ("api.app:create_app", 4)]
        post_bodies(bodies, seeded.post_rooms, free_slots(POST_ROOMS, now), PER_WORKER * 9)
        lines = bodies.read_text(encoding="utf-8").splitlines()
        found = []
        for app, workers in runs:
            extra = [] if app == SERVICE else ["--factory"]
            with serve(app, workers, env, tmp, extra) as server:
                _ready(server)
                ready, ready_private = _total(server), _private(server)
                mine, lines = lines[: PER_WORKER * workers], lines[PER_WORKER * workers :]
                for line in mine:
                    key, body = line.split("\t", 1)
                    status, answer, _ = http(
                        "POST", server.base + "/api/v1/applications", body.encode(),
                        {"Content-Type": "application/json", "Idempotency-Key": key},
                    )  # fmt: skip
                    if status != 201:
                        raise RuntimeError(f"a booking request answered {status}: {answer[:300]!r}")
                label = "venue-hire serve" if app == SERVICE else "uvicorn --workers (spawn)"
                found.append((label, workers, ready, _total(server)))
                print(f"  {label}, {workers} worker(s): {ready:.0f} MB ready{ready_private},", flush=True)
                after = f"{found[-1][3]:.0f} MB after {len(mine)} booking requests"
                print(f"    {after}{_private(server)}", flush=True)
        return found
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def figures_of(found: list[tuple[str, int, float, float]]) -> list[Figure]:
    """Four forked workers' memory against one's (target: at most 1.2 times), ready and after."""
    one = next(f for f in found if f[0] == "venue-hire serve" and f[1] == 1)
    four = next(f for f in found if f[0] == "venue-hire serve" and f[1] == 4)
    return [
        Figure(f"venue-hire serve, 4 workers: PSS {when}, times one worker's", value / base, "x",
               target=1.2, note=f"{value:.0f} MB against {base:.0f} MB")
        for when, value, base in (("ready", four[2], one[2]), ("after 40 bookings each", four[3], one[3]))
    ]  # fmt: skip


def report(found: list[tuple[str, int, float, float]]) -> None:
    one = next(f for f in found if f[0] == "venue-hire serve" and f[1] == 1)
    print(f"\n{'server':<28} {'workers':>7} {'PSS ready':>10} {'x one':>6} {'PSS after':>10} {'x one':>6}")
    for label, workers, ready, after in found:
        print(
            f"{label:<28} {workers:>7} {ready:>7.0f} MB {ready / one[2]:>6.2f} "
            f"{after:>7.0f} MB {after / one[3]:>6.2f}"
        )
    print("target: four workers at most 1.2 times one worker's memory")
