"""Findings partners share: another partner refused this organisation or person, or confirmed a
screening match on them, under a sharing agreement in force with ``shares_findings``.

A finding is information for the officer, never a decision (design.md: screening never
decides). It says who (the partner), when, on which ground (the refusal's reason code, or the
flagged entry's name a match was confirmed against) and under which agreement; never the other
case's documents, free text, contact details, reference or people beyond the name that matched.

The organisation matches by charity or company number or by normalised name; a person by
normalised name (vetting/case_screening.py `name_key`, the form clearances are kept under).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from vetting.case_screening import name_key
from vetting.lifecycle import CaseStatus, Outcome
from vetting.models import Decision, ScreeningMatch, VettingCase
from vetting.sharing_scope import PartnerShare, partners_sharing
from vetting.tenancy import ALL_PROVIDERS

Kind = Literal["refusal", "confirmed_match"]


@dataclass(frozen=True)
class SharedFinding:
    kind: Kind
    subject_kind: str  # "organisation" or "person"
    subject: str  # the name as this case gave it
    basis: str  # charity_number, company_number or name
    partner_id: UUID
    partner_name: str
    at: dt.datetime | None
    ground: str | None  # the refusal's reason code, or the flagged entry's name
    agreement_id: UUID
    agreement_reference: str
    # For the audit record and subject access only; never shown to the officer.
    source_case_id: UUID
    source_subject: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "subject_kind": self.subject_kind,
            "subject": self.subject,
            "basis": self.basis,
            "partner": self.partner_name,
            "at": self.at.isoformat() if self.at else None,
            "ground": self.ground,
            "agreement_reference": self.agreement_reference,
        }


@dataclass(frozen=True)
class _Subjects:
    """The names and numbers this case gives, by normalised key -> the name as given."""

    organisation: dict[str, str]
    numbers: dict[tuple[str, str], str]
    people: dict[str, str]

    def organisation_basis(self, name: str, submitted: Mapping[str, Any]) -> tuple[str, str] | None:
        for field in ("charity_number", "company_number"):
            number = _number(submitted.get(field))
            if number and (field, number) in self.numbers:
                return self.numbers[(field, number)], field
        key = name_key(name)
        return (self.organisation[key], "name") if key in self.organisation else None

    def person(self, name: str) -> str | None:
        return self.people.get(name_key(name))


def _number(value: Any) -> str:
    return "".join(str(value or "").split()).upper()


def _subjects(case: VettingCase) -> _Subjects:
    submitted = case.organisation_submitted or {}
    numbers = {
        (field, _number(submitted.get(field))): case.organisation_name
        for field in ("charity_number", "company_number")
        if _number(submitted.get(field))
    }
    people = {name_key(n): n for n in _people_names(case.people, case.contact) if n}
    return _Subjects({name_key(case.organisation_name): case.organisation_name}, numbers, people)


def _people_names(people: Iterable[Mapping[str, Any]], contact: Mapping[str, Any] | None) -> list[str]:
    names = [str(p.get("name", "")).strip() for p in people]
    if contact:
        names.append(str(contact.get("name", "")).strip())
    return names


async def _partners_records(session: AsyncSession, partner_ids: list[UUID]) -> tuple[list[Any], list[Any]]:
    """Partners' refusals and confirmed matches: the one cross-organisation read of findings.

    ALL_PROVIDERS on purpose: a partner's cases are outside the officer's scope, and the sharing
    agreement (checked by the caller) is what allows this. Only the columns a finding needs are
    read, and each finding shown is audited (api/sharing_audit.py).
    """
    cross = {ALL_PROVIDERS: True}
    refusals = (
        await session.execute(
            select(
                VettingCase.id,
                VettingCase.provider_id,
                VettingCase.organisation_name,
                VettingCase.organisation_submitted,
                VettingCase.people,
                VettingCase.contact,
                Decision.decided_at,
                Decision.reason_code,
            )
            .join(Decision, Decision.case_id == VettingCase.id)
            .where(
                VettingCase.provider_id.in_(partner_ids),
                VettingCase.status == CaseStatus.REFUSED.value,
                Decision.kind == "decision",
                Decision.outcome == Outcome.REFUSE.value,
                Decision.effective.is_(True),
            )
            .execution_options(**cross)
        )
    ).all()
    matches = (
        await session.execute(
            select(
                ScreeningMatch.id,
                ScreeningMatch.case_id,
                ScreeningMatch.subject_kind,
                ScreeningMatch.query_name,
                ScreeningMatch.matched_name,
                ScreeningMatch.disposed_at,
                VettingCase.provider_id,
                VettingCase.organisation_submitted,
            )
            .join(VettingCase, VettingCase.id == ScreeningMatch.case_id)
            .where(VettingCase.provider_id.in_(partner_ids), ScreeningMatch.disposition == "confirmed")
            .execution_options(**cross)
        )
    ).all()
    return list(refusals), list(matches)


async def findings_for(session: AsyncSession, case: VettingCase) -> list[SharedFinding]:
    """What partners share with the case's organisation about the names on this case."""
    if case.provider_id is None:
        return []
    shares: dict[UUID, PartnerShare] = {}
    for share in await partners_sharing(session, [case.provider_id], "findings"):
        shares.setdefault(share.partner_id, share)
    if not shares:
        return []
    wanted = _subjects(case)
    refusals, matches = await _partners_records(session, sorted(shares))
    found: list[SharedFinding] = []

    def add(kind: Kind, share: PartnerShare, subject: tuple[str, str], row_case: UUID, **kw: Any) -> None:
        subject_kind, (name, basis) = kw.pop("subject_kind"), subject
        found.append(
            SharedFinding(
                kind=kind,
                subject_kind=subject_kind,
                subject=name,
                basis=basis,
                partner_id=share.partner_id,
                partner_name=share.partner_name,
                agreement_id=share.agreement_id,
                agreement_reference=share.reference,
                source_case_id=row_case,
                **kw,
            )
        )

    for r in refusals:
        share = shares[r.provider_id]
        org = wanted.organisation_basis(r.organisation_name, r.organisation_submitted or {})
        if org is not None:
            add(
                "refusal",
                share,
                org,
                r.id,
                subject_kind="organisation",
                at=r.decided_at,
                ground=r.reason_code,
                source_subject={"kind": "organisation"},
            )
        for position, person in enumerate(_people_names(r.people or [], r.contact)):
            given = wanted.person(person) if person else None
            if given is not None:
                add(
                    "refusal",
                    share,
                    (given, "name"),
                    r.id,
                    subject_kind="person",
                    at=r.decided_at,
                    ground=r.reason_code,
                    source_subject={"kind": "person", "position": position},
                )
    for m in matches:
        share = shares[m.provider_id]
        if m.subject_kind == "organisation":
            subject = wanted.organisation_basis(m.query_name, m.organisation_submitted or {})
        else:
            given = wanted.person(m.query_name)
            subject = (given, "name") if given is not None else None
        if subject is not None:
            add(
                "confirmed_match",
                share,
                subject,
                m.case_id,
                subject_kind=m.subject_kind,
                at=m.disposed_at,
                ground=m.matched_name,
                source_subject={"kind": "match", "match_id": str(m.id)},
            )
    unique = {(f.kind, f.partner_id, f.source_case_id, f.subject_kind, f.subject, f.ground): f for f in found}
    return sorted(unique.values(), key=lambda f: f.at or dt.datetime.min.replace(tzinfo=dt.UTC), reverse=True)
