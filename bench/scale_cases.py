"""One generated case of bench/scale_data.py with everything it has: booking, dates and holds,
decisions, history, a screening match for some, its messages and audit records."""

from __future__ import annotations

import datetime as dt
import random
import secrets
import uuid
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from scale_parts import AuditChain, NameMaker, bulk_insert
from sqlalchemy.ext.asyncio import AsyncSession

from api.models import AuditRecord
from venues.models import Booking, Occurrence, OccurrenceHold
from vetting.models import CaseEvent, Decision, ScreeningMatch, VettingCase
from vetting.outbox_models import OutboxMessage

LONDON = ZoneInfo("Europe/London")
OFFICERS = 24
SLOTS = ((9, 2), (13, 2), (16, 2), (19, 2))  # local start hour and length: four slots a day
SERIES = ((1, 35), (4, 25), (12, 22), (26, 12), (52, 6))  # dates in a series, weight: about 10
GROUNDS = ("public_safety", "confirmed_legal_bar", "use_not_permitted", "information_not_supplied")
HELD = ("confirmed", "awaiting_acceptance")


@dataclass
class World:
    """What every chunk of cases draws on."""

    provider: uuid.UUID
    template: dict[str, Any]
    rooms: list[uuid.UUID]
    officers: list[tuple[uuid.UUID, str]]
    organisations: list[tuple[uuid.UUID, str]]
    entries: list[tuple[uuid.UUID, str]]
    audit: AuditChain
    used: set[tuple[int, int, int]] = field(default_factory=set)
    counts: dict[str, int] = field(default_factory=dict)


class Batch:
    """Rows of one chunk per model, written in foreign-key order."""

    ORDER: tuple[Any, ...] = (
        VettingCase,
        Booking,
        Occurrence,
        OccurrenceHold,
        Decision,
        CaseEvent,
        ScreeningMatch,
        OutboxMessage,
        AuditRecord,
    )

    def __init__(self) -> None:
        self.rows: dict[Any, list[dict[str, Any]]] = {m: [] for m in self.ORDER}

    def add(self, model: Any, **values: Any) -> Any:
        if model not in (CaseEvent, AuditRecord):
            values.setdefault("id", uuid.uuid4())
        self.rows[model].append(values)
        return values.get("id")  # None for the big-integer ids, which the database assigns

    async def write(self, session: AsyncSession, counts: dict[str, int]) -> None:
        for model in self.ORDER:
            rows = self.rows[model]
            await bulk_insert(session, model, rows)
            counts[model.__tablename__] = counts.get(model.__tablename__, 0) + len(rows)


def _times(at: dt.datetime) -> dict[str, Any]:
    return {"created_at": at, "updated_at": at}


def _series(
    world: World, rng: random.Random, first_day: dt.date
) -> tuple[int, list[tuple[dt.datetime, int]]]:
    """A room and the dates of a weekly series in one free slot: (room index, [(local start, hours)]).

    The first date must be free (up to 50 rooms and slots are tried); a later week that is taken
    or closed is left out, as an officer would cancel that one date.
    """
    length = rng.choices([n for n, _ in SERIES], weights=[w for _, w in SERIES])[0]
    while first_day.month == 12 and 24 <= first_day.day <= 27:
        first_day += dt.timedelta(days=1)
    for _ in range(50):
        room, slot = rng.randrange(len(world.rooms)), rng.randrange(len(SLOTS))
        if (room, first_day.toordinal(), slot) not in world.used:
            break
    else:
        return 0, []
    hour, hours = SLOTS[slot]
    dates: list[tuple[dt.datetime, int]] = []
    for week in range(length):
        day = first_day + dt.timedelta(weeks=week)
        key = (room, day.toordinal(), slot)
        if key in world.used or (day.month == 12 and 24 <= day.day <= 27):
            continue
        world.used.add(key)
        dates.append((dt.datetime(day.year, day.month, day.day, hour), hours))
    return room, dates


def _decisions(
    rng: random.Random, decided: dt.datetime, now: dt.datetime
) -> tuple[str, list[dict[str, Any]]]:
    roll = rng.random()
    if decided > now or roll < 0.06:
        return "under_review", []
    approve = {"kind": "decision", "outcome": "approve", "conditions": [], "decided_at": decided}
    if roll < 0.72:
        if roll >= 0.55:
            approve["conditions"] = [{"code": "stewards", "text": "Two stewards", "rationale": None}]
        status = "confirmed" if roll < 0.66 else "awaiting_acceptance"
        if roll < 0.08:
            cancel = {"kind": "cancellation", "outcome": "cancel", "reason_code": rng.choice(GROUNDS)}
            return "cancelled", [approve, cancel | {"decided_at": decided + dt.timedelta(days=3)}]
        return status, [approve]
    if roll < 0.86:
        refusal = {
            "kind": "decision",
            "outcome": "refuse",
            "reason_code": rng.choice(GROUNDS),
            "decided_at": decided,
            "countersigned_at": decided + dt.timedelta(days=1),
        }
        return "refused", [refusal]
    if roll < 0.92:
        return "awaiting_information", []
    return "withdrawn", []


def add_case(
    world: World,
    batch: Batch,
    rng: random.Random,
    names: NameMaker,
    n: int,
    made: dt.datetime,
    now: dt.datetime,
) -> None:
    first_day = (made + dt.timedelta(days=rng.randint(10, 60))).astimezone(LONDON).date()
    room, dates = _series(world, rng, first_day)
    if not dates:
        return
    decided = made + dt.timedelta(days=rng.uniform(0.5, 20))
    status, decisions = _decisions(rng, decided, now)
    org_id, org_name = rng.choice(world.organisations)
    contact_name = names.person()
    template = world.template
    people = [dict(p, name=names.person()) for p in template["people"]]
    first_start = dates[0][0].replace(tzinfo=LONDON).astimezone(dt.UTC)
    case = batch.add(
        VettingCase,
        reference=f"VH-S{n:07d}",
        status=status,
        provider_id=world.provider,
        organisation_id=org_id,
        organisation_name=org_name,
        organisation_submitted=dict(template["organisation_submitted"], name=org_name),
        organisation_link="new",
        contact=dict(template["contact"], name=contact_name, email=f"hirer{n}@groups.example"),
        people=people,
        event=template["event"],
        declarations=template["declarations"],
        answers=template["answers"],
        checks=template["checks"],
        policy_id=template["policy_id"],
        policy_version=template["policy_version"],
        tier=template["tier"],
        target_date=(made + dt.timedelta(days=14)).date(),
        first_start=first_start,
        applicant_token_hash=secrets.token_hex(32),
        revision=1 + len(decisions),
        **_times(made),
    )
    booking = batch.add(
        Booking,
        case_id=case,
        room_id=world.rooms[room],
        rrule=None,
        uid=f"{uuid.uuid4().hex}@scale",
        sequence=0,
        changed_at=made,
        **_times(made),
    )
    held = status in HELD
    for seq, (local, hours) in enumerate(dates):
        start = local.replace(tzinfo=LONDON).astimezone(dt.UTC)
        end = start + dt.timedelta(hours=hours)
        occurrence = batch.add(
            Occurrence,
            booking_id=booking,
            # As the app writes every date (venues.models._room_of_booking): bulk inserts bypass
            # that hook, and the reports and feeds read dates by room.
            room_id=world.rooms[room],
            seq=seq,
            start_utc=start,
            end_utc=end,
            local_start=local,
            local_end=local + dt.timedelta(hours=hours),
            status="held" if held else "requested",
            original_start_utc=None,
            **_times(made),
        )
        if held:
            batch.add(
                OccurrenceHold,
                occurrence_id=occurrence,
                unit_id=world.rooms[room],
                held_from=start,
                held_to=end,
            )
    officer_id, officer_name = rng.choice(world.officers)
    base = {"policy_id": template["policy_id"], "policy_version": template["policy_version"]}
    events: list[tuple[dt.datetime, uuid.UUID | None, str, str]] = [
        (made, None, "hirer", "submitted"),
        (made, None, "system", "screened"),
    ]
    for d in decisions:
        values = {
            "reason": "Decided on the checks",
            "reason_code": None,
            "conditions": [],
            "options_considered": None,
            "officer_id": officer_id,
            "officer_name": officer_name,
            "countersigned_by_id": None,
            "countersigned_by_name": None,
            "countersigned_at": None,
            "effective": True,
            **base,
        } | d
        batch.add(Decision, case_id=case, **values, **_times(values["decided_at"]))
        events.append((values["decided_at"], officer_id, officer_name, f"decided_{d['outcome']}"))
    for at, actor_id, actor_name, action in events:
        batch.add(
            CaseEvent,
            case_id=case,
            at=at,
            actor_id=actor_id,
            actor_name=actor_name,
            action=action,
            detail={},
            **base,
        )
    if rng.random() < 0.05:
        entry_id, entry_name = rng.choice(world.entries)
        disposition = rng.choice(("open", "cleared", "cleared", "possible")) if decisions else "open"
        batch.add(
            ScreeningMatch,
            case_id=case,
            subject_kind="person",
            subject_role="speaker",
            query_name=people[-1]["name"],
            entry_id=entry_id,
            entry_hash="h" * 64,
            score=91.0,
            matched_name=entry_name,
            explanation="similar spelling",
            list_version=1,
            disposition=disposition,
            **_times(made),
        )
    messages = [("receipt", "hirer", f"hirer{n}@groups.example", made)]
    messages += [("new_request", "staff", f"staff{OFFICERS + i}@scaleshire.example", made) for i in range(2)]
    messages += [
        (f"decision_{d['outcome']}", "hirer", f"hirer{n}@groups.example", d["decided_at"]) for d in decisions
    ]
    for template_name, audience, address, at in messages:
        batch.add(
            OutboxMessage,
            provider_id=world.provider,
            case_id=case,
            to_address=address,
            subject=f"Booking request VH-S{n:07d}",
            body="(generated)",
            html=None,
            channel="email",
            template=template_name,
            audience=audience,
            dedupe_key=None,
            status="sent",
            attempts=1,
            next_attempt_at=at,
            sent_at=at,
            **_times(at),
        )
    for at, actor_id, _name, action in events[2:]:
        for what in ("view", action):
            batch.add(
                AuditRecord,
                **world.audit.row(at, f"officer:{actor_id}", what, "case", str(case), world.provider),
            )
