"""A local stand-in for GOV.UK Notify's API, on loopback, that checks requests as Notify does.

Notify itself cannot be reached from the tests, so this answers ``POST /v2/notifications/email``
and ``POST /v2/notifications/sms`` the way Notify's published API describes:

* ``Authorization: Bearer <JWT>``: the token's header says HS256, it is signed with the secret
  part of the API key (``{key_name}-{service_id}-{secret}``), its ``iss`` is the service id and
  its ``iat`` is within 30 seconds of now. Otherwise 401 or 403 with Notify's ``AuthError`` words.
  The token is checked here by hand (base64url, HMAC-SHA256), not with the client's own code,
  so a client that signs wrongly cannot pass by agreeing with itself.
* The JSON body: the fields each endpoint takes and their types, ``template_id`` a UUID of a
  template of the right kind that this service has, every ``((placeholder))`` of the template
  given in ``personalisation``, a UK mobile number or an email address. Otherwise 400 with
  Notify's ``ValidationError`` / ``BadRequestError`` words.
* A 201 answer shaped as Notify's: ``id``, ``reference``, ``content``, ``uri``, ``template``.

It records every accepted request (and every refusal), and `fail_next` makes it answer 500 or
429 as Notify does when it is down or rate-limiting, to test retries.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

TOKEN_LEEWAY_S = 30  # Notify: "your system clock must be accurate to within 30 seconds"
SMS_MAX_CHARACTERS = 918
PLACEHOLDER = re.compile(r"\(\(([^()]+)\)\)")
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")
ENDPOINTS = {"/v2/notifications/email": "email", "/v2/notifications/sms": "sms"}
FIELDS = {
    "email": {
        "required": ("email_address", "template_id"),
        "optional": (
            "personalisation",
            "reference",
            "email_reply_to_id",
            "one_click_unsubscribe_url",
            "scheduled_for",
        ),
    },
    "sms": {
        "required": ("phone_number", "template_id"),
        "optional": ("personalisation", "reference", "sms_sender_id", "scheduled_for"),
    },
}
FAILURES = {
    500: ("Exception", "Internal server error"),
    503: ("Exception", "Internal server error"),
    429: ("RateLimitError", "Exceeded rate limit for key type LIVE of 3000 requests per 60 seconds"),
}


@dataclass(frozen=True)
class StubTemplate:
    id: str
    type: str  # "email" or "sms"
    body: str
    subject: str | None = None
    version: int = 1

    @property
    def placeholders(self) -> list[str]:
        seen: list[str] = []
        for name in PLACEHOLDER.findall((self.subject or "") + "\n" + self.body):
            if name.strip() not in seen:
                seen.append(name.strip())
        return seen

    def fill(self, text: str, values: dict[str, Any]) -> str:
        return PLACEHOLDER.sub(lambda m: _shown(values[m.group(1).strip()]), text)


@dataclass
class Received:
    kind: str  # "email" or "sms"
    body: dict[str, Any]
    claims: dict[str, Any]
    headers: dict[str, str]
    notification_id: str
    content: dict[str, str]


@dataclass
class Refused:
    path: str
    status: int
    errors: list[dict[str, str]]


class _Problem(Exception):
    def __init__(self, status: int, error: str, message: str | list[str]) -> None:
        self.status = status
        messages = message if isinstance(message, list) else [message]
        self.errors = [{"error": error, "message": m} for m in messages]


def _b64decode(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


@dataclass
class NotifyStub:
    """The stand-in; `start()` it (or use `running()`), give the channel `api_key` and `url`."""

    service_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    secret: str = field(default_factory=lambda: str(uuid.uuid4()))
    key_name: str = "venue_hire_test"
    email_template: StubTemplate = field(
        default_factory=lambda: StubTemplate(str(uuid.uuid4()), "email", "((body))", subject="((subject))")
    )
    sms_template: StubTemplate = field(
        default_factory=lambda: StubTemplate(str(uuid.uuid4()), "sms", "((body))")
    )
    clock: Callable[[], float] = time.time
    received: list[Received] = field(default_factory=list)
    refused: list[Refused] = field(default_factory=list)
    _failures: list[int] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _server: ThreadingHTTPServer | None = None
    _thread: threading.Thread | None = None
    extra_templates: list[StubTemplate] = field(default_factory=list)

    @property
    def api_key(self) -> str:
        return f"{self.key_name}-{self.service_id}-{self.secret}"

    @property
    def url(self) -> str:
        assert self._server is not None, "start the stub first"
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def templates(self) -> dict[str, StubTemplate]:
        every = [self.email_template, self.sms_template, *self.extra_templates]
        return {t.id: t for t in every}

    def fail_next(self, status: int, times: int = 1) -> None:
        """Answer the next `times` authorised requests with `status` (500, 503 or 429) as Notify does."""
        assert status in FAILURES
        with self._lock:
            self._failures.extend([status] * times)

    def start(self) -> NotifyStub:
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                stub._handle(self)

            def do_GET(self) -> None:
                stub._handle(self)

            def log_message(self, format: str, *args: Any) -> None:
                return None  # quiet: the test output is for the tests

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), name="notify-stub", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(5)

    @contextmanager
    def running(self) -> Iterator[NotifyStub]:
        self.start()
        try:
            yield self
        finally:
            self.stop()

    # The request --------------------------------------------------------------------------------

    def _handle(self, request: BaseHTTPRequestHandler) -> None:
        length = int(request.headers.get("Content-Length") or 0)
        raw = request.rfile.read(length) if length else b""
        try:
            status, answer = self._answer(request, raw)
        except _Problem as problem:
            with self._lock:
                self.refused.append(Refused(request.path, problem.status, problem.errors))
            status, answer = problem.status, {"status_code": problem.status, "errors": problem.errors}
        data = json.dumps(answer).encode()
        request.send_response(status)
        request.send_header("Content-Type", "application/json")
        request.send_header("Content-Length", str(len(data)))
        request.end_headers()
        request.wfile.write(data)

    def _answer(self, request: BaseHTTPRequestHandler, raw: bytes) -> tuple[int, dict[str, Any]]:
        kind = ENDPOINTS.get(request.path.split("?", 1)[0])
        if kind is None or request.command != "POST":
            raise _Problem(404, "NoResultFound", "No result found")
        claims = self._authorise(request.headers.get("Authorization"))
        with self._lock:
            failure = self._failures.pop(0) if self._failures else None
        if failure is not None:
            error, message = FAILURES[failure]
            raise _Problem(failure, error, message)
        body = self._json(request.headers.get("Content-Type", ""), raw)
        self._check_fields(kind, body)
        template = self._template(kind, body)
        values = body.get("personalisation") or {}
        missing = [name for name in template.placeholders if values.get(name) is None]
        if missing:
            raise _Problem(400, "BadRequestError", f"Missing personalisation: {', '.join(missing)}")
        content = {"body": template.fill(template.body, values)}
        if not content["body"].strip():
            raise _Problem(400, "BadRequestError", "Your message is empty.")
        if kind == "email":
            content |= {
                "subject": template.fill(template.subject or "", values),
                "from_email": "venue.hire@notifications.service.gov.uk",
            }
        else:
            if len(content["body"]) > SMS_MAX_CHARACTERS:
                raise _Problem(
                    400,
                    "BadRequestError",
                    f"Text messages cannot be longer than {SMS_MAX_CHARACTERS} characters. "
                    f"Your message is {len(content['body'])} characters",
                )
            content |= {"from_number": "GOVUK"}
        notification_id = str(uuid.uuid4())
        with self._lock:
            self.received.append(
                Received(kind, body, claims, dict(request.headers.items()), notification_id, content)
            )
        base = self.url
        return 201, {
            "id": notification_id,
            "reference": body.get("reference"),
            "content": content,
            "uri": f"{base}/v2/notifications/{notification_id}",
            "template": {
                "id": template.id,
                "version": template.version,
                "uri": f"{base}/v2/template/{template.id}/version/{template.version}",
            },
            "scheduled_for": None,
        }

    def _authorise(self, header: str | None) -> dict[str, Any]:
        if not header:
            raise _Problem(401, "AuthError", "Unauthorized: authentication token must be provided")
        if header[:7].title() != "Bearer ":
            raise _Problem(401, "AuthError", "Unauthorized: authentication bearer scheme must be used")
        token = header[7:].strip()
        parts = token.split(".")
        invalid = _Problem(403, "AuthError", "Invalid token: signature, api token is not valid")
        if len(parts) != 3:
            raise invalid
        try:
            head = json.loads(_b64decode(parts[0]))
            claims = json.loads(_b64decode(parts[1]))
            signature = _b64decode(parts[2])
        except ValueError:
            raise invalid from None
        if not isinstance(head, dict) or not isinstance(claims, dict):
            raise invalid
        if head.get("alg") != "HS256":
            raise _Problem(403, "AuthError", "Invalid token: algorithm used is not HS256")
        if "iss" not in claims:
            raise _Problem(403, "AuthError", "Invalid token: iss field not provided")
        if claims["iss"] != self.service_id:
            raise _Problem(403, "AuthError", "Invalid token: service not found")
        signed = f"{parts[0]}.{parts[1]}".encode()
        expected = hmac.new(self.secret.encode(), signed, hashlib.sha256).digest()
        if not hmac.compare_digest(expected, signature):
            raise invalid
        iat = claims.get("iat")
        if not isinstance(iat, int | float) or isinstance(iat, bool):
            raise _Problem(403, "AuthError", "Invalid token: iat field not provided")
        if abs(self.clock() - iat) > TOKEN_LEEWAY_S:
            raise _Problem(
                403, "AuthError", "Invalid token: expired, check that your system clock is accurate"
            )
        return claims

    @staticmethod
    def _json(content_type: str, raw: bytes) -> dict[str, Any]:
        if content_type.split(";")[0].strip().lower() != "application/json":
            raise _Problem(400, "BadRequestError", "Invalid JSON supplied in POST data")
        try:
            body = json.loads(raw)
        except ValueError:
            raise _Problem(400, "BadRequestError", "Invalid JSON supplied in POST data") from None
        if not isinstance(body, dict):
            raise _Problem(400, "ValidationError", "POST data is not of type object")
        return body

    @staticmethod
    def _check_fields(kind: str, body: dict[str, Any]) -> None:
        allowed = FIELDS[kind]
        problems: list[str] = []
        for name in allowed["required"]:
            if name not in body:
                problems.append(f"{name} is a required property")
        unexpected = sorted(set(body) - set(allowed["required"]) - set(allowed["optional"]))
        if unexpected:
            problems.append(f"Additional properties are not allowed ({', '.join(unexpected)} was unexpected)")
        for name, value in body.items():
            if name == "personalisation":
                # Notify takes any JSON values here; a placeholder left None counts as missing.
                if not isinstance(value, dict):
                    problems.append("personalisation is not of type object")
            elif name in allowed["required"] + allowed["optional"] and not isinstance(value, str):
                problems.append(f"{name} is not of type string")
        if not problems:
            if kind == "email" and not EMAIL.fullmatch(body["email_address"]):
                problems.append("email_address Not a valid email address")
            if kind == "sms":
                why = _not_a_uk_mobile(body["phone_number"])
                if why:
                    problems.append(f"phone_number {why}")
            try:
                uuid.UUID(body["template_id"])
            except ValueError:
                problems.append("template_id is not a valid UUID")
        if problems:
            raise _Problem(400, "ValidationError", problems)

    def _template(self, kind: str, body: dict[str, Any]) -> StubTemplate:
        template = self.templates.get(str(uuid.UUID(body["template_id"])))
        if template is None:
            raise _Problem(400, "BadRequestError", "Template not found")
        if template.type != kind:
            raise _Problem(
                400, "BadRequestError", f"{template.type} template is not suitable for {kind} notification"
            )
        return template


def _not_a_uk_mobile(number: str) -> str | None:
    """Notify's words for a number it would not text (this service may text UK numbers only)."""
    digits = re.sub(r"[\s()\-]", "", number)
    if digits.startswith("+") and not digits.startswith("+44"):
        return "Not a UK mobile number"
    for prefix in ("+44", "0044", "44", "0"):
        if digits.startswith(prefix):
            digits = digits[len(prefix) :]
            break
    if digits.startswith("0"):
        digits = digits[1:]  # +44 (0)7...
    if not digits.isdigit():
        return "Must not contain letters or symbols"
    if not digits.startswith("7"):
        return "Not a UK mobile number"
    if len(digits) > 10:
        return "Too many digits"
    if len(digits) < 10:
        return "Not enough digits"
    return None


def _shown(value: Any) -> str:
    """A personalisation value as Notify puts it in the message (a list becomes bullet lines)."""
    if isinstance(value, list):
        return "\n".join(f"* {item}" for item in value)
    return str(value)
