"""Clients for the registers' live APIs: the Companies House public data API and the Charity
Commission Register API, over httpx.

Companies House: the API key is the basic-auth user name (no password); 600 requests in any five
minutes, after which it answers 429 until the window resets. The client keeps under the limit
itself (a sliding window) and, if told 429 all the same, waits as long as Retry-After (or the
X-Ratelimit-Reset time) says, else backs off exponentially, a few times before giving up. 404
means "no such company", or on /insolvency "no insolvency case", or on
/persons-with-significant-control "none recorded". Charity Commission: the subscription key
goes in the Ocp-Apim-Subscription-Key header; a charity the register does not hold is a 404 or
an empty answer.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

COMPANIES_HOUSE_URL = "https://api.company-information.service.gov.uk"
CHARITY_COMMISSION_URL = "https://api.charitycommission.gov.uk/register/api"
Sleep = Callable[[float], Awaitable[None]]


class RegisterApiError(Exception):
    """A register's API could not answer (refused, unreachable, or still rate limited)."""


@dataclass
class RateWindow:
    """At most ``limit`` requests in any ``period`` seconds (Companies House: 600 in 5 minutes)."""

    limit: int = 600
    period: float = 300.0
    clock: Callable[[], float] = time.monotonic
    sent: deque[float] = field(default_factory=deque)

    async def wait(self, sleep: Sleep) -> None:
        now = self.clock()
        while self.sent and now - self.sent[0] >= self.period:
            self.sent.popleft()
        if len(self.sent) >= self.limit:
            await sleep(self.period - (now - self.sent[0]))
            self.sent.popleft()
        self.sent.append(self.clock())


def _retry_after(response: httpx.Response) -> float | None:
    """Seconds the server asked us to wait: Retry-After (seconds or a date), or X-Ratelimit-Reset."""
    value = response.headers.get("Retry-After", "").strip()
    if value.isdigit():
        return float(value)
    if value:
        try:
            return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
        except (TypeError, ValueError):
            pass
    reset = response.headers.get("X-Ratelimit-Reset", "").strip()
    if reset.isdigit():
        return max(0.0, float(reset) - time.time())
    return None


@dataclass
class _Api:
    base_url: str
    transport: httpx.AsyncBaseTransport | None = None
    sleep: Sleep = asyncio.sleep
    retries: int = 4
    first_backoff: float = 1.0
    max_wait: float = 300.0
    window: RateWindow | None = None

    def _client(self) -> httpx.AsyncClient:
        raise NotImplementedError

    async def get(self, path: str) -> Any | None:
        """The JSON answer, or None for a 404; RegisterApiError when it cannot be had."""
        name = type(self).__name__
        async with self._client() as client:
            for attempt in range(self.retries + 1):
                if self.window is not None:
                    await self.window.wait(self.sleep)
                try:
                    response = await client.get(path, headers={"Accept": "application/json"})
                except httpx.HTTPError as error:
                    raise RegisterApiError(f"{name}: {type(error).__name__}") from None
                if response.status_code == 404:
                    return None
                if response.status_code == 429 or response.status_code >= 500:
                    if attempt == self.retries:
                        break
                    asked = _retry_after(response) if response.status_code == 429 else None
                    wait = asked if asked is not None else self.first_backoff * 2**attempt
                    await self.sleep(min(wait, self.max_wait))
                    continue
                if response.status_code != 200:
                    raise RegisterApiError(f"{name}: answered {response.status_code}")
                if not response.content.strip():
                    return None
                try:
                    return response.json()
                except ValueError:
                    raise RegisterApiError(f"{name}: the answer is not JSON") from None
        raise RegisterApiError(f"{name}: still rate limited or failing after {self.retries + 1} tries")


@dataclass
class CompaniesHouseApi(_Api):
    api_key: str = ""
    base_url: str = COMPANIES_HOUSE_URL
    window: RateWindow | None = field(default_factory=RateWindow)

    def _client(self) -> httpx.AsyncClient:
        # The key is the user name and the password is empty, as the API's documentation says.
        return httpx.AsyncClient(
            base_url=self.base_url, auth=(self.api_key, ""), transport=self.transport, timeout=10.0
        )

    async def company(self, number: str) -> dict[str, Any] | None:
        found = await self.get(f"/company/{number}")
        return found if isinstance(found, dict) else None

    async def insolvency(self, number: str) -> dict[str, Any] | None:
        found = await self.get(f"/company/{number}/insolvency")
        return found if isinstance(found, dict) else None

    async def persons_with_significant_control(self, number: str) -> list[dict[str, Any]]:
        found = await self.get(f"/company/{number}/persons-with-significant-control")
        items = found.get("items") if isinstance(found, dict) else None
        return [item for item in items or [] if isinstance(item, dict)]


@dataclass
class CharityCommissionApi(_Api):
    subscription_key: str = ""
    base_url: str = CHARITY_COMMISSION_URL

    def _client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(
            base_url=self.base_url,
            headers={"Ocp-Apim-Subscription-Key": self.subscription_key},
            transport=self.transport,
            timeout=10.0,
        )

    async def charity(self, number: int, linked: int = 0) -> dict[str, Any] | None:
        found = await self.get(f"/allcharitydetailsV2/{number}/{linked}")
        return found if isinstance(found, dict) and found else None
