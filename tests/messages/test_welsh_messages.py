"""Messages to a hirer in the language their request was made in (issue 18 item 4): Welsh for a
request made in Welsh, read from the real outbox; staff messages stay English; every marked word
of the hirer templates has Welsh in casework's catalogue."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from casework.message_catalogue import HIRER, KINDS, STAFF, samples_for
from casework.message_language import long_date
from casework.message_wording import Message, compose
from policies import bundled_policy
from tests.factories import application_payload, bearer, next_weekday
from vetting.outbox_models import OutboxMessage

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "casework" / "translations"
Client = AsyncTestClient[Litestar]
# Words of the English templates that a Welsh message must not carry.
ENGLISH_WORDS = re.compile(
    r"\b(Hello|YOUR BOOKING|Your booking|What happens next|WHAT HAPPENS NEXT|private link)\b"
)


def test_every_marked_word_of_the_hirer_messages_has_welsh() -> None:
    with (CATALOGUE / "babel.cfg").open() as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    found = {
        message
        for _f, _l, message, _c, _x in extract_from_dir(str(ROOT), method_map, options_map)
        if isinstance(message, str) and message
    }
    assert len(found) > 90
    with (CATALOGUE / "cy" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale="cy")
    placeholder = re.compile(r"%\((\w+)\)s")
    missing, wrong = [], []
    for msgid in sorted(found):
        entry = catalog.get(msgid)
        if entry is None or entry.fuzzy or not entry.string:
            missing.append(msgid)
        elif sorted(placeholder.findall(msgid)) != sorted(placeholder.findall(str(entry.string))):
            wrong.append(msgid)
    assert not missing, missing[:20]
    assert not wrong


@pytest.mark.parametrize("kind", [k for k in KINDS if k.audience == HIRER], ids=lambda k: k.name)
def test_every_hirer_message_reads_in_welsh(kind: Any) -> None:
    fields = samples_for(kind.name) | {"contact_name": "Robin Sample"}
    english = compose(Message(kind.name, fields))
    welsh = compose(Message(kind.name, fields), language="cy")
    assert ENGLISH_WORDS.search(english.text)
    assert not ENGLISH_WORDS.search(welsh.text), welsh.text
    assert not ENGLISH_WORDS.search(welsh.subject) and welsh.subject != english.subject
    assert not ENGLISH_WORDS.search(re.sub(r"<[^>]+>", " ", welsh.html)), welsh.html
    assert '<html lang="cy">' in welsh.html and "Helo Robin Sample," in welsh.text
    assert fields["status_url"] in welsh.text and fields["reference"] in welsh.text


def test_a_councils_own_english_wording_is_not_sent_to_a_welsh_reader() -> None:
    own = {"approved": {"subject": "Hooray for {reference}", "body": "Our own English words."}}
    fields = samples_for("approved")
    assert compose(Message("approved", fields), own).subject == f"Hooray for {fields['reference']}"
    welsh = compose(Message("approved", fields), own, language="cy")
    assert "Hooray" not in welsh.subject and "Our own English words" not in welsh.text
    assert "Newyddion da" in welsh.text


@pytest.mark.parametrize("kind", [k for k in KINDS if k.audience == STAFF], ids=lambda k: k.name)
def test_staff_messages_stay_english(kind: Any) -> None:
    fields = samples_for(kind.name)
    assert compose(Message(kind.name, fields), language="cy") == compose(Message(kind.name, fields))


@pytest.fixture
async def web(app: Litestar) -> AsyncIterator[Client]:
    async with AsyncTestClient(app=app, base_url="https://testserver.local") as c:
        yield c


async def _outbox(engine: AsyncEngine) -> list[OutboxMessage]:
    async with async_sessionmaker(engine, expire_on_commit=False)() as s:
        return list((await s.execute(select(OutboxMessage).order_by(OutboxMessage.id))).scalars())


async def test_a_request_made_in_welsh_is_answered_in_welsh(
    web: Client, engine: AsyncEngine, seeded: dict[str, Any]
) -> None:
    start = next_weekday(2, weeks_ahead=6)
    payload = application_payload(seeded["hall_a"].id, start) | {"language": "cy"}
    created = await web.post("/api/v1/applications", json=payload)
    assert created.status_code == 201, created.text
    policy = bundled_policy("council-default")
    own = policy.condition_of_hire("leave_as_found")
    assert own is not None and own.text_cy
    decided = await web.post(
        f"/api/v1/applications/{created.json()['id']}/decision",
        json={"outcome": "approve", "reason": "Fine", "conditions": [{"code": "leave_as_found"}]},
        headers=bearer(seeded["officer_token"]),
    )
    assert decided.status_code in (200, 201), decided.text
    # The case keeps the language beside the policy version whose texts the hirer read in it.
    officer_view = await web.get(
        f"/api/v1/applications/{created.json()['id']}", headers=bearer(seeded["officer_token"])
    )
    assert officer_view.json()["policy"] == {"id": "council-default", "version": "2", "language": "cy"}

    mails = await _outbox(engine)
    hirer = {m.template: m for m in mails if m.audience == "hirer"}
    received = hirer["submitted"]
    assert received.subject.startswith("Mae eich cais i archebu ")
    assert "Helo " in received.body and "EICH ARCHEB" in received.body
    assert long_date(start.date(), "cy") in received.body  # "Dydd Mercher ..." with Welsh month
    assert f"{long_date(start.date(), 'cy')}, 19:00 i 21:00" in received.body
    assert not ENGLISH_WORDS.search(received.body)
    assert '<html lang="cy">' in (received.html or "")

    approved = hirer["approved_with_conditions"]
    assert approved.subject.endswith("wedi’i chymeradwyo gydag amodau")
    assert own.text_cy.replace("'", "’") in approved.body.replace("'", "’")
    assert own.text not in approved.body

    staff = [m for m in mails if m.audience == "staff"]
    assert staff and all(not m.subject.startswith(("Mae ", "Cais ")) for m in staff)
    assert all("Hello" in m.body or "Case" in m.body or "case" in m.body for m in staff)


async def test_a_request_made_in_english_is_answered_in_english(
    web: Client, engine: AsyncEngine, seeded: dict[str, Any]
) -> None:
    created = await web.post(
        "/api/v1/applications", json=application_payload(seeded["hall_a"].id, next_weekday(2, weeks_ahead=6))
    )
    assert created.status_code == 201, created.text
    received = next(m for m in await _outbox(engine) if m.template == "submitted")
    assert received.subject.startswith("We have your booking request ")
    assert "YOUR BOOKING" in received.body and '<html lang="en">' in (received.html or "")
