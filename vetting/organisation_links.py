"""What a request says about its organisation, and how a case is linked to one already on file.

A request never changes a stored organisation or another case (design.md principle 6). Its
organisation is kept as submitted (`snapshot`) and filed under an organisation row of its own;
when a known organisation has the same charity or company number, or the same name, the case is
linked to it only as a *possible* match. An officer confirms or rejects that link (or a verified
register look-up agrees), and only then may clearance from the known organisation's earlier cases
count for this one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any
from uuid import UUID

from sqlalchemy import String, bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from vetting.actors import Actor
from vetting.errors import Conflict, Forbidden, Invalid, NotFound
from vetting.history import record
from vetting.identifiers import InvalidNumber, parse_charity_number, parse_company_number
from vetting.models import Breach, Organisation, VettingCase
from vetting.names.normalise import normalise_name
from vetting.registry import RegistryRecord

SNAPSHOT_FIELDS = ("name", "type", "charity_number", "company_number", "address", "website")


class LinkStatus(StrEnum):
    NEW = "new"  # nothing on file resembled the request
    POSSIBLE = "possible"  # resembles a known organisation; an officer has to say
    CONFIRMED = "confirmed"  # an officer said it is the same organisation
    REJECTED = "rejected"  # an officer said it is not
    VERIFIED = "verified"  # a register look-up agreed with the request and the record on file


# Only these let the known organisation's history (clearance, breaches) count for the case.
LINKED = frozenset({LinkStatus.CONFIRMED, LinkStatus.VERIFIED})


def snapshot(fields: Mapping[str, Any]) -> dict[str, Any]:
    """The organisation's fields exactly as given (missing ones as None)."""
    return {f: fields.get(f) for f in SNAPSHOT_FIELDS}


# Oldest cleared first, then oldest: the record most likely to be the organisation's own.
_ORDER = (Organisation.last_cleared_at.is_(None), Organisation.created_at, Organisation.id)
_BY_CHARITY = (
    select(Organisation).where(Organisation.charity_number == bindparam("value")).order_by(*_ORDER).limit(1)
)
_BY_COMPANY = (
    select(Organisation).where(Organisation.company_number == bindparam("value")).order_by(*_ORDER).limit(1)
)
_BY_NAME = (
    select(Organisation)
    .where(func.lower(Organisation.name) == bindparam("value", type_=String))
    .order_by(*_ORDER)
    .limit(1)
)


@dataclass(frozen=True)
class Link:
    """How a new case stands to the organisations on file."""

    status: LinkStatus
    basis: str | None  # what they share: charity_number, company_number or name
    known_id: UUID | None

    def detail(self) -> dict[str, Any]:
        """The history event's detail."""
        return {"known_organisation_id": str(self.known_id) if self.known_id else None, "basis": self.basis}


@dataclass(frozen=True)
class KnownMatch:
    organisation: Organisation
    basis: str  # charity_number, company_number or name


async def find_known(session: AsyncSession, submitted: Mapping[str, Any]) -> KnownMatch | None:
    """A known organisation with the submitted charity number, company number or name."""
    for basis, query, value in (
        ("charity_number", _BY_CHARITY, submitted.get("charity_number")),
        ("company_number", _BY_COMPANY, submitted.get("company_number")),
        ("name", _BY_NAME, str(submitted.get("name") or "").strip().lower()),
    ):
        if not value:
            continue
        found = (await session.execute(query, {"value": value})).scalar_one_or_none()
        if found is not None:
            return KnownMatch(found, basis)
    return None


def _same_name(a: str | None, b: str | None) -> bool:
    def key(name: str | None) -> str:
        return " ".join(sorted(p.text for p in normalise_name(name or "").parts))

    return bool(a and b) and key(a) == key(b)


def _number(field: str, raw: Any) -> str | None:
    parse = parse_company_number if field == "company_number" else parse_charity_number
    try:
        return parse(str(raw)).number if raw else None
    except InvalidNumber:
        return None


def register_agrees(
    records: Iterable[RegistryRecord], submitted: Mapping[str, Any], known: Organisation
) -> bool:
    """A register entry in good standing for the number both give, under the name both give."""
    for r in records:
        field = "company_number" if r.register == "companies_house" else "charity_number"
        if (
            r.status == "found"
            and r.in_good_standing
            and _number(field, submitted.get(field)) == r.number
            and _number(field, getattr(known, field)) == r.number
            and _same_name(r.name, submitted.get("name"))
            and _same_name(r.name, known.name)
        ):
            return True
    return False


def differences(submitted: Mapping[str, Any], known: Organisation) -> list[dict[str, Any]]:
    """Field by field, what the request gave beside what the known organisation's record holds."""
    rows = []
    for f in SNAPSHOT_FIELDS:
        given, on_file = submitted.get(f), getattr(known, f)
        same = _norm(given) == _norm(on_file)
        rows.append({"field": f, "submitted": given, "on_file": on_file, "same": same})
    return rows


def _norm(value: Any) -> str:
    return " ".join(str(value or "").split()).casefold()


async def link_view(session: AsyncSession, case: VettingCase) -> dict[str, Any] | None:
    """The officer's side-by-side view of the possible link (None when nothing was linked)."""
    if case.linked_organisation_id is None:
        return None
    known = await session.get(Organisation, case.linked_organisation_id)
    if known is None:
        return None
    breaches = (await session.execute(select(Breach).where(Breach.organisation_id == known.id))).scalars()
    return {
        "status": case.organisation_link,
        "basis": case.organisation_link_basis,
        "organisation_id": str(known.id),
        "last_cleared_at": known.last_cleared_at.isoformat() if known.last_cleared_at else None,
        "breaches": [
            {"occurred_on": b.occurred_on.isoformat(), "code": b.code, "serious": b.serious} for b in breaches
        ],
        "differences": differences(case.organisation_submitted, known),
    }


async def resolve_link(
    session: AsyncSession, actor: Actor, case: VettingCase, decision: str, note: str | None
) -> tuple[str, UUID | None]:
    """Confirm or reject a possible link; returns the new status and, on confirmation, the
    organisation row the case no longer needs (for the caller to remove once nothing uses it).

    Confirming files the case under the known organisation, so its clearance and recorded
    breaches count from now on; rejecting keeps the case on its own record."""
    if not actor.is_officer:
        raise Forbidden("only officers link requests to known organisations")
    if decision not in ("confirm", "reject"):
        raise Invalid("say confirm or reject", {"decision": "must be confirm or reject"})
    why = (note or "").strip()
    if not why:
        raise Invalid("say why", {"note": "is required: what showed it is (not) the same organisation"})
    if case.organisation_link != LinkStatus.POSSIBLE or case.linked_organisation_id is None:
        raise Conflict(f"there is no open possible link on this case (it is {case.organisation_link})")
    known_id = case.linked_organisation_id
    replaced: UUID | None = None
    if decision == "confirm":
        replaced = case.organisation_id if case.organisation_id != known_id else None
        case.organisation_id = known_id
        case.organisation_link = LinkStatus.CONFIRMED
    else:
        case.organisation_link = LinkStatus.REJECTED
    case.updated_at = dt.datetime.now(dt.UTC)
    await record(
        session,
        case,
        actor,
        f"organisation_link_{case.organisation_link}",
        {"known_organisation_id": str(known_id), "basis": case.organisation_link_basis, "note": why},
    )
    await session.flush()
    return str(case.organisation_link), replaced


async def remove_if_unused(session: AsyncSession, organisation_id: UUID) -> bool:
    """Delete an organisation row no case, link or breach refers to any more."""
    used = (
        await session.execute(
            select(VettingCase.id)
            .where(
                (VettingCase.organisation_id == organisation_id)
                | (VettingCase.linked_organisation_id == organisation_id)
            )
            .limit(1)
        )
    ).first() or (
        await session.execute(select(Breach.id).where(Breach.organisation_id == organisation_id).limit(1))
    ).first()
    if used:
        return False
    organisation = await session.get(Organisation, organisation_id)
    if organisation is None:
        raise NotFound("no such organisation")
    await session.delete(organisation)
    await session.flush()
    return True
