"""Wording a message: the default text from its template files, or the council's own words.

A council or partner may word any message its own way (`Provider.message_templates`, by name:
``{"subject": ..., "body": ...}``, with ``{placeholders}``). Its subject replaces the default
subject and its body replaces the default opening (the template's ``body`` block); the booking,
what happens next and the link (for a hirer) or the case link (for staff) are always added by the
template's layout, so a council's text can never leave them out. A part it leaves out, or one
that cannot be filled in (an unknown or malformed placeholder), falls back to the default text,
so a template never stops a message.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from casework.message_catalogue import BY_NAME, HIRER, NAMES
from casework.message_language import ENGLISH, language_of
from casework.message_render import Rendered, default_parts, has_templates, render, render_plain

DEFAULT_ORGANISATION = "the council"


@dataclass(frozen=True)
class Message:
    """A message by name and the values of its placeholders; worded when it is sent."""

    name: str
    fields: dict[str, str] = field(default_factory=dict)


def _defaults() -> dict[str, tuple[str, str, tuple[str, ...]]]:
    out: dict[str, tuple[str, str, tuple[str, ...]]] = {}
    for name in NAMES:
        placeholders = BY_NAME[name].placeholders
        subject, body = default_parts(name, {p: "{" + p + "}" for p in placeholders})
        out[name] = (subject, body, placeholders)
    return out


# name -> (default subject, default opening, the placeholders it may use), the subject and
# opening written with {placeholders}: what the admin pages show beside a council's own words.
# Code may register wording for a name that has no template files here (it is sent as written).
DEFAULTS: dict[str, tuple[str, str, tuple[str, ...]]] = _defaults()
MESSAGE_NAMES = tuple(DEFAULTS)


class _PlainFormatter(string.Formatter):
    """Fills in ``{name}`` only: no attribute or index look-ups, no conversions or formats, so
    a template an administrator typed cannot reach into the values' objects."""

    def __init__(self, allowed: tuple[str, ...]) -> None:
        self.allowed = allowed

    def get_field(self, field_name: str, args: Any, kwargs: Mapping[str, Any]) -> Any:
        if field_name not in self.allowed:
            raise KeyError(field_name)
        return kwargs[field_name], field_name

    def convert_field(self, value: Any, conversion: str | None) -> Any:
        if conversion:
            raise ValueError("conversions are not allowed")
        return value

    def format_field(self, value: Any, format_spec: str) -> Any:
        if format_spec:
            raise ValueError("formats are not allowed")
        return str(value)


def placeholders_of(name: str) -> tuple[str, ...]:
    kind = BY_NAME.get(name)
    return kind.placeholders if kind is not None else DEFAULTS[name][2]


def known(name: str) -> bool:
    return name in BY_NAME or name in DEFAULTS


def _fill(template: str, name: str, values: Mapping[str, str]) -> str:
    return _PlainFormatter(placeholders_of(name)).vformat(template, (), dict(values))


def template_problem(name: str, template: str) -> str | None:
    """Why a council's text for message `name` cannot be used, or None when it can."""
    if not known(name):
        return f"unknown message {name!r}; known: {', '.join(MESSAGE_NAMES)}"
    try:
        _fill(template, name, dict.fromkeys(placeholders_of(name), "x"))
    except (KeyError, ValueError, IndexError) as exc:
        allowed = ", ".join("{" + p + "}" for p in placeholders_of(name))
        return f"cannot be filled in ({exc}); the placeholders it may use are {allowed}"
    return None


def _own_part(own: Mapping[str, Any], part: str, name: str, values: Mapping[str, str]) -> str | None:
    chosen = own.get(part)
    if not isinstance(chosen, str) or not chosen.strip():
        return None
    try:
        return _fill(chosen, name, values)
    except (KeyError, ValueError, IndexError):
        return None  # a template that cannot be filled in: the default text instead


def compose(
    message: Message, templates: Mapping[str, Any] | None = None, language: str = ENGLISH
) -> Rendered:
    """Subject, plain text and HTML of `message` in `language`, in the organisation's words where
    it has any. A council's own words are English: a message in Welsh takes the service's Welsh
    wording instead, rather than reach a Welsh reader half in each language."""
    name = message.name
    kind = BY_NAME.get(name)
    if kind is None or kind.audience != HIRER:
        language = ENGLISH  # staff read English
    blank = dict.fromkeys(placeholders_of(name), "")
    values = blank | {"organisation": DEFAULT_ORGANISATION} | message.fields
    own = (templates or {}).get(name) if language_of(language) == ENGLISH else None
    own = own if isinstance(own, dict) else {}
    own_subject = _own_part(own, "subject", name, values)
    own_body = _own_part(own, "body", name, values)
    if has_templates(name):
        return render(name, values, own_subject=own_subject, own_body=own_body, language=language)
    default_subject, default_body, _ = DEFAULTS[name]
    return render_plain(
        own_subject or _fill(default_subject, name, values), own_body or _fill(default_body, name, values)
    )


def word(message: Message, templates: Mapping[str, Any] | None = None) -> tuple[str, str]:
    """Subject and plain-text body of `message` in the organisation's words, else the default ones."""
    rendered = compose(message, templates)
    return rendered.subject, rendered.text
