"""`venue-hire serve --workers N` forks its workers from a parent that has loaded the app and the
screening index (api/cli/prefork.py): they serve, connections go evenly between them, a dead one
is replaced, SIGTERM stops them all; and the screener cache a child inherits can still build
(vetting/screener_cache.py)."""

from __future__ import annotations

import asyncio
import http.client
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from tests.factories import application_payload, next_weekday
from tests.outbox.processes import stop
from tests.outbox.smtp_server import free_port
from vetting.screener_cache import ScreenerCache


def _children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:  # noqa: S310  # loopback
            return int(answer.status)
    except OSError:
        return 0


def _wait(condition: Any, what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def _connections_per_worker(workers: list[int], port: int) -> list[int]:
    """How many established connections to `port` each worker holds (from /proc, by socket inode)."""
    inodes: set[str] = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if fields[1].endswith(f":{port:04X}") and fields[3] == "01":  # local port, ESTABLISHED
                inodes.add(fields[9])
    counts = []
    for pid in workers:
        held = 0
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            target = os.readlink(fd) if fd.is_symlink() else ""
            held += target.startswith("socket:[") and target[8:-1] in inodes
        counts.append(held)
    return counts


def _post(base: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    request = urllib.request.Request(  # noqa: S310  # loopback
        f"{base}/api/v1/applications",
        data=json.dumps(body, default=str).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310
        return int(answer.status), json.loads(answer.read())


def _start(env: dict[str, str], log: Path, port: int) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "api.cli", "serve", "--port", str(port), "--workers", "2", "--grace", "5"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


@pytest.mark.slow
async def test_forked_workers_serve_are_replaced_and_stop_on_sigterm(
    db_url: str, seeded: dict[str, Any], tmp_path: Path
) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("VENUE_HIRE_")}
    env |= {
        "VENUE_HIRE_DATABASE_URL": db_url,
        "VENUE_HIRE_SECRET_KEY": "prefork-test-secret-" + "p" * 32,
        "VENUE_HIRE_OUTBOX_DIR": str(tmp_path / "outbox"),
        "VENUE_HIRE_SCREENING_INDEX_DIR": str(tmp_path / "index"),
        "VENUE_HIRE_SCREENING_WARM_UP": "true",
        "VENUE_HIRE_SCHEDULER_ENABLED": "false",
        "VENUE_HIRE_LOG_LEVEL": "WARNING",
    }
    log = tmp_path / "serve.log"
    proc = await asyncio.to_thread(_start, env, log, port)
    base = f"http://127.0.0.1:{port}"
    try:
        await asyncio.to_thread(_wait, lambda: _get(f"{base}/ready") == 200, "readiness")
        workers = _children(proc.pid)
        assert len(workers) == 2, log.read_text()[-2000:]
        # The parent saved the index it loaded before forking; the workers did not build their own.
        assert len(list((tmp_path / "index").glob("*.screener"))) == 1
        body = application_payload(seeded["hall_b"].id, next_weekday(2, weeks_ahead=3))
        status, answer = await asyncio.to_thread(_post, base, body)
        assert status == 201 and answer["status"] == "under_review"

        # Keep-alive connections opened together go evenly to the workers, each answered by its own
        # (api/cli/prefork_dispatch.py). They are opened while both workers are stopped, so that
        # all of them wait at once: from one shared socket, the first worker to wake took what was
        # waiting (before the parent handed them out, this failed with [6, 10] and [9, 7]).
        for pid in workers:
            os.kill(pid, signal.SIGSTOP)
        clients = [http.client.HTTPConnection("127.0.0.1", port, timeout=10) for _ in range(16)]
        try:
            for client in clients:
                client.request("GET", "/health")
            await asyncio.sleep(0.3)
            for pid in workers:
                os.kill(pid, signal.SIGCONT)
            for client in clients:
                answer_to = client.getresponse()
                assert answer_to.status == 200
                answer_to.read()
            assert _connections_per_worker(workers, port) == [8, 8]
        finally:
            for pid in workers:
                os.kill(pid, signal.SIGCONT)
            for client in clients:
                client.close()

        os.kill(workers[0], signal.SIGKILL)
        await asyncio.to_thread(
            _wait,
            lambda: len(_children(proc.pid)) == 2 and workers[0] not in _children(proc.pid),
            "a replacement worker",
        )
        await asyncio.to_thread(_wait, lambda: _get(f"{base}/health") == 200, "health after the restart")
        remaining = _children(proc.pid)

        proc.send_signal(signal.SIGTERM)
        assert await asyncio.to_thread(proc.wait, 30) == 0
        assert not any(Path(f"/proc/{pid}").exists() and _state(pid) != "Z" for pid in remaining)
    finally:
        stop(proc, signal.SIGKILL)


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return "gone"


def test_a_forked_child_can_build_with_the_inherited_cache() -> None:
    """The parent's builder thread does not exist in a child: without the reset after fork, the
    executor thinks its idle thread will take the work and the child's build never starts."""
    cache = ScreenerCache()
    assert cache._builder.submit(lambda: 1).result(timeout=5) == 1  # the parent's thread now exists
    time.sleep(0.1)  # and is idle
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: report whether a build can run, then leave without cleanup
        try:
            ok = cache._builder.submit(lambda: 2).result(timeout=5) == 2
        except Exception:
            ok = False
        os.write(write, b"1" if ok else b"0")
        os._exit(0)
    os.close(write)
    try:
        assert os.read(read, 1) == b"1"
    finally:
        os.close(read)
        os.waitpid(pid, 0)
