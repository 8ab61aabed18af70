"""The hirer's answers between pages (the draft), carried signed in a hidden field.

Nothing is written to the database until the hirer presses "Send request" on the check page;
until then every page posts the whole signed draft back. The draft's random `token` is the
idempotency key, so a double submit makes one application. The draft keeps what was typed, as
typed (wrong parts too), so a page with errors shows the hirer their own words to correct.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from api.web.common import AnyRequest, sign_blob, unsign_blob

Draft = dict[str, Any]
STATE_PURPOSE = "booking-form"
FIRST_PEOPLE_ROWS = 3


def new_draft() -> Draft:
    return {"token": secrets.token_urlsafe(24), "repeat": "none", "repeat_end": "count"}


def open_draft(request: AnyRequest, blob: str) -> Draft | None:
    """The draft the page posted back, or None when it is missing or was altered."""
    draft = unsign_blob(request, STATE_PURPOSE, blob)
    return draft if isinstance(draft, dict) else None


def seal_draft(request: AnyRequest, draft: Draft) -> str:
    return sign_blob(request, STATE_PURPOSE, draft)


def text(form: Any, name: str) -> str:
    """A form field as typed, without surrounding spaces ("" when absent)."""
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def ticked(form: Any, name: str) -> list[str]:
    """Every value posted for a group of checkboxes."""
    return list(form.getall(name)) if name in form else []


# Dates are typed in the Design System's date input (day, month and year fields, date_fields.py):
# a browser's date picker shows its own format (its language's, not the page's). The hint's example.
DATE_EXAMPLE = "27 3 2027"


def parse_date(value: str) -> dt.date | None:
    """A date typed as day/month/year ("27/3/2027", "27-03-2027") or ISO ("2027-03-27"), or None."""
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        pass
    parts = value.replace("-", "/").replace(".", "/").split("/")
    if len(parts) != 3 or not all(p.strip().isdigit() for p in parts) or len(parts[2].strip()) != 4:
        return None
    try:
        return dt.date(int(parts[2]), int(parts[1]), int(parts[0]))
    except ValueError:
        return None


def parse_time(value: str) -> dt.time | None:
    """A time typed on the 24-hour clock: "18:30", "9:00" or "18.30"; None otherwise."""
    text = value.strip().replace(".", ":")
    if len(text) == 4 and text[1] == ":":
        text = "0" + text
    try:
        return dt.time.fromisoformat(text)
    except ValueError:
        return None


def parse_int(value: str) -> int | None:
    """A whole number as hirers type it ("1,200" too), or None."""
    try:
        return int(value.replace(",", ""))
    except ValueError:
        return None


def people_rows(draft: Draft) -> int:
    return int(draft.get("people_rows", FIRST_PEOPLE_ROWS))
