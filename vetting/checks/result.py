"""The result of one check."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Outcome = Literal["pass", "review", "fail"]


@dataclass(frozen=True)
class CheckResult:
    """pass; review (with what is needed); or fail (with the refusal ground an officer may use).

    A fail is still only a finding for an officer: nothing is refused automatically.
    `evidence` holds JSON-ready values only (dates as ISO strings).
    """

    check: str
    outcome: Outcome
    summary: str
    needed: str | None = None
    ground: str | None = None
    evidence: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.outcome == "fail" and not self.ground:
            raise ValueError(f"{self.check}: a fail needs a ground")
        if self.outcome != "fail" and self.ground:
            raise ValueError(f"{self.check}: only a fail carries a ground")

    def as_dict(self) -> dict[str, Any]:
        return {
            "check": self.check,
            "outcome": self.outcome,
            "summary": self.summary,
            "needed": self.needed,
            "ground": self.ground,
            "evidence": self.evidence,
        }
