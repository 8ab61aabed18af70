"""The results as a table for people and as figures (with targets) for ``bench/run_all.py``.

Targets, one worker on two cores: /health >= 3,000 rps; feed 304 >= 2,000; feed 200 (200 events)
>= 300; application POST >= 100 rps with p95 < 250 ms; zero errors; server memory with 100,000
flagged entries <= 600 MB.
"""

from __future__ import annotations

from bench._figures import Figure
from bench.load.clients import Result

TARGETS = {  # one worker, two cores
    "health": 3000.0,
    "feed_304": 2000.0,
    "feed_200": 300.0,
    "post": 100.0,
}
POST_P95_MS = 250.0
RSS_MB = 600.0


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


SCALING = 1.5  # two workers' booking POSTs a second, times one worker's (PostgreSQL, issue 22)


def figures_from(
    results: list[Result],
    memory: dict[int, dict[str, float]],
    checks: dict[str, int],
    several_workers_targets: bool = False,
) -> list[Figure]:
    """``several_workers_targets``: the targets for several workers on PostgreSQL apply (2 workers
    at least 1.5 times the booking POSTs of one, p95 under 250 ms with any number of workers)."""
    figures: list[Figure] = []
    posts = {r.workers: r for r in results if r.name.startswith("POST")}
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
                        target=POST_P95_MS if workers == 1 or several_workers_targets else None,
                        baseline=ceiling.p95_ms,
                        baseline_label="Litestar constant, same server",
                    )
                )
        if workers > 1 and 1 in posts and workers in posts and posts[1].rps:
            figures.append(
                Figure(
                    f"load {workers}w: POST /api/v1/applications rps, times one worker's",
                    posts[workers].rps / posts[1].rps,
                    "x",
                    target=SCALING if workers == 2 and several_workers_targets else None,
                    better="higher",
                    note=f"{posts[workers].rps:.1f} against {posts[1].rps:.1f} a second",
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


def print_worker_table(results: list[Result], memory: dict[int, dict[str, float]]) -> None:
    """The booking POST by worker count, each beside one worker's figure of the same run."""
    posts = {r.workers: r for r in results if r.name.startswith("POST")}
    ceilings = {r.workers: r for r in results if r.name.startswith("ceiling")}
    one = posts.get(min(posts)) if posts else None
    if one is None:
        return
    head = (
        f"{'workers':>7} {'POST rps':>9} {'x 1 worker':>10} {'p95 ms':>7} {'errors':>6} "
        f"{'worker ms/req':>13} {'PG ms/req':>9} {'rest ms/req':>11} "
        f"{'ceiling rps':>11} {'PSS MB before':>13} {'PSS MB after':>12}"
    )
    print(head)
    print("-" * len(head))
    for workers, r in sorted(posts.items()):
        m = memory.get(workers, {})
        print(
            f"{workers:>7} {r.rps:>9.1f} {r.rps / one.rps if one.rps else 0:>10.2f} {r.p95_ms:>7.0f} "
            f"{r.errors:>6} {m.get('POST worker CPU ms per request', float('nan')):>13.1f} "
            f"{m.get('POST PostgreSQL CPU ms per request', float('nan')):>9.1f} "
            f"{m.get('POST rest of the machine CPU ms per request', float('nan')):>11.1f} "
            f"{ceilings[workers].rps if workers in ceilings else float('nan'):>11.0f} "
            f"{m.get('server PSS MB, all processes, before the load', float('nan')):>13.0f} "
            f"{m.get('server PSS MB, all processes, after the load', float('nan')):>12.0f}"
        )
