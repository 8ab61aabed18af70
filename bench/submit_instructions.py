"""Instructions per booking POST on PostgreSQL, counted by valgrind's callgrind: a figure the
machine's speed does not move, for comparing two trees.

    .venv/bin/python bench/submit_instructions.py \
        --postgres postgresql+asyncpg://postgres@127.0.0.1:5432/test --redis redis://127.0.0.1:6379/14 \
        --old-tree /tmp/wt_base [--new-tree .] [--requests 40]

On this machine the worker's CPU time per booking POST moves by a quarter from one batch to the
next, even with two trees served at once (`bench/submit_cpu_ab.py`), so a change of a few percent
is lost in it. Callgrind counts the instructions the worker executes, which the same code, data
and requests repeat to within a fraction of a percent whatever else the machine does. Each tree's
worker (`venue-hire serve`, one process, each tree's code on its PYTHONPATH, its own database
seeded as `bench/submit_cpu.py` seeds it and kept between runs) runs under valgrind with
instrumentation off while it starts and warms up (about five times slower than native, not fifty);
it is switched on (`callgrind_control -i on`) for `--requests` booking POSTs sent one at a time,
then the counts are dumped. The same run counts `GET /health` as the baseline. Needs valgrind
(Debian's package). Instructions are not time: a cache miss costs many; the CPU figures of
`bench/submit_cpu.py` stay the measure of time, this the measure of work.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.load.clients import http
from bench.load.processes import free_port
from bench.submit_cpu import health_all, post_all
from bench.submit_cpu_ab import SIDES, side, tree_arguments

STARTUP_SECONDS = 900


def _wait_ready(base: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}")
        try:
            status = http("GET", base + "/ready")[0]
            # A tree from before /ready existed is ready once it answers at all.
            if status == 200 or (status == 404 and http("GET", base + "/health")[0] == 200):
                return
        except OSError:
            pass
        time.sleep(2)
    raise RuntimeError("the server was not ready in time")


def _total(folder: Path, pid: int) -> int:
    """The instructions callgrind counted in process `pid` (its dump at exit), the dumps removed."""
    total = 0
    for dump in folder.glob(f"callgrind.out.{pid}*"):
        found = re.search(r"^totals: (\d+)", dump.read_text(errors="replace"), re.MULTILINE)
        total += int(found.group(1)) if found else 0
        dump.unlink()
    return total


def _counted(env: dict[str, str], folder: Path, send: Callable[[str], object]) -> int:
    """Instructions of one worker from the moment counting is switched on (after start and the
    warm-up) to its exit, while `send(base)` sends the measured requests."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = env | {"VENUE_HIRE_BASE_URL": base, "VENUE_HIRE_ALLOWED_HOSTS": f'["127.0.0.1:{port}"]'}
    command = [
        "valgrind", "--tool=callgrind", "--instr-atstart=no",
        f"--callgrind-out-file={folder}/callgrind.out.%p",
        sys.executable, "-m", "api.cli", "serve", "--host", "127.0.0.1", "--port", str(port),
    ]  # fmt: skip
    with (folder / "valgrind.log").open("wb") as log:
        process = subprocess.Popen(command, env=env, cwd=folder, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)  # fmt: skip
    try:
        _wait_ready(base, process)
        health_all(base, 50, 1)
        # Callgrind takes the command when the program next runs: the first request after it
        # (a /health) is counted in part, in every run alike, and cancels out below.
        subprocess.run(["callgrind_control", "--instr=on", str(process.pid)], check=True, capture_output=True)
        health_all(base, 1, 1)
        send(base)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=120)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
    return _total(folder, process.pid)


def measure(env: dict[str, str], folder: Path, lines: list[str], requests: int) -> tuple[float, float]:
    """Millions of instructions per booking POST and per GET /health of one tree's worker: the
    difference between a run of `requests` and one of a fifth as many, so that what every run
    counts alike (the first request, the shutdown) cancels out."""
    few = max(1, requests // 5)

    def posting(batch: list[str]) -> Callable[[str], object]:
        def send(base: str) -> object:
            return post_all(base, batch, 1)

        return send

    def checking(count: int) -> Callable[[str], object]:
        def send(base: str) -> object:
            return health_all(base, count, 1)

        return send

    post_counts = [_counted(env, folder, posting(b)) for b in (lines[:few], lines[few : few + requests])]
    health_counts = [_counted(env, folder, checking(n)) for n in (few * 5, requests * 5)]
    return (
        (post_counts[1] - post_counts[0]) / (requests - few) / 1e6,
        (health_counts[1] - health_counts[0]) / ((requests - few) * 5) / 1e6,
    )


def main() -> int:
    parser = tree_arguments(__doc__)
    parser.add_argument("--requests", type=int, default=40)
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is needed: apt-get install -y valgrind")
    trees = {"old": args.old_tree.resolve(), "new": args.new_tree.resolve()}
    per: dict[str, tuple[float, float]] = {}
    for name in SIDES:
        env, folder, lines = side(args, name, trees[name], args.requests + max(1, args.requests // 5))
        per[name] = measure(env, folder, lines, args.requests)
        print(f"{name}: {per[name][0]:.2f} M instructions per booking POST, "
              f"{per[name][1]:.2f} M per GET /health ({trees[name]})", flush=True)  # fmt: skip
    print(f"new/old per booking POST {per['new'][0] / per['old'][0]:.3f}, per GET /health "
          f"{per['new'][1] / per['old'][1]:.3f}")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
