"""Reminders before booked dates (email and text), unanswered information requests and the lapse
that follows (across Christmas and New Year bank holidays), decisions falling due; each job run
twice, or twice at once, sends once. Jobs are called with a chosen `now`, never today's date."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any
from uuid import UUID

from sqlalchemy import select, update

from casework.reminders_booking import send_booking_reminders
from casework.reminders_decision import remind_officers_of_decisions
from casework.reminders_information import remind_unanswered_information
from casework.workflow import DecisionInput
from tests.casework.alerts_world import (
    APPROVE_WITH_CONDITIONS,
    Post,
    World,
    at_uk,
    decide,
    run,
    submit,
    workflow,
)
from venues.models import Booking, Occurrence
from vetting.models import CaseEvent, VettingCase
from vetting.outbox_models import OutboxMessage

HIRER = "morgan@testtown.example"


async def _confirmed(
    world: World, mailer: Any, rrule: str = "FREQ=WEEKLY;COUNT=3", hour: int = 19
) -> tuple[UUID, list[Occurrence]]:
    case_id, token = await submit(world, mailer, rrule=rrule, hour=hour)
    await decide(world, mailer, world.officer, case_id, APPROVE_WITH_CONDITIONS)
    async with world.maker() as s:
        w = workflow(s, mailer)
        await w.accept_conditions(token)
        occs = await w.bookings.occurrences((await w.bookings.booking_for_case(case_id)).id)
        await s.commit()
    return case_id, occs


async def test_the_hirer_is_reminded_days_before_each_date_once(world: World, post: Post) -> None:
    _, occs = await _confirmed(world, post.mailer)
    first = occs[0].local_start.date()
    # The default policy reminds 3 days before each date.
    assert await run(world, post.mailer, send_booking_reminders, at_uk(first - dt.timedelta(days=4), 9)) == 0
    assert await run(world, post.mailer, send_booking_reminders, at_uk(first - dt.timedelta(days=3), 9)) == 1
    assert await run(world, post.mailer, send_booking_reminders, at_uk(first - dt.timedelta(days=2), 9)) == 0
    second = occs[1].local_start.date()
    assert await run(world, post.mailer, send_booking_reminders, at_uk(second - dt.timedelta(days=1), 9)) == 1
    inbox = await post.delivered()
    reminders = inbox.to(HIRER, "Reminder: your booking")
    assert len(reminders) == 2
    body = reminders[0].get_content()
    assert f"{occs[0].local_start:%A %d %B %Y}" in body and "19:00 to 21:00" in body
    assert "The room is left clean" in body  # the condition attached to the approval
    assert "Key safe by the side door: code 4821." in body  # the venue's access instructions


async def test_only_confirmed_bookings_are_reminded(world: World, post: Post) -> None:
    case_id, _ = await submit(world, post.mailer)
    await decide(world, post.mailer, world.officer, case_id, APPROVE_WITH_CONDITIONS)  # not yet accepted
    async with world.maker() as s:
        start = (await s.execute(select(Occurrence.start_utc))).scalars().first()
    assert start is not None
    assert await run(world, post.mailer, send_booking_reminders, start - dt.timedelta(days=1)) == 0


async def test_a_text_goes_too_where_the_hirer_gave_a_mobile_and_agreed(world: World, post: Post) -> None:
    case_id, occs = await _confirmed(world, post.mailer, rrule="FREQ=WEEKLY;COUNT=2")
    other_id, _ = await _confirmed(world, post.mailer, rrule="FREQ=WEEKLY;COUNT=2", hour=10)
    async with world.maker() as s:
        case = await s.get(VettingCase, case_id)
        assert case is not None
        case.contact = case.contact | {"phone": "07700 900123", "sms_consent": True}
        other = await s.get(VettingCase, other_id)
        assert other is not None
        other.contact = other.contact | {"phone": "07700 900456", "sms_consent": False}
        await s.commit()
    now = occs[0].start_utc - dt.timedelta(days=1)
    assert await run(world, post.mailer, send_booking_reminders, now) == 2
    await post.delivered()
    texts = post.texts
    assert [(m.to, m.template, m.case_id) for m in texts] == [("+447700900123", "reminder_booking", case_id)]
    async with world.maker() as s:
        written = (
            (await s.execute(select(OutboxMessage).where(OutboxMessage.template == "reminder_booking")))
            .scalars()
            .all()
        )
    assert sorted(m.case_id for m in written if m.channel == "email") == sorted([case_id, other_id])
    assert all(m.dedupe_key for m in written)


async def test_running_twice_at_once_sends_once(world: World, post: Post) -> None:
    _, occs = await _confirmed(world, post.mailer, rrule="FREQ=DAILY;COUNT=3")
    now = occs[0].start_utc - dt.timedelta(days=1)
    done = await asyncio.gather(*(run(world, post.mailer, send_booking_reminders, now) for _ in range(2)))
    assert sorted(done) == [0, 3]
    assert len((await post.delivered()).to(HIRER, "Reminder: your booking")) == 3


# Christmas 2027 falls on a Saturday: bank holidays Mon 27 and Tue 28 December, and Mon 3 January
# 2028 for New Year's Day. Asked on Thu 23 Dec, five working days are 24, 29, 30, 31 Dec and
# 4 Jan (reminder); five more are 5, 6, 7, 10 and 11 Jan (lapse).
ASKED = dt.date(2027, 12, 23)


async def _asked_for_information(world: World, post: Post) -> tuple[UUID, str]:
    case_id, token = await submit(world, post.mailer)
    await decide(
        world, post.mailer, world.officer, case_id, DecisionInput("request_information", "Who will chair?")
    )
    async with world.maker() as s:
        await s.execute(
            update(CaseEvent)
            .where(CaseEvent.case_id == case_id, CaseEvent.action == "request_information")
            .values(at=at_uk(ASKED, 10))
        )
        await s.commit()
    return case_id, token


async def test_unanswered_information_reminded_then_lapsed_across_bank_holidays(
    world: World, post: Post
) -> None:
    case_id, _ = await _asked_for_information(world, post)
    job = remind_unanswered_information
    for day in (dt.date(2027, 12, 30), dt.date(2027, 12, 31), dt.date(2028, 1, 3)):
        assert await run(world, post.mailer, job, at_uk(day, 9)) == 0, day
    assert await run(world, post.mailer, job, at_uk(dt.date(2028, 1, 4), 9)) == 1
    assert await run(world, post.mailer, job, at_uk(dt.date(2028, 1, 4), 15)) == 0
    (reminder,) = (await post.delivered()).to(HIRER, "more information needed for")
    body = reminder.get_content()
    assert "Thursday 23 December 2027" in body and "Tuesday 11 January 2028" in body
    assert "Who will chair?" in body

    for day in (dt.date(2028, 1, 7), dt.date(2028, 1, 10)):
        assert await run(world, post.mailer, job, at_uk(day, 9)) == 0, day
    assert await run(world, post.mailer, job, at_uk(dt.date(2028, 1, 11), 9)) == 1
    assert await run(world, post.mailer, job, at_uk(dt.date(2028, 1, 12), 9)) == 0
    async with world.maker() as s:
        case = await s.get(VettingCase, case_id)
        assert case is not None and case.status == "lapsed"
        events = (await s.execute(select(CaseEvent).where(CaseEvent.case_id == case_id))).scalars().all()
        lapse = [e for e in events if e.action == "lapse"]
        assert len(lapse) == 1 and lapse[0].actor_name == "system"
        assert lapse[0].detail["reminded_on"] == "2028-01-04"
        dates = (
            (
                await s.execute(
                    select(Occurrence.status)
                    .join(Booking, Booking.id == Occurrence.booking_id)
                    .where(Booking.case_id == case_id)
                )
            )
            .scalars()
            .all()
        )
        assert set(dates) == {"released"}
    inbox = await post.delivered()
    assert len(inbox.to(HIRER, "has lapsed")) == 1
    assert len(inbox.to(HIRER, "more information needed for")) == 1


async def test_an_answer_stops_the_lapse(world: World, post: Post) -> None:
    case_id, token = await _asked_for_information(world, post)
    assert await run(world, post.mailer, remind_unanswered_information, at_uk(dt.date(2028, 1, 4), 9)) == 1
    async with world.maker() as s:
        await workflow(s, post.mailer).provide_information(token, "Our secretary will chair.")
        await s.commit()
    assert await run(world, post.mailer, remind_unanswered_information, at_uk(dt.date(2028, 1, 20), 9)) == 0
    async with world.maker() as s:
        case = await s.get(VettingCase, case_id)
        assert case is not None and case.status == "under_review"
    assert (await post.delivered()).to(HIRER, "has lapsed") == []


async def test_decisions_due_and_on_the_day_go_to_the_owners_officers(world: World, post: Post) -> None:
    case_id, _ = await submit(world, post.mailer)
    async with world.maker() as s:
        await s.execute(
            update(VettingCase).where(VettingCase.id == case_id).values(target_date=dt.date(2027, 12, 29))
        )
        await s.commit()
    job = remind_officers_of_decisions
    # Wed 22 Dec: two working days ahead is Fri 24 Dec; Fri 24 Dec: the 27th and 28th are bank
    # holidays, so two working days ahead is Wed 29 Dec, the target.
    assert await run(world, post.mailer, job, at_uk(dt.date(2027, 12, 22), 9)) == 0
    assert await run(world, post.mailer, job, at_uk(dt.date(2027, 12, 24), 9)) == 1
    assert await run(world, post.mailer, job, at_uk(dt.date(2027, 12, 24), 16)) == 0
    assert await run(world, post.mailer, job, at_uk(dt.date(2027, 12, 29), 8)) == 1
    assert await run(world, post.mailer, job, at_uk(dt.date(2027, 12, 29), 12)) == 0
    inbox = await post.delivered()
    for officer in (world.officer, world.officer2):
        assert len(inbox.to(world.email(officer), "by Wednesday 29 December 2027")) == 1
        assert len(inbox.to(world.email(officer), "is due today")) == 1
    for other in (world.other_officer, world.manager, world.other_manager):
        assert [s for s in inbox.subjects_to(world.email(other)) if "due" in s] == []
