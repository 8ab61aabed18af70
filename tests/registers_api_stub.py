"""Local stand-ins for the Companies House public data API and the Charity Commission Register API.

They answer on loopback as the published APIs describe, and check each request as those do:

* Companies House (`/company/{number}`, `/company/{number}/insolvency`,
  `/company/{number}/persons-with-significant-control`): GET only; HTTP basic auth with the API
  key as the user name and an empty password, else 401; 404 for a company it does not hold, for
  a company with no insolvency case, and for one with no PSCs recorded; a company number of eight
  letters or digits. 600 requests in a five-minute window, then 429 with the X-Ratelimit-*
  headers (and Retry-After when ``retry_after`` is set); ``limit`` lowers the window for tests.
* Charity Commission (`/register/api/allcharitydetailsV2/{number}/{suffix}`): GET only; the
  subscription key in the ``Ocp-Apim-Subscription-Key`` header, else 401 as API Management
  answers; 404 for a charity it does not hold.

Every request is recorded (path, status, and the headers that matter) so tests can see what was
asked and how often. All names are invented.
"""

from __future__ import annotations

import base64
import json
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

_COMPANY = re.compile(r"/company/(?P<number>[^/]+)(?P<rest>/insolvency|/persons-with-significant-control)?")
_CHARITY = re.compile(r"/register/api/allcharitydetailsV2/(?P<number>\d+)/(?P<suffix>\d+)")


@dataclass
class Seen:
    path: str
    status: int
    authorization: str | None
    subscription_key: str | None


@dataclass
class RegistersStub:
    api_key: str = "ch-test-key"
    subscription_key: str = "cc-test-key"
    companies: dict[str, dict[str, Any]] = field(default_factory=dict)
    insolvency: dict[str, dict[str, Any]] = field(default_factory=dict)
    pscs: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    charities: dict[tuple[int, int], dict[str, Any]] = field(default_factory=dict)
    limit: int = 600
    period: float = 300.0
    retry_after: int | None = None
    seen: list[Seen] = field(default_factory=list)
    _window: list[float] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @contextmanager
    def running(self) -> Iterator[RegistersStub]:
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # http.server's name
                stub._handle(self)

            def do_POST(self) -> None:
                stub._reply(self, 405, {"error": "Method not allowed"})

            def log_message(self, format: str, *args: object) -> None:
                return

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self._server.shutdown()
            self._server.server_close()

    def count(self, fragment: str) -> int:
        return sum(1 for s in self.seen if fragment in s.path)

    def _reply(
        self, request: BaseHTTPRequestHandler, status: int, body: Any, headers: dict[str, str] | None = None
    ) -> None:
        data = json.dumps(body).encode()
        with self._lock:
            self.seen.append(
                Seen(
                    request.path,
                    status,
                    request.headers.get("Authorization"),
                    request.headers.get("Ocp-Apim-Subscription-Key"),
                )
            )
        request.send_response(status)
        request.send_header("Content-Type", "application/json")
        request.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            request.send_header(name, value)
        request.end_headers()
        request.wfile.write(data)

    def _handle(self, request: BaseHTTPRequestHandler) -> None:
        path = request.path.split("?", 1)[0]
        if (match := _CHARITY.fullmatch(path)) is not None:
            if request.headers.get("Ocp-Apim-Subscription-Key") != self.subscription_key:
                self._reply(
                    request,
                    401,
                    {
                        "statusCode": 401,
                        "message": "Access denied due to missing subscription key. "
                        "Make sure to include subscription key when making requests to an API.",
                    },
                )
                return
            found = self.charities.get((int(match["number"]), int(match["suffix"])))
            self._reply(request, 200 if found else 404, found or {"message": "Not found"})
            return
        if (match := _COMPANY.fullmatch(path)) is None:
            self._reply(request, 404, {"error": "Not found"})
            return
        expected = "Basic " + base64.b64encode(f"{self.api_key}:".encode()).decode()
        if request.headers.get("Authorization") != expected:
            self._reply(request, 401, {"error": "Invalid Authorization", "type": "ch:service"})
            return
        now = time.monotonic()
        with self._lock:
            self._window[:] = [t for t in self._window if now - t < self.period]
            limited = len(self._window) >= self.limit
            if not limited:
                self._window.append(now)
            remaining = max(0, self.limit - len(self._window))
        rate = {
            "X-Ratelimit-Limit": str(self.limit),
            "X-Ratelimit-Remain": str(remaining),
            "X-Ratelimit-Reset": str(int(time.time() + self.period)),
            "X-Ratelimit-Window": "5m",
        }
        if limited:
            if self.retry_after is not None:
                rate["Retry-After"] = str(self.retry_after)
            self._reply(request, 429, {"error": "Rate limit exceeded"}, rate)
            return
        number, rest = match["number"], match["rest"] or ""
        if not re.fullmatch(r"[A-Z0-9]{8}", number) or number not in self.companies:
            self._reply(
                request, 404, {"errors": [{"error": "company-profile-not-found", "type": "ch:service"}]}, rate
            )
            return
        if rest == "/insolvency":
            case = self.insolvency.get(number)
            self._reply(request, 200 if case else 404, case or {"errors": [{"error": "not-found"}]}, rate)
            return
        if rest:
            items = self.pscs.get(number)
            body = (
                {"items": items, "total_results": len(items)}
                if items
                else {"errors": [{"error": "not-found"}]}
            )
            self._reply(request, 200 if items else 404, body, rate)
            return
        self._reply(request, 200, self.companies[number], rate)

    def release(self) -> None:
        """Let the rate window pass (what waiting for it would do), without the wait."""
        with self._lock:
            self._window.clear()
