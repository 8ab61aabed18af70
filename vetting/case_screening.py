"""Screening the names on a case against the flagged list, and officers' dispositions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from policies import Policy
from vetting.actors import Actor
from vetting.errors import Conflict, Forbidden, Invalid, NotFound
from vetting.history import record
from vetting.models import FlaggedEntry, ScreeningClearance, ScreeningMatch, VettingCase
from vetting.names.normalise import normalise_name
from vetting.screener_cache import SCREENERS
from vetting.screening import ScreeningWeights
from vetting.sharing_scope import scope_for_provider
from vetting.tenancy import scoped

DISPOSITIONS = ("cleared", "possible", "confirmed")
OPEN = "open"


def name_key(name: str) -> str:
    """The normalised form a clearance is remembered under (case, accents, order of parts)."""
    parts = normalise_name(name).parts
    return " ".join(sorted(p.text for p in parts)) or name.strip().lower()


def subjects(case: VettingCase) -> list[tuple[str, str, str]]:
    """(kind, role, name) of every name the case's request gave, as typed: the organisation as
    submitted (never the name on file), each person and the contact; repeats of one name as
    the same kind are screened once."""
    out: list[tuple[str, str, str]] = []
    seen: set[tuple[str, str]] = set()

    def add(kind: str, role: str, name: str) -> None:
        name = name.strip()
        if name and (kind, name.casefold()) not in seen:
            seen.add((kind, name.casefold()))
            out.append((kind, role, name))

    add("organisation", "organisation", case.organisation_name)
    for person in case.people:
        add("person", str(person.get("role", "person")), str(person.get("name", "")))
    add("person", "contact", str(case.contact.get("name", "")))
    for kind, role, name, *_source in case.register_people or []:
        add(str(kind), str(role), str(name))
    return out


def explain_register_people(case: VettingCase, rows: Sequence[Any]) -> None:
    """Say, on each match of a name the registers gave, which register named them (not the hirer)."""
    sources = {str(role): str(rest[0]) for _kind, role, _name, *rest in case.register_people or [] if rest}
    for row in rows:
        source = sources.get(row.subject_role)
        if source and source not in row.explanation:
            row.explanation = f"{row.explanation} {source}"


@dataclass(frozen=True)
class Screened:
    """What screening a set of names found: the list version and one row per new match (not added)."""

    list_version: int
    names: tuple[tuple[str, str, str], ...]
    rows: list[ScreeningMatch]

    @property
    def names_screened(self) -> int:
        return len(self.names)

    def detail(self) -> dict[str, Any]:
        """The history event's detail: the screening record lists exactly the names screened."""
        return {
            "list_version": self.list_version,
            "new_matches": len(self.rows),
            "names_screened": self.names_screened,
            "names": [{"kind": k, "role": r, "name": n} for k, r, n in self.names],
        }


async def screen_names(
    session: AsyncSession,
    case_id: UUID,
    names: Sequence[tuple[str, str, str]],
    policy: Policy,
    *,
    known: Collection[tuple[str, UUID, str]] = (),
) -> Screened:
    """Screen (kind, role, name) triples; rows for matches not in ``known`` and not already cleared.

    The rows are returned, not added, so a case that is not yet written can be screened first.
    """
    weights = ScreeningWeights.from_mapping(dict(policy.screening.weights))
    version, screener = await SCREENERS.get(
        session, threshold=policy.screening.threshold, weights=weights, sources=policy.screening.sources
    )
    found = [
        (kind, role, name, match)
        for kind, role, name in names
        for match in screener.screen(name, kind=kind)  # type: ignore[arg-type]  # kind is one of the two literals
    ]
    # The matched entries and their clearances in a few statements, not two per match (a
    # re-screen of every upcoming case made 7,500 of each at three years of data, bench/scale.py).
    entries, cleared = await _entries_and_clearances(session, {UUID(match.entry_id) for *_, match in found})
    rows: list[ScreeningMatch] = []
    for kind, role, name, match in found:
        entry = entries.get(UUID(match.entry_id))
        if entry is None:
            continue
        if (name, entry.id, entry.content_hash) in known:
            continue
        if (name_key(name), entry.id, entry.content_hash) in cleared:
            continue
        rows.append(
            ScreeningMatch(
                case_id=case_id,
                subject_kind=kind,
                subject_role=role,
                query_name=name,
                entry_id=entry.id,
                entry_hash=entry.content_hash,
                score=round(match.score, 1),
                matched_name=match.matched_name,
                explanation=match.explanation,
                list_version=version,
                disposition=OPEN,
            )
        )
    return Screened(version, tuple(names), rows)


_CHUNK = 1000  # ids per IN list (drivers cap a statement's parameters)


async def _entries_and_clearances(
    session: AsyncSession, ids: set[UUID]
) -> tuple[dict[UUID, FlaggedEntry], set[tuple[str, UUID, str]]]:
    """The flagged entries of ``ids`` this session may read, and the (name key, entry, entry
    hash) clearances recorded against any of them."""
    entries: dict[UUID, FlaggedEntry] = {}
    cleared: set[tuple[str, UUID, str]] = set()
    ordered = sorted(ids)
    for start in range(0, len(ordered), _CHUNK):
        chunk = ordered[start : start + _CHUNK]
        found = await session.execute(select(FlaggedEntry).where(FlaggedEntry.id.in_(chunk)))
        entries.update((entry.id, entry) for entry in found.scalars())
        rows = await session.execute(
            select(
                ScreeningClearance.name_key, ScreeningClearance.entry_id, ScreeningClearance.entry_hash
            ).where(ScreeningClearance.entry_id.in_(chunk))
        )
        cleared.update((key, entry_id, entry_hash) for key, entry_id, entry_hash in rows.tuples())
    return entries, cleared


async def record_screening(
    session: AsyncSession, case: VettingCase, actor: Actor, screened: Screened
) -> list[ScreeningMatch]:
    """Add the new match rows and the history event (flushed with the session's next flush)."""
    session.add_all(screened.rows)
    await record(session, case, actor, "screened", screened.detail())
    return screened.rows


async def screen_case(
    session: AsyncSession, case: VettingCase, policy: Policy, actor: Actor
) -> list[ScreeningMatch]:
    """Screen every name; store new matches (open) unless an officer already cleared that pair.

    The case is screened against what its own organisation screens (the service-wide list, its
    own additions, partners' shared ones), whoever asks: a service administrator's re-screen
    must not screen one council's case against another's private additions.
    """
    if case.provider_id is None:
        return await _screen_case(session, case, policy, actor)
    with scoped(session, await scope_for_provider(session, case.provider_id)):
        return await _screen_case(session, case, policy, actor)


async def _screen_case(
    session: AsyncSession, case: VettingCase, policy: Policy, actor: Actor
) -> list[ScreeningMatch]:
    existing = {
        (m.query_name, m.entry_id, m.entry_hash)
        for m in (
            await session.execute(select(ScreeningMatch).where(ScreeningMatch.case_id == case.id))
        ).scalars()
    }
    screened = await screen_names(session, case.id, subjects(case), policy, known=existing)
    explain_register_people(case, screened.rows)
    new = await record_screening(session, case, actor, screened)
    await session.flush()
    return new


async def matches_for(session: AsyncSession, case_id: UUID) -> list[ScreeningMatch]:
    rows = await session.execute(
        select(ScreeningMatch).where(ScreeningMatch.case_id == case_id).order_by(ScreeningMatch.score.desc())
    )
    return list(rows.scalars())


async def open_referrals(session: AsyncSession, case_id: UUID) -> int:
    return sum(1 for m in await matches_for(session, case_id) if m.disposition == OPEN)


async def dispose(
    session: AsyncSession, actor: Actor, match_id: UUID, disposition: str, note: str | None
) -> ScreeningMatch:
    """Record an officer's judgement; "cleared" is remembered for this name and entry version."""
    if not actor.is_officer:
        raise Forbidden("only officers record screening dispositions")
    if disposition not in DISPOSITIONS:
        raise Invalid("unknown disposition", {"disposition": f"must be one of {', '.join(DISPOSITIONS)}"})
    if disposition in ("confirmed", "cleared") and not (note or "").strip():
        raise Invalid("explain the disposition", {"note": "a note is required"})
    match = await session.get(ScreeningMatch, match_id)
    if match is None:
        raise NotFound("no such screening match")
    case = await session.get(VettingCase, match.case_id)
    assert case is not None
    if case.status in ("refused", "withdrawn", "cancelled"):
        raise Conflict("the case is closed")
    match.disposition = disposition
    match.note = (note or "").strip() or None
    match.disposed_by = actor.name
    match.disposed_at = dt.datetime.now(dt.UTC)
    if disposition == "cleared":
        key = name_key(match.query_name)
        known = (
            await session.execute(
                select(ScreeningClearance).where(
                    ScreeningClearance.name_key == key,
                    ScreeningClearance.entry_id == match.entry_id,
                    ScreeningClearance.entry_hash == match.entry_hash,
                )
            )
        ).scalar_one_or_none()
        if known is None:
            session.add(
                ScreeningClearance(
                    provider_id=case.provider_id,
                    name_key=key,
                    entry_id=match.entry_id,
                    entry_hash=match.entry_hash,
                    cleared_by=actor.name,
                    note=match.note,
                )
            )
    await session.flush()
    await record(
        session, case, actor, "screening_disposition", {"match_id": str(match.id), "disposition": disposition}
    )
    return match
