"""`make bench` summarises bench/screening.py by parsing what it prints (bench/run_all.py): every
target of issue 21 must be found in its output. The median, p99 and the process.extract baseline
were silently missing from the summary after the speed block's wording changed."""

from __future__ import annotations

from pathlib import Path

from bench import run_all

# What bench/screening.py printed at the end of the twelfth session (a few quality rows kept).
OUTPUT = (Path(__file__).parent / "samples" / "bench_screening_output.txt").read_text(encoding="utf-8")


def test_every_screening_target_is_in_the_summary() -> None:
    figures = {figure.name: figure for figure in run_all.parse_screening(OUTPUT, Path("unused.json"))}
    scale = "100,000 entries"
    expected = {
        "screening: true variants found (eval set)": 97.5,
        "screening: ordinary names referred (eval set)": 0.21,
        "screening: worst naming culture referred": 0.33,
        f"screening: build matcher, {scale}": 6.4,
        f"screening: first answer of a fresh worker, {scale}": 0.22,
        f"screening: per name median, {scale}": 0.656,
        f"screening: per name p99, {scale}": 4.596,
        f"screening: worst input found, {scale}": 44.1,
        f"screening: memory after build, {scale}": 202.0,
        "screening: evasion suite found": 100.0,
        "screening: hard negatives referred": 1.1,
    }
    assert {name: figures[name].value for name in expected if name in figures} == expected
    # The median is compared with rapidfuzz's process.extract in the same run.
    assert figures[f"screening: per name median, {scale}"].baseline == 138.6
