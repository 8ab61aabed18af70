"""UK mobile numbers: the hirer's number for text messages, checked and written one way.

A hirer types a number as they know it (``07700 900123``, ``+44 (0)7700-900123``); it is kept
as ``+447700900123`` once they agree to texts, so every message goes to the same written form
and GOV.UK Notify never has to guess. Only Ofcom's mobile ranges count (071-075, 077-079 and the
Isle of Man's 07624): 070 personal numbers and 076 pagers cannot receive a text reminder.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

_SEPARATORS = re.compile(r"[\s\-().]")
_NATIONAL = re.compile(r"7\d{9}")  # the number after the 0 or the +44


def uk_mobile(value: str) -> str | None:
    """``value`` as ``+447xxxxxxxxx`` when it is a UK mobile number, else None."""
    digits = _SEPARATORS.sub("", value.strip())
    for prefix in ("+440", "+44", "00440", "0044", "440", "44", "0"):
        if digits.startswith(prefix):
            digits = digits[len(prefix) :]
            break
    else:
        return None
    if not _NATIONAL.fullmatch(digits):
        return None
    mobile_range = digits[1] in "12345789" or digits.startswith("7624")
    return f"+44{digits}" if mobile_range else None


def sms_number(contact: Mapping[str, Any]) -> str | None:
    """The number to text a case's contact on: only when they agreed and gave a mobile number."""
    if contact.get("sms_consent") is not True:
        return None
    phone = contact.get("phone")
    return uk_mobile(phone) if isinstance(phone, str) else None
