"""Each staff alert goes to the right people and to no one else (other councils' staff, the
officer who proposed a refusal), over a real SMTP server."""

from __future__ import annotations

from typing import Any

from casework.workflow import DecisionInput
from tests import factories as f
from tests.casework.alerts_world import (
    APPROVE_WITH_CONDITIONS,
    BASE,
    Post,
    World,
    decide,
    refuse,
    submit,
    workflow,
)


def _everyone(world: World) -> list[str]:
    return [
        world.email(a)
        for a in (world.officer, world.officer2, world.manager, world.other_officer, world.other_manager)
    ]


async def _who_got(world: World, post: Post, subject: str) -> set[str]:
    inbox = await post.delivered()
    return {address for address in _everyone(world) if inbox.to(address, subject)}


async def test_a_new_request_goes_to_the_venue_owners_officers_only(world: World, post: Post) -> None:
    case_id, _ = await submit(world, post.mailer)
    got = await _who_got(world, post, "New booking request")
    assert got == {world.email(world.officer), world.email(world.officer2)}
    (mail,) = post.inbox.to(world.email(world.officer), "New booking request")
    assert f"{BASE}/officer/cases/{case_id}" in mail.get_content()
    assert "Long Room, Testtown Hall" in mail.get_content()


async def test_a_delegated_tier_goes_to_the_venues_managers(world: World, post: Post) -> None:
    async with world.maker() as s:
        venue = await f.make_venue(
            s,
            "Millbrook Hall",
            owner_kind="partner",
            owner_name="Millbrook Halls Trust",
            policy_id="partner-example",
        )
        room = await f.make_room(s, venue, "Garden Room")
        partner = await f.make_provider(s, "Millbrook Halls Trust", "partner")
        _partner_officer, _ = await f.make_staff(
            s, "officer", provider=partner, email="duty@millbrook.example"
        )
        _manager, _ = await f.make_staff(
            s, "venue_manager", venue_ids=[venue.id], email="keys@millbrook.example"
        )
        await s.commit()
    await submit(world, post.mailer, room=room)
    inbox = await post.delivered()
    (mail,) = inbox.to("keys@millbrook.example", "New booking request")
    # The managers decide it: the mail links to their page of the case.
    assert f"{BASE}/manager/cases/" in mail.get_content()
    # The partner-example policy leaves its standard tier to the venue's managers.
    assert inbox.to("duty@millbrook.example", "New booking request") == []
    assert not any(inbox.to(a, "New booking request") for a in _everyone(world))


async def test_a_refusal_waiting_for_countersignature_goes_to_the_other_officers(
    world: World, post: Post
) -> None:
    case_id, _ = await submit(world, post.mailer)
    await decide(world, post.mailer, world.officer, case_id, refuse())
    got = await _who_got(world, post, "awaits your countersignature")
    assert got == {world.email(world.officer2)}
    (mail,) = post.inbox.to(world.email(world.officer2), "countersignature")
    assert world.officer.name in mail.get_content()
    assert f"/officer/cases/{case_id}" in mail.get_content()


async def test_information_received_and_appeal_lodged(world: World, post: Post) -> None:
    case_id, token = await submit(world, post.mailer)
    await decide(
        world, post.mailer, world.officer, case_id, DecisionInput("request_information", "Who will chair?")
    )
    async with world.maker() as s:
        await workflow(s, post.mailer).provide_information(token, "Our secretary will chair.")
        await s.commit()
    assert await _who_got(world, post, "Information received") == {
        world.email(world.officer),
        world.email(world.officer2),
    }

    await decide(world, post.mailer, world.officer, case_id, refuse())
    async with world.maker() as s:
        await workflow(s, post.mailer).countersign(world.officer2, case_id, agree=True)
        await s.commit()
    async with world.maker() as s:
        await workflow(s, post.mailer).appeal(token, "The numbers are well within the capacity.")
        await s.commit()
    assert await _who_got(world, post, "Appeal lodged") == {
        world.email(world.officer),
        world.email(world.officer2),
    }


async def test_a_held_booking_cancelled_or_moved_goes_to_the_venues_managers(
    world: World, post: Post
) -> None:
    case_id, token = await submit(world, post.mailer, rrule="FREQ=WEEKLY;COUNT=3")
    await decide(world, post.mailer, world.officer, case_id, APPROVE_WITH_CONDITIONS)
    async with world.maker() as s:
        w = workflow(s, post.mailer)
        await w.accept_conditions(token)
        booking = await w.bookings.booking_for_case(case_id)
        first, second, _third = await w.bookings.occurrences(booking.id)
        await s.commit()
    async with world.maker() as s:
        await workflow(s, post.mailer).cancel_date(world.officer, case_id, first.id, reason="Roof repairs.")
        await s.commit()
    moved_start = second.start_utc.replace(hour=second.start_utc.hour - 1)
    async with world.maker() as s:
        await workflow(s, post.mailer).move_date(
            world.officer,
            case_id,
            second.id,
            moved_start,
            moved_start + (second.end_utc - second.start_utc),
            reason="The hirer asked for the change.",
        )
        await s.commit()
    async with world.maker() as s:
        await workflow(s, post.mailer).cancel(world.officer, case_id, "public_safety", "Roof repairs.")
        await s.commit()
    inbox = await post.delivered()
    manager = world.email(world.manager)
    changes = [m.get_content() for m in inbox.to(manager, "Booking")]
    assert len(changes) == 3
    assert "cancelled" in changes[0] and "moved to" in changes[1] and "cancelled by the council" in changes[2]
    assert all(f"{BASE}/manager" in body for body in changes)
    for other in (world.officer, world.officer2, world.other_officer, world.other_manager):
        assert not [s for s in inbox.subjects_to(world.email(other)) if s.startswith("Booking ")]


async def test_a_date_not_holding_its_room_tells_no_manager(world: World, post: Post) -> None:
    case_id, _ = await submit(world, post.mailer, rrule="FREQ=WEEKLY;COUNT=2")
    async with world.maker() as s:
        w = workflow(s, post.mailer)
        first, _ = await w.bookings.occurrences((await w.bookings.booking_for_case(case_id)).id)
        await w.cancel_date(world.officer, case_id, first.id, reason="Roof repairs.")
        await s.commit()
    assert (await post.delivered()).to(world.email(world.manager)) == []


async def test_a_referral_goes_to_officers_of_the_venues_owner(world: World, post: Post, engine: Any) -> None:
    from vetting.flagged import add_entry

    async with world.maker() as s:
        await add_entry(
            s, world.officer, kind="person", name="Radomir Kestrelov", aliases=[], source="local", reason="x"
        )
        await s.commit()
    start = f.next_weekday(1)
    body = f.application_payload(
        world.room.id, start, people=[{"name": "Radomir Kestrelov", "role": "speaker"}]
    )
    from casework.input import ApplicationRequest

    async with world.maker() as s:
        await workflow(s, post.mailer).submit(ApplicationRequest.model_validate(body))
        await s.commit()
    assert await _who_got(world, post, "Screening referral") == {
        world.email(world.officer),
        world.email(world.officer2),
    }
