"""A constructed data set for the reports: rows written directly with chosen dates, so each
figure the report gives can be worked out by hand (and never depends on today's date).

Everything the report reads is written as the services write it (the same columns, statuses and
decision shapes: a countersigned refusal, an overturned one, an appeal), but with fixed instants.
"""

from __future__ import annotations

import datetime as dt
import itertools
import secrets
from typing import Any
from uuid import UUID, uuid4
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from casework.decision_effect import TOOK_EFFECT, note_first_decision, stamp_countersigned, stamp_made
from venues.models import Booking, Closure, Occurrence, Room, Venue
from vetting.models import CaseEvent, Decision, FlaggedEntry, Organisation, ScreeningMatch, VettingCase

LONDON = ZoneInfo("Europe/London")
_n = itertools.count(1)


def at(day: str, hour: int = 10, minute: int = 0) -> dt.datetime:
    """A London wall-clock time on an ISO day, as an aware UTC instant."""
    d = dt.date.fromisoformat(day)
    return dt.datetime(d.year, d.month, d.day, hour, minute, tzinfo=LONDON).astimezone(dt.UTC)


async def make_case(
    s: AsyncSession,
    room: Room,
    venue: Venue,
    created: dt.datetime,
    *,
    status: str = "under_review",
    dates: list[tuple[dt.datetime, float]] | None = None,
    held: bool = False,
) -> VettingCase:
    """A case made at `created` for `room`, with its booking and dates (local start, hours)."""
    n = next(_n)
    org = Organisation(id=uuid4(), provider_id=venue.provider_id, name=f"Testgroup {n}", type="club")
    case = VettingCase(
        id=uuid4(),
        reference=f"VH-T-{n:05d}",
        status=status,
        provider_id=venue.provider_id,
        organisation_id=org.id,
        organisation_name=org.name,
        organisation_submitted={"name": org.name, "type": "club"},
        contact={"name": "Casey Testcontact", "email": "casey@test.example", "phone": "07700 900111"},
        people=[],
        event={"title": "Test meeting", "expected_attendance": 10},
        declarations=[],
        answers={},
        policy_id="council-default",
        policy_version="1",
        tier="standard",
        first_start=(dates[0][0] if dates else created + dt.timedelta(days=30)).astimezone(dt.UTC),
        checks=[],
        applicant_token_hash=secrets.token_hex(32),
        created_at=created,
        updated_at=created,
    )
    s.add(org)
    await s.flush()
    s.add(case)
    await s.flush()
    uid = f"{uuid4().hex}@test"
    booking = Booking(id=uuid4(), case_id=case.id, room_id=room.id, uid=uid, changed_at=created)
    s.add(booking)
    await s.flush()
    for seq, (start, hours) in enumerate(dates or []):
        local = start.astimezone(LONDON).replace(tzinfo=None)
        s.add(
            Occurrence(
                booking_id=booking.id,
                seq=seq,
                start_utc=start.astimezone(dt.UTC),
                end_utc=(start + dt.timedelta(hours=hours)).astimezone(dt.UTC),
                local_start=local,
                local_end=local + dt.timedelta(hours=hours),
                status="held" if held else "requested",
            )
        )
    await s.flush()
    return case


async def decide(
    s: AsyncSession,
    case: VettingCase,
    when: dt.datetime,
    outcome: str,
    *,
    kind: str = "decision",
    ground: str | None = None,
    conditions: list[dict[str, Any]] | None = None,
    effective: bool = True,
    countersigned: dt.datetime | None = None,
    created: dt.datetime | None = None,
    overturned: bool = False,
) -> Decision:
    """A decision stamped as the services stamp it (casework/decision_effect.py); `overturned`: a
    refusal that took effect and was then overturned on appeal (now not effective)."""
    decision = Decision(
        case_id=case.id,
        kind=kind,
        outcome=outcome,
        reason="Invented reason",
        reason_code=ground,
        conditions=conditions or [],
        officer_id=None,
        officer_name="Test Officer",
        decided_at=when,
        policy_id="council-default",
        policy_version="1",
        countersigned_by_id=None,
        countersigned_by_name="Second Officer" if countersigned else None,
        countersigned_at=countersigned,
        effective=effective,
        created_at=created or when,
        updated_at=created or when,
    )
    stamp_made(decision)
    if countersigned is not None and kind == "decision" and outcome == "refuse":
        stamp_countersigned(decision, countersigned, agreed=effective or overturned)
    if overturned:
        decision.report_state = "refused"
    if kind == "decision" and decision.report_state in TOOK_EFFECT:
        assert decision.effect_at is not None
        note_first_decision(case, decision.effect_at)
    s.add(decision)
    await s.flush()
    return decision


async def event(s: AsyncSession, case: VettingCase, action: str, when: dt.datetime) -> None:
    s.add(
        CaseEvent(
            case_id=case.id,
            at=when,
            actor_id=None,
            actor_name="Test Officer",
            action=action,
            detail={},
            policy_id="council-default",
            policy_version="1",
        )
    )
    await s.flush()


async def flagged_entry(s: AsyncSession) -> FlaggedEntry:
    n = next(_n)
    entry = FlaggedEntry(
        kind="person",
        name=f"Invented Flagname {n}",
        aliases=[],
        source="local",
        source_ref=f"T{n}",
        added_by="test",
        list_version=1,
        content_hash=secrets.token_hex(32),
    )
    s.add(entry)
    await s.flush()
    return entry


async def match(
    s: AsyncSession, case: VettingCase, entry_id: UUID, created: dt.datetime, disposition: str = "open"
) -> None:
    s.add(
        ScreeningMatch(
            case_id=case.id,
            subject_kind="person",
            subject_role="speaker",
            query_name="Invented Flagname",
            entry_id=entry_id,
            entry_hash="h" * 64,
            score=91.0,
            matched_name="Invented Flagname",
            explanation="exact",
            list_version=1,
            disposition=disposition,
            created_at=created,
            updated_at=created,
        )
    )
    await s.flush()


async def closure(s: AsyncSession, venue: Venue, first: str, last: str, room: Room | None = None) -> None:
    s.add(
        Closure(
            venue_id=venue.id,
            room_id=room.id if room else None,
            start_date=dt.date.fromisoformat(first),
            end_date=dt.date.fromisoformat(last),
            reason="Invented closure",
        )
    )
    await s.flush()
