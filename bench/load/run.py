"""One measured run per worker count: the framework's ceiling, then the service, endpoint by endpoint."""

from __future__ import annotations

import datetime as dt
import json
import time
from dataclasses import dataclass
from pathlib import Path

from bench.load.clients import Result, http, wrk
from bench.load.processes import (
    SERVICE,
    alive_cpu,
    cpu_seconds,
    machine_busy_seconds,
    postgres_pids,
    pss_mb,
    renice_postgres,
    rss_mb,
    serve,
)
from bench.load.seed import FEED_EVENTS, Seeded

BENCH = Path(__file__).resolve().parents[1]


@dataclass
class Config:
    get_seconds: float
    post_seconds: float
    connections: int
    post_connections: int
    warmup_seconds: float
    idempotency_key: bool = True  # the measured POSTs send Idempotency-Key


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
    with serve(SERVICE, workers, env, tmp, []) as server:
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
        # Each worker answers /ready with 200 once it has its screening index (inherited from the
        # parent that loaded it before forking, or loaded at its own start); a new connection
        # reaches any worker, so twenty 200s in a row mean every worker is ready.
        deadline, in_a_row = time.monotonic() + 90, 0
        while in_a_row < 20 and time.monotonic() < deadline:
            in_a_row = in_a_row + 1 if http("GET", server.base + "/ready")[0] == 200 else 0
            time.sleep(0 if in_a_row else 0.2)
        # Every worker runs the booking path before the clock starts (its first run pays for
        # lazily built parts).
        wrk(server.base + "/api/v1/applications", seconds=cfg.warmup_seconds, connections=c,
            expected=(200, 201), name="warm", workers=workers,
            script_args=["post", str(warm), str(ids_dir), "1"])  # fmt: skip
        reniced = renice_postgres(env["VENUE_HIRE_DATABASE_URL"])
        if reniced:
            print(f"  {reniced} PostgreSQL backends of this run's database given the bench's priority")
        for pid in server.worker_pids():
            memory[f"worker {pid} VmRSS MB after screener build"] = rss_mb(pid)
        memory["max worker VmRSS MB after screener build"] = max(rss_mb(p) for p in server.worker_pids())
        memory["server PSS MB, all processes, before the load"] = sum(pss_mb(p) for p in server.all_pids())

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
        renice_postgres(env["VENUE_HIRE_DATABASE_URL"])  # backends the GETs' load opened
        # CPU per request is steadier than the rate on a machine shared with other work.
        cpu_before = cpu_seconds(server.worker_pids())
        pg_before, machine_before = alive_cpu(postgres_pids()), machine_busy_seconds()
        results.append(
            wrk(
                server.base + "/api/v1/applications",
                seconds=cfg.post_seconds,
                connections=cfg.post_connections,
                expected=(201,),
                name="POST /api/v1/applications (screened vs 100k)"
                + ("" if cfg.idempotency_key else ", no key"),
                workers=workers,
                script_args=[
                    "post",
                    str(measured),
                    str(ids_dir),
                    "1",
                    *([] if cfg.idempotency_key else ["nokey"]),
                ],
            )
        )
        post = results[-1]
        if post.requests:
            # The rest is everything else the machine ran meanwhile: wrk, Redis, the kernel, and
            # any other work on it; two workers can add only what the workers do not leave to it.
            worker = cpu_seconds(server.worker_pids()) - cpu_before
            postgres = alive_cpu(postgres_pids()) - pg_before
            machine = machine_busy_seconds() - machine_before
            memory["POST worker CPU ms per request"] = worker * 1000 / post.requests
            memory["POST PostgreSQL CPU ms per request"] = postgres * 1000 / post.requests
            memory["POST rest of the machine CPU ms per request"] = (
                (machine - worker - postgres) * 1000 / post.requests
            )
        memory["server PSS MB, all processes, after the load"] = sum(pss_mb(p) for p in server.all_pids())
        for pid in server.worker_pids():
            memory[f"worker {pid} VmHWM MB (peak) after load"] = rss_mb(pid, "VmHWM")
    return results, memory
