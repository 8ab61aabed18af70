"""Run every benchmark and print one table: figure, target, same-run baseline, ratio, met.

    .venv/bin/python bench/run_all.py [--quick] [--only NAME,...] [--output PATH]

(`make bench` runs this.) Each benchmark runs as its own process, its output shown as it goes;
the figures are then collected (from ``--json`` files, or read from the printed report of the
benchmarks that print one) into one table headed by the machine it ran on. Benchmarks are not
tests: a missed target is printed as MISSED and the exit status stays 0. The exit status is
non-zero only when a benchmark crashed or printed nothing this runner could read.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

from _figures import Figure, fmt, read_json  # noqa: E402  (after the path tweak)

Parser = Callable[[str, Path], list[Figure]]


@dataclass
class Benchmark:
    name: str
    args: list[str]
    quick_args: list[str]
    parse: Parser
    timeout_s: int


# --------------------------------------------------------------------------- parsers


def from_json(_out: str, json_path: Path) -> list[Figure]:
    return read_json(json_path)[0] if json_path.exists() else []


def _float(pattern: str, text: str) -> float | None:
    found = re.search(pattern, text, re.MULTILINE)
    return float(found.group(1).replace(",", "")) if found else None


def parse_screening(out: str, _json: Path) -> list[Figure]:
    """bench/screening.py prints a per-culture quality table and a speed block."""
    figures: list[Figure] = []
    rows: dict[str, list[tuple[float, float]]] = {}
    for line in out.splitlines():
        match = re.match(r"^([a-z_]+)\s+(\d.*)$", line.strip())
        if match:
            pairs = re.findall(r"([\d.]+)\s*/\s*([\d.]+)", match.group(2))
            if len(pairs) >= 3:
                rows[match.group(1)] = [(float(a), float(b)) for a, b in pairs]
    if "overall" in rows:
        ours, _wratio, token_set = rows["overall"][:3]
        base = "rapidfuzz token_set_ratio >= 85"
        figures.append(Figure("screening: true variants found (eval set)", ours[0], "%", 97, "higher",
                              token_set[0], base))  # fmt: skip
        figures.append(Figure("screening: ordinary names referred (eval set)", ours[1], "%", 0.3, "lower",
                              token_set[1], base))  # fmt: skip
        cultures = {c: v for c, v in rows.items() if c != "overall"}
        if cultures:
            worst = max(cultures, key=lambda c: cultures[c][0][1])
            worst_base = max(v[2][1] for v in cultures.values())
            figures.append(Figure("screening: worst naming culture referred", cultures[worst][0][1], "%", 1.0,
                                  "lower", worst_base, base, note=worst))  # fmt: skip
    entries = _float(r"Speed at ([\d,]+) entries", out)
    scale = f"{entries:,.0f}" if entries else "?"
    build = _float(r"build ([\d.]+) s", out)
    # The in-service figures, each name's least of three rounds (what the targets are judged on).
    median = _float(r"per name, in service, least of \d+ rounds, processor: median ([\d.]+) ms", out)
    p99 = _float(
        r"per name, in service, least of \d+ rounds, processor: median [\d.]+ ms, p99 ([\d.]+) ms", out
    )
    worst = _float(r"worst input found .*?: ([\d.]+) ms", out)
    first = _float(r"first screening answered ([\d.]+) s", out)
    evasions = _float(r"^all evasions\s+([\d.]+)\s", out)
    negatives = _float(r"hard negatives referred %: ours ([\d.]+)", out)
    rss = _float(r"RSS \+([\d.]+) MB", out)
    base_median = _float(r"process\.extract \(WRatio\) over all names: median \(processor\) ([\d.]+) ms", out)
    if build is not None:
        figures.append(Figure(f"screening: build matcher, {scale} entries", build, "s", 15))
    if first is not None:
        figures.append(Figure(f"screening: first answer of a fresh worker, {scale} entries", first, "s", 3))
    if median is not None:
        base = "rapidfuzz process.extract WRatio"
        figures.append(Figure(f"screening: per name median, {scale} entries", median, "ms", 1, "lower",
                              base_median, base, note=f"p99 {p99} ms"))  # fmt: skip
    if p99 is not None:
        figures.append(Figure(f"screening: per name p99, {scale} entries", p99, "ms", 10))
    if worst is not None:
        figures.append(Figure(f"screening: worst input found, {scale} entries", worst, "ms", 50))
    if rss is not None:
        figures.append(Figure(f"screening: memory after build, {scale} entries", rss, "MB", 350))
    if evasions is not None:
        figures.append(Figure("screening: evasion suite found", evasions, "%", 100, "higher"))
    if negatives is not None:
        figures.append(Figure("screening: hard negatives referred", negatives, "%", 5))
    return figures


def parse_feeds(out: str, _json: Path) -> list[Figure]:
    """bench/feeds.py prints the render and the 304 (unchanged feed) medians beside their baselines."""
    figures: list[Figure] = []
    render = _float(r"^render_feed .*?median ([\d.]+) ms wall", out)
    base = _float(r"^baseline render_feed \(today's direct serializer.*?median ([\d.]+) ms wall", out)
    etag = _float(r"^304 path .*?median ([\d.]+) ms wall", out)
    size = re.search(r"^feed: (\d+) bookings.*?(\d+) VEVENTs", out, re.MULTILINE)
    label = f"{size.group(2)} VEVENTs" if size else "about 2,000 events"
    if render is not None:
        figures.append(Figure(f"feeds: render venue feed, {label} (median)", render, "ms", 100, "lower",
                              base, "the direct serializer it replaced"))  # fmt: skip
    if etag is not None:
        figures.append(Figure("feeds: 304 validator, same feed (median)", etag, "ms", 5, "lower",
                              render, "full render without the ETag shortcut"))  # fmt: skip
    return figures


BENCHMARKS = [
    Benchmark("screening", ["bench/screening.py"], ["bench/screening.py", "--quick"], parse_screening, 300),
    Benchmark(
        "availability", ["bench/availability.py"], ["bench/availability.py", "--quick"], from_json, 300
    ),
    Benchmark("feeds", ["bench/feeds.py"], ["bench/feeds.py", "--runs", "5"], parse_feeds, 180),
    Benchmark("loadtest", ["bench/loadtest.py"], ["bench/loadtest.py", "--quick"], from_json, 540),
    Benchmark("reminders", ["bench/reminders.py"], ["bench/reminders.py", "--quick"], from_json, 600),
    Benchmark("lost_link", ["bench/lost_link.py"], ["bench/lost_link.py", "--rounds", "10"], from_json, 120),
    Benchmark("quotes", ["bench/quotes.py"], ["bench/quotes.py", "--runs", "20"], from_json, 120),
    Benchmark("reports", ["bench/reports.py"], ["bench/reports.py", "--quick"], from_json, 1800),
    Benchmark("queues", ["bench/queues.py"], ["bench/queues.py", "--quick"], from_json, 2400),
    Benchmark("directory", ["bench/directory.py"], ["bench/directory.py", "--quick"], from_json, 900),
    Benchmark("registers", ["bench/registers.py"], ["bench/registers.py", "--quick"], from_json, 1800),
]


def worker_benchmarks(postgres: str, redis: str) -> list[Benchmark]:
    """Several workers on PostgreSQL (issue 22 items 3 and 4), `make bench-workers`: the booking
    POST with 1, 2 and 4 workers beside one worker's, its CPU per request beside a /health's, and
    four workers' memory beside one's."""
    db = ["--postgres", postgres, "--redis", redis]
    load = ["bench/loadtest.py", *db, "--workers", "1,2,4", "--seconds", "3"]
    cpu = ["bench/submit_cpu.py", *db]
    return [
        Benchmark("workers", [*load, "--post-seconds", "15"], [*load, "--post-seconds", "8"], from_json,
                  1500),
        Benchmark("submit_cpu", cpu, [*cpu, "--requests", "200"], from_json, 900),
        Benchmark("worker_memory", ["bench/screening_workers.py", "--service"],
                  ["bench/screening_workers.py", "--service"], from_json, 1200),
    ]  # fmt: skip


# --------------------------------------------------------------------------- running


def machine() -> dict[str, str]:
    mem_kb = 0
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=False
        ).stdout.strip()
    except OSError:
        commit = ""
    return {
        "cores": str(os.cpu_count()),
        "cpu": model,
        "memory": f"{mem_kb / 2**20:.1f} GiB" if mem_kb else "unknown",
        "python": platform.python_version(),
        "os": f"{platform.system()} {platform.release()}",
        "commit": commit or "unknown",
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


def run(bench: Benchmark, quick: bool, workdir: Path) -> tuple[list[Figure], int, float, str]:
    json_path = workdir / f"{bench.name}.json"
    command = [sys.executable, *(bench.quick_args if quick else bench.args)]
    if bench.parse is from_json:
        command += ["--json", str(json_path)]
    print(f"\n### {bench.name}: {' '.join(command[1:])}", flush=True)
    started = time.monotonic()
    lines: list[str] = []
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1
    )
    assert process.stdout is not None
    try:
        for line in process.stdout:
            lines.append(line)
            print("    " + line, end="", flush=True)
            if time.monotonic() - started > bench.timeout_s:
                raise subprocess.TimeoutExpired(command, bench.timeout_s)
        process.wait(timeout=max(1.0, bench.timeout_s - (time.monotonic() - started)))
    except subprocess.TimeoutExpired:
        process.kill()  # our own child, by its id
        process.wait()
        print(f"    {bench.name}: stopped after {bench.timeout_s} s", flush=True)
        return [], -9, time.monotonic() - started, "timed out"
    out = "".join(lines)
    figures = bench.parse(out, json_path)
    took = time.monotonic() - started
    status = "ok"
    if not figures:
        status = f"crashed (exit {process.returncode})" if process.returncode else "printed no figures"
    elif "Traceback (most recent call last)" in out and process.returncode not in (0, 1):
        status = f"crashed (exit {process.returncode})"
    return figures, process.returncode, took, status


def table(figures: list[Figure]) -> list[str]:
    heads = ("figure", "value", "target", "same-run baseline", "ratio", "met")
    rows = []
    for f in figures:
        baseline = f"{fmt(f.baseline, f.unit)} ({f.baseline_label})" if f.baseline is not None else "-"
        ratio = "-" if f.ratio is None else f"{f.ratio:.2f}x" if f.ratio >= 0.1 else f"{f.ratio:.1g}x"
        met = "-" if f.met is None else ("yes" if f.met else "MISSED")
        name = f"{f.name} [{f.note}]" if f.note else f.name
        rows.append((name, fmt(f.value, f.unit), f.target_text(), baseline, ratio, met))
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(heads)]
    line = "| " + " | ".join(h.ljust(w) for h, w in zip(heads, widths, strict=True)) + " |"
    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    body = ["| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |" for r in rows]
    return [line, rule, *body]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--quick", action="store_true", help="shorter runs of every benchmark (about 3 minutes)"
    )
    parser.add_argument(
        "--only", help="comma-separated benchmark names: " + ", ".join(b.name for b in BENCHMARKS)
    )
    parser.add_argument(
        "--output", help="also write the table here (default var/bench/results.md, or workers.md)"
    )
    parser.add_argument(
        "--workers",
        action="store_true",
        help="instead, several workers on PostgreSQL: needs VENUE_HIRE_TEST_POSTGRES_URL and a Redis "
        "(VENUE_HIRE_TEST_REDIS_URL, default redis://127.0.0.1:6379/15)",
    )
    args = parser.parse_args()
    benchmarks = BENCHMARKS
    if args.workers:
        postgres = os.environ.get("VENUE_HIRE_TEST_POSTGRES_URL")
        if not postgres:
            parser.error("--workers needs VENUE_HIRE_TEST_POSTGRES_URL (an admin URL of a PostgreSQL server)")
        redis = os.environ.get("VENUE_HIRE_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
        benchmarks = worker_benchmarks(postgres, redis)
    chosen = [b for b in benchmarks if not args.only or b.name in args.only.split(",")]
    info = machine()
    started = time.monotonic()
    all_figures: list[Figure] = []
    summary: list[str] = []
    failed = []
    with tempfile.TemporaryDirectory(prefix="vh-bench-") as tmp:
        for bench in chosen:
            figures, _code, took, status = run(bench, args.quick, Path(tmp))
            summary.append(f"{bench.name}: {status}, {took:.0f} s")
            if status != "ok":
                failed.append(bench.name)
            all_figures += figures
    total = time.monotonic() - started
    header = [
        f"# Benchmarks{' (quick)' if args.quick else ''}: {info['date']}, commit {info['commit']}",
        "",
        f"Machine: {info['cores']} cores ({info['cpu']}), {info['memory']} memory, Python {info['python']}, "
        f"{info['os']}. Total {total / 60:.1f} min ({'; '.join(summary)}).",
        "Ratio: how many times better than the same-run baseline (baseline/value for times, "
        "value/baseline for rates; for the load test the baseline is Litestar answering a constant "
        "on the same server, so the ratio is the share of the framework's ceiling reached).",
        "",
    ]
    missed = [f for f in all_figures if f.met is False]
    footer = [
        "",
        f"{sum(1 for f in all_figures if f.met)} targets met, {len(missed)} MISSED"
        + (f": {', '.join(f.name for f in missed)}" if missed else "")
        + (f"; benchmarks that crashed: {', '.join(failed)}" if failed else ""),
    ]
    report = [*header, *table(all_figures), *footer]
    print("\n" + "\n".join(report))
    try:
        default = ROOT / "var" / "bench" / ("workers.md" if args.workers else "results.md")
        output = Path(args.output or default)
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text("\n".join(report) + "\n", encoding="utf-8")
        print(f"\n(written to {output})")
    except OSError as exc:
        print(f"could not write {args.output}: {exc}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
