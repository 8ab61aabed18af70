"""The venue page's record of changes: each edit of a venue, its rooms, linked spaces and
closures appended to the audit log (api/audit.py) under the venue, and read back in words."""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.audit import actor_label, append
from api.models import AuditRecord, User
from api.web.readable import long_date, time_range
from venues.models import Venue
from venues.venue_service import ACCESSIBILITY_FEATURES
from vetting.actors import Actor

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES = dict(
    zip(DAYS, ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"), strict=True)
)
FIELD_WORDS = {
    "name": "name",
    "address": "address",
    "timezone": "time zone",
    "policy_id": "policy",
    "bank_holidays_region": "bank holidays",
    "invoice_on": "when invoices are issued",
    "contact_email": "contact email",
    "contact_phone": "contact telephone",
    "access_instructions": "access instructions",
    "capacity": "capacity",
    "accessibility": "accessibility",
    "opening_hours": "opening hours",
    "buffer_before_minutes": "set-up minutes",
    "buffer_after_minutes": "clear-up minutes",
}
VENUE_CHANGE = "venue"  # the audit records' object type: every change is filed under its venue


async def record_venue_change(
    session: AsyncSession, staff: Actor, venue: Venue, action: str, detail: dict[str, Any]
) -> None:
    """One audit record filed under the venue (and its organisation), in the change's transaction."""
    await append(
        session,
        actor=actor_label(staff),
        action=action,
        object_type=VENUE_CHANGE,
        object_id=str(venue.id),
        detail=detail,
        provider_id=venue.provider_id,
    )


def _hours_words(ranges: list[list[str]] | None) -> str:
    return ", ".join(time_range(a, b) for a, b in ranges or []) or "closed"


def _change_words(detail: dict[str, Any]) -> str:
    """What changed, in words: "capacity from 12 to 14; Monday's hours from 8am to 11pm to
    10am to 4pm"; fields kept without values as "contact email changed"."""
    parts = []
    for name, change in (detail.get("changes") or {}).items():
        label = FIELD_WORDS.get(name, name.replace("_", " "))
        old, new = change.get("from"), change.get("to")
        if "from" not in change:
            parts.append(f"{label} changed")
        elif name == "opening_hours":
            old, new = old or {}, new or {}
            for d in DAYS:
                if (old.get(d) or []) != (new.get(d) or []):
                    was, now = _hours_words(old.get(d)), _hours_words(new.get(d))
                    parts.append(f"{DAY_NAMES[d]}'s hours from {was} to {now}")
        elif isinstance(old, list) or isinstance(new, list):
            words = ACCESSIBILITY_FEATURES
            shown = [", ".join(words.get(v, v) for v in (x or [])) or "none" for x in (old, new)]
            parts.append(f"{label} from {shown[0]} to {shown[1]}")
        else:
            parts.append(
                f"{label} from {old if old not in (None, '') else 'none'} to "
                f"{new if new not in (None, '') else 'none'}"
            )
    return "; ".join(parts)


ACTION_WORDS = {
    "update_venue": "Venue details edited",
    "update_room": "Room edited",
    "create_room": "Room added",
    "set_parts": "Linked spaces changed",
    "add_closure": "Closure added",
    "remove_closure": "Closure removed",
}


async def venue_changes(session: AsyncSession, venue_id: UUID, *, limit: int = 30) -> list[dict[str, Any]]:
    """The venue's latest changes, newest first, with who made them (two statements)."""
    rows = list(
        (
            await session.execute(
                select(AuditRecord)
                .where(AuditRecord.object_type == VENUE_CHANGE, AuditRecord.object_id == str(venue_id))
                .order_by(AuditRecord.id.desc())
                .limit(limit)
            )
        ).scalars()
    )
    ids = []
    for r in rows:
        _, _, user = r.actor.partition(":")
        try:
            ids.append(UUID(user))
        except ValueError:
            continue
    found = await session.execute(select(User.id, User.name).where(User.id.in_(ids or [UUID(int=0)])))
    names = {str(user_id): name for user_id, name in found.all()}
    out = []
    for r in rows:
        detail = json.loads(r.detail) if r.detail else {}
        _, _, user = r.actor.partition(":")
        who = names.get(user, "an administrator")
        what = ACTION_WORDS.get(r.action, r.action.replace("_", " ").capitalize())
        if detail.get("room"):
            what += f": {detail['room']}"
        if detail.get("dates"):
            what += f" ({detail['dates']})"
        out.append({"at": r.at, "who": who, "what": what, "changes": _change_words(detail)})
    return out


def closure_detail(start: Any, end: Any, reason: str) -> dict[str, Any]:
    dates = long_date(start) if start == end else f"{long_date(start)} to {long_date(end)}"
    return {"dates": f"{dates}: {reason}", "start": str(start), "end": str(end)}
