"""The servers under test: uvicorn started on a free loopback port, its workers' memory, stopping it.

Servers run in their own process group and are stopped by that group's id when the run ends,
even on error.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

SERVICE = "venue-hire serve"  # `serve`'s app argument for the service's own command


def service_env(url: str, folder: Path, secret_key: str, redis: str | None) -> dict[str, str]:
    """The environment a measured service runs in: its database, a production configuration, its
    files in `folder`, this tree's code first on the path; with `redis`, sessions and throttling
    there and messages left to the workers (as on an app machine: docs/deployment.md)."""
    root = Path(__file__).resolve().parents[2]
    env = {
        **os.environ,
        "VENUE_HIRE_DATABASE_URL": url,
        "VENUE_HIRE_SECRET_KEY": secret_key,
        "VENUE_HIRE_ENVIRONMENT": "production",
        "VENUE_HIRE_OUTBOX_DIR": str(folder / "outbox"),
        "VENUE_HIRE_SCREENING_INDEX_DIR": str(folder / "screening-index"),
        "PYTHONPATH": os.pathsep.join([str(root), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep),
    }
    if redis:
        env |= {"VENUE_HIRE_REDIS_URL": redis, "VENUE_HIRE_DELIVERY": "worker"}
    return env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    port: int
    log: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def worker_pids(self) -> list[int]:
        """The processes that serve requests: the server itself, or its children with --workers > 1."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            pids = [int(p) for p in children.read_text().split()]
        except OSError:
            pids = []
        # uvicorn's supervisor also starts a multiprocessing resource tracker; workers are the big ones.
        workers = [p for p in pids if "resource_tracker" not in _cmdline(p)]
        return workers or [self.process.pid]

    def all_pids(self) -> list[int]:
        """The server's processes: the parent and its workers."""
        return sorted({self.process.pid, *self.worker_pids()})


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def rss_mb(pid: int, key: str = "VmRSS") -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def pss_mb(pid: int) -> float:
    """Proportional set size: pages shared with other processes count by their share, so the sum
    over a server's processes is what they cost the machine together (forked workers, mapped index)."""
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def renice_postgres(url: str) -> int:
    """Give the PostgreSQL backends serving this run's own database the bench's priority.

    The servers and wrk run under ``nice -n -10`` on a machine shared with other work, and
    PostgreSQL's backends at the default priority then wait behind that work at every round trip:
    the measurement would be of the neighbours. Only backends connected to the database this run
    made are touched (a local server, and only where we may: root). Returns how many."""
    if not url.startswith("postgresql") or make_url(url).host not in ("127.0.0.1", "localhost"):
        return 0

    async def backends() -> list[int]:
        engine = create_async_engine(url)
        try:
            async with engine.connect() as conn:
                rows = await conn.execute(
                    text("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
                )
                return [int(pid) for pid in rows.scalars()]
        finally:
            await engine.dispose()

    mine, changed = os.getpriority(os.PRIO_PROCESS, 0), 0
    for pid in asyncio.run(backends()):
        try:
            if os.getpriority(os.PRIO_PROCESS, pid) > mine:
                os.setpriority(os.PRIO_PROCESS, pid, mine)
                changed += 1
        except (PermissionError, ProcessLookupError):
            continue
    return changed


def cpu_seconds(pids: list[int]) -> float:
    """User plus system CPU time the processes have used so far (seconds)."""
    ticks = 0
    for pid in pids:
        # Fields after the command name (which may hold spaces) start at state; utime, stime are 14, 15.
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def postgres_pids() -> list[int]:
    """Every PostgreSQL process on the machine: the run's backends and what serves them (WAL writer)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() in ("postgres", "postmaster"):
                    pids.append(int(entry.name))
            except OSError:
                continue
    return pids


def alive_cpu(pids: list[int]) -> float:
    """cpu_seconds of those still running (a backend may end between listing and reading)."""
    total = 0.0
    for pid in pids:
        try:
            total += cpu_seconds([pid])
        except OSError:
            continue
    return total


def machine_busy_seconds() -> float:
    """CPU time every core has spent on anything but idling and waiting for I/O, since boot."""
    fields = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields[:8]
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


@contextmanager
def serve(app: str, workers: int, env: dict[str, str], cwd: Path, extra: list[str]) -> Iterator[Server]:
    port = free_port()
    log = cwd / f"server-{port}.log"
    if app == SERVICE:
        # The service as deployed: `venue-hire serve`, whose workers are forked from a parent
        # that has loaded the app and the screening index (api/cli/prefork.py).
        command = [
            sys.executable, "-m", "api.cli", "serve",
            "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
        ]  # fmt: skip
    else:
        command = [
            sys.executable, "-m", "uvicorn", app, *extra,
            "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
            "--log-level", "warning", "--no-access-log",
        ]  # fmt: skip
    # Litestar matches allowed hosts against the whole Host header, port included.
    env = env | {
        "VENUE_HIRE_BASE_URL": f"http://127.0.0.1:{port}",
        "VENUE_HIRE_ALLOWED_HOSTS": json.dumps([f"127.0.0.1:{port}"]),
    }
    with log.open("wb") as log_file:
        process = subprocess.Popen(
            command, cwd=cwd, env=env, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True
        )
    server = Server(process, port, log)
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"server exited with {process.returncode}: {log.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(  # noqa: S310  (our own http://127.0.0.1 URL)
                    server.base + ("/health" if app in (SERVICE, "api.app:create_app") else "/"), timeout=2
                ):
                    break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if time.monotonic() > deadline:
                    raise RuntimeError("server did not answer within 60 s") from None
                time.sleep(0.2)
        if workers > 1:
            # Every worker must be up before the clock starts, not just the first to answer.
            deadline = time.monotonic() + 60
            while len(server.worker_pids()) < workers and time.monotonic() < deadline:
                time.sleep(0.2)
            time.sleep(1.0)
        yield server
    finally:
        stop(process)


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop the server we started (its own process group: the supervisor and its workers)."""
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)
        except ProcessLookupError:
            pass
