"""Small helpers the officer pages share: reading a form field, showing a time, field errors."""

from __future__ import annotations

import datetime as dt
from typing import Any

from vetting.errors import Invalid


def form_text(form: Any, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def format_when(value: str | None) -> str:
    if not value:
        return ""
    parsed = dt.datetime.fromisoformat(value)
    return f"{parsed:%a %-d %b %Y %H:%M}"


def errors_from(exc: Invalid) -> dict[str, str]:
    return {key.replace(".", "-").replace("_", "-"): msg for key, msg in exc.errors.items()} or {
        "form": exc.message
    }
