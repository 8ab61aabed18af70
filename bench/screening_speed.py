"""Speed and memory of name screening at scale (the second half of bench/screening.py).

Prints: build time; saving the built index and loading it in a fresh process, with the time to its
first answer (the "start fast" target); median, p99 and worst time per name over a sample of near
misses and unlisted names, timed twice: as the first names a loaded screener sees (cold), and in
service, in a fresh screener that has first screened as many other names, in three rounds of which
each name's least time counts (the per-name targets are judged on this: a worker meets its first
names once, the rest of its life is warm; the cold start is judged by the first-answer target; the
machine's speed swings for seconds at a time, and the least of several rounds is what timeit
advises); the slowest input a hypothesis search finds among names the API accepts (at most 200
characters; judged as the sample is, on its least of three rounds, its time as first met printed
beside it); memory after building; and the same-run ratio to
``rapidfuzz.process.extract`` (WRatio) over all names.
"""

from __future__ import annotations

import gc
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from itertools import pairwise
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings, target
from hypothesis import strategies as st
from rapidfuzz import fuzz, process, utils

from vetting.names import keys
from vetting.screening import FlaggedEntry, Screener

ROOT = Path(__file__).resolve().parent.parent
API_MAX = 200  # characters of a name the API accepts
ROUNDS = 3  # rounds of the timed sample in service, each in a fresh screener


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _sample(
    entries: list[FlaggedEntry], count: int, seed: int = 11, unlisted: str = "Qwentor", changed: str = "x"
) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    names = [n for e in entries for n in e.names]
    sample = []
    for _ in range(count):
        entry = rng.choice(entries)
        name = entry.name
        if rng.random() < 0.5:  # half near misses of listed names, half names not on the list
            parts = name.split()
            parts[-1] = parts[-1][:-1] + changed
            name = " ".join(reversed(parts))
        else:
            name = f"{rng.choice(names).split()[0]} {unlisted}{rng.randrange(1000)}"
        sample.append((name, entry.kind))
    return sample


def _p99(ordered: list[float]) -> float:
    """The 99th percentile of sorted times (the nearest rank at or below it)."""
    return ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]


def _timed_both(screener: Screener, name: str, kind: str | None) -> tuple[float, float]:
    """Wall and processor seconds of one screening (the machine is shared: the second is the fair one)."""
    started, cpu = time.perf_counter(), time.process_time()
    screener.screen(name, kind=kind)  # type: ignore[arg-type]
    return time.perf_counter() - started, time.process_time() - cpu


def _timed(screener: Screener, name: str, kind: str | None) -> float:
    return _timed_both(screener, name, kind)[1]


def _timed_alone(screener: Screener, name: str, kind: str | None) -> float:
    """Processor seconds of one screening after collecting the garbage made before it: the search
    itself (hypothesis) leaves cyclic garbage whose collection, 10-20 ms, fell on whichever name was
    screened then, as a worker's own garbage falls on whichever request is running (a worker
    freezes what it holds at start); the worst case is the screening's own time."""
    gc.collect()
    return _timed(screener, name, kind)


def _fresh_start(path: Path, name: str) -> tuple[float, float, float]:
    """Seconds from a new interpreter's start to a loaded screener, and to its first answer; and
    the processor seconds the new interpreter spent up to its first answer."""
    code = (
        "import time; t0 = time.perf_counter(); import sys; from pathlib import Path;"
        "from vetting.screening import Screener;"
        f"s = Screener.load(Path({str(path)!r})); t1 = time.perf_counter();"
        f"s.screen({name!r}); t2 = time.perf_counter();"
        "print(t1 - t0, t2 - t0, s is not None, time.process_time())"
    )
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    wall = time.perf_counter() - started
    loaded, answered, ok, cpu = out.stdout.split()
    if ok != "True":
        raise RuntimeError("the saved index was not loaded")
    # The interpreter's own start-up is part of a worker's start: count it (wall minus the inner time).
    startup = wall - float(answered)
    return startup + float(loaded), startup + float(answered), float(cpu)


def pieces(word: str, size: int) -> str:
    """``word`` cut into pieces of ``size`` letters ("Go us ha")."""
    return " ".join(word[i : i + size] for i in range(0, len(word), size))


def _slowest_kind(screener: Screener, name: str) -> float:
    return max(_timed_alone(screener, name, kind) for kind in ("person", "organisation", None))


def _worst_input(screener: Screener, entries: list[FlaggedEntry], examples: int) -> tuple[float, float, str]:
    """Search for the slowest name with hypothesis, steering (target) towards longer times; then
    time the slowest few found again, as the sample is timed: each name's least of ROUNDS rounds
    (one timing swings by half on this machine). Returns that time, the name's time as first met
    (the search's own timing) and the name."""
    common = sorted({p for e in entries[:3000] for n in e.names for p in n.split()})[:400]
    word = st.one_of(
        st.sampled_from(common),
        st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=12),
        st.sampled_from(["al", "bin", "de", "van", "Ltd", "Mohammed", "A", "B", "J.", "0", "@"]),
    )
    names = st.lists(word, min_size=1, max_size=60).map(lambda words: " ".join(words)[:API_MAX])
    found: dict[str, float] = {}  # each name's slowest time as the search met it

    @settings(max_examples=examples, deadline=None, database=None, phases=(Phase.generate, Phase.target),
              suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(name=names, kind=st.sampled_from(["person", "organisation", None]))
    def search(name: str, kind: str | None) -> None:
        took = _timed_alone(screener, name, kind)
        target(took)
        found[name] = max(took, found.get(name, 0.0))

    search()
    # Shapes found by probing before (issue 21): many invented words, many common parts; and the
    # most common listed parts alone, two together or with initials (thousands of names each; the
    # search above rarely tries one word alone).
    rng = random.Random(5)
    counts = Counter(p for e in entries for n in e.names for p in n.split())
    frequent = [part for part, _ in counts.most_common(12)]
    for name in (
        " ".join(
            "".join(rng.choice("bcdfghklmnprstvz") + rng.choice("aeiou") for _ in range(3)) for _ in range(32)
        ),
        " ".join(rng.choice(common) for _ in range(40)),
        *frequent,
        *(f"{a} {b}" for a, b in pairwise(frequent)),
        # ... and beside initials, which may pair with any part of their letter (a query with one
        # judged thousands of names one by one until the bulk bound learnt of initials).
        *(f"{a} {initials}" for a in frequent[:6] for initials in ("a t", "J.", "A B", "k", "m r s")),
        # ... and written in pieces, which the run of them matches ("Go us ha m r": 228 ms until the
        # bulk bound counted runs of query parts as the one-by-one bound does).
        *(pieces(a, size) + " m r" for a in frequent[:6] for size in (2, 3)),
        # The slowest shapes a longer search found (a common part in pieces, alone, beside a
        # word of a class of known variants or beside several initials; beside many initials).
        *(
            pieces(a, size) + tail
            for a in frequent[:4]
            for size in (2, 4)
            for tail in ("", " Foundation", " t k v m")
        ),
        *(f"{a} {' '.join('bdfhjklnpstwy'[:count])}" for a in frequent[:4] for count in (4, 8, 13)),
        # A common part in pieces beside eight initials, or beside another common part and four or
        # eight (found by a longer search in the twelfth session: 60 and 58 ms then).
        *(
            pieces(a, 2) + tail
            for a in frequent[:4]
            for tail in (" t k v m b d f h", f" {frequent[1]} t k v m", f" {frequent[1]} t k v m b d f h")
        ),
    ):
        name = name[:API_MAX]
        found[name] = max(_slowest_kind(screener, name), found.get(name, 0.0))
    slowest = sorted(found, key=found.__getitem__, reverse=True)[:5]
    again = {name: min(_slowest_kind(screener, name) for _ in range(ROUNDS)) for name in slowest}
    name = max(again, key=again.__getitem__)
    return again[name], found[name], name


def print_speed(
    entries: list[FlaggedEntry], queries: int, baseline_queries: int, worst_examples: int
) -> bool:
    names = [n for e in entries for n in e.names]
    gc.collect()
    rss_before = rss_mb()
    started, cpu = time.perf_counter(), time.process_time()
    built = Screener(entries)
    build, build_cpu = time.perf_counter() - started, time.process_time() - cpu
    gc.collect()
    rss_after = rss_mb()
    directory = tempfile.TemporaryDirectory()
    path = Path(directory.name) / "index.screener"
    started = time.perf_counter()
    built.save(path)
    save = time.perf_counter() - started
    size = path.stat().st_size / 2**20
    loaded, answered, answered_cpu = _fresh_start(path, entries[0].name)
    # Timed as workers use it: the saved index, memory-mapped.
    screener = Screener.load(path) or built
    del built
    # As the service does once a screener is in place (vetting/screener_cache.py): what lives for
    # good is put out of the collector's reach, so that no full collection walks it mid-screening.
    gc.collect()
    gc.freeze()
    sample = _sample(entries, queries)
    cold = sorted(_timed(screener, name, kind) for name, kind in sample)
    # A worker in service has screened other names before: time the same sample again in a fresh
    # screener (and empty process-wide caches) after a warm-up of as many other names (other
    # listed names changed, other unlisted names), so no timed name has been seen before.
    # The machine's speed swings by a third for seconds at a time: each name's time is the least of
    # ROUNDS such rounds (as timeit advises), each a fresh screener with its own warm-up names.
    rounds = []
    for round_number in range(ROUNDS):
        keys.spelling_key.cache_clear()
        keys.skeletons.cache_clear()
        screener = Screener.load(path) or screener
        gc.collect()
        gc.freeze()
        warm_up = _sample(
            entries, queries, seed=12 + round_number, unlisted=f"Plimsor{round_number}", changed="q"
        )
        assert not set(warm_up) & set(sample)
        for name, kind in warm_up:
            screener.screen(name, kind=kind)  # type: ignore[arg-type]
        rounds.append([_timed_both(screener, name, kind) for name, kind in sample])
    both = [min(each, key=lambda timed: timed[1]) for each in zip(*rounds, strict=True)]
    first_round = sorted(cpu for _, cpu in rounds[0])
    walls = sorted(wall for wall, _ in both)
    times = sorted(cpu for _, cpu in both)
    baseline_times = []
    for name, _kind in sample[:baseline_queries]:
        started = time.process_time()
        process.extract(name, names, scorer=fuzz.WRatio, processor=utils.default_process, limit=10)
        baseline_times.append(time.process_time() - started)
    median = statistics.median(times) * 1000
    p99 = _p99(times) * 1000
    wall_median = statistics.median(walls) * 1000
    wall_p99 = _p99(walls) * 1000
    baseline_median = statistics.median(baseline_times) * 1000
    worst_time, worst_first, worst_name = _worst_input(screener, entries, worst_examples)
    worst_wall = _timed_both(screener, worst_name, None)[0]
    worst = max(worst_time, times[-1]) * 1000
    directory.cleanup()
    print(
        f"Speed at {len(entries):,} entries ({len(names):,} names, "
        f"{len(screener._index.vocabulary):,} distinct parts):"
    )
    print(f"  load average {os.getloadavg()[0]:.1f}; processor times beside wall times")
    print(f"  build {build:.1f} s ({build_cpu:.1f} s processor); save {save:.1f} s ({size:.0f} MB file)")
    print(
        f"  fresh worker: index loaded {loaded:.2f} s, first screening answered {answered:.2f} s after start "
        f"({answered_cpu:.2f} s processor)"
    )
    cold_median, cold_p99 = (
        statistics.median(cold) * 1000,
        _p99(cold) * 1000,
    )
    print(
        f"  per name, first names after loading (cold), processor: median {cold_median:.3f} ms, "
        f"p99 {cold_p99:.3f} ms, worst of sample {cold[-1] * 1000:.1f} ms"
    )
    print(
        f"  per name, in service (after {len(warm_up)} other names), one round, processor: median "
        f"{statistics.median(first_round) * 1000:.3f} ms, p99 "
        f"{_p99(first_round) * 1000:.3f} ms"
    )
    print(
        f"  per name, in service, least of {ROUNDS} rounds, processor: median {median:.3f} ms, "
        f"p99 {p99:.3f} ms, worst of sample {times[-1] * 1000:.1f} ms ({len(sample)} names, the saved "
        "index memory-mapped)"
    )
    print(
        f"  per name, in service, wall: median {wall_median:.3f} ms, p99 {wall_p99:.3f} ms, worst of sample "
        f"{walls[-1] * 1000:.1f} ms"
    )
    print(
        f"  worst input found ({worst_examples} hypothesis examples + probes): "
        f"{worst_time * 1000:.1f} ms processor, least of {ROUNDS} rounds as the sample "
        f"({worst_first * 1000:.1f} ms as first met; {worst_wall * 1000:.1f} ms wall, again) "
        f"for {worst_name!r}"
    )
    print(f"  memory: RSS +{rss_after - rss_before:.0f} MB after build")
    print(
        f"  rapidfuzz process.extract (WRatio) over all names: median (processor) {baseline_median:.1f} ms "
        f"({len(baseline_times)} names) -> ours is {baseline_median / median:.0f}x faster"
    )
    checks = {
        "build <= 15 s (processor)": build_cpu <= 15,
        "first answer <= 3 s": answered <= 3,
        "median <= 1 ms": median <= 1,
        "p99 <= 10 ms": p99 <= 10,
        "worst <= 50 ms": worst <= 50,
        "memory <= 350 MB": rss_after - rss_before <= 350,
        ">= 50x process.extract": baseline_median / median >= 50,
    }
    print("speed targets: " + "; ".join(f"{k} {'met' if v else 'NOT met'}" for k, v in checks.items()))
    return all(checks.values())
