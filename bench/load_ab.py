"""A/B of the booking POST: two source trees served side by side and loaded at the same time.

    .venv/bin/python bench/load_ab.py --old-commit REV [--new-commit REV] [--rounds 3]
        [--seconds 15] [--modes key,nokey]

On a machine shared with other work, runs one after another drift by a quarter and more; two
servers loaded at once see the same drift, so their ratio holds. Each tree (a commit exported
with ``git archive``, or this working tree when no new commit is given) gets its own copy of
one database seeded as ``bench/loadtest.py`` seeds it, one uvicorn worker, the same request
bodies and ``wrk -t1 -c16`` for the same seconds. Modes: ``key`` and ``nokey`` (with or without
``Idempotency-Key``), or ``key/nokey`` (old tree keyed, new tree not) to measure what the key
costs on one tree. Printed per round: rate, p95, worker CPU per request, and new/old ratios.
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
import threading
import uuid
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from api.db.migrate import upgrade
from bench.load.clients import Result, ensure_wrk, http, wrk
from bench.load.processes import Server, cpu_seconds, serve
from bench.load.seed import POST_ROOMS, free_slots, post_bodies, seed

ROOT = Path(__file__).resolve().parents[1]
SIDES = ("old", "new")


def export(commit: str, into: Path) -> Path:
    """The tree of `commit`, exported (never checked out: the working tree is left alone)."""
    into.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", commit], cwd=ROOT, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def seeded_copies(tmp: Path, now: dt.datetime) -> tuple[list[str], list[str]]:
    """Seed one database, copy it per side; returns the POST body lines and the rooms."""
    base = tmp / "seed.sqlite3"
    url = f"sqlite+aiosqlite:///{base}"
    upgrade(url)
    seeded = asyncio.run(seed(url, now, 100_000))
    bodies = tmp / "bodies.txt"
    post_bodies(bodies, seeded.post_rooms, free_slots(POST_ROOMS, now), 60_000)
    for side in SIDES:
        (tmp / side / "ids").mkdir(parents=True)
        for suffix in ("", "-wal", "-shm"):
            if Path(f"{base}{suffix}").exists():
                shutil.copy(f"{base}{suffix}", tmp / side / f"db.sqlite3{suffix}")
    return bodies.read_text(encoding="utf-8").splitlines(), seeded.post_rooms


def load_round(
    servers: dict[str, Server], chunk: Path, tmp: Path, mode: str, seconds: float
) -> tuple[dict[str, Result], dict[str, float]]:
    results: dict[str, Result] = {}
    cpu: dict[str, float] = {}

    def load(side: str) -> None:
        server = servers[side]
        own = mode.split("/")[SIDES.index(side)] if "/" in mode else mode
        before = cpu_seconds(server.worker_pids())
        args = ["post", str(chunk), str(tmp / side / "ids"), "1", *(["nokey"] if own == "nokey" else [])]
        results[side] = wrk(server.base + "/api/v1/applications", seconds=seconds, connections=16,
                            expected=(201,), name=side, workers=1, script_args=args)  # fmt: skip
        cpu[side] = (cpu_seconds(server.worker_pids()) - before) * 1000 / max(1, results[side].requests)

    threads = [threading.Thread(target=load, args=(side,)) for side in SIDES]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, cpu


def warm_up(servers: dict[str, Server], lines: list[str], tmp: Path) -> None:
    """Build each worker's screener (100,000 entries) with one request, then load both briefly."""
    key, body = lines[0].split("\t", 1)
    headers = {"Content-Type": "application/json", "Idempotency-Key": key}
    for side, server in servers.items():
        status, answer, _ = http("POST", server.base + "/api/v1/applications", body.encode(), headers)
        if status != 201:
            raise RuntimeError(f"{side}: the first application answered {status}: {answer[:300]!r}")
    warm = tmp / "warm.txt"
    warm.write_text("\n".join(lines[1:400]) + "\n", encoding="utf-8")
    for side, server in servers.items():
        args = ["post", str(warm), str(tmp / side / "ids"), "1"]
        wrk(server.base + "/api/v1/applications", seconds=3, connections=16, expected=(201,),
            name="warm", workers=1, script_args=args)  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--old-commit", required=True, help="the commit to compare against")
    parser.add_argument("--new-commit", help="default: this working tree as it is")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=15.0, help="measured seconds per round and mode")
    parser.add_argument("--modes", default="key,nokey", help="key, nokey or old/new pairs such as key/nokey")
    args = parser.parse_args()
    if ensure_wrk() is None:
        print("wrk is not installed: apt-get install -y wrk", file=sys.stderr)
        return 3
    tmp = Path(tempfile.mkdtemp(prefix="vh-load-ab-"))
    try:
        trees = {
            "old": export(args.old_commit, tmp / "tree-old"),
            "new": export(args.new_commit, tmp / "tree-new") if args.new_commit else ROOT,
        }
        lines, _rooms = seeded_copies(tmp, dt.datetime.now(dt.UTC))
        secret = "load-ab-" + uuid.uuid4().hex * 2
        with ExitStack() as stack:
            servers: dict[str, Server] = {}
            for side in SIDES:
                env = {
                    **os.environ,
                    "VENUE_HIRE_DATABASE_URL": f"sqlite+aiosqlite:///{tmp / side / 'db.sqlite3'}",
                    "VENUE_HIRE_SECRET_KEY": secret,
                    "VENUE_HIRE_ENVIRONMENT": "production",
                    "VENUE_HIRE_OUTBOX_DIR": str(tmp / side / "outbox"),
                    "PYTHONPATH": str(trees[side]),
                }
                servers[side] = stack.enter_context(
                    serve("api.app:create_app", 1, env, tmp / side, ["--factory"])
                )
            warm_up(servers, lines, tmp)
            used, per = 400, int(150 * args.seconds)  # more distinct requests than a round can send
            for number in range(1, args.rounds + 1):
                for mode in args.modes.split(","):
                    chunk = tmp / f"round-{number}-{mode.replace('/', '-')}.txt"
                    chunk.write_text("\n".join(lines[used : used + per]) + "\n", encoding="utf-8")
                    used += per
                    results, cpu = load_round(servers, chunk, tmp, mode, args.seconds)
                    old, new = results["old"], results["new"]
                    print(
                        f"round {number} {mode:9}: old {old.rps:6.1f}/s p95 {old.p95_ms:5.0f} ms "
                        f"cpu {cpu['old']:5.1f} ms {old.statuses} | new {new.rps:6.1f}/s p95 "
                        f"{new.p95_ms:5.0f} ms cpu {cpu['new']:5.1f} ms {new.statuses} | new/old rate "
                        f"{new.rps / old.rps:.2f}, p95 {new.p95_ms / old.p95_ms:.2f}, "
                        f"load {Path('/proc/loadavg').read_text().split()[0]}",
                        flush=True,
                    )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
