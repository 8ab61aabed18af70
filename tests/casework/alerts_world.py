"""What the alert and reminder tests share: a real SMTP server (aiosmtpd) behind the real SMTP
mailer, two councils each with officers, a venue and its manager, and booking requests made
through the real use cases. Invented names only."""

from __future__ import annotations

import datetime as dt
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from casework.input import ApplicationRequest
from casework.workflow import DecisionInput, Workflow
from tests import factories as f
from tests.mail_parsing import parse
from venues.models import Room, Venue
from vetting.actors import Actor
from vetting.channels.smtp import SmtpChannel
from vetting.notify import Mail, NullMailer
from vetting.outbox_delivery import Deliverer

BASE = "http://alerts.test"


class Inbox:
    """The SMTP server's received mail, by recipient."""

    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(parse(envelope.content))
        return "250 OK"

    def to(self, address: str, subject_part: str = "") -> list[Any]:
        return [m for m in self.messages if m["To"] == address and subject_part in str(m["Subject"])]

    def subjects_to(self, address: str) -> list[str]:
        return [str(m["Subject"]) for m in self.messages if m["To"] == address]


@dataclass
class Post:
    """The SMTP server, and `delivered` handing what the outbox holds to it (texts are kept in
    `texts`, since SMTP does not carry them). ``mailer`` is what use cases are given."""

    inbox: Inbox
    port: int
    maker: async_sessionmaker[AsyncSession]
    mailer: NullMailer = field(default_factory=NullMailer)
    texts: list[Mail] = field(default_factory=list)

    async def delivered(self) -> Inbox:
        channels = {
            "email": SmtpChannel("127.0.0.1", self.port, "bookings@testshire.example", timeout=5),
            "sms": _Texts(self.texts),
        }
        await Deliverer(self.maker, channels).deliver_due()
        return self.inbox


class _Texts:
    def __init__(self, kept: list[Mail]) -> None:
        self.kept = kept

    def deliver(self, mail: Mail) -> str | None:
        self.kept.append(mail)
        return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def post(engine: AsyncEngine) -> Iterator[Post]:
    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield Post(inbox, port, async_sessionmaker(engine, expire_on_commit=False))
    controller.stop()


@dataclass
class World:
    maker: async_sessionmaker[AsyncSession]
    venue: Venue
    room: Room
    other_venue: Venue
    other_room: Room
    officer: Actor
    officer2: Actor
    manager: Actor
    other_officer: Actor
    other_manager: Actor
    emails: dict[str, str] = field(default_factory=dict)  # actor name -> email

    def email(self, actor: Actor) -> str:
        return self.emails[actor.name]


async def make_world(engine: AsyncEngine) -> World:
    maker = async_sessionmaker(engine, expire_on_commit=False)
    async with maker() as s:
        venue = await f.make_venue(
            s, "Testtown Hall", access_instructions="Key safe by the side door: code 4821."
        )
        room = await f.make_room(s, venue, "Long Room")
        other = await f.make_venue(s, "Otherton Hall", owner_name="Otherton Council")
        other_room = await f.make_room(s, other, "Otherton Room")
        home = await f.make_provider(s)
        away = await f.make_provider(s, "Otherton Council")
        officer, _ = await f.make_staff(s, "officer", provider=home)
        officer2, _ = await f.make_staff(s, "officer", provider=home)
        manager, _ = await f.make_staff(s, "venue_manager", venue_ids=[venue.id])
        other_officer, _ = await f.make_staff(s, "officer", provider=away)
        other_manager, _ = await f.make_staff(s, "venue_manager", venue_ids=[other.id])
        await s.commit()
    actors = (officer, officer2, manager, other_officer, other_manager)
    emails = {a.name: await _email(maker, a.id) for a in actors}
    return World(
        maker,
        venue,
        room,
        other,
        other_room,
        officer,
        officer2,
        manager,
        other_officer,
        other_manager,
        emails,
    )


async def _email(maker: async_sessionmaker[AsyncSession], user_id: UUID | None) -> str:
    from sqlalchemy import select

    from api.models import User

    async with maker() as s:
        return str((await s.execute(select(User.email).where(User.id == user_id))).scalar_one())


def workflow(session: AsyncSession, mailer: Any) -> Workflow:
    return Workflow(session=session, mailer=mailer, base_url=BASE)


async def submit(
    world: World,
    mailer: Any,
    *,
    room: Room | None = None,
    rrule: str | None = None,
    weeks_ahead: int = 3,
    hour: int = 19,
) -> tuple[UUID, str]:
    """A booking request (Tuesday evening); returns the case id and the hirer's token."""
    start = f.next_weekday(1, weeks_ahead=weeks_ahead, hour=hour)
    body = f.application_payload((room or world.room).id, start, rrule=rrule)
    async with world.maker() as s:
        done = await workflow(s, mailer).submit(ApplicationRequest.model_validate(body))
        await s.commit()
    assert done.applicant_token is not None
    return done.case.id, done.applicant_token


async def decide(world: World, mailer: Any, actor: Actor, case_id: UUID, decision: DecisionInput) -> None:
    async with world.maker() as s:
        await workflow(s, mailer).decide(actor, case_id, decision)
        await s.commit()


APPROVE_WITH_CONDITIONS = DecisionInput(
    outcome="approve",
    reason="Fine",
    conditions=[{"code": "leave_as_found", "text": None, "rationale": None}],
    checks_in_review_confirmed=True,
    checks_in_review_reason="Evidence seen",
)


def refuse() -> DecisionInput:
    return DecisionInput(
        outcome="refuse",
        reason="The hall cannot hold the numbers safely.",
        reason_code="public_safety",
        options_considered="A smaller event; a larger room.",
    )


def at_uk(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=f.LONDON)


async def run(world: World, mailer: Any, job: Any, now: dt.datetime) -> int:
    """One run of a scheduled job in its own transaction, committed as the runner would."""
    async with world.maker() as s:
        done = int(await job(workflow(s, mailer), now))
        await s.commit()
    return done
