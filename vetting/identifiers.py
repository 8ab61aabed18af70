"""Format checks for UK charity and company registration numbers.

These say whether a number *could* be real; whether it is registered is the registry
look-up's job (`vetting.registry`).

* Charity Commission for England and Wales: 6 or 7 digits (7-digit numbers start with 1),
  optionally ``-N`` for a linked charity (``1123456-1``).
* OSCR (Scotland): ``SC`` and 6 digits (``SC012345``).
* Charity Commission for Northern Ireland: ``NIC`` and 6 digits starting with 1 (``NIC100002``);
  ``NI100002`` is read as the same number.
* Companies House: 8 characters, either 8 digits (England and Wales; shorter numbers are padded
  with zeros as Companies House does) or a 2-character prefix and 6 digits (``SC123456``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

CharityRegister = Literal["charity_ew", "charity_scotland", "charity_ni"]
Register = Literal["charity_ew", "charity_scotland", "charity_ni", "companies_house"]

REGISTER_NAMES: dict[Register, str] = {
    "charity_ew": "Charity Commission for England and Wales",
    "charity_scotland": "Scottish Charity Regulator (OSCR)",
    "charity_ni": "Charity Commission for Northern Ireland",
    "companies_house": "Companies House",
}

# Companies House number prefixes and what they mean.
COMPANY_PREFIXES: dict[str, str] = {
    "AC": "assurance company (England and Wales)",
    "ZC": "unregistered company (England and Wales)",
    "FC": "overseas company",
    "GE": "European Economic Interest Grouping (England and Wales)",
    "LP": "limited partnership (England and Wales)",
    "OC": "limited liability partnership (England and Wales)",
    "SE": "European company (England and Wales)",
    "SA": "assurance company (Scotland)",
    "SZ": "unregistered company (Scotland)",
    "SF": "overseas company registered in Scotland before October 2009",
    "GS": "European Economic Interest Grouping (Scotland)",
    "SL": "limited partnership (Scotland)",
    "SO": "limited liability partnership (Scotland)",
    "SC": "company (Scotland)",
    "ES": "European company (Scotland)",
    "SG": "qualifying partnership (Scotland)",
    "NA": "assurance company (Northern Ireland)",
    "NZ": "unregistered company (Northern Ireland)",
    "NF": "overseas company registered in Northern Ireland before October 2009",
    "GN": "European Economic Interest Grouping (Northern Ireland)",
    "NL": "limited partnership (Northern Ireland)",
    "NC": "limited liability partnership (Northern Ireland)",
    "R0": "company (Northern Ireland, registered before partition)",
    "NI": "company (Northern Ireland)",
    "EN": "European company (Northern Ireland)",
    "IP": "industrial and provident society (England and Wales)",
    "SP": "industrial and provident society (Scotland)",
    "IC": "investment company with variable capital (England and Wales)",
    "SI": "investment company with variable capital (Scotland)",
    "NP": "industrial and provident society (Northern Ireland)",
    "NV": "investment company with variable capital (Northern Ireland)",
    "RC": "royal charter company (England and Wales)",
    "SR": "royal charter company (Scotland)",
    "NR": "royal charter company (Northern Ireland)",
    "NO": "credit union (Northern Ireland)",
    "CE": "charitable incorporated organisation (England and Wales)",
    "CS": "Scottish charitable incorporated organisation",
    "PC": "protected cell company",
}


@dataclass(frozen=True)
class RegistrationNumber:
    """A well-formed number in its normal form, and the register that issues it."""

    register: Register
    number: str  # normal form, e.g. "1123456", "SC012345", "NIC100002", "04567890"
    linked: int | None = None  # E&W linked-charity suffix (the N of -N)
    kind: str = ""  # what a company prefix means

    @property
    def display(self) -> str:
        return f"{self.number}-{self.linked}" if self.linked is not None else self.number


class InvalidNumber(ValueError):
    """Not a well-formed number; the message says what is expected."""


def _compact(raw: str) -> str:
    return re.sub(r"[\s.]", "", raw).upper()


_EW = re.compile(r"^(?P<main>[1-9]\d{5}|1\d{6})(?:-(?P<linked>\d{1,3}))?$")
_SCOT = re.compile(r"^SC(?P<digits>\d{6})$")
_NI = re.compile(r"^NIC?(?P<digits>1\d{5})$")


def parse_charity_number(raw: str) -> RegistrationNumber:
    """Read a charity number of England and Wales, Scotland or Northern Ireland."""
    text = _compact(raw)
    if not text:
        raise InvalidNumber("empty charity number")
    if m := _SCOT.match(text):
        return RegistrationNumber("charity_scotland", f"SC{m['digits']}")
    if m := _NI.match(text):
        return RegistrationNumber("charity_ni", f"NIC{m['digits']}")
    if m := _EW.match(text):
        return RegistrationNumber("charity_ew", m["main"], int(m["linked"]) if m["linked"] else None)
    if re.fullmatch(r"SCO\d{5}", text):
        raise InvalidNumber(
            f"{raw!r}: Scottish charity numbers are SC and 6 digits; did you mean SC0{text[3:]}?"
        )
    if text.startswith("SC"):
        raise InvalidNumber(f"{raw!r}: Scottish charity numbers are SC and 6 digits, e.g. SC012345")
    if text.startswith(("NI", "XN", "XR")):
        raise InvalidNumber(
            f"{raw!r}: Northern Ireland charity numbers are NIC and 6 digits, e.g. NIC100002 "
            "(an HMRC reference is not a charity number)"
        )
    raise InvalidNumber(
        f"{raw!r}: charity numbers in England and Wales are 6 or 7 digits, e.g. 1123456 (or 1123456-1)"
    )


_COMPANY = re.compile(r"^(?P<prefix>[A-Z][A-Z0-9])(?P<digits>\d{6})$")


def parse_company_number(raw: str) -> RegistrationNumber:
    """Read a Companies House number."""
    text = _compact(raw)
    if not text:
        raise InvalidNumber("empty company number")
    if text.isdigit():
        if len(text) > 8:
            raise InvalidNumber(f"{raw!r}: company numbers are 8 characters")
        return RegistrationNumber("companies_house", text.zfill(8), kind="company (England and Wales)")
    if m := _COMPANY.match(text):
        prefix = m["prefix"]
        if prefix in COMPANY_PREFIXES:
            return RegistrationNumber("companies_house", text, kind=COMPANY_PREFIXES[prefix])
        raise InvalidNumber(f"{raw!r}: {prefix!r} is not a Companies House prefix")
    short = re.fullmatch(r"(?P<prefix>[A-Z][A-Z0-9])(?P<digits>\d{1,5})", text)
    if short and short["prefix"] in COMPANY_PREFIXES:
        padded = short["prefix"] + short["digits"].zfill(6)
        raise InvalidNumber(f"{raw!r}: company numbers are 8 characters; did you mean {padded}?")
    raise InvalidNumber(f"{raw!r}: company numbers are 8 digits, or 2 letters and 6 digits, e.g. SC123456")


def charity_number_problem(raw: str) -> str | None:
    """Why a charity number is malformed, or None when it is well formed."""
    try:
        parse_charity_number(raw)
    except InvalidNumber as exc:
        return str(exc)
    return None


def company_number_problem(raw: str) -> str | None:
    """Why a company number is malformed, or None when it is well formed."""
    try:
        parse_company_number(raw)
    except InvalidNumber as exc:
        return str(exc)
    return None
