"""Invented data for bench/reports.py: two councils, the first with 20,000 cases over two years at
8 venues of 5 rooms, the second with 5,000 (so the scope has something to leave out).

Written in bulk with SQLAlchemy core, in the shapes the services write: each case has its
booking and one to four dates (held once approved), decisions (approvals, some with conditions;
refusals, half countersigned and some overturned on appeal; a few cancellations), requests for
information in the history, screening matches with every disposition, and appeals.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
import uuid
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from casework.decision_effect import TOOK_EFFECT, state_when_made, working_days_to
from venues.models import Booking, Closure, Occurrence, Room, Venue
from vetting.models import CaseEvent, Decision, FlaggedEntry, Organisation, VettingCase
from vetting.models import ScreeningMatch as Match
from vetting.providers import Provider

LONDON = ZoneInfo("Europe/London")
END = dt.datetime(2027, 6, 30, 17, tzinfo=dt.UTC)  # the last instant a case may be made
DAYS = 730
ALL_WEEK = {d: [["08:00", "22:00"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
GROUNDS = ("public_safety", "confirmed_legal_bar", "use_not_permitted", "information_not_supplied")


def _row_times(at: dt.datetime) -> dict[str, Any]:
    return {"created_at": at, "updated_at": at}


class Rows:
    """Rows per table, inserted in foreign-key order."""

    ORDER = (
        Provider,
        Venue,
        Room,
        Closure,
        FlaggedEntry,
        Organisation,
        VettingCase,
        Booking,
        Occurrence,
        Decision,
        CaseEvent,
        Match,
    )

    def __init__(self) -> None:
        self.rows: dict[Any, list[dict[str, Any]]] = {m: [] for m in self.ORDER}

    def add(self, model: Any, **values: Any) -> uuid.UUID:
        if model not in (CaseEvent,):
            values.setdefault("id", uuid.uuid4())
        self.rows[model].append(values)
        return values.get("id")  # type: ignore[no-any-return]  # CaseEvent ids come from the database

    async def write(self, maker: async_sessionmaker[AsyncSession]) -> dict[str, int]:
        async with maker() as session, session.begin():
            for model in self.ORDER:
                rows = self.rows[model]
                for i in range(0, len(rows), 2000):
                    await session.execute(insert(model), rows[i : i + 2000])
        return {m.__tablename__: len(r) for m, r in self.rows.items()}


def _council(rows: Rows, rng: random.Random, name: str, slug: str, cases: int) -> uuid.UUID:
    provider = rows.add(
        Provider,
        slug=slug,
        name=name,
        kind="unitary_council",
        policy_ids=[],
        message_templates={},
        active=True,
        **_row_times(END),
    )
    rooms: list[tuple[uuid.UUID, uuid.UUID]] = []
    for v in range(8):
        venue = rows.add(
            Venue,
            name=f"{name} Venue {v + 1}",
            provider_id=provider,
            owner_kind="council",
            owner_name=name,
            address=f"{v + 1} Bench Street",
            timezone="Europe/London",
            policy_id="council-default",
            bank_holidays_region="ENG",
            **_row_times(END),
        )
        rows.add(
            Closure,
            venue_id=venue,
            room_id=None,
            start_date=dt.date(2026, 12, 24),
            end_date=dt.date(2026, 12, 27),
            reason="Christmas",
            **_row_times(END),
        )
        for r in range(5):
            room = rows.add(
                Room,
                venue_id=venue,
                name=f"Room {r + 1}",
                capacity=40,
                accessibility=[],
                opening_hours=ALL_WEEK,
                buffer_before_minutes=0,
                buffer_after_minutes=0,
                active=True,
                **_row_times(END),
            )
            rooms.append((venue, room))
    entries = [
        rows.add(
            FlaggedEntry,
            kind="person",
            name=f"Invented Flagname {slug} {i}",
            aliases=[],
            provider_id=None,
            source="local",
            source_ref=f"{slug}-{i}",
            added_by="bench",
            active=True,
            list_version=1,
            content_hash=secrets.token_hex(32),
            **_row_times(END),
        )
        for i in range(20)
    ]
    organisations = [
        rows.add(
            Organisation, provider_id=provider, name=f"Bench Group {slug} {i}", type="club", **_row_times(END)
        )
        for i in range(500)
    ]
    for n in range(cases):
        _case(rows, rng, provider, slug, n, rng.choice(rooms)[1], rng.choice(organisations), entries)
    return provider


def _case(
    rows: Rows,
    rng: random.Random,
    provider: uuid.UUID,
    slug: str,
    n: int,
    room: uuid.UUID,
    organisation: uuid.UUID,
    entries: list[uuid.UUID],
) -> None:
    made = END - dt.timedelta(days=rng.uniform(0, DAYS))
    first = (
        (made + dt.timedelta(days=rng.randint(10, 60)))
        .astimezone(LONDON)
        .replace(minute=0, second=0, microsecond=0, hour=rng.choice((9, 13, 18, 19)))
    )
    roll = rng.random()
    decided = made + dt.timedelta(days=rng.uniform(0.5, 25))
    status, decisions = "under_review", []
    if decided > END or roll < 0.08:
        pass  # not decided yet
    elif roll < 0.70:
        status = "confirmed" if roll < 0.60 else "awaiting_acceptance"
        conditions = [{"code": "stewards", "text": "Two stewards", "rationale": None}] if roll >= 0.50 else []
        decisions.append(
            {"kind": "decision", "outcome": "approve", "conditions": conditions, "decided_at": decided}
        )
        if roll < 0.62 and roll >= 0.60:
            status = "cancelled"
            decisions.append(
                {
                    "kind": "cancellation",
                    "outcome": "cancel",
                    "reason_code": rng.choice(GROUNDS),
                    "decided_at": decided + dt.timedelta(days=3),
                }
            )
    elif roll < 0.85:
        status = "refused"
        signed = decided + dt.timedelta(days=1) if roll < 0.78 else None
        decisions.append(
            {
                "kind": "decision",
                "outcome": "refuse",
                "reason_code": rng.choice(GROUNDS),
                "decided_at": decided,
                "countersigned_at": signed,
                "effective": True,
            }
        )
        if roll < 0.72:
            appeal_at = decided + dt.timedelta(days=5)
            outcome = rng.choice(("pending", "upheld", "varied", "dismissed"))
            if outcome in ("upheld", "varied"):
                decisions[-1]["effective"] = False
                decisions[-1]["overturned"] = True
                status = "under_review" if outcome == "upheld" else "awaiting_acceptance"
            decisions.append(
                {
                    "kind": "appeal",
                    "outcome": outcome,
                    "decided_at": appeal_at + dt.timedelta(days=4),
                    "created_at": appeal_at,
                    "effective": outcome != "pending",
                }
            )
    elif roll < 0.92:
        decisions.append(
            {
                "kind": "decision",
                "outcome": "refuse",
                "reason_code": rng.choice(GROUNDS),
                "decided_at": decided,
                "effective": False,
            }
        )  # waiting for a second officer
    else:
        status = "withdrawn"
    # Stamped as the services stamp them (casework/decision_effect.py): when each decision counts
    # and as what, and the case's first decision to take effect with its working days.
    first_at: dt.datetime | None = None
    for d in decisions:
        state = state_when_made(d["kind"], d["outcome"], d.get("conditions"), d.get("effective", True))
        signed_at = d.get("countersigned_at")
        if d.pop("overturned", False):
            state = "refused"  # it took effect, then an appeal overturned it
        if state is not None:
            d["effect_at"] = signed_at if d["outcome"] == "refuse" and signed_at else d["decided_at"]
            d["report_state"] = state
            if d["kind"] == "decision" and state in TOOK_EFFECT:
                first_at = d["effect_at"] if first_at is None else min(first_at, d["effect_at"])
    case = rows.add(
        VettingCase,
        reference=f"VH-{slug[:4]}-{n:06d}",
        status=status,
        provider_id=provider,
        organisation_id=organisation,
        organisation_name="Bench Group",
        organisation_submitted={"name": "Bench Group"},
        organisation_link="new",
        contact={},
        people=[],
        event={"title": "Bench event"},
        declarations=[],
        answers={},
        policy_id="council-default",
        policy_version="1",
        tier="standard",
        target_date=None,
        first_start=first.astimezone(dt.UTC),
        checks=[],
        applicant_token_hash=secrets.token_hex(32),
        revision=1,
        first_decision_at=first_at,
        decision_working_days=None if first_at is None else working_days_to(made, first_at),
        **_row_times(made),
    )
    booking = rows.add(
        Booking,
        case_id=case,
        room_id=room,
        rrule=None,
        uid=f"{uuid.uuid4().hex}@bench",
        sequence=0,
        changed_at=made,
        **_row_times(made),
    )
    held = status in ("confirmed", "awaiting_acceptance")
    for seq in range(rng.randint(1, 4)):
        local = first.replace(tzinfo=None) + dt.timedelta(weeks=seq)
        start = local.replace(tzinfo=LONDON).astimezone(dt.UTC)
        hours = rng.choice((1.0, 2.0, 3.0))
        rows.add(
            Occurrence,
            booking_id=booking,
            room_id=room,
            seq=seq,
            start_utc=start,
            end_utc=start + dt.timedelta(hours=hours),
            local_start=local,
            local_end=local + dt.timedelta(hours=hours),
            status="held" if held else "requested",
            original_start_utc=None,
            **_row_times(made),
        )
    for d in decisions:
        values = {
            "reason": "Bench reason",
            "reason_code": None,
            "conditions": [],
            "options_considered": None,
            "officer_id": None,
            "officer_name": "Bench Officer",
            "policy_id": "council-default",
            "policy_version": "1",
            "countersigned_by_id": None,
            "countersigned_by_name": None,
            "countersigned_at": None,
            "effective": True,
            "effect_at": None,
            "report_state": None,
        } | d
        values.setdefault("created_at", values["decided_at"])
        values["updated_at"] = values["created_at"]
        rows.add(Decision, case_id=case, provider_id=provider, **values)
    if rng.random() < 0.10:
        rows.add(
            CaseEvent,
            case_id=case,
            at=made + dt.timedelta(days=2),
            actor_id=None,
            actor_name="Bench Officer",
            action="request_information",
            detail={},
            policy_id="council-default",
            policy_version="1",
        )
    if rng.random() < 0.06:
        disposition = rng.choice(("open", "cleared", "cleared", "possible", "confirmed"))
        rows.add(
            Match,
            case_id=case,
            subject_kind="person",
            subject_role="speaker",
            query_name="Invented",
            entry_id=rng.choice(entries),
            entry_hash="h" * 64,
            score=90.0,
            matched_name="Invented",
            explanation="exact",
            list_version=1,
            disposition=disposition,
            **_row_times(made),
        )


def build(cases: int, other_cases: int, seed: int = 17) -> tuple[Rows, dict[str, uuid.UUID]]:
    rng = random.Random(seed)
    rows = Rows()
    ours = _council(rows, rng, "Benchshire Council", "benchshire", cases)
    theirs = _council(rows, rng, "Otherbench Council", "otherbench", other_cases)
    return rows, {"ours": ours, "theirs": theirs}
