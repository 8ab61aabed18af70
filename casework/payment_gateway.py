"""Taking money online: an interface, the manual default (no online payment: staff record what
arrives) and GOV.UK Pay, the payment platform councils use, over its published REST API.

GOV.UK Pay (https://docs.payments.service.gov.uk/api_reference/): ``POST /v1/payments`` with
``amount`` (pence), ``reference``, ``description`` and ``return_url`` answers 201 with a
``payment_id``, ``state`` and ``_links.next_url`` (where the payer goes); ``GET
/v1/payments/{payment_id}`` answers the payment with its ``state`` (``status``, ``finished``,
and for a failure a ``code``: ``P0030`` the payer cancelled, ``P0010`` declined, ...). Both take
``Authorization: Bearer <API key>``. Webhooks carry ``Pay-Signature``: the HMAC-SHA256 of the
raw body under the webhook's signing secret, in hex (`signature_ok`).

Refunds (https://docs.payments.service.gov.uk/refunding_payments/): the payment's
``refund_summary`` (``status`` ``available``, ``pending``, ``unavailable`` or ``full``, and
``amount_available``) says whether and how much may be refunded; ``POST
/v1/payments/{payment_id}/refunds`` with ``amount`` and ``refund_amount_available`` (what we
believe is still available: GOV.UK Pay refuses with 412 ``P0604`` when it is not, so a refund
raced by another is never sent twice) answers 202 with a ``refund_id`` and ``status``
(``submitted``, ``success`` or ``error``); ``GET /v1/payments/{payment_id}/refunds/{refund_id}``
answers its status now.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from typing import Any, Protocol

import httpx

GOVUK_PAY_BASE_URL = "https://publicapi.payments.service.gov.uk"
# Final statuses; "created", "started", "submitted" and "capturable" are still under way.
FINISHED = ("success", "failed", "cancelled", "error")


class PaymentUnavailable(RuntimeError):
    """The provider could not be reached or refused the request: the hirer pays another way."""


@dataclass(frozen=True)
class ProviderPayment:
    provider_ref: str
    status: str
    finished: bool
    amount: int
    next_url: str | None = None
    code: str | None = None  # the provider's reason for a failure
    refund_status: str | None = None  # refund_summary.status: available, pending, unavailable, full
    refund_available: int = 0  # refund_summary.amount_available, pence


@dataclass(frozen=True)
class ProviderRefund:
    refund_ref: str
    status: str  # submitted, success, error
    amount: int


class RefundRefused(PaymentUnavailable):
    """The provider refused the refund; `code` is its error code (P0603 not available, P0604 the
    available amount changed meanwhile, ...)."""

    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.code = code


class PaymentProvider(Protocol):
    name: str
    online: bool

    async def create(
        self, *, amount: int, reference: str, description: str, return_url: str, language: str = "en"
    ) -> ProviderPayment:
        """Start a payment; the payer is sent to its `next_url`, whose pages are in `language`
        ("en" or "cy")."""
        ...

    async def status(self, provider_ref: str) -> ProviderPayment:
        """Where a payment stands now."""
        ...

    async def refund(self, provider_ref: str, *, amount: int, available: int) -> ProviderRefund:
        """Refund part or all of a payment; `available` is what we believe is still refundable."""
        ...

    async def refund_status(self, provider_ref: str, refund_ref: str) -> ProviderRefund:
        """Where a refund stands now."""
        ...


class ManualPayments:
    """The default: no online payment. Hirers pay by the invoice's instructions; staff record it."""

    name = "manual"
    online = False

    async def create(
        self, *, amount: int, reference: str, description: str, return_url: str, language: str = "en"
    ) -> ProviderPayment:
        raise PaymentUnavailable("online payment is not set up")

    async def status(self, provider_ref: str) -> ProviderPayment:
        raise PaymentUnavailable("online payment is not set up")

    async def refund(self, provider_ref: str, *, amount: int, available: int) -> ProviderRefund:
        raise PaymentUnavailable("online payment is not set up")

    async def refund_status(self, provider_ref: str, refund_ref: str) -> ProviderRefund:
        raise PaymentUnavailable("online payment is not set up")


def provider_payment(data: dict[str, Any]) -> ProviderPayment:
    state = data.get("state") or {}
    links = data.get("_links") or {}
    refunds = data.get("refund_summary") or {}
    next_url = (links.get("next_url") or {}).get("href")
    return ProviderPayment(
        provider_ref=str(data["payment_id"]),
        status=str(state.get("status", "error")),
        finished=bool(state.get("finished", False)),
        amount=int(data.get("amount", 0)),
        next_url=str(next_url) if next_url else None,
        code=str(state["code"]) if state.get("code") else None,
        refund_status=str(refunds["status"]) if refunds.get("status") else None,
        refund_available=int(refunds.get("amount_available") or 0),
    )


def provider_refund(data: dict[str, Any]) -> ProviderRefund:
    return ProviderRefund(
        str(data["refund_id"]), str(data.get("status", "error")), int(data.get("amount", 0))
    )


class GovUkPay:
    name = "govuk_pay"
    online = True

    def __init__(self, api_key: str, base_url: str = GOVUK_PAY_BASE_URL, *, timeout: float = 10.0) -> None:
        self._key = api_key
        self._base = base_url.rstrip("/")
        self._timeout = timeout

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._key}", "Accept": "application/json"}

    async def create(
        self, *, amount: int, reference: str, description: str, return_url: str, language: str = "en"
    ) -> ProviderPayment:
        body = {
            "amount": amount,
            "reference": reference,
            "description": description,
            "return_url": return_url,
            # GOV.UK Pay's own pages in the hirer's language: the API takes "en" or "cy" only.
            "language": "cy" if language == "cy" else "en",
        }
        try:
            async with httpx.AsyncClient(timeout=self._timeout) as client:
                answer = await client.post(f"{self._base}/v1/payments", json=body, headers=self._headers())
        except httpx.HTTPError as exc:
            raise PaymentUnavailable("GOV.UK Pay did not answer") from exc
        if answer.status_code != 201:
            raise PaymentUnavailable(f"GOV.UK Pay refused the payment ({answer.status_code})")
        return provider_payment(answer.json())

    async def status(self, provider_ref: str) -> ProviderPayment:
        try:
            async with httpx.AsyncClient(timeout=self._timeout) as client:
                answer = await client.get(f"{self._base}/v1/payments/{provider_ref}", headers=self._headers())
        except httpx.HTTPError as exc:
            raise PaymentUnavailable("GOV.UK Pay did not answer") from exc
        if answer.status_code != 200:
            raise PaymentUnavailable(f"GOV.UK Pay could not find the payment ({answer.status_code})")
        return provider_payment(answer.json())

    async def refund(self, provider_ref: str, *, amount: int, available: int) -> ProviderRefund:
        body = {"amount": amount, "refund_amount_available": available}
        url = f"{self._base}/v1/payments/{provider_ref}/refunds"
        try:
            async with httpx.AsyncClient(timeout=self._timeout) as client:
                answer = await client.post(url, json=body, headers=self._headers())
        except httpx.HTTPError as exc:
            raise PaymentUnavailable("GOV.UK Pay did not answer") from exc
        if answer.status_code not in (200, 202):
            code = _error_code(answer)
            raise RefundRefused(
                f"GOV.UK Pay refused the refund ({answer.status_code} {code or ''})".strip(), code
            )
        return provider_refund(answer.json())

    async def refund_status(self, provider_ref: str, refund_ref: str) -> ProviderRefund:
        url = f"{self._base}/v1/payments/{provider_ref}/refunds/{refund_ref}"
        try:
            async with httpx.AsyncClient(timeout=self._timeout) as client:
                answer = await client.get(url, headers=self._headers())
        except httpx.HTTPError as exc:
            raise PaymentUnavailable("GOV.UK Pay did not answer") from exc
        if answer.status_code != 200:
            raise PaymentUnavailable(f"GOV.UK Pay could not find the refund ({answer.status_code})")
        return provider_refund(answer.json())


def _error_code(answer: httpx.Response) -> str | None:
    try:
        body = answer.json()
    except ValueError:
        return None
    return str(body.get("code")) if isinstance(body, dict) and body.get("code") else None


def signature_ok(body: bytes, signature: str | None, secret: str) -> bool:
    """A webhook is GOV.UK Pay's when its ``Pay-Signature`` is the HMAC-SHA256 of the body."""
    if not signature or not secret:
        return False
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature.strip().lower())
