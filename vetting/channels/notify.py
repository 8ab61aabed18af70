"""GOV.UK Notify: email and text messages through Notify's own client (`notifications-python-client`).

Notify sends only from templates kept in the council's Notify account. The service's words are
written here (casework/messages, a council's own texts), so one generic email template carries
them whole: its subject is ``((subject))`` and its body ``((body))`` (README, "GOV.UK Notify").
A text uses one SMS template whose body is ``((body))``. Each message gets a ``reference`` that
says which message about which case it was, with nothing personal in it (Notify keeps references
and shows them on its dashboard); Notify's own notification id is what `deliver` returns.

Failures come back as `TemporaryDeliveryFailure` (5xx, 429, no answer: try again later) or
`PermanentDeliveryFailure` (400 and 403: the message, the template or the key was refused, and
would be again).
"""

from __future__ import annotations

import re
import threading
import uuid
from dataclasses import dataclass
from typing import Any

from notifications_python_client.errors import APIError
from notifications_python_client.notifications import NotificationsAPIClient

from vetting.channels.errors import DeliveryFailure, PermanentDeliveryFailure, TemporaryDeliveryFailure
from vetting.notify import Mail

NOTIFY_BASE_URL = "https://api.notifications.service.gov.uk"
_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
# Notify's key is "{key_name}-{service_id}-{secret}": a name the council chose, then two UUIDs.
_API_KEY = re.compile(rf"(?P<name>.+)-(?P<service_id>{_UUID})-(?P<secret>{_UUID})", re.IGNORECASE)


@dataclass(frozen=True)
class NotifyKey:
    name: str
    service_id: str  # the JWT's `iss`
    secret: str  # signs the JWT (HS256); never logged or shown


def parse_api_key(api_key: str) -> NotifyKey:
    """The parts of a Notify API key; ValueError (without the key in it) when it is not one."""
    found = _API_KEY.fullmatch(api_key.strip())
    if found is None:
        raise ValueError(
            "a GOV.UK Notify API key is the key's name, the service id and the secret joined by"
            " hyphens (name-xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx-xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)"
        )
    return NotifyKey(found["name"], found["service_id"].lower(), found["secret"].lower())


def _template_id(value: str | None, kind: str) -> str | None:
    if value is None or not value.strip():
        return None
    try:
        return str(uuid.UUID(value.strip()))
    except ValueError:
        raise ValueError(f"the Notify {kind} template id must be the template's UUID") from None


def reference_for(mail: Mail) -> str:
    """Which message about which case: the message's name and the case id, nothing personal."""
    name = re.sub(r"[^a-z0-9_]", "_", (mail.template or "message").lower())[:60]
    about = str(mail.case_id) if mail.case_id else "no-case"
    return f"venue-hire:{mail.audience}:{name}:{about}"


class NotifyChannel:
    """Sends each `Mail` through GOV.UK Notify, as an email or a text by `mail.channel`."""

    name = "notify"

    def __init__(
        self,
        api_key: str,
        *,
        email_template_id: str | None,
        sms_template_id: str | None,
        base_url: str = NOTIFY_BASE_URL,
        timeout: float = 10.0,
    ) -> None:
        self._key = parse_api_key(api_key)
        self._api_key = api_key.strip()
        self.email_template_id = _template_id(email_template_id, "email")
        self.sms_template_id = _template_id(sms_template_id, "text message")
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        # Notify's client keeps a requests.Session and says it is not thread-safe: one a thread.
        self._local = threading.local()

    @property
    def service_id(self) -> str:
        return self._key.service_id

    @property
    def sends_texts(self) -> bool:
        return self.sms_template_id is not None

    def _client(self) -> NotificationsAPIClient:
        client: NotificationsAPIClient | None = getattr(self._local, "client", None)
        if client is None:
            client = NotificationsAPIClient(self._api_key, base_url=self.base_url, timeout=self.timeout)
            self._local.client = client
        return client

    def deliver(self, mail: Mail) -> str:
        """Hand `mail` to Notify; Notify's notification id, or a `DeliveryFailure`."""
        reference = reference_for(mail)
        try:
            if mail.channel == "email":
                answer = self._client().send_email_notification(
                    email_address=mail.to,
                    template_id=self._template("email", self.email_template_id),
                    personalisation={"subject": mail.subject, "body": mail.body},
                    reference=reference,
                )
            elif mail.channel == "sms":
                answer = self._client().send_sms_notification(
                    phone_number=mail.to,
                    template_id=self._template("text message", self.sms_template_id),
                    personalisation={"body": mail.body},
                    reference=reference,
                )
            else:
                raise PermanentDeliveryFailure(f"GOV.UK Notify cannot send a {mail.channel!r} message")
        except APIError as exc:
            raise _failure(exc, mail) from None  # the cause holds the request: no recipient in tracebacks
        notification_id = answer.get("id") if isinstance(answer, dict) else None
        if not isinstance(notification_id, str) or not notification_id:
            # Accepted (2xx) but unreadable: sending again may duplicate, losing it is worse.
            raise TemporaryDeliveryFailure("GOV.UK Notify accepted the message without an id", status=None)
        return notification_id

    @staticmethod
    def _template(kind: str, template_id: str | None) -> str:
        if template_id is None:
            raise PermanentDeliveryFailure(f"no GOV.UK Notify {kind} template is configured")
        return template_id


def _failure(exc: APIError, mail: Mail) -> DeliveryFailure:
    status = exc.status_code  # 503 when no answer came at all (refused, timed out, DNS)
    words = _notify_words(exc).replace(mail.to, "[recipient]")[:300]
    text = f"GOV.UK Notify answered {status}: {words}"
    if status == 429 or status >= 500:
        return TemporaryDeliveryFailure(text, status=status)
    return PermanentDeliveryFailure(text, status=status)


def _notify_words(exc: APIError) -> str:
    """Notify's own account of the error: ``[{"error": ..., "message": ...}]`` joined up."""
    message: Any = exc.message
    if isinstance(message, list):
        return "; ".join(_one_error(item) for item in message)
    return str(message)


def _one_error(item: Any) -> str:
    if isinstance(item, dict):
        return f"{item.get('error', 'Error')}: {item.get('message', '')}"
    return str(item)
