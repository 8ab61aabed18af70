"""What every importer produces: one flagged entry per listed person or organisation."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Literal, get_args

Kind = Literal["person", "organisation"]
KINDS: frozenset[str] = frozenset(get_args(Kind))


def clean_text(value: str) -> str:
    """Collapse runs of whitespace (newlines included) to single spaces and trim."""
    return " ".join(value.split())


def control_character(value: str) -> str | None:
    """The first control or unassigned character in ``value``, if any (whitespace aside)."""
    for char in value:
        if not char.isspace() and unicodedata.category(char) in {"Cc", "Cs", "Cn"}:
            return char
    return None


@dataclass(frozen=True, slots=True)
class ImportedEntry:
    """One entry read from a flagged list, before it reaches the database.

    ``name`` is in reader order ("Given Middle Surname"); ``aliases`` never repeat the name
    or each other. ``weak_aliases`` are the ones the list itself marks as low quality (the UK
    list's "Low quality a.k.a", OFAC's weak a.k.a.s): kept and shown as such, screened as the
    policy says; a name given both ways counts as a good alias. Construction normalises
    whitespace and alias order-preserving duplicates, so two entries read from equivalent files
    compare equal.
    """

    kind: Kind
    name: str
    aliases: tuple[str, ...] = ()
    source: str = "local"
    source_ref: str = ""
    reason: str | None = None
    listed_date: date | None = None
    weak_aliases: tuple[str, ...] = ()
    # Dates of birth the list gives, in vetting/birth_dates.py's canonical texts (a person's only).
    births: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"kind must be 'person' or 'organisation', not {self.kind!r}")
        name = clean_text(self.name)
        if not name:
            raise ValueError("name is empty")
        for text in (
            name,
            *self.aliases,
            *self.weak_aliases,
            self.source,
            self.source_ref,
            self.reason or "",
        ):
            bad = control_character(text)
            if bad is not None:
                raise ValueError(f"{text!r} contains the control character U+{ord(bad):04X}")
        object.__setattr__(self, "name", name)
        aliases = unique_aliases(name, self.aliases)
        object.__setattr__(self, "aliases", aliases)
        taken = (name, *aliases)
        object.__setattr__(
            self, "weak_aliases", unique_aliases(name, [a for a in self.weak_aliases if _fresh(a, taken)])
        )
        object.__setattr__(self, "births", tuple(sorted(set(self.births))) if self.kind == "person" else ())
        object.__setattr__(self, "source", clean_text(self.source) or "local")
        object.__setattr__(self, "source_ref", clean_text(self.source_ref))
        reason = clean_text(self.reason) if self.reason is not None else None
        object.__setattr__(self, "reason", reason or None)


def _fresh(alias: str, taken: tuple[str, ...]) -> bool:
    return clean_text(alias).casefold() not in {t.casefold() for t in taken}


def unique_aliases(name: str, aliases: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """Aliases cleaned, without blanks, without the name itself and without repeats (case-blind)."""
    seen = {name.casefold()}
    kept: list[str] = []
    for raw in aliases:
        alias = clean_text(raw)
        if alias and alias.casefold() not in seen:
            seen.add(alias.casefold())
            kept.append(alias)
    return tuple(kept)
