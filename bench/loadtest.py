"""Load test: the real service on 127.0.0.1 under wrk, one worker then two, beside the framework's ceiling.

    .venv/bin/python bench/loadtest.py [--quick] [--workers 1,2] [--json PATH]

What it does, all on loopback and bounded in time (every wrk run has a fixed duration and a
timeout; the servers are stopped by process id when the script ends, even on error):

1. Makes a fresh SQLite database (WAL) in a temporary folder with the service's migrations and
   seeds it through the service's own code: a venue whose room has 200 confirmed bookings and a
   venue feed of them, rooms for new requests, and 100,000 flagged entries imported with
   ``vetting.flagged.import_entries`` (invented names, generated like ``bench/screening.py``'s).
2. Starts ``uvicorn api.app:create_app --factory`` with N workers, sends one application so
   the screener is built from the 100,000 entries, and reads the worker's VmRSS.
3. Runs wrk (Debian's package) against ``GET /health``, room availability, the venue feed (200
   and 304 with ``If-None-Match``) and ``POST /api/v1/applications`` with prepared bodies:
   each a distinct two-hour slot, names to screen from the evaluation set, an idempotency key.
4. Same run baseline: ``bench/ceiling_app.py`` (Litestar answering a constant) under the same
   server, workers, connections and duration.
5. Afterwards: a query proves no two held occurrences of one unit overlap, and every id
   answered with 201 is a case in the database.

Targets, one worker on two cores: /health >= 3,000 rps; feed 304 >= 2,000; feed 200 (200 events)
>= 300; application POST >= 100 rps with p95 < 250 ms; zero errors; server memory with 100,000
flagged entries <= 600 MB. Missing a target is printed, never an error exit.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import datetime as dt
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

from _figures import Figure, fmt, write_json  # noqa: E402
from screening import synthetic_entries  # noqa: E402
from sqlalchemy import select, text  # noqa: E402  (after the path tweak)
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker  # noqa: E402

from api.db.engine import create_engine  # noqa: E402
from api.db.migrate import upgrade  # noqa: E402
from api.users import create_user  # noqa: E402
from casework.input import ApplicationRequest  # noqa: E402
from casework.workflow import DecisionInput, Workflow  # noqa: E402
from policies import default_declarations  # noqa: E402
from venues.closures import uk_bank_holiday_closures  # noqa: E402
from venues.feeds import create_feed  # noqa: E402
from venues.venue_service import RoomInput, VenueAdmin, VenueInput  # noqa: E402
from vetting.actors import Actor  # noqa: E402
from vetting.flagged import import_entries  # noqa: E402
from vetting.importers import ImportedEntry  # noqa: E402

LONDON = ZoneInfo("Europe/London")
ALL_WEEK = {d: [["08:00", "22:00"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
DECLARATIONS = default_declarations()
FEED_EVENTS = 200
FLAGGED = 100_000
POST_ROOMS = 8
SLOT_HOURS = (8, 10, 12, 14, 16, 18, 20)  # two-hour slots inside 08:00-22:00
TARGETS = {  # one worker, two cores
    "health": 3000.0,
    "feed_304": 2000.0,
    "feed_200": 300.0,
    "post": 100.0,
}
POST_P95_MS = 250.0
RSS_MB = 600.0
ADMIN = Actor(id=None, name="load test seeding", role="admin")


# --------------------------------------------------------------------------- seeding


@dataclass
class Seeded:
    feed_room: str
    feed_token: str
    post_rooms: list[str]
    seconds: dict[str, float] = field(default_factory=dict)


def _request(room_id: object, start: dt.datetime, org: str, person: str, title: str) -> dict[str, Any]:
    return {
        "room_id": str(room_id),
        "organisation": {"name": org, "type": "club", "address": "3 Load Street"},
        "contact": {"name": person, "email": "contact@loadtest.example", "phone": "07700 900777"},
        "people": [{"name": person, "role": "officer"}],
        "event": {
            "title": title,
            "description": "Members' meeting",
            "expected_attendance": 25,
            "open_to_public": False,
            "under_18s": False,
            "adults_at_risk": False,
        },
        "start": start.isoformat(),
        "end": (start + dt.timedelta(hours=2)).isoformat(),
        "declarations": DECLARATIONS,
        "answers": {},
    }


async def seed(url: str, now: dt.datetime, flagged: int) -> Seeded:
    engine = create_engine(url)
    maker = async_sessionmaker(engine, expire_on_commit=False)
    seconds: dict[str, float] = {}
    try:
        started = time.perf_counter()
        async with maker() as session, session.begin():
            admin_user = await create_user(
                session,
                email="admin@loadtest.example",
                name="Load Test Admin",
                role="admin",
                password=uuid.uuid4().hex,
            )
            officer_user = await create_user(
                session,
                email="officer@loadtest.example",
                name="Load Test Officer",
                role="officer",
                password=uuid.uuid4().hex,
            )
            admin = VenueAdmin(session)
            feed_venue = await admin.create_venue(
                ADMIN,
                VenueInput("Loadtest Civic Hall", "council", "Loadtest Borough Council", "1 Load Street"),
            )
            feed_room = await admin.create_room(
                ADMIN, feed_venue.id, RoomInput("Assembly Room", 120, ["step_free"], ALL_WEEK)
            )
            post_venue = await admin.create_venue(
                ADMIN, VenueInput("Loadtest Community Centre", "partner", "Loadtest Trust", "2 Load Street")
            )
            post_rooms = [
                await admin.create_room(
                    ADMIN, post_venue.id, RoomInput(f"Room {n}", 60, ["step_free"], ALL_WEEK)
                )
                for n in range(1, POST_ROOMS + 1)
            ]
            officer = Actor(id=officer_user.id, name=officer_user.name, role="officer")
            workflow = Workflow(session)
            for i, day in enumerate(open_days(now, FEED_EVENTS)):
                start = dt.datetime(day.year, day.month, day.day, 18 if i % 2 else 10, tzinfo=LONDON)
                body = _request(
                    feed_room.id, start, f"Loadtest Society {i}", "Robin Fielding", f"Meeting {i}"
                )
                submitted = await workflow.submit(ApplicationRequest.model_validate(body), now=now)
                await workflow.decide(
                    officer, submitted.case.id, DecisionInput("approve", "Routine"), now=now
                )
            _feed, token = await create_feed(
                session,
                Actor(id=admin_user.id, name=admin_user.name, role="admin"),
                "venue",
                str(feed_venue.id),
                "standard",
            )
        seconds["venues, rooms, 200 confirmed bookings, feed"] = time.perf_counter() - started
        started = time.perf_counter()
        entries = [
            ImportedEntry(
                kind=e.kind, name=e.name, aliases=tuple(e.aliases), source="uk-sanctions", source_ref=e.id
            )
            for e in synthetic_entries(flagged)
        ]
        async with maker() as session, session.begin():
            await import_entries(session, officer, entries)
        seconds[f"{flagged:,} flagged entries (import_entries)"] = time.perf_counter() - started
        return Seeded(str(feed_room.id), token, [str(r.id) for r in post_rooms], seconds)
    finally:
        await engine.dispose()


def ordinary_names() -> list[str]:
    with (BENCH / "data" / "screening_eval" / "ordinary.csv").open(encoding="utf-8") as handle:
        return [row["name"] for row in csv.DictReader(handle) if row.get("kind", "person") == "person"]


def post_bodies(path: Path, rooms: list[str], slots: Iterator[tuple[int, dt.datetime]], count: int) -> int:
    """Write `count` requests, each for a slot no other request in this run asks for."""
    names = ordinary_names()
    written = 0
    with path.open("w", encoding="utf-8") as out:
        for n in range(count):
            try:
                room_index, start = next(slots)
            except StopIteration:
                break
            person = names[n % len(names)]
            body = _request(
                rooms[room_index], start, f"{person.split()[-1]} Community Group {n}", person, "Meeting"
            )
            out.write(f"{uuid.uuid4()}\t{json.dumps(body, separators=(',', ':'))}\n")
            written += 1
    return written


def open_days(now: dt.datetime, count: int | None = None) -> list[dt.date]:
    """Days from two days ahead to 360 days ahead (inside the 12-month horizon), bank holidays
    in England left out: the venues close on them, as councils' venues do."""
    first = now.astimezone(LONDON).date() + dt.timedelta(days=2)
    last = first + dt.timedelta(days=358)
    closed = {c.start_date for c in uk_bank_holiday_closures(first, last, subdiv="ENG")}
    days = [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
    return [d for d in days if d not in closed][:count]


def free_slots(rooms: int, now: dt.datetime) -> Iterator[tuple[int, dt.datetime]]:
    """Every two-hour slot of the new-request rooms on open days, day by day."""
    for day in open_days(now):
        for hour in SLOT_HOURS:
            for room in range(rooms):
                yield room, dt.datetime(day.year, day.month, day.day, hour, tzinfo=LONDON)


# --------------------------------------------------------------------------- processes


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


@contextmanager
def serve(app: str, workers: int, env: dict[str, str], cwd: Path, extra: list[str]) -> Iterator[Server]:
    port = free_port()
    log = cwd / f"server-{port}.log"
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
                    server.base + ("/health" if "create_app" in app else "/"), timeout=2
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


# --------------------------------------------------------------------------- load


@dataclass
class Result:
    name: str
    workers: int
    connections: int
    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    statuses: dict[int, int]
    socket_errors: int
    expected: tuple[int, ...]

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def errors(self) -> int:
        unexpected = sum(n for status, n in self.statuses.items() if status not in self.expected)
        return unexpected + self.socket_errors


def wrk(
    url: str,
    *,
    seconds: float,
    connections: int,
    expected: tuple[int, ...],
    name: str,
    workers: int,
    headers: Sequence[str] = (),
    script_args: Sequence[str] = (),
) -> Result:
    command = [
        "wrk", "-t1", f"-c{connections}", f"-d{seconds:g}s", "--timeout", "10s", "--latency",
        "-s", str(BENCH / "wrk_report.lua"),
    ]  # fmt: skip
    for header in headers:
        command += ["-H", header]
    command += [url, "--", *(script_args or ["get"])]
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60, check=False)
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("WRKJSON ")), None)
    if done.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stdout[-1500:]} {done.stderr[-1500:]}")
    data = json.loads(line.removeprefix("WRKJSON "))
    return Result(
        name=name,
        workers=workers,
        connections=connections,
        requests=int(data["requests"]),
        seconds=data["duration_us"] / 1e6,
        p50_ms=data["p50_us"] / 1000,
        p95_ms=data["p95_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        max_ms=data["max_us"] / 1000,
        statuses={int(k): int(v) for k, v in data["statuses"].items()},
        socket_errors=int(data["connect"] + data["read"] + data["write"] + data["timeout"]),
        expected=expected,
    )


def http(
    method: str, url: str, body: bytes | None = None, headers: dict[str, str] | None = None
) -> tuple[int, bytes, dict[str, str]]:
    # Only ever our own http://127.0.0.1 server.
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=120) as answer:  # noqa: S310
            return answer.status, answer.read(), dict(answer.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(), dict(exc.headers)


def ensure_wrk() -> str | None:
    """wrk from Debian; installed with apt-get when missing and we may (root, apt present)."""
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("wrk not found: installing Debian's package (apt-get install -y wrk)", flush=True)

        def quiet(*command: str) -> None:
            subprocess.run(list(command), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)

        quiet("apt-get", "install", "-y", "-q", "wrk")
        if not shutil.which("wrk"):
            quiet("apt-get", "update", "-q")
            quiet("apt-get", "install", "-y", "-q", "wrk")
    return shutil.which("wrk")


# --------------------------------------------------------------------------- the run


@dataclass
class Config:
    get_seconds: float
    post_seconds: float
    connections: int
    post_connections: int
    warmup_seconds: float


def run_server(
    workers: int, cfg: Config, env: dict[str, str], tmp: Path, seeded: Seeded, bodies: Path, ids_dir: Path
) -> tuple[list[Result], dict[str, float]]:
    results: list[Result] = []
    memory: dict[str, float] = {}
    c = cfg.connections
    with serve("ceiling_app:app", workers, env, tmp, ["--app-dir", str(BENCH)]) as ceiling:
        wrk(
            ceiling.base + "/",
            seconds=cfg.warmup_seconds,
            connections=c,
            expected=(200,),
            name="warm",
            workers=workers,
        )
        results.append(
            wrk(ceiling.base + "/", seconds=cfg.get_seconds, connections=c, expected=(200,),
                name="ceiling: Litestar constant", workers=workers)
        )  # fmt: skip
    with serve("api.app:create_app", workers, env, tmp, ["--factory"]) as server:
        # Build the screener (100k entries) in every worker before measuring: one request per
        # worker is not guaranteed to reach each, so send a few at once and watch the memory.
        # Warm-up requests get their own slots: the measured run must not replay their keys.
        lines = bodies.read_text(encoding="utf-8").splitlines()
        first_lines, warm, measured = lines[:workers], bodies.with_suffix(".warm"), bodies.with_suffix(".run")
        warm.write_text("\n".join(lines[workers:400]) + "\n", encoding="utf-8")
        measured.write_text("\n".join(lines[400:]) + "\n", encoding="utf-8")
        started = time.perf_counter()
        for line in first_lines:
            key, body = line.split("\t", 1)
            status, answer, _ = http(
                "POST", server.base + "/api/v1/applications", body.encode(),
                {"Content-Type": "application/json", "Idempotency-Key": key},
            )  # fmt: skip
            if status != 201:
                raise RuntimeError(f"warm-up application answered {status}: {answer[:500]!r}")
            (ids_dir / f"warm-{key}.txt").write_text(json.loads(answer)["id"] + "\n")
        memory["first application (screener build) s"] = time.perf_counter() - started
        if workers > 1:
            deadline = time.monotonic() + 90
            post_args = ["post", str(warm), str(ids_dir), "1"]
            while min(rss_mb(p) for p in server.worker_pids()) < 250 and time.monotonic() < deadline:
                url = server.base + "/api/v1/applications"
                wrk(url, seconds=2, connections=4, expected=(200, 201), name="warm", workers=workers,
                    script_args=post_args)  # fmt: skip
        for pid in server.worker_pids():
            memory[f"worker {pid} VmRSS MB after screener build"] = rss_mb(pid)
        memory["max worker VmRSS MB after screener build"] = max(rss_mb(p) for p in server.worker_pids())

        start = dt.datetime.now(dt.UTC).replace(microsecond=0)
        availability = (
            f"{server.base}/api/v1/rooms/{seeded.feed_room}/availability"
            f"?start={start.strftime('%Y-%m-%dT%H:%M:%SZ')}"
            f"&end={(start + dt.timedelta(days=28)).strftime('%Y-%m-%dT%H:%M:%SZ')}"
        )
        feed = f"{server.base}/feeds/{seeded.feed_token}.ics"
        status, ics, headers = http("GET", feed)
        if status != 200 or ics.count(b"BEGIN:VEVENT") < FEED_EVENTS:
            raise RuntimeError(f"feed answered {status} with {ics.count(b'BEGIN:VEVENT')} events")
        etag = headers.get("ETag") or headers.get("etag") or ""
        if http("GET", feed, headers={"If-None-Match": etag})[0] != 304:
            raise RuntimeError("the feed does not answer 304 to its own ETag")
        gets = [
            ("GET /health", server.base + "/health", [], (200,)),
            ("GET availability (28 days)", availability, [], (200,)),
            (f"GET feed 200 ({FEED_EVENTS} events, {len(ics) // 1024} KB)", feed, [], (200,)),
            ("GET feed 304 (If-None-Match)", feed, [f"If-None-Match: {etag}"], (304,)),
        ]
        for name, url, extra, expected in gets:
            wrk(
                url,
                seconds=cfg.warmup_seconds,
                name="warm",
                connections=c,
                expected=expected,
                workers=workers,
                headers=extra,
            )
            results.append(
                wrk(
                    url,
                    seconds=cfg.get_seconds,
                    name=name,
                    connections=c,
                    expected=expected,
                    workers=workers,
                    headers=extra,
                )
            )
        results.append(
            wrk(
                server.base + "/api/v1/applications",
                seconds=cfg.post_seconds,
                connections=cfg.post_connections,
                expected=(201,),
                name="POST /api/v1/applications (screened vs 100k)",
                workers=workers,
                script_args=["post", str(measured), str(ids_dir), "1"],
            )
        )
        for pid in server.worker_pids():
            memory[f"worker {pid} VmHWM MB (peak) after load"] = rss_mb(pid, "VmHWM")
    return results, memory


async def verify(url: str, ids_dir: Path) -> dict[str, int]:
    """No two holds of one unit overlap; every id answered with 201 is a case in the database."""
    ids = {line.strip() for f in ids_dir.glob("*.txt") for line in f.read_text().splitlines() if line.strip()}  # noqa: ASYNC240
    engine = create_engine(url)
    try:
        async with AsyncSession(engine) as session:
            overlaps = (
                await session.execute(
                    text(
                        "SELECT count(*) FROM occurrence_hold a JOIN occurrence_hold b"
                        " ON a.unit_id = b.unit_id AND a.id < b.id"
                        " AND a.held_from < b.held_to AND b.held_from < a.held_to"
                    )
                )
            ).scalar_one()
            holds = (await session.execute(text("SELECT count(*) FROM occurrence_hold"))).scalar_one()
            from vetting.models import VettingCase

            found: set[str] = set()
            wanted = [uuid.UUID(i) for i in ids]
            for chunk in range(0, len(wanted), 500):
                rows = await session.execute(
                    select(VettingCase.id).where(VettingCase.id.in_(wanted[chunk : chunk + 500]))
                )
                found.update(str(r) for r in rows.scalars())
            cases = (await session.execute(text("SELECT count(*) FROM vetting_case"))).scalar_one()
    finally:
        await engine.dispose()
    return {
        "holds": int(holds),
        "overlapping hold pairs": int(overlaps),
        "ids answered 201": len(ids),
        "of those missing from the database": len(ids - found),
        "cases in the database": int(cases),
    }


def print_results(results: list[Result]) -> None:
    head = (
        f"{'workers':>7} {'endpoint':<46} {'conns':>5} {'requests':>8} {'rps':>8} {'p50 ms':>7} "
        f"{'p95 ms':>7} {'p99 ms':>7} {'max ms':>7} {'errors':>6}  statuses"
    )
    print(head)
    print("-" * len(head))
    for r in results:
        statuses = ", ".join(f"{k}: {v}" for k, v in sorted(r.statuses.items()))
        print(
            f"{r.workers:>7} {r.name:<46} {r.connections:>5} {r.requests:>8} {r.rps:>8.0f} {r.p50_ms:>7.1f} "
            f"{r.p95_ms:>7.1f} {r.p99_ms:>7.1f} {r.max_ms:>7.0f} {r.errors:>6}  {statuses}"
        )


def figures_from(
    results: list[Result], memory: dict[int, dict[str, float]], checks: dict[str, int]
) -> list[Figure]:
    figures: list[Figure] = []
    for workers in sorted({r.workers for r in results}):
        mine = [r for r in results if r.workers == workers]
        ceiling = next(r for r in mine if r.name.startswith("ceiling"))
        keys = {
            "GET /health": "health",
            "GET feed 304": "feed_304",
            "GET feed 200": "feed_200",
            "POST": "post",
        }
        for r in mine:
            if r is ceiling:
                continue
            key = next((v for k, v in keys.items() if r.name.startswith(k)), None)
            target = TARGETS.get(key) if key and workers == 1 else None
            figures.append(
                Figure(
                    f"load {workers}w: {r.name} rps",
                    r.rps,
                    "rps",
                    target=target,
                    better="higher",
                    baseline=ceiling.rps,
                    baseline_label="Litestar constant, same server",
                    note=f"p50/p95/p99 {r.p50_ms:.1f}/{r.p95_ms:.1f}/{r.p99_ms:.1f} ms, {r.errors} errors",
                )
            )
            if key == "post":
                figures.append(
                    Figure(
                        f"load {workers}w: POST /api/v1/applications p95",
                        r.p95_ms,
                        "ms",
                        target=POST_P95_MS if workers == 1 else None,
                        baseline=ceiling.p95_ms,
                        baseline_label="Litestar constant, same server",
                    )
                )
        figures.append(
            Figure(
                f"load {workers}w: errors over every run",
                float(sum(r.errors for r in mine)),
                "",
                target=0.0,
                note=f"{sum(r.requests for r in mine):,} requests",
            )
        )
        figures.append(
            Figure(
                f"load {workers}w: worker VmRSS with 100k flagged entries (max)",
                memory[workers]["max worker VmRSS MB after screener build"],
                "MB",
                target=RSS_MB if workers == 1 else None,
            )
        )
    overlaps = float(checks["overlapping hold pairs"])
    figures.append(Figure("load: overlapping held occurrences (query)", overlaps, "", target=0.0,
                          note=f"{checks['holds']} holds"))  # fmt: skip
    figures.append(
        Figure(
            "load: 201 answers missing from the database",
            float(checks["of those missing from the database"]),
            "",
            target=0.0,
            note=f"{checks['ids answered 201']:,} ids checked",
        )
    )
    return figures


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
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (database, logs)")
    parser.add_argument("--json", help="write the figures to this file for bench/run_all.py")
    args = parser.parse_args()
    cfg = Config(
        get_seconds=4.0 if args.quick else args.seconds,
        post_seconds=8.0 if args.quick else args.post_seconds,
        connections=args.connections,
        post_connections=args.connections,
        warmup_seconds=1.0 if args.quick else 2.0,
    )
    worker_counts = [int(w) for w in args.workers.split(",") if w.strip()]
    if ensure_wrk() is None:
        print("wrk is not installed and could not be installed: apt-get install -y wrk", file=sys.stderr)
        return 3
    tmp = Path(tempfile.mkdtemp(prefix="vh-loadtest-"))
    try:
        db = tmp / "loadtest.sqlite3"
        url = f"sqlite+aiosqlite:///{db}"
        now = dt.datetime.now(dt.UTC)
        upgrade(url)
        seeded = asyncio.run(seed(url, now, args.flagged))
        for what, took in seeded.seconds.items():
            print(f"seeded {what} in {took:.1f} s")
        env = {
            **os.environ,
            "VENUE_HIRE_DATABASE_URL": url,
            "VENUE_HIRE_SECRET_KEY": "load-test-" + uuid.uuid4().hex * 2,
            "VENUE_HIRE_ENVIRONMENT": "production",
            "VENUE_HIRE_OUTBOX_DIR": str(tmp / "outbox"),
            "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep),
        }
        slots = free_slots(POST_ROOMS, now)
        results: list[Result] = []
        memory: dict[int, dict[str, float]] = {}
        ids_dir = tmp / "ids"
        ids_dir.mkdir()
        for workers in worker_counts:
            bodies = tmp / f"bodies-{workers}.txt"
            # Enough distinct slots for 500 requests a second per worker: a faster server would
            # start replaying (idempotent, answered 200) and the statuses would show it.
            wanted = int(500 * workers * (cfg.post_seconds + 10))
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
        checks = asyncio.run(verify(url, ids_dir))
        print("\nafter the runs: " + ", ".join(f"{k} {v:,}" for k, v in checks.items()))
        figures = figures_from(results, memory, checks)
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
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
