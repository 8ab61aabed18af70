"""A hypothesis state machine over the whole booking workflow, on a real (SQLite) database.

Rules submit requests (some naming people close to flagged entries, so they are referred),
dispose of referrals, decide (approve, approve with conditions, refuse, ask for information),
countersign, answer, accept, withdraw, cancel, appeal and decide appeals, in any order and by
any of three officers. Each rule runs in its own transaction, as a request would, and a domain
refusal rolls it back. After every step the invariants are checked against the database.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
import shutil
import tempfile
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, invariant, rule, run_state_machine_as_test
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from api.db.engine import create_engine
from casework.input import ApplicationRequest
from casework.workflow import DecisionInput, Workflow
from policies import bundled_policy
from tests import factories as f
from venues.models import Booking, Occurrence, OccurrenceHold
from vetting.actors import Actor
from vetting.case_screening import dispose, open_referrals
from vetting.errors import DomainError
from vetting.flagged import add_entry
from vetting.lifecycle import HOLDING_STATUSES, STATUSES
from vetting.models import Decision, ScreeningMatch, VettingCase

T = TypeVar("T")
OFFICERS = [Actor(id=uuid.uuid4(), name=f"Officer {n}", role="officer") for n in "ABC"]
FLAGGED = ["Borislav Testanov", "Marguerite Testeaux"]
# One speaker in three is close to a flagged entry, so some requests are referred.
SPEAKERS = [
    "Borislav Testanoff",
    "Alwyn Plainname",
    "Hesper Ordinary",
    "Margeurite Testeaux",
    "Idris Usual",
    "Wen Common",
]
POLICY = bundled_policy("council-default")
GROUNDS = sorted(g.code for g in POLICY.refusal_grounds)
SLOTS = [(weeks, hour) for weeks in (4, 5) for hour in (18, 19)]
ACTIONS = (
    ["decide"] * 6
    + ["dispose"] * 3
    + ["countersign"] * 3
    + ["accept"] * 3
    + ["provide_information"] * 2
    + ["appeal"] * 2
    + ["decide_appeal"] * 3
    + ["withdraw", "cancel"]
)


class BookingWorkflow(RuleBasedStateMachine):
    template: Path

    cases = Bundle("cases")

    def __init__(self) -> None:
        super().__init__()
        self.loop = asyncio.new_event_loop()
        self.directory = Path(tempfile.mkdtemp(prefix="vh-sm-"))
        database = self.directory / "db.sqlite3"
        shutil.copyfile(self.template, database)
        self.engine: AsyncEngine = create_engine(f"sqlite+aiosqlite:///{database}")
        self.maker = async_sessionmaker(self.engine, expire_on_commit=False)
        rooms = self.run(self._seed)
        assert rooms is not None
        self.rooms: list[Any] = rooms
        self.tokens: dict[uuid.UUID, str] = {}
        self.decided_with_open_referral: list[str] = []

    # ------------------------------------------------------------------ plumbing

    def run(self, work: Callable[[AsyncSession], Awaitable[T]]) -> T | None:
        """One transaction: commit on success, roll back on a domain refusal (returns None)."""

        async def go() -> T | None:
            async with self.maker() as session:
                try:
                    result = await work(session)
                except DomainError:
                    await session.rollback()
                    return None
                await session.commit()
                return result

        return self.loop.run_until_complete(go())

    async def _seed(self, s: AsyncSession) -> list[Any]:
        venue = await f.make_venue(s, "Statemachine Hall")
        hall_a = await f.make_room(s, venue, "Hall A", capacity=60, buffer_after=15)
        hall_b = await f.make_room(s, venue, "Hall B", capacity=60)
        main = await f.make_room(s, venue, "Main Hall", capacity=150, parts=[hall_a.id, hall_b.id])
        for name in FLAGGED:
            await add_entry(
                s, OFFICERS[0], kind="person", name=name, aliases=[], source="local", reason="invented"
            )
        return [hall_a.id, hall_b.id, main.id]

    def teardown(self) -> None:
        self.loop.run_until_complete(self.engine.dispose())
        self.loop.close()
        shutil.rmtree(self.directory, ignore_errors=True)

    # ------------------------------------------------------------------ rules

    @rule(
        target=cases,
        room=st.integers(0, 2),
        slot=st.sampled_from(SLOTS),
        weekly=st.sampled_from([None, 2, 3]),
        speaker=st.sampled_from(SPEAKERS),
    )
    def submit(self, room: int, slot: tuple[int, int], weekly: int | None, speaker: str) -> Any:
        weeks, hour = slot
        body = f.application_payload(
            self.rooms[room],
            f.next_weekday(1, weeks_ahead=weeks, hour=hour),
            hours=1.5,
            rrule=f"FREQ=WEEKLY;COUNT={weekly}" if weekly else None,
            people=[{"name": speaker, "role": "speaker"}],
        )

        async def work(s: AsyncSession) -> Any:
            submitted = await Workflow(s).submit(ApplicationRequest.model_validate(body))
            return submitted.case.id, submitted.applicant_token

        result = self.run(work)
        if result is None:
            return None
        case_id, token = result
        self.tokens[case_id] = token
        return case_id

    def dispose_referrals(self, case: Any, disposition: str, officer: int) -> None:
        if case is None:
            return

        async def work(s: AsyncSession) -> None:
            matches = (
                await s.execute(select(ScreeningMatch).where(ScreeningMatch.case_id == case))
            ).scalars()
            for m in list(matches):
                if m.disposition == "open":
                    await dispose(s, OFFICERS[officer], m.id, disposition, "checked date of birth")

        self.run(work)

    def decide(self, case: Any, officer: int, outcome: str) -> None:
        if case is None:
            return
        data = {
            "approve": DecisionInput(
                "approve", "fine", checks_in_review_confirmed=True, checks_in_review_reason="seen"
            ),
            "approve_conditions": DecisionInput(
                "approve",
                "fine",
                conditions=[{"code": "responsible_person", "text": None, "rationale": "first"}],
                checks_in_review_confirmed=True,
                checks_in_review_reason="seen",
            ),
            "refuse": DecisionInput(
                "refuse", "not permitted", reason_code=GROUNDS[0], options_considered="dates"
            ),
            "refuse_bad_ground": DecisionInput(
                "refuse", "dislike", reason_code="viewpoint", options_considered="x"
            ),
            "request_information": DecisionInput("request_information", "send insurance"),
        }[outcome]

        async def work(s: AsyncSession) -> bool:
            open_before = await open_referrals(s, case)
            await Workflow(s).decide(OFFICERS[officer], case, data)
            return open_before > 0

        if self.run(work):
            self.decided_with_open_referral.append(str(case))

    def countersign(self, case: Any, officer: int, agree: bool) -> None:
        if case is not None:
            self.run(lambda s: Workflow(s).countersign(OFFICERS[officer], case, agree=agree))

    def provide_information(self, case: Any) -> None:
        if case is not None:
            self.run(lambda s: Workflow(s).provide_information(self.tokens[case], "attached"))

    def accept(self, case: Any) -> None:
        if case is not None:
            self.run(lambda s: Workflow(s).accept_conditions(self.tokens[case]))

    def withdraw(self, case: Any) -> None:
        if case is not None:
            self.run(lambda s: Workflow(s).withdraw(self.tokens[case]))

    def cancel(self, case: Any, officer: int, good_ground: bool) -> None:
        if case is not None:
            ground = GROUNDS[-1] if good_ground else "viewpoint"
            self.run(lambda s: Workflow(s).cancel(OFFICERS[officer], case, ground, "the hall is needed"))

    def appeal(self, case: Any) -> None:
        if case is not None:
            self.run(lambda s: Workflow(s).appeal(self.tokens[case], "we disagree"))

    def decide_appeal(self, case: Any, officer: int, outcome: str) -> None:
        if case is None:
            return
        conditions = [{"code": "stewarding", "text": None, "rationale": "large event"}]
        self.run(
            lambda s: Workflow(s).decide_appeal(OFFICERS[officer], case, outcome, "reconsidered", conditions)
        )

    @rule(
        case=cases,
        action=st.sampled_from(ACTIONS),
        officer=st.integers(0, 2),
        choice=st.integers(0, 4),
    )
    def act(self, case: Any, action: str, officer: int, choice: int) -> None:
        """One step on a case: usually one that fits its state (so cases get deep), sometimes any."""
        if case is None:
            return
        if choice < 3:
            fitting = self._fitting_actions(case)
            action = fitting[(officer + choice) % len(fitting)]
        if action == "dispose":
            self.dispose_referrals(
                case, ("cleared", "cleared", "possible", "confirmed", "cleared")[choice], officer
            )
        elif action == "decide":
            outcomes = ("approve", "approve_conditions", "refuse", "refuse_bad_ground", "request_information")
            self.decide(case, officer, outcomes[choice])
        elif action == "countersign":
            self.countersign(case, officer, choice != 0)
        elif action == "cancel":
            self.cancel(case, officer, choice != 0)
        elif action == "decide_appeal":
            outcomes = ("upheld", "varied", "dismissed", "reapproved", "reapproved")
            self.decide_appeal(case, officer, outcomes[choice])
        else:
            getattr(self, action)(case)

    def _fitting_actions(self, case: Any) -> list[str]:
        async def read(s: AsyncSession) -> tuple[str, int, bool, bool]:
            row = await s.get(VettingCase, case)
            assert row is not None
            decisions = list((await s.execute(select(Decision).where(Decision.case_id == case))).scalars())
            pending_refusal = any(
                d.kind == "decision"
                and d.outcome == "refuse"
                and not d.effective
                and d.countersigned_at is None
                for d in decisions
            )
            appealed = any(d.kind == "appeal" for d in decisions)
            return row.status, await open_referrals(s, case), pending_refusal, appealed

        found = self.run(read)
        assert found is not None
        status, referrals, pending_refusal, appealed = found
        if status in ("under_review", "awaiting_information"):
            if referrals:
                return ["dispose", "dispose", "decide"]  # deciding now must be refused
            if pending_refusal:
                return ["countersign"]
            return [
                "decide",
                "decide",
                "decide",
                "provide_information" if status != "under_review" else "decide",
            ]
        return {
            "awaiting_acceptance": ["accept", "accept", "withdraw", "cancel"],
            "confirmed": ["cancel", "withdraw", "decide"],
            "refused": ["decide_appeal", "decide_appeal"] if appealed else ["appeal"],
        }.get(status, ["withdraw", "decide", "appeal"])

    # Hypothesis picks among rules evenly; three doors into `act` make steps on existing cases
    # three times as likely as new requests, so cases get far enough to be decided and appealed.
    act_again = act
    act_once_more = act

    # ------------------------------------------------------------------ invariants

    def _snapshot(self) -> dict[str, Any]:
        async def read(s: AsyncSession) -> dict[str, Any]:
            return {
                "cases": list((await s.execute(select(VettingCase))).scalars()),
                "decisions": list(
                    (await s.execute(select(Decision).order_by(Decision.decided_at))).scalars()
                ),
                "holds": list((await s.execute(select(OccurrenceHold))).scalars()),
                "held": (
                    await s.execute(
                        select(Booking.case_id, Occurrence.status).join(
                            Occurrence, Occurrence.booking_id == Booking.id
                        )
                    )
                ).all(),
                "hold_cases": (
                    await s.execute(
                        select(Booking.case_id)
                        .join(Occurrence, Occurrence.booking_id == Booking.id)
                        .join(OccurrenceHold, OccurrenceHold.occurrence_id == Occurrence.id)
                    )
                )
                .scalars()
                .all(),
            }

        snapshot = self.run(read)
        assert snapshot is not None
        return snapshot

    @invariant()
    def the_workflow_rules_hold(self) -> None:
        snap = self._snapshot()
        by_case: dict[Any, list[Decision]] = {}
        for d in snap["decisions"]:
            by_case.setdefault(d.case_id, []).append(d)
        status = {c.id: c.status for c in snap["cases"]}
        for case in snap["cases"]:
            assert case.status in STATUSES
            effective = [
                d for d in by_case.get(case.id, []) if d.effective and d.kind in ("decision", "cancellation")
            ]
            if case.status in ("confirmed", "awaiting_acceptance"):
                assert effective and effective[-1].outcome == "approve", (case.status, effective)
            if case.status == "refused":
                assert effective and effective[-1].outcome == "refuse"
                refusal = effective[-1]
                assert refusal.reason_code in GROUNDS
                if POLICY.countersign_refusals:
                    assert refusal.countersigned_by_id is not None
                    assert refusal.countersigned_by_id != refusal.officer_id
        assert self.decided_with_open_referral == []
        for case_id, occ_status in snap["held"]:
            if occ_status == "held":
                assert status[case_id] in HOLDING_STATUSES, (status[case_id], occ_status)
        for case_id in snap["hold_cases"]:
            assert status[case_id] in HOLDING_STATUSES
        by_unit: dict[Any, list[tuple[dt.datetime, dt.datetime]]] = {}
        for h in snap["holds"]:
            by_unit.setdefault(h.unit_id, []).append((h.held_from, h.held_to))
        for unit, spans in by_unit.items():
            spans.sort()
            for (_, end), (start, _) in itertools.pairwise(spans):
                assert end <= start, f"two held slots of {unit} overlap"


@pytest.mark.slow
def test_booking_workflow_state_machine(sqlite_template: Path) -> None:
    BookingWorkflow.template = sqlite_template
    run_state_machine_as_test(
        BookingWorkflow,
        settings=settings(
            max_examples=25,
            stateful_step_count=30,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        ),
    )
