"""Every answer of the screener for many names at scale, written out so that two versions can be
compared (issue 21: speed work must not change answers; the evaluation set is small).

Run: .venv/bin/python bench/screening_answers.py OUT.jsonl [--entries N] [--names N]

Names: the timed sample of bench/screening_speed.py, the worst-case probes, and random names made
the way its hypothesis search makes them (seeded), each screened as a person, an organisation and
either. Each line holds the name, the kind, the matches (entry, score, listed name, sentence) and the
processor milliseconds it took (the times differ between runs; compare the answers with --compare).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from screening import synthetic_entries
from screening_speed import API_MAX, _sample, pieces

from vetting.screening import FlaggedEntry, Screener


def names_to_screen(entries: list[FlaggedEntry], count: int) -> list[str]:
    rng = random.Random(21)
    common = sorted({p for e in entries[:3000] for n in e.names for p in n.split()})[:400]
    extra = ["al", "bin", "de", "van", "Ltd", "Mohammed", "A", "B", "J.", "0", "@"]
    counts = Counter(p for e in entries for n in e.names for p in n.split())
    frequent = [part for part, _ in counts.most_common(40)]
    names = [name for name, _kind in _sample(entries, count)]
    names += frequent + [f"{a} {b}" for a in frequent[:12] for b in frequent[:12] if a != b]
    # The worst-case probes' shapes: common parts beside initials, and written in pieces.
    names += [f"{a} {initials}" for a in frequent[:8] for initials in ("a t", "J.", "A B", "k", "m r s")]
    names += [pieces(a, size) + " m r" for a in frequent[:8] for size in (2, 3)]
    # ... and in pieces beside four or eight initials, alone or beside another common part.
    names += [
        pieces(a, size) + tail
        for a in frequent[:6]
        for size in (2, 4)
        for tail in (
            " t k v m",
            " t k v m b d f h",
            f" {frequent[1]} t k v m",
            f" {frequent[1]} t k v m b d f h",
        )
    ]
    for _ in range(count):
        words = []
        for _ in range(rng.choice((1, 1, 2, 2, 3, 4, 6, 10, 30))):
            pool = rng.random()
            if pool < 0.45:
                words.append(rng.choice(common))
            elif pool < 0.8:
                words.append(
                    "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(1, 12)))
                )
            else:
                words.append(rng.choice(extra))
        names.append(" ".join(words)[:API_MAX])
    return names


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--names", type=int, default=1500)
    parser.add_argument("--compare", type=Path, default=None, help="another OUT to compare answers with")
    args = parser.parse_args()
    if args.compare:
        return compare(args.out, args.compare)
    entries = synthetic_entries(args.entries)
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "index.screener"
        Screener(entries).save(path)
        screener = Screener.load(path)
        assert screener is not None
        with args.out.open("w", encoding="utf-8") as out:
            for name in names_to_screen(entries, args.names):
                for kind in ("person", "organisation", None):
                    started = time.process_time()
                    found = screener.screen(name, kind=kind)  # type: ignore[arg-type]
                    took = (time.process_time() - started) * 1000
                    matches = [[m.entry_id, m.score, m.matched_name, m.explanation] for m in found]
                    out.write(
                        json.dumps({"name": name, "kind": kind, "ms": round(took, 2), "matches": matches})
                        + "\n"
                    )
    return 0


def compare(one: Path, other: Path) -> int:
    def answers(path: Path) -> list[tuple[str, object, str]]:
        with path.open(encoding="utf-8") as handle:
            rows = [json.loads(line) for line in handle]
        return [(row["name"], row["kind"], json.dumps(row["matches"])) for row in rows]

    a, b = answers(one), answers(other)
    differing = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
    matches = sum(len(json.loads(x[2])) for x in a)
    print(f"{len(a)} screenings, {matches} matches; {len(differing)} differ")
    for x, y in differing[:10]:
        print(" ", x, "\n ", y)
    return 1 if differing else 0


if __name__ == "__main__":
    raise SystemExit(main())
