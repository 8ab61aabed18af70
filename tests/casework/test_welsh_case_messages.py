"""The date-change message and the booking reminder to a hirer in the language their request was
made in (issue 18 item 4): each worded from values through casework's catalogue, dates by Babel;
read from the real mail server, for a Welsh case beside an English one."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from uuid import UUID

from casework.date_changes import reason_text
from casework.input import ApplicationRequest
from casework.message_language import date_range
from casework.reminders_booking import send_booking_reminders
from policies import bundled_policy
from tests import factories as f
from tests.casework.alerts_world import APPROVE_WITH_CONDITIONS, Post, World, at_uk, decide, run, workflow
from venues.models import Occurrence, Room

HIRER = "morgan@testtown.example"
# English words of the two messages that a Welsh reader must not get.
ENGLISH = ("cancelled.", "moved to", "Reason:", "withdrawn at your request", "Ask ", "No conditions", " to ")


async def _confirmed(
    world: World, post: Post, language: str, *, room: Room | None = None, count: int = 3
) -> tuple[UUID, str, list[Occurrence]]:
    start = f.next_weekday(1, weeks_ahead=3, hour=19)
    body = f.application_payload((room or world.room).id, start, rrule=f"FREQ=WEEKLY;COUNT={count}")
    async with world.maker() as s:
        done = await workflow(s, post.mailer).submit(
            ApplicationRequest.model_validate(body | {"language": language})
        )
        await s.commit()
    assert done.applicant_token is not None
    case_id, token = done.case.id, done.applicant_token
    await decide(world, post.mailer, world.officer, case_id, APPROVE_WITH_CONDITIONS)
    async with world.maker() as s:
        w = workflow(s, post.mailer)
        await w.accept_conditions(token)
        occs = await w.bookings.occurrences((await w.bookings.booking_for_case(case_id)).id)
        await s.commit()
    return case_id, token, occs


async def _change_every_kind(
    world: World, post: Post, case_id: UUID, token: str, occs: list[Occurrence]
) -> None:
    """The council cancels the first date (a chosen reason and the officer's own words), moves the
    second a day on, and the hirer withdraws the third."""
    first, second, third = occs
    async with world.maker() as s:
        w = workflow(s, post.mailer)
        await w.cancel_date(
            world.officer, case_id, first.id, reason=reason_text("venue_closed", "Boiler broken")
        )
        moved = second.start_utc + dt.timedelta(days=1)
        await w.move_date(
            world.officer,
            case_id,
            second.id,
            moved,
            moved + (second.end_utc - second.start_utc),
            reason=reason_text("hirer_asked", None),
        )
        await w.withdraw_date(token, third.id)
        await s.commit()


async def test_a_welsh_hirer_reads_each_date_change_in_welsh(world: World, post: Post) -> None:
    case_id, token, occs = await _confirmed(world, post, "cy")
    await _change_every_kind(world, post, case_id, token, occs)
    bodies = [m.get_content() for m in (await post.delivered()).to(HIRER) if "newid" in m["Subject"]]
    assert len(bodies) == 3, [m["Subject"] for m in (await post.delivered()).to(HIRER)]
    cancelled, moved, withdrawn = (" ".join(b.split()) for b in bodies)
    first, second, third = occs
    # Dates by Babel in Welsh ("Dydd Mawrth 12 Ionawr 2027, 19:00 i 21:00"), the change in Welsh,
    # the chosen reason in Welsh and the officer's own words as written.
    assert f"{date_range(first.local_start, first.local_end, 'cy')}: wedi’i ganslo." in cancelled
    assert "Rheswm: Mae’r lleoliad ar gau y diwrnod hwnnw. Boiler broken" in cancelled
    after = date_range(
        second.local_start + dt.timedelta(days=1), second.local_end + dt.timedelta(days=1), "cy"
    )
    assert f"{date_range(second.local_start, second.local_end, 'cy')}: wedi’i symud i {after}." in moved
    assert "Rheswm: Gofynnodd y llogwr am y newid" in moved
    assert (
        f"{date_range(third.local_start, third.local_end, 'cy')}: wedi’i dynnu’n ôl ar eich cais."
        in withdrawn
    )
    for body in (cancelled, moved, withdrawn):
        assert not [word for word in ENGLISH if word in body], body


async def test_an_english_hirer_reads_the_same_changes_in_english(world: World, post: Post) -> None:
    case_id, token, occs = await _confirmed(world, post, "en")
    await _change_every_kind(world, post, case_id, token, occs)
    bodies = [" ".join(m.get_content().split()) for m in (await post.delivered()).to(HIRER, "has changed")]
    first = occs[0]
    assert f"{first.local_start:%A %-d %B %Y}, 19:00 to 21:00: cancelled." in bodies[0]
    assert "Reason: The venue is closed that day. Boiler broken" in bodies[0]
    assert "moved to" in bodies[1] and "Reason: The hirer asked for the change" in bodies[1]
    assert "withdrawn at your request." in bodies[2]


async def test_the_booking_reminder_reads_in_the_cases_language(world: World, post: Post) -> None:
    """The conditions in the policy's Welsh, and with no access instructions whom to ask, worded
    in Welsh (the venue's contact details as held)."""
    async with world.maker() as s:
        venue = await f.make_venue(
            s, "Testtown Library", contact_email="library@testtown.example", contact_phone="01632 960123"
        )
        room = await f.make_room(s, venue, "Reading Room")
        await s.commit()
    _, _, welsh = await _confirmed(world, post, "cy", room=room, count=1)
    await _confirmed(world, post, "en", room=world.room, count=1)
    now = at_uk(welsh[0].local_start.date() - dt.timedelta(days=1), 9)
    assert await run(world, post.mailer, send_booking_reminders, now) == 2
    inbox = await post.delivered()
    (cy,) = [" ".join(m.get_content().split()) for m in inbox.to(HIRER, "Nodyn atgoffa")]
    (en,) = [" ".join(m.get_content().split()) for m in inbox.to(HIRER, "Reminder: your booking")]
    condition = bundled_policy("council-default").condition_of_hire("leave_as_found")
    assert condition is not None and condition.text_cy
    assert condition.text_cy.replace("'", "’") in cy.replace("'", "’") and condition.text not in cy
    assert "Gofynnwch i Testtown Library sut i fynd i mewn (library@testtown.example neu 01632 960123)." in cy
    assert date_range(welsh[0].local_start, welsh[0].local_end, "cy").split(",")[0] in cy
    assert not [word for word in ENGLISH if word in cy], cy
    assert condition.text in en and "Key safe by the side door: code 4821." in en


async def test_a_reminder_without_conditions_says_so_in_welsh(world: World, post: Post) -> None:
    async with world.maker() as s:
        venue = await f.make_venue(s, "Testtown Annexe")
        room = await f.make_room(s, venue, "Small Room")
        await s.commit()
    start = f.next_weekday(1, weeks_ahead=3, hour=19)
    body = f.application_payload(room.id, start) | {"language": "cy"}
    async with world.maker() as s:
        done = await workflow(s, post.mailer).submit(ApplicationRequest.model_validate(body))
        await s.commit()
    plain = replace(APPROVE_WITH_CONDITIONS, conditions=[])
    await decide(world, post.mailer, world.officer, done.case.id, plain)
    assert (
        await run(world, post.mailer, send_booking_reminders, at_uk(start.date() - dt.timedelta(days=1), 9))
        == 1
    )
    (cy,) = [" ".join(m.get_content().split()) for m in (await post.delivered()).to(HIRER, "Nodyn atgoffa")]
    assert "Dim amodau y tu hwnt i amodau llogi safonol y lleoliad." in cy
    assert "Gofynnwch i Testtown Annexe sut i fynd i mewn." in cy
