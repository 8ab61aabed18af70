"""The shape every benchmark reports in, so `bench/run_all.py` can put them in one table.

A figure is one measured number with its target and the same-run baseline it is compared
against. Benchmarks print their own detail for people and, with ``--json PATH``, write their
figures for the runner. Nothing here fails a build: a missed target is reported, not raised.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

Better = Literal["lower", "higher"]


@dataclass
class Figure:
    """One measured number. ``better`` says which way the target points.

    ``ratio`` reads "times better than the baseline": baseline/value for times and sizes,
    value/baseline for rates, so a ratio above 1 always means ours beats the baseline and,
    for the load test's framework ceiling, the ratio is the share of the ceiling reached.
    """

    name: str
    value: float | None
    unit: str
    target: float | None = None
    better: Better = "lower"
    baseline: float | None = None
    baseline_label: str = ""
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def met(self) -> bool | None:
        if self.target is None or self.value is None:
            return None
        return self.value <= self.target if self.better == "lower" else self.value >= self.target

    @property
    def ratio(self) -> float | None:
        if self.value is None or self.baseline is None or self.value == 0 or self.baseline == 0:
            return None
        return self.baseline / self.value if self.better == "lower" else self.value / self.baseline

    def target_text(self) -> str:
        if self.target is None:
            return "-"
        sign = "<=" if self.better == "lower" else ">="
        return f"{sign} {_num(self.target)} {self.unit}".rstrip()

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Figure:
        known = {k: data[k] for k in cls.__dataclass_fields__ if k in data}
        return cls(**known)


def _num(value: float) -> str:
    if value >= 100 or value == int(value):
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def fmt(value: float | None, unit: str = "") -> str:
    if value is None:
        return "-"
    return f"{_num(value)} {unit}".rstrip()


def write_json(path: str | None, benchmark: str, figures: list[Figure], **info: Any) -> None:
    """Write the figures for the runner (no-op without ``--json``)."""
    if not path:
        return
    payload = {"benchmark": benchmark, "figures": [f.as_dict() for f in figures], "info": info}
    Path(path).write_text(json.dumps(payload, indent=2, default=str), encoding="utf-8")


def read_json(path: Path) -> tuple[list[Figure], dict[str, Any]]:
    payload = json.loads(path.read_text(encoding="utf-8"))
    return [Figure.from_dict(f) for f in payload["figures"]], dict(payload.get("info", {}))
