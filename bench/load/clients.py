"""The clients: wrk runs (one thread, fixed duration, a timeout) read back as `Result`, plain HTTP.

wrk is Debian's package; ``bench/wrk_report.lua`` counts statuses, replays prepared POST bodies
and prints one JSON line this module parses.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1]


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
