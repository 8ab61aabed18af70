"""The language of the messages a hirer is sent: the language their request was made in
(`VettingCase.language`), English or Welsh. Staff messages are always English.

The hirer templates (casework/message_templates/) mark their words for gettext (``{% trans %}``,
``_()``); the Welsh is in casework's own catalogue, ``casework/translations/cy/LC_MESSAGES/
messages.po``, extracted by ``make translations`` as the pages' catalogue is. It is casework's own
rather than the web pages' (api/translations) because casework words its messages without the web
layer, which it may not import. Like the pages' catalogue it is compiled in memory on first use
(fuzzy entries left out), so nothing is compiled at install.

Dates in messages are written by `long_date` and `clock` in the message's language; English keeps
the forms it had ("Tuesday 12 January 2027", "19:00").
"""

from __future__ import annotations

import datetime as dt
import io
from functools import cache
from pathlib import Path

from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

ENGLISH = "en"
WELSH = "cy"
LANGUAGES = (ENGLISH, WELSH)
CATALOGUES = Path(__file__).resolve().parent / "translations"


def compiled(po: Path, language: str) -> NullTranslations:
    """A .po catalogue compiled in memory; fuzzy entries (unreviewed guesses) are left out, as
    pybabel's own compile leaves them out. English (the msgids) needs none."""
    if language == ENGLISH or not po.is_file():
        return NullTranslations()
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(fp=buffer)


@cache
def translations(language: str) -> NullTranslations:
    return compiled(CATALOGUES / language / "LC_MESSAGES" / "messages.po", language)


def language_of(value: object) -> str:
    """A case's language as messages use it: anything but Welsh reads as English."""
    return WELSH if value == WELSH else ENGLISH


def gettext(message: str, language: str) -> str:
    return translations(language_of(language)).gettext(message)


def long_date(day: dt.date, language: str, english: str = "%A %d %B %Y") -> str:
    """ "Tuesday 12 January 2027" (strftime `english`, as each message had it), in Welsh
    "Dydd Mawrth 12 Ionawr 2027" (CLDR's names)."""
    if language_of(language) == ENGLISH:
        return day.strftime(english)
    text = format_date(day, "EEEE d MMMM y", locale=WELSH)
    return text[:1].upper() + text[1:]


def clock(moment: dt.datetime | dt.time) -> str:
    """ "19:00": the 24-hour clock reads the same in English and Welsh messages."""
    return f"{moment:%H:%M}"


def date_range(start: dt.datetime, end: dt.datetime, language: str) -> str:
    """ "Tuesday 12 January 2027, 19:00 to 21:00" ("..., 19:00 i 21:00")."""
    day = long_date(start.date(), language, "%A %-d %B %Y")
    return gettext("%(day)s, %(start)s to %(end)s", language) % {
        "day": day,
        "start": clock(start),
        "end": clock(end),
    }


__all__ = [
    "CATALOGUES",
    "ENGLISH",
    "LANGUAGES",
    "WELSH",
    "clock",
    "compiled",
    "date_range",
    "gettext",
    "language_of",
    "long_date",
    "translations",
]
