"""The Notify stand-in refuses what Notify refuses, so the channel's tests cannot pass on a stub that
accepts anything. Tokens here are made by hand with PyJWT, not by the client under test."""

from __future__ import annotations

import time
import uuid
import warnings
from typing import Any

import httpx
import jwt
import jwt.warnings
import pytest

from tests.notify_stub import NotifyStub, StubTemplate


def token(stub: NotifyStub, *, secret: str | None = None, alg: str = "HS256", **claims: Any) -> str:
    payload = {"iss": stub.service_id, "iat": int(time.time())} | claims
    payload = {k: v for k, v in payload.items() if v is not None}
    with warnings.catch_warnings():  # HS512 wants a longer key than Notify's: that is the point
        warnings.simplefilter("ignore", jwt.warnings.InsecureKeyLengthWarning)
        return jwt.encode(payload, secret or stub.secret, algorithm=alg, headers={"typ": "JWT"})


def email_body(stub: NotifyStub, **changes: Any) -> dict[str, Any]:
    body = {
        "email_address": "sam@testtown.example",
        "template_id": stub.email_template.id,
        "personalisation": {"subject": "Your booking", "body": "See you on Tuesday."},
        "reference": "venue-hire:hirer:submitted:x",
    } | changes
    return {k: v for k, v in body.items() if v is not None}


def post(stub: NotifyStub, path: str, body: Any, auth: str | None) -> httpx.Response:
    headers = {"Authorization": auth} if auth is not None else {}
    return httpx.post(f"{stub.url}{path}", json=body, headers=headers, timeout=5)


def errors(response: httpx.Response) -> list[tuple[str, str]]:
    data = response.json()
    assert data["status_code"] == response.status_code
    return [(e["error"], e["message"]) for e in data["errors"]]


def test_a_well_made_request_is_accepted_and_answered_as_notify_does(notify_stub: NotifyStub) -> None:
    answer = post(
        notify_stub, "/v2/notifications/email", email_body(notify_stub), f"Bearer {token(notify_stub)}"
    )
    assert answer.status_code == 201, answer.text
    data = answer.json()
    assert uuid.UUID(data["id"])
    assert data["reference"] == "venue-hire:hirer:submitted:x"
    assert data["content"]["subject"] == "Your booking"
    assert data["content"]["body"] == "See you on Tuesday."
    assert data["template"]["id"] == notify_stub.email_template.id and data["template"]["version"] == 1
    assert data["uri"].endswith(data["id"])
    (seen,) = notify_stub.received
    assert seen.kind == "email" and seen.notification_id == data["id"]
    assert seen.claims["iss"] == notify_stub.service_id


@pytest.mark.parametrize(
    ("auth", "status", "words"),
    [
        (None, 401, "authentication token must be provided"),
        ("Basic c2FtOnB3", 401, "bearer scheme must be used"),
        ("Bearer not-a-jwt", 403, "Invalid token: signature, api token is not valid"),
    ],
)
def test_requests_without_a_bearer_jwt_are_refused(
    notify_stub: NotifyStub, auth: str | None, status: int, words: str
) -> None:
    refused = post(notify_stub, "/v2/notifications/email", email_body(notify_stub), auth)
    assert refused.status_code == status
    assert errors(refused)[0][0] == "AuthError" and words in errors(refused)[0][1]
    assert notify_stub.received == []


def test_each_part_of_the_jwt_is_checked(notify_stub: NotifyStub) -> None:
    now = int(time.time())
    cases = {
        "another secret": (token(notify_stub, secret=str(uuid.uuid4())), "signature, api token is not valid"),
        "another service": (token(notify_stub, iss=str(uuid.uuid4())), "service not found"),
        "no iss": (token(notify_stub, iss=None), "iss field not provided"),
        "no iat": (token(notify_stub, iat=None), "iat field not provided"),
        "iat too old": (token(notify_stub, iat=now - 31 - 5), "expired"),
        "iat in the future": (token(notify_stub, iat=now + 31 + 5), "expired"),
        "HS512": (token(notify_stub, alg="HS512"), "algorithm used is not HS256"),
    }
    for name, (jwt_text, words) in cases.items():
        refused = post(notify_stub, "/v2/notifications/email", email_body(notify_stub), f"Bearer {jwt_text}")
        assert refused.status_code == 403, name
        assert words in errors(refused)[0][1], (name, refused.text)
    assert notify_stub.received == []
    # Within the 30 seconds Notify allows either way, the same token is fine.
    recent = token(notify_stub, iat=now - 20)
    fine = post(notify_stub, "/v2/notifications/email", email_body(notify_stub), f"Bearer {recent}")
    assert fine.status_code == 201


def test_the_iat_window_follows_the_stub_clock(notify_stub: NotifyStub) -> None:
    fresh = token(notify_stub)
    notify_stub.clock = lambda: time.time() + 3600  # as if the service's clock were an hour slow
    refused = post(notify_stub, "/v2/notifications/email", email_body(notify_stub), f"Bearer {fresh}")
    assert refused.status_code == 403 and "expired" in refused.text


EMAIL, SMS = "/v2/notifications/email", "/v2/notifications/sms"
INVALID, BAD = "ValidationError", "BadRequestError"


def sms_body(stub: NotifyStub, **changes: Any) -> dict[str, Any]:
    body = {
        "phone_number": "+447700900123",
        "template_id": stub.sms_template.id,
        "personalisation": {"body": "b"},
    }
    return {k: v for k, v in (body | changes).items() if v is not None}


def test_the_body_is_checked_field_by_field(notify_stub: NotifyStub) -> None:
    stub, auth = notify_stub, f"Bearer {token(notify_stub)}"
    cases: list[tuple[str, dict[str, Any], str, str]] = [
        (EMAIL, email_body(stub, email_address=None), INVALID, "email_address is a required property"),
        (EMAIL, email_body(stub, template_id=None), INVALID, "template_id is a required property"),
        (EMAIL, email_body(stub, subject="x"), INVALID, "Additional properties are not allowed (subject was"),
        (EMAIL, email_body(stub, personalisation=["a"]), INVALID, "personalisation is not of type object"),
        (EMAIL, email_body(stub, reference=7), INVALID, "reference is not of type string"),
        (EMAIL, email_body(stub, email_address="nobody"), INVALID, "email_address Not a valid email address"),
        (EMAIL, email_body(stub, template_id="x"), INVALID, "template_id is not a valid UUID"),
        (EMAIL, email_body(stub, template_id=str(uuid.uuid4())), BAD, "Template not found"),
        (
            EMAIL,
            email_body(stub, template_id=stub.sms_template.id),
            BAD,
            "sms template is not suitable for email",
        ),
        (EMAIL, email_body(stub, personalisation={"body": "b"}), BAD, "Missing personalisation: subject"),
        (
            EMAIL,
            email_body(stub, personalisation={"subject": None, "body": "b"}),
            BAD,
            "Missing personalisation",
        ),
        (SMS, sms_body(stub, phone_number="07700 900"), INVALID, "phone_number Not enough digits"),
        (SMS, sms_body(stub, phone_number="01632 960000"), INVALID, "phone_number Not a UK mobile number"),
        (
            SMS,
            sms_body(stub, personalisation={"body": "b" * 919}),
            BAD,
            "cannot be longer than 918 characters",
        ),
        (SMS, sms_body(stub, phone_number=None), INVALID, "phone_number is a required property"),
        (SMS, email_body(stub, template_id=stub.sms_template.id), INVALID, "phone_number is a required"),
    ]
    for path, body, error, words in cases:
        refused = post(stub, path, body, auth)
        assert refused.status_code == 400, (words, refused.text)
        assert any(e == error and words in m for e, m in errors(refused)), (words, refused.text)
    assert stub.received == []
    assert len(stub.refused) == len(cases)


def test_a_text_message_is_accepted_to_a_uk_mobile(notify_stub: NotifyStub) -> None:
    body = {
        "phone_number": "+447700900123",
        "template_id": notify_stub.sms_template.id,
        "personalisation": {"body": "Reminder: Hall B on Tuesday 18:00"},
        "reference": "r",
    }
    answer = post(notify_stub, "/v2/notifications/sms", body, f"Bearer {token(notify_stub)}")
    assert answer.status_code == 201, answer.text
    assert answer.json()["content"] == {"body": "Reminder: Hall B on Tuesday 18:00", "from_number": "GOVUK"}


def test_it_can_be_told_to_fail_then_recovers(notify_stub: NotifyStub) -> None:
    notify_stub.fail_next(500)
    notify_stub.fail_next(429)
    auth = f"Bearer {token(notify_stub)}"
    first = post(notify_stub, "/v2/notifications/email", email_body(notify_stub), auth)
    second = post(notify_stub, "/v2/notifications/email", email_body(notify_stub), auth)
    third = post(notify_stub, "/v2/notifications/email", email_body(notify_stub), auth)
    assert (first.status_code, second.status_code, third.status_code) == (500, 429, 201)
    assert errors(first) == [("Exception", "Internal server error")]
    assert errors(second)[0][0] == "RateLimitError"
    assert len(notify_stub.received) == 1


def test_templates_are_the_stubs_own(notify_stub: NotifyStub) -> None:
    extra = StubTemplate(str(uuid.uuid4()), "email", "Dear ((name)), ((body))", subject="((subject))")
    notify_stub.extra_templates.append(extra)
    body = email_body(notify_stub, template_id=extra.id)
    refused = post(notify_stub, "/v2/notifications/email", body, f"Bearer {token(notify_stub)}")
    assert refused.status_code == 400 and "Missing personalisation: name" in refused.text
    body["personalisation"]["name"] = "Sam"
    accepted = post(notify_stub, "/v2/notifications/email", body, f"Bearer {token(notify_stub)}")
    assert accepted.json()["content"]["body"] == "Dear Sam, See you on Tuesday."


def test_other_paths_are_not_found(notify_stub: NotifyStub) -> None:
    missing = post(notify_stub, "/v2/notifications/letter", {}, f"Bearer {token(notify_stub)}")
    assert missing.status_code == 404
