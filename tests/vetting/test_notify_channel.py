"""GOV.UK Notify channel against the local stand-in (tests/notify_stub.py), through Notify's own client."""

from __future__ import annotations

import socket
import uuid
from typing import Any

import pytest
from structlog.testing import capture_logs

from tests.notify_stub import NotifyStub
from vetting.channels.errors import PermanentDeliveryFailure, TemporaryDeliveryFailure
from vetting.channels.notify import NotifyChannel, parse_api_key, reference_for
from vetting.channels.routing import ByKind
from vetting.notify import Mail

CASE = uuid.UUID("6a3f1d2e-0000-4000-8000-00000000c0de")


def channel_for(stub: NotifyStub, **changes: str) -> NotifyChannel:
    options: dict[str, Any] = {
        "api_key": stub.api_key,
        "email_template_id": stub.email_template.id,
        "sms_template_id": stub.sms_template.id,
        "base_url": stub.url,
    } | changes
    api_key = options.pop("api_key")
    return NotifyChannel(api_key, **options)


def email(**changes: object) -> Mail:
    fields: dict[str, object] = {
        "to": "sam.testplayer@testtown.example",
        "subject": "We have your booking request VH-2027-0042",
        "body": "Thank you. Your request is with Testshire Council.\n\nFollow it here: https://example.test/s/x\n",
        "template": "submitted",
        "case_id": CASE,
    } | changes
    return Mail(**fields)  # type: ignore[arg-type]  # the test builds any Mail


def text(**changes: object) -> Mail:
    fields: dict[str, object] = {
        "to": "+447700900123",
        "channel": "sms",
        "subject": "",
        "body": "Reminder: VH-2027-0042, Hall B, Tue 12 Jan 18:00. https://example.test/s/x",
        "template": "reminder_booking",
    }
    return email(**(fields | changes))


def test_an_email_goes_through_the_generic_template(notify_stub: NotifyStub) -> None:
    mail = email()
    notification_id = channel_for(notify_stub).deliver(mail)
    (seen,) = notify_stub.received
    assert notification_id == seen.notification_id
    assert seen.kind == "email"
    assert seen.body["email_address"] == mail.to
    assert seen.body["template_id"] == notify_stub.email_template.id
    assert seen.body["personalisation"] == {"subject": mail.subject, "body": mail.body}
    assert seen.content["subject"] == mail.subject and seen.content["body"] == mail.body
    # The JWT was checked by the stand-in; it named the service of the key.
    assert seen.claims["iss"] == notify_stub.service_id
    assert seen.headers["User-agent"].startswith("NOTIFY-API-PYTHON-CLIENT/")


def test_the_reference_names_the_message_and_the_case_but_no_one(notify_stub: NotifyStub) -> None:
    channel_for(notify_stub).deliver(email())
    reference = notify_stub.received[0].body["reference"]
    assert reference == f"venue-hire:hirer:submitted:{CASE}"
    assert "sam" not in reference.lower() and "@" not in reference
    assert reference_for(text(case_id=None)) == "venue-hire:hirer:reminder_booking:no-case"


def test_a_text_goes_through_the_sms_template(notify_stub: NotifyStub) -> None:
    mail = text()
    notification_id = channel_for(notify_stub).deliver(mail)
    (seen,) = notify_stub.received
    assert (seen.kind, notification_id) == ("sms", seen.notification_id)
    assert seen.body["phone_number"] == "+447700900123"
    assert seen.body["template_id"] == notify_stub.sms_template.id
    assert seen.body["personalisation"] == {"body": mail.body}
    assert seen.body["reference"] == f"venue-hire:hirer:reminder_booking:{CASE}"


def test_an_unknown_template_is_a_permanent_failure(notify_stub: NotifyStub) -> None:
    channel = channel_for(notify_stub, email_template_id=str(uuid.uuid4()))
    with pytest.raises(PermanentDeliveryFailure) as failed:
        channel.deliver(email())
    assert failed.value.status == 400
    assert "Template not found" in str(failed.value)
    assert notify_stub.received == []


def test_a_key_notify_does_not_know_is_a_permanent_failure(notify_stub: NotifyStub) -> None:
    wrong_secret = f"{notify_stub.key_name}-{notify_stub.service_id}-{uuid.uuid4()}"
    with pytest.raises(PermanentDeliveryFailure) as failed:
        channel_for(notify_stub, api_key=wrong_secret).deliver(email())
    assert failed.value.status == 403 and "api token is not valid" in str(failed.value)
    other_service = f"{notify_stub.key_name}-{uuid.uuid4()}-{notify_stub.secret}"
    with pytest.raises(PermanentDeliveryFailure) as failed:
        channel_for(notify_stub, api_key=other_service).deliver(email())
    assert failed.value.status == 403 and "service not found" in str(failed.value)


def test_a_refused_number_fails_for_good_without_naming_it(notify_stub: NotifyStub) -> None:
    with pytest.raises(PermanentDeliveryFailure) as failed:
        channel_for(notify_stub).deliver(text(to="07700 900"))
    assert failed.value.status == 400 and "Not enough digits" in str(failed.value)
    assert "07700 900" not in str(failed.value)


@pytest.mark.parametrize("status", [500, 503, 429])
def test_notify_down_or_busy_is_a_temporary_failure_and_a_retry_goes(
    notify_stub: NotifyStub, status: int
) -> None:
    channel = channel_for(notify_stub)
    notify_stub.fail_next(status)
    with pytest.raises(TemporaryDeliveryFailure) as failed:
        channel.deliver(email())
    assert failed.value.status == status
    assert notify_stub.received == []
    assert channel.deliver(email()) == notify_stub.received[0].notification_id


def test_no_answer_at_all_is_a_temporary_failure() -> None:
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    stub = NotifyStub()
    channel = NotifyChannel(
        stub.api_key,
        email_template_id=stub.email_template.id,
        sms_template_id=None,
        base_url=f"http://127.0.0.1:{port}",
        timeout=2,
    )
    with pytest.raises(TemporaryDeliveryFailure):
        channel.deliver(email())


def test_without_an_sms_template_a_text_fails_for_good(notify_stub: NotifyStub) -> None:
    channel = channel_for(notify_stub, sms_template_id="")
    assert not channel.sends_texts
    with pytest.raises(PermanentDeliveryFailure, match="text message template"):
        channel.deliver(text())
    with pytest.raises(PermanentDeliveryFailure, match="'letter'"):
        channel.deliver(email(channel="letter"))
    assert notify_stub.received == []


def test_api_keys_and_template_ids_are_checked_when_the_channel_is_made() -> None:
    service, secret = uuid.uuid4(), uuid.uuid4()
    key = parse_api_key(f"my-council-live-{service}-{secret}")
    assert (key.name, key.service_id, key.secret) == ("my-council-live", str(service), str(secret))
    leaked = "not-a-key-0123456789"
    with pytest.raises(ValueError, match="service id and the secret") as bad:
        parse_api_key(leaked)
    assert leaked not in str(bad.value)
    with pytest.raises(ValueError, match="email template id"):
        NotifyChannel(f"k-{service}-{secret}", email_template_id="welcome", sms_template_id=None)


class _Recorder:
    def __init__(self) -> None:
        self.mails: list[Mail] = []

    def deliver(self, mail: Mail) -> str:
        self.mails.append(mail)
        return "recorded"


def test_texts_without_notify_are_skipped_with_a_log_line() -> None:
    smtp = _Recorder()
    channel = ByKind(smtp, None)
    with capture_logs() as logs:
        assert channel.deliver(text()) is None
    assert smtp.mails == []
    (line,) = [entry for entry in logs if entry["event"] == "sms.skipped"]
    assert "GOV.UK Notify" in line["reason"] and line["template"] == "reminder_booking"
    assert "+447700900123" not in repr(logs)
    assert channel.deliver(email()) == "recorded"
    with pytest.raises(PermanentDeliveryFailure):
        channel.deliver(email(channel="pigeon"))


def test_texts_go_to_notify_and_email_to_the_mail_server(notify_stub: NotifyStub) -> None:
    smtp = _Recorder()
    channel = ByKind(smtp, channel_for(notify_stub))
    channel.deliver(email())
    channel.deliver(text())
    assert [m.channel for m in smtp.mails] == ["email"]
    assert [r.kind for r in notify_stub.received] == ["sms"]
