"""Settings choose how mail leaves (SMTP, GOV.UK Notify, the folder) and whether texts can go.

The app tests send through the real app to the local Notify stand-in (tests/notify_stub.py)."""

from __future__ import annotations

import asyncio
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker
from structlog.testing import capture_logs

from api.app import create_app
from api.channels import make_channel
from api.settings import Settings
from casework.deps import CaseDeps
from casework.messages import Message, mail_hirer
from tests.factories import application_payload, next_weekday
from tests.notify_stub import NotifyStub
from vetting.channels.folder import FolderChannel
from vetting.channels.notify import NotifyChannel
from vetting.channels.smtp import SmtpChannel
from vetting.models import VettingCase
from vetting.outbox_models import PENDING, RETRYING, SENDING, SENT, OutboxMessage

KEY = f"testshire_live-{uuid.uuid4()}-{uuid.uuid4()}"
EMAIL_TEMPLATE, SMS_TEMPLATE = str(uuid.uuid4()), str(uuid.uuid4())


def validated(settings: Settings, **changes: Any) -> Settings:
    """`settings` with `changes`, through the validators (model_copy would skip them)."""
    return Settings(**(settings.model_dump() | changes))


def test_without_settings_mail_goes_to_the_folder_and_texts_nowhere(settings: Settings) -> None:
    channel = make_channel(settings)
    assert isinstance(channel.email, FolderChannel) and channel.sms is None


def test_a_mail_server_alone_sends_email_and_no_texts(settings: Settings) -> None:
    channel = make_channel(settings.model_copy(update={"smtp_host": "127.0.0.1"}))
    assert isinstance(channel.email, SmtpChannel) and channel.sms is None


def test_notify_can_carry_the_texts_beside_a_mail_server(settings: Settings) -> None:
    chosen = validated(
        settings, smtp_host="127.0.0.1", notify_api_key=KEY, notify_sms_template_id=SMS_TEMPLATE
    )
    channel = make_channel(chosen)
    assert isinstance(channel.email, SmtpChannel)
    assert isinstance(channel.sms, NotifyChannel) and channel.sms.sms_template_id == SMS_TEMPLATE


def test_notify_can_carry_everything(settings: Settings) -> None:
    chosen = validated(
        settings,
        smtp_host="127.0.0.1",  # named, but the choice says Notify
        mail_channel="notify",
        notify_api_key=KEY,
        notify_email_template_id=EMAIL_TEMPLATE,
        notify_sms_template_id=SMS_TEMPLATE,
    )
    channel = make_channel(chosen)
    assert isinstance(channel.email, NotifyChannel) and channel.sms is channel.email
    assert channel.email.service_id == KEY.split("-", 1)[1][:36]
    without_texts = make_channel(chosen.model_copy(update={"notify_sms_template_id": None}))
    assert isinstance(without_texts.email, NotifyChannel) and without_texts.sms is None


def test_the_environment_chooses(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("VENUE_HIRE_MAIL_CHANNEL", "notify")
    monkeypatch.setenv("VENUE_HIRE_NOTIFY_API_KEY", KEY)
    monkeypatch.setenv("VENUE_HIRE_NOTIFY_EMAIL_TEMPLATE_ID", EMAIL_TEMPLATE)
    monkeypatch.setenv("VENUE_HIRE_NOTIFY_BASE_URL", "http://127.0.0.1:9")
    chosen = Settings(outbox_dir=tmp_path)
    channel = make_channel(chosen)
    assert isinstance(channel.email, NotifyChannel) and channel.email.base_url == "http://127.0.0.1:9"
    assert KEY not in repr(chosen) and KEY not in str(chosen.model_dump())  # the key is a secret


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"mail_channel": "notify"}, "needs VENUE_HIRE_NOTIFY_API_KEY"),
        ({"mail_channel": "notify", "notify_api_key": KEY}, "VENUE_HIRE_NOTIFY_EMAIL_TEMPLATE_ID"),
        ({"notify_api_key": "live-key-pasted-in-half"}, "VENUE_HIRE_NOTIFY_API_KEY: a GOV.UK Notify API key"),
        ({"notify_sms_template_id": SMS_TEMPLATE}, "SMS_TEMPLATE_ID needs VENUE_HIRE_NOTIFY_API_KEY"),
        ({"mail_channel": "smtp"}, "needs VENUE_HIRE_SMTP_HOST"),
        ({"mail_channel": "pigeon"}, "mail_channel"),
    ],
)
def test_incomplete_mail_settings_stop_the_start(changes: dict[str, Any], words: str, tmp_path: Path) -> None:
    with pytest.raises(ValidationError) as refused:
        Settings(outbox_dir=tmp_path, **changes)
    assert words in str(refused.value)
    assert "pasted-in-half" not in str(refused.value)  # a key is never repeated back


def test_copied_settings_are_checked_when_the_channel_is_made(settings: Settings) -> None:
    with pytest.raises(ValueError, match="needs VENUE_HIRE_NOTIFY_API_KEY"):
        make_channel(settings.model_copy(update={"mail_channel": "notify"}))


def _through_notify(settings: Settings, stub: NotifyStub, *, sms: bool = True) -> Settings:
    return settings.model_copy(
        update={
            "mail_channel": "notify",
            "notify_api_key": stub.api_key,
            "notify_base_url": stub.url,
            "notify_email_template_id": stub.email_template.id,
            "notify_sms_template_id": stub.sms_template.id if sms else None,
        }
    )


async def _drain(engine: AsyncEngine) -> None:
    """Messages go from the outbox after the commit, by the service's own deliverer (woken by
    the commit): wait until nothing is waiting or being sent."""
    deadline = time.monotonic() + 15
    while True:
        async with async_sessionmaker(engine)() as session:
            busy = (
                await session.execute(
                    select(func.count()).where(OutboxMessage.status.in_((PENDING, SENDING)))
                )
            ).scalar_one()
        if not busy:
            return
        assert time.monotonic() < deadline, "the outbox was not delivered"
        await asyncio.sleep(0.05)


def _to_hirer(stub: NotifyStub, kind: str) -> list[Any]:
    """What Notify accepted for the hirer (officers get their own alert about each request)."""
    address = "email_address" if kind == "email" else "phone_number"
    return [r for r in stub.received if r.kind == kind and "testshire" not in str(r.body.get(address))]


async def _text_the_hirer(app: Any, engine: AsyncEngine, case_id: str) -> None:
    maker = async_sessionmaker(engine, expire_on_commit=False)
    async with maker() as session:
        case = await session.get(VettingCase, uuid.UUID(case_id))
        assert case is not None
        deps = CaseDeps(session=session, base_url="http://testserver.local")
        reminder = Message(
            "submitted", {"reference": case.reference, "status_url": "http://testserver.local/s"}
        )
        await mail_hirer(deps, case, reminder, channel="sms")
        await session.commit()
    await _drain(engine)


async def test_the_app_mails_and_texts_through_notify(
    settings: Settings, seeded: dict[str, Any], engine: AsyncEngine, notify_stub: NotifyStub
) -> None:
    app = create_app(_through_notify(settings, notify_stub))
    payload = application_payload(seeded["hall_b"].id, next_weekday(1))
    payload["contact"] |= {"phone": "07700 900 555", "sms_consent": True}
    async with AsyncTestClient(app=app, base_url="http://testserver.local") as client:
        created = await client.post("/api/v1/applications", json=payload)
        assert created.status_code == 201, created.text
        await _drain(engine)
        (sent,) = _to_hirer(notify_stub, "email")
        reference = created.json()["reference"]
        assert sent.body["email_address"] == "morgan@testtown.example"
        assert sent.body["template_id"] == notify_stub.email_template.id
        assert reference in sent.body["personalisation"]["subject"]
        assert "/status/" in sent.body["personalisation"]["body"]
        assert sent.body["reference"] == f"venue-hire:hirer:submitted:{created.json()['id']}"

        await _text_the_hirer(app, engine, created.json()["id"])
        (texted,) = _to_hirer(notify_stub, "sms")
        assert texted.body["phone_number"] == "+447700900555"
        assert texted.body["template_id"] == notify_stub.sms_template.id


async def test_no_consent_no_text(
    settings: Settings, seeded: dict[str, Any], engine: AsyncEngine, notify_stub: NotifyStub
) -> None:
    app = create_app(_through_notify(settings, notify_stub))
    payload = application_payload(seeded["hall_b"].id, next_weekday(1))  # a mobile, but no consent
    async with AsyncTestClient(app=app, base_url="http://testserver.local") as client:
        created = await client.post("/api/v1/applications", json=payload)
        assert created.status_code == 201, created.text
        await _text_the_hirer(app, engine, created.json()["id"])
    assert [r.kind for r in notify_stub.received if r.kind == "sms"] == []
    assert len(_to_hirer(notify_stub, "email")) == 1


async def test_texts_without_notify_are_skipped_and_logged(
    settings: Settings, seeded: dict[str, Any], engine: AsyncEngine
) -> None:
    app = create_app(settings)  # the folder: no Notify, so no texts
    payload = application_payload(seeded["hall_b"].id, next_weekday(1))
    payload["contact"] |= {"sms_consent": True}
    async with AsyncTestClient(app=app, base_url="http://testserver.local") as client:
        created = await client.post("/api/v1/applications", json=payload)
        assert created.status_code == 201, created.text
        await _drain(engine)
        before = sorted(Path(settings.outbox_dir).glob("*.eml"))
        assert len(before) == 3  # the email about the request, and the two officers' alerts
        with capture_logs() as logs:
            await _text_the_hirer(app, engine, created.json()["id"])
    assert sorted(Path(settings.outbox_dir).glob("*.eml")) == before
    skipped = [line for line in logs if line["event"] == "sms.skipped"]
    assert len(skipped) == 1 and skipped[0]["case_id"] == created.json()["id"]
    assert not [line for line in logs if line["event"] == "mail.failed"]
    assert "900555" not in repr(logs)


async def test_notify_refusing_a_message_does_not_undo_the_booking(
    settings: Settings, seeded: dict[str, Any], engine: AsyncEngine, notify_stub: NotifyStub
) -> None:
    app = create_app(_through_notify(settings, notify_stub))
    notify_stub.fail_next(500)
    async with AsyncTestClient(app=app, base_url="http://testserver.local") as client:
        with capture_logs() as logs:
            created = await client.post(
                "/api/v1/applications", json=application_payload(seeded["hall_b"].id, next_weekday(1))
            )
            await _drain(engine)
        assert created.status_code == 201
    retrying = [line for line in logs if line["event"] == "outbox.retrying"]
    assert len(retrying) == 1 and "500" in retrying[0]["reason"]
    async with async_sessionmaker(engine)() as session:
        states = (await session.execute(select(OutboxMessage.status))).scalars().all()
    # The refused message waits for its next try; the others went. The booking stands.
    assert sorted(states) == sorted([RETRYING, SENT, SENT])
