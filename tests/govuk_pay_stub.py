"""A local stand-in for GOV.UK Pay's public API, on loopback, that checks requests as the API
reference describes them (https://docs.payments.service.gov.uk/api_reference/); the real
service cannot be reached from the tests.

* ``Authorization: Bearer <API key>`` on every call, else 401.
* ``POST /v1/payments``: JSON (``Content-Type: application/json``) with ``amount`` an integer of
  pence from 1 to 10,000,000 (not a boolean, not a float), ``reference`` and ``description``
  strings of 1 to 255 characters, ``return_url`` an absolute http(s) URL of at most 2,000
  characters; optional fields only from the documented list, ``language`` only ``en`` or
  ``cy``. A missing field is 400 ``P0101``
  ("Missing mandatory attribute"), a wrong one 400 ``P0102`` ("Invalid attribute value"), an
  unknown one 400 ``P0102`` too. Success is 201 with ``payment_id``, ``state`` (``created``, not
  finished) and ``_links.next_url`` / ``self``.
* ``GET /v1/payments/{payment_id}``: the payment with its current ``state``; 404 ``P0200``.

`finish` plays the payer: ``success``, or ``failed`` with the code GOV.UK Pay gives (``P0030``
the payer cancelled, ``P0010`` declined). `webhook` builds a signed webhook body as GOV.UK Pay
sends it (``Pay-Signature``: HMAC-SHA256 of the body with the signing secret, hex).

Refunds (https://docs.payments.service.gov.uk/refunding_payments/):

* each payment carries ``refund_summary`` (``status``: ``pending`` until it succeeds, then
  ``available`` until ``full``; ``unavailable`` when it did not succeed; ``amount_available``,
  ``amount_submitted``);
* ``POST /v1/payments/{payment_id}/refunds``: JSON with ``amount`` (integer pence, 1 to
  10,000,000) and optionally ``refund_amount_available`` (integer), nothing else. Missing
  ``amount``: 400 ``P0601``; a wrong or unknown field: 400 ``P0602``; an unknown payment: 404
  ``P0600``; a payment whose refund status is not ``available``, or an amount over what is
  available: 400 ``P0603``; ``refund_amount_available`` not what is available: 412 ``P0604``.
  Success: 202 with ``refund_id``, ``created_date``, ``amount``, ``status`` ``submitted``,
  ``_links``;
* ``GET /v1/payments/{payment_id}/refunds/{refund_id}``: the refund; 404 ``P0700``.

`settle_refund` plays GOV.UK Pay finishing a refund (``success``, or ``error``, which gives the
amount back to what is available).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import string
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlparse

REQUIRED = ("amount", "reference", "description", "return_url")
OPTIONAL = (
    "language",
    "email",
    "prefilled_cardholder_details",
    "metadata",
    "delayed_capture",
    "moto",
    "set_up_agreement",
    "agreement_id",
    "authorisation_mode",
)
MESSAGES = {"P0030": "Payment was cancelled by the user", "P0010": "Payment method rejected"}


@dataclass
class PayStub:
    api_key: str
    base_url: str = ""
    payments: dict[str, dict[str, Any]] = field(default_factory=dict)
    accepted: list[dict[str, Any]] = field(default_factory=list)
    refused: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    refunds: dict[str, dict[str, Any]] = field(default_factory=dict)
    refund_requests: list[dict[str, Any]] = field(default_factory=list)

    def finish(self, payment_id: str, status: str, code: str | None = None) -> None:
        state: dict[str, Any] = {"status": status, "finished": True}
        if code:
            state.update(code=code, message=MESSAGES.get(code, "failed"))
        payment = self.payments[payment_id]
        payment["state"] = state
        payment["refund_summary"] = {
            "status": "available" if status == "success" else "unavailable",
            "amount_available": payment["amount"] if status == "success" else 0,
            "amount_submitted": 0,
        }

    def settle_refund(self, refund_id: str, status: str) -> None:
        refund = self.refunds[refund_id]
        refund["status"] = status
        if status == "error":  # the money never left: it is available again
            summary = self.payments[refund["payment_id"]]["refund_summary"]
            summary["amount_available"] += refund["amount"]
            summary["amount_submitted"] -= refund["amount"]
            summary["status"] = "available"

    def webhook(
        self, payment_id: str, secret: str, event: str = "card_payment_succeeded"
    ) -> tuple[bytes, str]:
        body = json.dumps(
            {
                "webhook_message_id": secrets.token_hex(13),
                "created_date": "2027-01-04T10:00:00.000Z",
                "resource_id": payment_id,
                "api_version": 1,
                "resource_type": "payment",
                "event_type": event,
                "resource": self.payments[payment_id],
            }
        ).encode()
        return body, hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()

    # ------------------------------------------------------------------ checking a request

    def create(self, headers: Any, raw: bytes) -> tuple[int, dict[str, Any]]:
        if not (headers.get("Content-Type") or "").startswith("application/json"):
            return 415, {"code": "P0102", "description": "Content-Type must be application/json"}
        try:
            body = json.loads(raw)
        except ValueError:
            return 400, {"code": "P0102", "description": "Invalid JSON"}
        if not isinstance(body, dict):
            return 400, {"code": "P0102", "description": "Invalid JSON"}
        for name in REQUIRED:
            if name not in body:
                return 400, {
                    "field": name,
                    "code": "P0101",
                    "description": f"Missing mandatory attribute: {name}",
                }
        for name in body:
            if name not in REQUIRED + OPTIONAL:
                return 400, {
                    "field": name,
                    "code": "P0102",
                    "description": f"Invalid attribute value: {name}",
                }
        amount = body["amount"]
        if isinstance(amount, bool) or not isinstance(amount, int) or not 1 <= amount <= 10_000_000:
            return 400, {"field": "amount", "code": "P0102", "description": "Invalid attribute value: amount"}
        for name in ("reference", "description"):
            value = body[name]
            if not isinstance(value, str) or not 1 <= len(value) <= 255:
                return 400, {
                    "field": name,
                    "code": "P0102",
                    "description": f"Invalid attribute value: {name}",
                }
        # Optional, but when given only "en" or "cy" (the languages GOV.UK Pay's pages come in).
        if "language" in body and body["language"] not in ("en", "cy"):
            return 400, {
                "field": "language",
                "code": "P0102",
                "description": "Invalid attribute value: language",
            }
        url = body["return_url"]
        parsed = urlparse(url) if isinstance(url, str) else None
        if parsed is None or parsed.scheme not in ("http", "https") or not parsed.netloc or len(url) > 2000:
            return 400, {
                "field": "return_url",
                "code": "P0102",
                "description": "Invalid attribute value: return_url",
            }
        payment_id = "".join(secrets.choice(string.ascii_lowercase + string.digits) for _ in range(26))
        payment = {
            "payment_id": payment_id,
            "amount": amount,
            "reference": body["reference"],
            "description": body["description"],
            "return_url": url,
            "language": body.get("language", "en"),
            "payment_provider": "sandbox",
            "created_date": "2027-01-04T09:59:00.000Z",
            "state": {"status": "created", "finished": False},
            "refund_summary": {"status": "pending", "amount_available": amount, "amount_submitted": 0},
            "_links": {
                "self": {"href": f"{self.base_url}/v1/payments/{payment_id}", "method": "GET"},
                "next_url": {"href": f"{self.base_url}/secure/{payment_id}", "method": "GET"},
            },
        }
        self.payments[payment_id] = payment
        self.accepted.append(body)
        return 201, payment

    def refund(self, payment_id: str, headers: Any, raw: bytes) -> tuple[int, dict[str, Any]]:
        if not (headers.get("Content-Type") or "").startswith("application/json"):
            return 415, {"code": "P0602", "description": "Content-Type must be application/json"}
        try:
            body = json.loads(raw)
        except ValueError:
            return 400, {"code": "P0602", "description": "Invalid JSON"}
        if not isinstance(body, dict):
            return 400, {"code": "P0602", "description": "Invalid JSON"}
        if "amount" not in body:
            return 400, {
                "field": "amount",
                "code": "P0601",
                "description": "Missing mandatory attribute: amount",
            }
        for name, value in body.items():
            whole = isinstance(value, int) and not isinstance(value, bool)
            if name not in ("amount", "refund_amount_available") or not whole or not 1 <= value <= 10_000_000:
                return 400, {
                    "field": name,
                    "code": "P0602",
                    "description": f"Invalid attribute value: {name}",
                }
        payment = self.payments.get(payment_id)
        if payment is None:
            return 404, {"code": "P0600", "description": "Not found"}
        summary = payment["refund_summary"]
        if summary["status"] != "available" or body["amount"] > summary["amount_available"]:
            return 400, {
                "code": "P0603",
                "description": "The payment is not available for refund. "
                f"Payment refund status: {summary['status']}",
            }
        if (
            "refund_amount_available" in body
            and body["refund_amount_available"] != summary["amount_available"]
        ):
            return 412, {"code": "P0604", "description": "Refund amount available mismatch."}
        refund_id = "".join(secrets.choice(string.ascii_lowercase + string.digits) for _ in range(26))
        refund = {
            "refund_id": refund_id,
            "payment_id": payment_id,
            "created_date": "2027-01-05T10:00:00.000Z",
            "amount": body["amount"],
            "status": "submitted",
            "_links": {
                "self": {
                    "href": f"{self.base_url}/v1/payments/{payment_id}/refunds/{refund_id}",
                    "method": "GET",
                },
                "payment": {"href": f"{self.base_url}/v1/payments/{payment_id}", "method": "GET"},
            },
        }
        summary["amount_available"] -= body["amount"]
        summary["amount_submitted"] += body["amount"]
        if summary["amount_available"] == 0:
            summary["status"] = "full"
        self.refunds[refund_id] = refund
        self.refund_requests.append(body)
        return 202, {k: v for k, v in refund.items() if k != "payment_id"}


def _handler(stub: PayStub) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            return

        def _answer(self, code: int, body: dict[str, Any]) -> None:
            if code >= 400:
                stub.refused.append((code, body))
            data = json.dumps(body).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _authorised(self) -> bool:
            if self.headers.get("Authorization") != f"Bearer {stub.api_key}":
                self._answer(401, {"code": "P0920", "description": "Unauthorised"})
                return False
            return True

        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if not self._authorised():
                return
            parts = self.path.strip("/").split("/")
            if len(parts) == 4 and parts[:2] == ["v1", "payments"] and parts[3] == "refunds":
                self._answer(*stub.refund(parts[2], self.headers, raw))
                return
            if self.path != "/v1/payments":
                self._answer(404, {"code": "P0200", "description": "Not found"})
                return
            self._answer(*stub.create(self.headers, raw))

        def do_GET(self) -> None:
            if not self._authorised():
                return
            parts = self.path.strip("/").split("/")
            if len(parts) == 5 and parts[:2] == ["v1", "payments"] and parts[3] == "refunds":
                refund = stub.refunds.get(parts[4])
                if refund is None or refund["payment_id"] != parts[2]:
                    self._answer(404, {"code": "P0700", "description": "Not found"})
                    return
                self._answer(200, {k: v for k, v in refund.items() if k != "payment_id"})
                return
            prefix = "/v1/payments/"
            found = stub.payments.get(self.path[len(prefix) :]) if self.path.startswith(prefix) else None
            if found is None:
                self._answer(404, {"code": "P0200", "description": "Not found"})
                return
            self._answer(200, found)

    return Handler


@contextmanager
def running_pay_stub(api_key: str) -> Iterator[PayStub]:
    stub = PayStub(api_key)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(stub))
    stub.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield stub
    finally:
        server.shutdown()
        server.server_close()
