"""A tiny condition language for `show_if` and risk triggers.

Grammar (no parentheses; ``and`` binds tighter than ``or``)::

    expr       := conjunction ("or" conjunction)*
    conjunction:= comparison ("and" comparison)*
    comparison := REF [OP LITERAL]      # a bare REF means "REF == true"
    OP         := == | != | >= | <= | > | <
    LITERAL    := true | false | NUMBER | 'text' | "text"

A REF is ``event.<field>``, ``booking.<field>``, ``organisation.type`` or ``answers.<question id>``.
Conditions only read objective facts (see `FACTS`); free text such as titles, descriptions and
names can never be referred to, so a policy cannot express a viewpoint test (design principle 2).
"""

from __future__ import annotations

import functools
import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

FactType = Literal["bool", "int", "str", "number", "date"]

# Facts a condition may read, with their types. `organisation.type` may be used by `show_if` only:
# risk tiers must not depend on what kind of group asks (a faith group is an organisation type).
FACTS: dict[str, FactType] = {
    "event.open_to_public": "bool",
    "event.under_18s": "bool",
    "event.adults_at_risk": "bool",
    "event.expected_attendance": "int",
    "booking.external_speakers": "int",
    "booking.notice_working_days": "int",
    "booking.occurrences": "int",
    "organisation.type": "str",
}
SHOW_IF_ONLY_FACTS = frozenset({"organisation.type"})

Op = Literal["==", "!=", ">=", "<=", ">", "<"]
_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "==": operator.eq,
    "!=": operator.ne,
    ">=": operator.ge,
    "<=": operator.le,
    ">": operator.gt,
    "<": operator.lt,
}
_TOKEN = re.compile(
    r"""\s*(?:
        (?P<op>==|!=|>=|<=|>|<)
      | (?P<str>'[^']*'|"[^"]*")
      | (?P<num>-?\d+(?:\.\d+)?)
      | (?P<word>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*)
    )""",
    re.VERBOSE,
)


class ConditionSyntaxError(ValueError):
    """The condition text does not follow the grammar."""


@dataclass(frozen=True)
class Comparison:
    ref: str
    op: Op
    value: bool | int | float | str

    def holds(self, facts: Mapping[str, Any]) -> bool:
        actual = facts.get(self.ref)
        if actual is None:
            # An unanswered question or unknown fact never satisfies a condition.
            return False
        try:
            return bool(_OPS[self.op](actual, self.value))
        except TypeError:
            return False


@dataclass(frozen=True)
class Condition:
    """Disjunction of conjunctions of comparisons."""

    source: str
    any_of: tuple[tuple[Comparison, ...], ...]

    def holds(self, facts: Mapping[str, Any]) -> bool:
        return any(all(c.holds(facts) for c in group) for group in self.any_of)

    def comparisons(self) -> list[Comparison]:
        return [c for group in self.any_of for c in group]


def _tokens(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    pos = 0
    text = text.rstrip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            raise ConditionSyntaxError(f"cannot read condition at {text[pos:].strip()!r}")
        kind = m.lastgroup
        assert kind is not None
        out.append((kind, m.group(kind)))
        pos = m.end()
    return out


def _literal(kind: str, raw: str) -> bool | int | float | str:
    if kind == "str":
        return raw[1:-1]
    if kind == "num":
        return float(raw) if "." in raw else int(raw)
    if kind == "word" and raw in ("true", "false"):
        return raw == "true"
    raise ConditionSyntaxError(f"expected a value (true, false, a number or 'text'), got {raw!r}")


@functools.lru_cache(maxsize=1024)
def parse_condition(text: str) -> Condition:
    """Parse condition text; raise `ConditionSyntaxError` with a readable message.

    Kept per text (a `Condition` is immutable): the checks of every booking request read the
    policy's risk triggers and questions, several times each.
    """
    toks = _tokens(text)
    if not toks:
        raise ConditionSyntaxError("empty condition")
    groups: list[tuple[Comparison, ...]] = []
    current: list[Comparison] = []
    i = 0
    while True:
        kind, raw = toks[i] if i < len(toks) else ("end", "")
        if kind != "word" or raw in ("and", "or", "true", "false"):
            raise ConditionSyntaxError(f"expected a field such as event.open_to_public, got {raw or 'end'!r}")
        ref = raw
        i += 1
        if i < len(toks) and toks[i][0] == "op":
            op = toks[i][1]
            if i + 1 >= len(toks):
                raise ConditionSyntaxError(f"missing value after {op!r}")
            value = _literal(*toks[i + 1])
            i += 2
        else:
            op, value = "==", True
        current.append(Comparison(ref, op, value))  # type: ignore[arg-type]  # op comes from _OPS keys
        if i >= len(toks):
            break
        kind, raw = toks[i]
        if kind == "word" and raw == "and":
            i += 1
        elif kind == "word" and raw == "or":
            groups.append(tuple(current))
            current = []
            i += 1
        else:
            raise ConditionSyntaxError(f"expected 'and' or 'or', got {raw!r}")
    groups.append(tuple(current))
    return Condition(source=text, any_of=tuple(groups))


def comparison_problem(comp: Comparison, fact_type: FactType, choices: tuple[str, ...] = ()) -> str | None:
    """Why a comparison cannot be right for a fact of this type, or None."""
    v = comp.value
    if fact_type == "bool":
        if not isinstance(v, bool):
            return f"{comp.ref} is true or false; compare it with true or false"
        if comp.op not in ("==", "!="):
            return f"{comp.ref} is true or false; use == or !="
    elif fact_type in ("int", "number"):
        if isinstance(v, bool) or not isinstance(v, int | float):
            return f"{comp.ref} is a number; compare it with a number"
    elif fact_type in ("str", "date"):
        if not isinstance(v, str):
            return f"{comp.ref} is text; compare it with quoted text"
        if fact_type == "str" and comp.op not in ("==", "!="):
            return f"{comp.ref} is text; use == or !="
        if fact_type == "date" and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", v):
            return f"{comp.ref} is a date; compare it with 'YYYY-MM-DD'"
        if choices and v not in choices:
            return f"{v!r} is not one of the choices of {comp.ref}: {', '.join(choices)}"
    return None
