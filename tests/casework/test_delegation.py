"""Decisions the partner policy delegates to venue managers (issue 17 item 4): a venue's own
managers decide its delegated tiers by the officers' rules; managers of other venues cannot
reach the case; tiers kept for officers and cases with a screening referral stay with officers;
a manager sees no screening detail beyond what the policy allows. Invented names only."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from api.models import User
from casework.decide import DecisionInput
from casework.input import ApplicationRequest
from casework.manager_cases import manager_case_view, manager_queue
from casework.workflow import Workflow
from policies import Policy
from tests import factories as f
from venues.models import Room
from vetting.actors import Actor
from vetting.case_screening import dispose, matches_for
from vetting.errors import Conflict, Forbidden, Invalid, NotFound
from vetting.flagged import add_entry
from vetting.models import Decision, VettingCase

FLAGGED = "Yevgeny Testarov"


@dataclass
class Delegated:
    maker: async_sessionmaker[AsyncSession]
    room: Room
    other_room: Room
    officer: Actor
    manager: Actor
    manager2: Actor
    other_manager: Actor


@pytest.fixture
async def world(engine: AsyncEngine) -> Delegated:
    maker = async_sessionmaker(engine, expire_on_commit=False)
    async with maker() as s:
        trust = {
            "owner_kind": "partner",
            "owner_name": "Brookfield Test Trust",
            "policy_id": "partner-example",
        }
        venue = await f.make_venue(s, "Brookfield Test Centre", **trust)
        other = await f.make_venue(s, "Ashcombe Test Hall", **trust)
        room = await f.make_room(s, venue, "Garden Room", capacity=80)
        other_room = await f.make_room(s, other, "Barn Room", capacity=80)
        partner = await f.make_provider(s, "Brookfield Test Trust", "partner")
        officer, _ = await f.make_staff(s, "officer", provider=partner)
        manager, _ = await f.make_staff(s, "venue_manager", venue_ids=[venue.id])
        manager2, _ = await f.make_staff(s, "venue_manager", venue_ids=[venue.id])
        other_manager, _ = await f.make_staff(s, "venue_manager", venue_ids=[other.id])
        await add_entry(s, f.ADMIN, kind="person", name=FLAGGED, aliases=[], reason="invented test entry")
        await s.commit()
    return Delegated(maker, room, other_room, officer, manager, manager2, other_manager)


async def _submit(world: Delegated, **kw: Any) -> UUID:
    """A public talk (the partner policy's "public event" tier, decided by venue managers)."""
    start = f.next_weekday(2, weeks_ahead=5, hour=18)
    kw.setdefault("answers", {})
    body = f.application_payload(
        kw.pop("room", world.room).id,
        start,
        open_to_public=True,
        organisation="Brookfield Test Gardeners",
        **kw,
    )
    async with world.maker() as s:
        done = await Workflow(session=s).submit(ApplicationRequest.model_validate(body))
        await s.commit()
    return done.case.id


async def _run(world: Delegated, step: Any) -> Any:
    async with world.maker() as s:
        result = await step(Workflow(session=s))
        await s.commit()
        return result


APPROVE = DecisionInput(
    outcome="approve",
    reason="A well-run local group; the usual conditions.",
    conditions=[{"code": "responsible_person", "text": None, "rationale": "Public event"}],
    # The bundled policy's insurance check stays in review: approving over it takes a reason.
    checks_in_review_confirmed=True,
    checks_in_review_reason="Insurance shown at the venue's desk.",
)
REFUSE = DecisionInput(
    outcome="refuse",
    reason="The lease does not allow ticketed sales events.",
    reason_code="use_not_permitted",
    options_considered="A members-only meeting without sales.",
)


async def test_a_manager_of_the_venue_approves_a_delegated_case_with_a_condition(world: Delegated) -> None:
    case_id = await _submit(world)
    queue = await _run(world, lambda w: manager_queue(w, world.manager))
    assert [c["id"] for c in queue] == [str(case_id)]
    assert queue[0]["tier"] == "public_or_speakers" and not queue[0]["needs_officer"]
    await _run(world, lambda w: w.decide(world.manager, case_id, APPROVE))
    async with world.maker() as s:
        case = await s.get(VettingCase, case_id)
        assert case is not None and case.status == "awaiting_acceptance"
        (decision,) = (await s.execute(select(Decision).where(Decision.case_id == case_id))).scalars()
        assert decision.officer_id == world.manager.id and decision.effective
        assert [c["code"] for c in decision.conditions] == ["responsible_person"]
    assert await _run(world, lambda w: manager_queue(w, world.manager)) == []


async def test_the_same_rules_apply_conditions_from_the_catalogue_and_reasons(world: Delegated) -> None:
    case_id = await _submit(world)
    made_up = DecisionInput(
        outcome="approve", reason="Fine", conditions=[{"code": "bring_cake", "text": None, "rationale": None}]
    )
    with pytest.raises(Invalid, match="condition"):
        await _run(world, lambda w: w.decide(world.manager, case_id, made_up))
    no_ground = DecisionInput(outcome="refuse", reason="No.", options_considered="None")
    with pytest.raises(Invalid) as raised:
        await _run(world, lambda w: w.decide(world.manager, case_id, no_ground))
    assert "reason_code" in raised.value.errors


async def test_a_manager_of_another_venue_cannot_see_or_decide_the_case(world: Delegated) -> None:
    case_id = await _submit(world)
    assert await _run(world, lambda w: manager_queue(w, world.other_manager)) == []
    with pytest.raises(NotFound):
        await _run(world, lambda w: manager_case_view(w, world.other_manager, case_id))
    with pytest.raises(NotFound):
        await _run(world, lambda w: w.decide(world.other_manager, case_id, APPROVE))
    with pytest.raises(NotFound):
        await _run(world, lambda w: w.countersign(world.other_manager, case_id, agree=True))


async def test_a_tier_the_policy_keeps_for_officers_is_not_the_managers(world: Delegated) -> None:
    case_id = await _submit(world, attendance=75, answers={"setup_minutes": 30})  # a public event
    big = await _submit(world, attendance=150, answers={"setup_minutes": 30})  # "enhanced": officers decide
    assert [c["id"] for c in await _run(world, lambda w: manager_queue(w, world.manager))] == [str(case_id)]
    with pytest.raises(Forbidden):
        await _run(world, lambda w: manager_case_view(w, world.manager, big))
    with pytest.raises(Forbidden):
        await _run(world, lambda w: w.decide(world.manager, big, APPROVE))
    await _run(world, lambda w: w.decide(world.officer, big, APPROVE))


async def test_an_open_screening_referral_keeps_the_case_from_managers_until_an_officer_resolves_it(
    world: Delegated,
) -> None:
    case_id = await _submit(world, people=[{"name": FLAGGED, "role": "speaker"}])
    (queued,) = await _run(world, lambda w: manager_queue(w, world.manager))
    assert queued["needs_officer"]
    view = await _run(world, lambda w: manager_case_view(w, world.manager, case_id))
    assert view["referral"] and not view["may_decide"]
    screening = next(c for c in view["checks"] if c["check"] == "screening")
    assert screening["outcome"] == "review"
    assert screening["summary"] == "A possible match needs an officer"
    assert screening.keys() == {"check", "outcome", "summary", "needed"}
    # The flagged entry is nowhere in what the manager is given; the request's own names are.
    shown = json.dumps(view)
    async with world.maker() as s:
        (match,) = await matches_for(s, case_id)
    assert match.matched_name == FLAGGED and match.explanation
    assert match.explanation not in shown and str(match.entry_id) not in shown
    assert f"{match.score}" not in shown
    with pytest.raises(Conflict, match="needs an officer"):
        await _run(world, lambda w: w.decide(world.manager, case_id, APPROVE))
    async with world.maker() as s:
        await dispose(
            s, world.officer, match.id, "cleared", "Different date of birth on the speaker's letter."
        )
        await s.commit()
    view = await _run(world, lambda w: manager_case_view(w, world.manager, case_id))
    assert view["referral"] is None and view["may_decide"]
    assert next(c for c in view["checks"] if c["check"] == "screening")["outcome"] == "pass"
    await _run(world, lambda w: w.decide(world.manager, case_id, APPROVE))


async def test_a_confirmed_match_stays_with_officers(world: Delegated) -> None:
    case_id = await _submit(world, people=[{"name": FLAGGED, "role": "speaker"}])
    async with world.maker() as s:
        (match,) = await matches_for(s, case_id)
        await dispose(s, world.officer, match.id, "confirmed", "Same person: the speaker's letter.")
        await s.commit()
    view = await _run(world, lambda w: manager_case_view(w, world.manager, case_id))
    assert not view["may_decide"]
    assert next(c for c in view["checks"] if c["check"] == "screening")["outcome"] == "fail"
    with pytest.raises(Conflict):
        await _run(world, lambda w: w.decide(world.manager, case_id, REFUSE))


async def test_the_policy_may_let_managers_see_which_submitted_name_a_match_concerns(
    world: Delegated, monkeypatch: pytest.MonkeyPatch
) -> None:
    case_id = await _submit(world, people=[{"name": FLAGGED, "role": "speaker"}])
    import casework.manager_cases as module

    real = module.policy_version

    async def loosened(session: AsyncSession, policy_id: str, version: str) -> Policy:
        policy = await real(session, policy_id, version)
        return policy.model_copy(
            update={
                "delegation": policy.delegation.model_copy(update={"screening_detail": "submitted_names"})
            }
        )

    monkeypatch.setattr(module, "policy_version", loosened)
    view = await _run(world, lambda w: manager_case_view(w, world.manager, case_id))
    screening = next(c for c in view["checks"] if c["check"] == "screening")
    assert screening["summary"] == f"A possible match needs an officer (about: {FLAGGED})"


async def test_a_managers_refusal_needs_a_second_person(world: Delegated) -> None:
    case_id = await _submit(world)
    await _run(world, lambda w: w.decide(world.manager, case_id, REFUSE))
    view = await _run(world, lambda w: manager_case_view(w, world.manager, case_id))
    assert view["pending_refusal"] and view["proposed_by_me"] and not view["may_decide"]
    with pytest.raises(Forbidden, match="different person"):
        await _run(world, lambda w: w.countersign(world.manager, case_id, agree=True))
    await _run(world, lambda w: w.countersign(world.manager2, case_id, agree=True))
    async with world.maker() as s:
        case = await s.get(VettingCase, case_id)
        assert case is not None and case.status == "refused"


async def test_an_officer_may_countersign_a_managers_refusal(world: Delegated) -> None:
    case_id = await _submit(world)
    await _run(world, lambda w: w.decide(world.manager, case_id, REFUSE))
    await _run(world, lambda w: w.countersign(world.officer, case_id, agree=True))
    async with world.maker() as s:
        case = await s.get(VettingCase, case_id)
        assert case is not None and case.status == "refused"


async def test_a_managers_refusal_alerts_the_venues_other_managers_and_the_officers(world: Delegated) -> None:
    from vetting.outbox_models import OutboxMessage

    case_id = await _submit(world)
    await _run(world, lambda w: w.decide(world.manager, case_id, REFUSE))
    async with world.maker() as s:
        emails = dict(
            (await s.execute(select(User.id, User.email))).tuples().all()  # every staff member's address
        )
        alerted = set(
            (
                await s.execute(
                    select(OutboxMessage.to_address).where(
                        OutboxMessage.case_id == case_id, OutboxMessage.template == "alert_countersignature"
                    )
                )
            ).scalars()
        )
    assert alerted == {emails[world.manager2.id], emails[world.officer.id]}
