"""How `venue-hire serve --workers N` spreads keep-alive connections between its workers.

    .venv/bin/python bench/connection_spread.py --postgres postgresql+asyncpg://postgres@127.0.0.1:5432/test \
        [--workers 2,4] [--connections 16] [--trials 3]

Starts the service on a fresh PostgreSQL database (migrated, nothing seeded: `GET /health` is
enough), opens `--connections` keep-alive connections at once with wrk, as `bench/loadtest.py`
does, and counts each worker's established connections with `ss` while wrk runs. A connection a
worker holds stays with it for the whole run, so an uneven count means uneven latency.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import re
import secrets
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
from bench.load.processes import SERVICE, serve, service_env


def spread(base: str, port: int, connections: int) -> list[int]:
    """Each worker's share of `connections` wrk connections, largest first."""
    wrk = subprocess.Popen(
        ["wrk", "-t1", f"-c{connections}", "-d3s", base + "/health"], stdout=subprocess.DEVNULL
    )
    try:
        time.sleep(1.5)
        listed = subprocess.run(
            ["ss", "-tnpH", "state", "established", f"( sport = :{port} )"],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
    finally:
        wrk.wait()
    return sorted(collections.Counter(re.findall(r"pid=(\d+)", listed)).values(), reverse=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", required=True, help="an admin URL of a PostgreSQL server")
    parser.add_argument("--workers", default="2,4")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--trials", type=int, default=3)
    args = parser.parse_args()
    name = f"vh_spread_{uuid.uuid4().hex[:8]}"
    asyncio.run(pg_admin(args.postgres, f'CREATE DATABASE "{name}"'))
    try:
        url = make_url(args.postgres).set(database=name).render_as_string(hide_password=False)
        upgrade(url)
        folder = Path(tempfile.mkdtemp())
        env = service_env(url, folder, secrets.token_hex(32), None)
        for workers in (int(w) for w in args.workers.split(",")):
            for trial in range(args.trials):
                with serve(SERVICE, workers, env, folder, []) as server:
                    shares = spread(f"http://127.0.0.1:{server.port}", server.port, args.connections)
                print(
                    f"{workers} workers, trial {trial + 1}: {args.connections} connections went {shares}",
                    flush=True,
                )
    finally:
        asyncio.run(pg_admin(args.postgres, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


if __name__ == "__main__":
    main()
