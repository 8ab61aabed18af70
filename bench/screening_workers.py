"""Memory of several workers sharing one saved screening index (issue 22 item 4), and how soon a
fresh worker answers its first screening (issue 21, start fast).

Run: .venv/bin/python bench/screening_workers.py [--entries N] [--index PATH]

Builds the index for N synthetic entries (bench/screening.py's generator) and saves it, or uses
a saved one; then starts 1 and then 4 worker processes that each load it (memory-mapped) and
screen a name, and sums their proportional set size (PSS, from /proc/PID/smaps_rollup: shared
pages are divided between the processes sharing them, so the sum is what they cost together).
Each worker's interpreter and imports are counted too, so the same is measured for processes
that import everything but load no index, and the index's own share is printed beside the total.
Target: four workers use at most 1.2 times the memory of one.

With ``--service`` it then measures the whole service the same way (bench/service_memory.py):
``venue-hire serve`` with 1 and 4 workers, and uvicorn's spawned workers as the baseline.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

_WORKER = """
import sys, time
started = time.perf_counter()
from pathlib import Path
from vetting.screening import Screener
load = {load!r}
if load:
    screener = Screener.load(Path({path!r}))
    assert screener is not None, "the saved index was not loaded"
    screener.screen({name!r}, None)
print(f"ready {{time.perf_counter() - started:.3f}} {{time.process_time():.3f}}", flush=True)
sys.stdin.read()  # stay alive, holding the index, until the bench has measured
"""


def pss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as handle:
        for line in handle:
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no Pss in smaps_rollup")


def run_workers(count: int, path: Path, name: str, load: bool) -> tuple[float, list[float], list[float]]:
    """Total PSS in MB of ``count`` live workers, and each one's seconds to its first answer
    (wall, from its interpreter's start) and processor seconds."""
    code = _WORKER.format(path=str(path), name=name, load=load)
    workers = []
    walls, cpus = [], []
    for _ in range(count):
        started = time.perf_counter()
        worker = subprocess.Popen(
            [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT
        )
        assert worker.stdout is not None
        line = worker.stdout.readline().split()
        if not line or line[0] != "ready":
            raise RuntimeError("a worker did not start")
        walls.append(time.perf_counter() - started)
        cpus.append(float(line[2]))
        workers.append(worker)
    total = sum(pss_mb(worker.pid) for worker in workers)
    for worker in workers:
        assert worker.stdin is not None
        worker.stdin.close()
        worker.wait()
    return total, walls, cpus


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--index", type=Path, default=None, help="a saved index to use (else built)")
    parser.add_argument("--service", action="store_true", help="also measure the whole service (3 minutes)")
    parser.add_argument("--json", help="write the figures to this file for bench/run_all.py")
    args = parser.parse_args()
    from screening import synthetic_entries

    from vetting.screening import Screener

    entries = synthetic_entries(args.entries)
    name = entries[0].name
    with tempfile.TemporaryDirectory() as directory:
        path = args.index or Path(directory) / "index.screener"
        if args.index is None or not path.exists():
            started, cpu = time.perf_counter(), time.process_time()
            Screener(entries).save(path)
            wall, cpu = time.perf_counter() - started, time.process_time() - cpu
            size = path.stat().st_size / 2**20
            print(
                f"index for {len(entries):,} entries built and saved in {wall:.1f} s "
                f"({cpu:.1f} s processor); file {size:.0f} MB"
            )
        print(f"load average {os.getloadavg()[0]:.1f}")
        bare_one, _, _ = run_workers(1, path, name, load=False)
        bare_four, _, _ = run_workers(4, path, name, load=False)
        one, walls, cpus = run_workers(1, path, name, load=True)
        four, walls4, cpus4 = run_workers(4, path, name, load=True)
    print(f"first answer of a fresh worker: {walls[0]:.2f} s after start ({cpus[0]:.2f} s processor)")
    print(
        f"  4 workers started one after another: {', '.join(f'{w:.2f}' for w in walls4)} s "
        f"({', '.join(f'{c:.2f}' for c in cpus4)} s processor)"
    )
    print(
        f"PSS total: 1 worker {one:.0f} MB, 4 workers {four:.0f} MB -> ratio {four / one:.2f} (target <= 1.2)"
    )
    print(
        f"  of which the interpreter and imports (workers that load no index): 1 -> {bare_one:.0f} MB, "
        f"4 -> {bare_four:.0f} MB"
    )
    index_one, index_four = one - bare_one, four - bare_four
    print(
        f"  the index's own share: 1 worker {index_one:.0f} MB, 4 workers {index_four:.0f} MB -> "
        f"ratio {index_four / max(index_one, 0.1):.2f}"
    )
    from bench._figures import Figure, write_json

    figures = [
        Figure("workers sharing the index only: 4 processes' PSS", four, "MB", baseline=one,
               baseline_label="1 process, same run", note=f"{four / one:.2f} times one"),
    ]  # fmt: skip
    if args.service:
        from bench.service_memory import figures_of, measure, report

        print(f"\nthe service with {args.entries:,} flagged entries (load average {os.getloadavg()[0]:.1f}):")
        found = measure(args.entries)
        report(found)
        figures += figures_of(found)
    write_json(args.json, "screening_workers", figures)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
