"""The flagged list in the database: entries, versions, imports and the matcher built from them."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from policies import HAND_ADDED_SOURCE, bundled_policy, bundled_policy_ids
from vetting import direct_sql
from vetting.actors import Actor
from vetting.errors import Conflict, Forbidden, Invalid, NotFound
from vetting.flagged_owner import list_ref_of, may_change, owner_for
from vetting.importers import ImportedEntry
from vetting.models import FlaggedEntry, FlaggedListVersion

KINDS = ("person", "organisation")


def content_hash(kind: str, name: str, aliases: Sequence[str], weak_aliases: Sequence[str] = ()) -> str:
    """What a clearance rests on. Weak aliases join only when there are some, so the hashes of
    entries without any (every entry before they were read) are unchanged. Dates of birth stay
    out: the first import after they were read would otherwise re-refer every cleared match."""
    fields: list[object] = [kind, name.strip(), sorted(a.strip() for a in aliases)]
    if weak_aliases:
        fields.append(sorted(a.strip() for a in weak_aliases))
    payload = json.dumps(fields, ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()


def digest_of(item: ImportedEntry) -> str:
    return content_hash(item.kind, item.name, item.aliases, item.weak_aliases)


def entry_ref(item: ImportedEntry) -> str:
    """The list's own reference, or (for lists without one) the kind and name."""
    return item.source_ref or f"{item.kind}:{' '.join(item.name.lower().split())}"[:120]


@dataclass(frozen=True)
class Deactivated:
    """An entry an import deactivates (or, in a preview, would deactivate)."""

    id: UUID
    kind: str
    name: str
    source: str
    source_ref: str

    def as_dict(self) -> dict[str, str]:
        return {
            "id": str(self.id),
            "kind": self.kind,
            "name": self.name,
            "source": self.source,
            "source_ref": self.source_ref,
        }


@dataclass(frozen=True)
class ImportCounts:
    version: int
    added: int
    changed: int
    removed: int
    unchanged: int
    # Every entry removed, not just how many: an officer must see what leaves the list.
    deactivated: tuple[Deactivated, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "added": self.added,
            "changed": self.changed,
            "removed": self.removed,
            "unchanged": self.unchanged,
            "deactivated": [d.as_dict() for d in self.deactivated],
        }


def _require_officer(actor: Actor) -> None:
    if not actor.is_officer and actor.role != "system":
        raise Forbidden("only officers may change the flagged list")


_CURRENT_VERSION = select(func.coalesce(func.max(FlaggedListVersion.id), 0))  # built once: every request


async def current_version(session: AsyncSession) -> int:
    return int((await direct_sql.rows(session, _CURRENT_VERSION, {}))[0][0])


async def _new_version(
    session: AsyncSession, actor: Actor, source: str, note: str | None
) -> FlaggedListVersion:
    version = FlaggedListVersion(
        created_at=dt.datetime.now(dt.UTC), source=source, note=note, actor_name=actor.name
    )
    session.add(version)
    await session.flush()
    return version


def _validate(kind: str, name: str) -> None:
    errors: dict[str, str] = {}
    if kind not in KINDS:
        errors["kind"] = "must be 'person' or 'organisation'"
    if not name.strip():
        errors["name"] = "is required"
    if errors:
        raise Invalid("the flagged entry is not valid", errors)


async def add_entry(
    session: AsyncSession,
    actor: Actor,
    *,
    kind: str,
    name: str,
    aliases: Sequence[str],
    source: str = HAND_ADDED_SOURCE,
    reason: str | None,
    source_ref: str | None = None,
    listed_date: dt.date | None = None,
) -> FlaggedEntry:
    """Add an entry by hand. It is always screened: its source is ``local``, whatever ``source`` says.

    ``source`` is where the officer says the name came from ("council records", "police
    notice"); it is kept as provenance in ``source_detail``. Letting it decide screening would
    store an entry that no policy loads, shown as active and never matched. The entry belongs to
    the actor's organisation, or is service-wide when a service administrator adds it
    (vetting/flagged_owner.py).
    """
    _require_officer(actor)
    _validate(kind, name)
    owner = await owner_for(session, actor)
    clean_aliases = [a.strip() for a in aliases if a.strip()]
    detail = " ".join(source.split())[:200]
    given = " ".join((source_ref or "").split())
    ref = owner.ref(given) if given else ""
    if ref:
        taken = (
            await session.execute(
                select(FlaggedEntry.name).where(
                    FlaggedEntry.source == HAND_ADDED_SOURCE, FlaggedEntry.source_ref == ref, owner.owns()
                )
            )
        ).scalar_one_or_none()
        if taken is not None:
            raise Conflict(f"the hand-added entry {taken!r} already has the reference {given!r}")
    version = await _new_version(session, actor, HAND_ADDED_SOURCE, "entry added")
    version.added = 1
    entry = FlaggedEntry(
        kind=kind,
        name=name.strip(),
        aliases=clean_aliases,
        source=HAND_ADDED_SOURCE,
        source_ref=ref or owner.ref(f"manual-{version.id}"),
        provider_id=owner.provider_id,
        source_detail=detail if detail and detail != HAND_ADDED_SOURCE else None,
        reason=reason,
        listed_date=listed_date,
        added_by=actor.name,
        active=True,
        list_version=version.id,
        content_hash=content_hash(kind, name, clean_aliases),
    )
    try:
        # Two officers giving one reference at once: the unique constraint decides, not a 500.
        async with session.begin_nested():
            session.add(entry)
            await session.flush()
    except IntegrityError:
        raise Conflict(f"a hand-added entry already has the reference {entry.source_ref!r}") from None
    return entry


async def deactivate_entry(session: AsyncSession, actor: Actor, entry_id: UUID, reason: str) -> FlaggedEntry:
    _require_officer(actor)
    if not reason.strip():
        raise Invalid("a reason is required", {"reason": "is required"})
    entry = await session.get(FlaggedEntry, entry_id)
    if entry is None:
        raise NotFound("no such flagged entry")
    if not may_change(actor, entry):
        raise Forbidden(
            "only the organisation that added an entry deactivates it; the service-wide list is "
            "kept by the service's administrators"
        )
    if not entry.active:
        return entry
    version = await _new_version(session, actor, entry.source, "entry deactivated")
    version.removed = 1
    entry.active = False
    entry.deactivated_reason = reason.strip()
    entry.deactivated_at = dt.datetime.now(dt.UTC)
    entry.list_version = version.id
    await session.flush()
    return entry


def _refuse_hand_added(entries: Sequence[ImportedEntry]) -> None:
    claimed = [e for e in entries if e.source == HAND_ADDED_SOURCE]
    if not claimed:
        return
    names = ", ".join(repr(e.name) for e in claimed[:5]) + (" and others" if len(claimed) > 5 else "")
    problem = (
        f"{len(claimed)} entr{'y has' if len(claimed) == 1 else 'ies have'} the source "
        f"{HAND_ADDED_SOURCE!r} or none ({names}); {HAND_ADDED_SOURCE!r} is kept for entries officers "
        "add by hand, which an import never replaces. Give every row the source of the list it "
        f"comes from, one the venue policies screen{_screened_hint()}"
    )
    raise Invalid(f"the file cannot be imported: {problem}", {"file": problem})


def screened_sources() -> frozenset[str] | None:
    """The sources some venue policy screens; None when one screens every source (lists none)."""
    sources: set[str] = set()
    for policy_id in bundled_policy_ids():
        listed = bundled_policy(policy_id).screening.sources
        if not listed:
            return None
        sources.update(listed)
    return frozenset(sources)


def _screened_hint() -> str:
    screened = screened_sources()
    if screened is None:
        return ""
    usable = ", ".join(sorted(screened - {HAND_ADDED_SOURCE}))
    return f" ({usable})"


def _refuse_unscreened(entries: Sequence[ImportedEntry]) -> None:
    """An entry whose source no policy screens would be listed as active and never matched."""
    screened = screened_sources()
    if screened is None:
        return
    unscreened = sorted({e.source for e in entries} - screened)
    if not unscreened:
        return
    problem = (
        f"no venue policy screens the source{'s' if len(unscreened) > 1 else ''} "
        f"{', '.join(repr(s) for s in unscreened)}, so those entries would never be matched. "
        f"Add the source to a policy's [screening] sources first, or use a source they screen"
        f"{_screened_hint()}"
    )
    raise Invalid(f"the file cannot be imported: {problem}", {"file": problem})


async def import_entries(
    session: AsyncSession, actor: Actor, entries: Sequence[ImportedEntry], *, dry_run: bool = False
) -> ImportCounts:
    """Apply a whole published list: add new, update changed, deactivate what it no longer lists.

    Removal is per (owner, source): an import of the UK list never touches entries from other
    sources, nor those of another organisation or (by an organisation's officer) the service-wide
    list (vetting/flagged_owner.py). No import may carry the hand-added source: it would replace
    (deactivate) what officers added. Nor a source no policy screens: its entries would be stored
    as active and never matched.
    """
    _require_officer(actor)
    _refuse_hand_added(entries)
    _refuse_unscreened(entries)
    owner = await owner_for(session, actor)
    sources = sorted({e.source for e in entries})
    existing_rows = (
        (await session.execute(select(FlaggedEntry).where(FlaggedEntry.source.in_(sources), owner.owns())))
        .scalars()
        .all()
        if sources
        else []
    )
    existing = {(row.source, owner.list_ref(row.source_ref)): row for row in existing_rows}
    seen: set[tuple[str, str]] = set()
    added = changed = unchanged = 0
    plan_add: list[ImportedEntry] = []
    plan_change: list[tuple[FlaggedEntry, ImportedEntry, str]] = []
    for item in entries:
        key = (item.source, entry_ref(item))
        if key in seen:
            continue
        seen.add(key)
        digest = digest_of(item)
        row = existing.get(key)
        if row is None:
            added += 1
            plan_add.append(item)
        elif (
            row.content_hash != digest
            or not row.active
            or row.reason != item.reason
            or list(row.births or ()) != list(item.births)
        ):
            changed += 1
            plan_change.append((row, item, digest))
        else:
            unchanged += 1
    to_remove = sorted(
        (row for key, row in existing.items() if key not in seen and row.active),
        key=lambda row: (row.source, row.name.casefold(), row.source_ref),
    )
    removed = len(to_remove)
    deactivated = tuple(Deactivated(r.id, r.kind, r.name, r.source, list_ref_of(r)) for r in to_remove)
    if dry_run:
        return ImportCounts(await current_version(session), added, changed, removed, unchanged, deactivated)
    version = await _new_version(session, actor, ",".join(sources) or "empty", "import")
    version.added, version.changed, version.removed = added, changed, removed
    now = dt.datetime.now(dt.UTC)
    for item in plan_add:
        session.add(
            FlaggedEntry(
                kind=item.kind,
                name=item.name,
                aliases=list(item.aliases),
                weak_aliases=list(item.weak_aliases),
                births=list(item.births) or None,
                source=item.source,
                source_ref=owner.ref(entry_ref(item)),
                provider_id=owner.provider_id,
                reason=item.reason,
                listed_date=item.listed_date,
                added_by=actor.name,
                active=True,
                list_version=version.id,
                content_hash=digest_of(item),
            )
        )
    for row, item, digest in plan_change:
        row.kind, row.name, row.aliases = item.kind, item.name, list(item.aliases)
        row.weak_aliases, row.births = list(item.weak_aliases), list(item.births) or None
        row.reason, row.listed_date, row.content_hash = item.reason, item.listed_date, digest
        row.active, row.deactivated_reason, row.deactivated_at = True, None, None
        row.list_version = version.id
    for row in to_remove:
        row.active = False
        row.deactivated_reason = f"no longer on the {row.source} list (import {version.id})"
        row.deactivated_at = now
        row.list_version = version.id
    await session.flush()
    return ImportCounts(version.id, added, changed, removed, unchanged, deactivated)
