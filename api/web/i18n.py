"""English and Welsh on the public pages (issue 18 item 4).

The language of a request is decided once, by `language_middleware`: `?lang=cy` (or `en`) on any
address, else the `venue_hire_lang` cookie, else English. An explicit `?lang=` is remembered in that
cookie. Staff-only routes (no public role) always answer in English, whatever the cookie says.

The choice lives in a context variable for the rest of the request, so templates (`{% trans %}`,
`_()`), imported macros and the date helpers in `api/web/readable.py` all read the same answer
without it being threaded through every call. Catalogues are `api/translations/<lang>/LC_MESSAGES/
messages.po`, compiled in memory on first use (no build step: `make run` needs only Python).
"""

from __future__ import annotations

from contextvars import ContextVar
from functools import cache
from pathlib import Path
from typing import Any

from babel.support import NullTranslations
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from api.auth.actor import PUBLIC
from casework.message_language import compiled

TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"
LANGUAGES = ("en", "cy")
DEFAULT = "en"
COOKIE = "venue_hire_lang"
# A year: a reader who chose Welsh should not have to choose again next season.
COOKIE_MAX_AGE = 365 * 24 * 3600
HTML_LANG = {"en": "en-GB", "cy": "cy"}

_current: ContextVar[str] = ContextVar("venue_hire_language", default=DEFAULT)


def current_language() -> str:
    return _current.get()


def set_language(lang: str) -> None:
    """For code outside a request (tests, message rendering) that must speak one language."""
    _current.set(lang if lang in LANGUAGES else DEFAULT)


@cache
def translations(lang: str) -> NullTranslations:
    """The language's catalogue, compiled from its .po on first use, as casework compiles its own
    (fuzzy entries left out, so an unreviewed guess never reaches a page)."""
    return compiled(TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po", lang)


def gettext(message: str) -> str:
    return translations(_current.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(_current.get()).ngettext(singular, plural, n)


def translate(message: Any) -> Any:
    """A label of unknown origin: its translation when it is a msgid, else itself unchanged."""
    if isinstance(message, str) and message:
        return gettext(message)
    return message


def N_(message: str) -> str:
    """Marks a string for extraction where it is defined (a table of labels); the page that shows
    it translates it with `_()` at render time, in the reader's language."""
    return message


def _is_public(scope: Scope) -> bool:
    handler = scope.get("route_handler")
    opt: dict[str, Any] = getattr(handler, "opt", None) or {}
    return PUBLIC in (opt.get("roles") or ())


def _query_language(scope: Scope) -> str | None:
    for part in scope.get("query_string", b"").decode("latin-1").split("&"):
        name, _, value = part.partition("=")
        if name == "lang" and value in LANGUAGES:
            return value
    return None


def _cookie_language(scope: Scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name != b"cookie":
            continue
        for item in value.decode("latin-1").split(";"):
            key, _, val = item.strip().partition("=")
            if key == COOKIE and val in LANGUAGES:
                return val
    return None


def chosen_language(scope: Scope) -> str:
    """The reader's language from the request alone (``?lang=``, else the cookie, else English),
    for an answer made before any route matched: an address no route has never reaches
    `language_middleware`, which runs on matched routes only."""
    return _query_language(scope) or _cookie_language(scope) or DEFAULT


def language_cookie(lang: str) -> bytes:
    return f"{COOKIE}={lang}; Max-Age={COOKIE_MAX_AGE}; Path=/; SameSite=Lax; Secure; HttpOnly".encode()


def language_middleware(app: ASGIApp) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await app(scope, receive, send)
            return
        chosen = _query_language(scope)
        lang = chosen or _cookie_language(scope) or DEFAULT
        token = _current.set(lang if _is_public(scope) else DEFAULT)

        async def remember(message: Message) -> None:
            if chosen and message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), (b"set-cookie", language_cookie(chosen))]
            await send(message)

        try:
            await app(scope, receive, remember)
        finally:
            _current.reset(token)

    return middleware


__all__ = [
    "COOKIE",
    "HTML_LANG",
    "LANGUAGES",
    "N_",
    "chosen_language",
    "current_language",
    "gettext",
    "language_middleware",
    "ngettext",
    "set_language",
    "translate",
    "translations",
]
