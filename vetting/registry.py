"""Look-ups in the charity and company registers, behind an interface.

Like warehouse's service interfaces: code asks for a `RegistryLookup` by the name in settings
(`registry_for(settings.registry)`), so deployments without register access (and tests) run
with `NullRegistry`, which answers "not checked". Look-ups happen before the checks run; their
results travel in `CheckContext.registry_records`, so the checks stay pure.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal, Protocol, runtime_checkable

from vetting.identifiers import (
    InvalidNumber,
    Register,
    RegistrationNumber,
    parse_charity_number,
    parse_company_number,
)

LookupStatus = Literal["found", "not_found", "not_checked", "error"]


@dataclass(frozen=True)
class RegistryRecord:
    """What a register said about one number."""

    register: Register
    number: str
    status: LookupStatus
    name: str | None = None
    register_status: str | None = None  # e.g. "registered", "removed", "active", "dissolved"
    detail: str = ""
    other_names: tuple[str, ...] = ()  # working, former and previous names on the register

    @property
    def in_good_standing(self) -> bool:
        return self.status == "found" and (self.register_status or "").lower() in ("registered", "active", "")


@runtime_checkable
class RegistryLookup(Protocol):
    """A source of register entries (a live API client, a cached copy, or nothing)."""

    def look_up(self, number: RegistrationNumber) -> RegistryRecord: ...


class NullRegistry:
    """No register access: every number is "not checked" (its format is still checked)."""

    def look_up(self, number: RegistrationNumber) -> RegistryRecord:
        return RegistryRecord(
            number.register, number.number, "not_checked", detail="no register look-up configured"
        )


@dataclass
class InMemoryRegistry:
    """A register held in memory (a downloaded extract, demo data, tests)."""

    records: dict[tuple[Register, str], RegistryRecord] = field(default_factory=dict)

    @classmethod
    def of(cls, records: Iterable[RegistryRecord]) -> InMemoryRegistry:
        return cls({(r.register, r.number): r for r in records})

    def look_up(self, number: RegistrationNumber) -> RegistryRecord:
        found = self.records.get((number.register, number.number))
        return found or RegistryRecord(number.register, number.number, "not_found")


_FACTORIES: dict[str, Callable[[], RegistryLookup]] = {
    "null": NullRegistry,
    "memory": InMemoryRegistry,
}


def register_registry(name: str, factory: Callable[[], RegistryLookup]) -> None:
    """Make a registry implementation selectable by name (e.g. a live API client)."""
    _FACTORIES[name] = factory


def registry_for(name: str) -> RegistryLookup:
    """The registry implementation a setting names ("null" unless configured otherwise)."""
    try:
        return _FACTORIES[name.strip().lower()]()
    except KeyError:
        raise ValueError(f"unknown registry {name!r}; known: {', '.join(sorted(_FACTORIES))}") from None


def look_up_numbers(
    registry: RegistryLookup, charity_number: str | None, company_number: str | None
) -> tuple[RegistryRecord, ...]:
    """Look up the well-formed numbers given (malformed ones are the check's business)."""
    numbers: list[RegistrationNumber] = []
    for raw, parse in ((charity_number, parse_charity_number), (company_number, parse_company_number)):
        if raw:
            try:
                numbers.append(parse(raw))
            except InvalidNumber:
                continue
    out: list[RegistryRecord] = []
    for n in numbers:
        try:
            out.append(registry.look_up(n))
        except Exception as exc:
            out.append(RegistryRecord(n.register, n.number, "error", detail=f"{type(exc).__name__}: {exc}"))
    return tuple(out)


def records_by_register(records: Iterable[RegistryRecord]) -> Mapping[Register, RegistryRecord]:
    return {r.register: r for r in records}
