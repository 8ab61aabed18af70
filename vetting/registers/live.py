"""The registers' live APIs as a registry backend ("live"), each answer kept with its date.

Like the local copy, the numbers a case gives are looked up before the checks run and handed to
them as records, in the register's words with the date of the answer. An answer younger than
``max_age`` is taken from `register_answer` instead of asking again (the Companies House limit
is 600 requests in five minutes). Trustees (Charity Commission) and persons with significant
control (Companies House) come with the answer, by name only, to be screened like the people
the hirer names.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from vetting.identifiers import RegistrationNumber
from vetting.registers.api_clients import CharityCommissionApi, CompaniesHouseApi, RegisterApiError
from vetting.registers.models import RegisterAnswer
from vetting.registry import RegistryRecord

LIVE = "live"
TRUSTEE_ROLE = "trustee on the register"
# The column holds 40 characters; the explanation says which register named them.
PSC_ROLE = "person with significant control"
_STRIKE_OFF = "active-proposal-to-strike-off"


def _day(value: dt.date) -> str:
    return f"{value:%A} {value.day} {value:%B %Y}"


def _words(value: object) -> str:
    return str(value or "").replace("-", " ").strip()


@dataclass(frozen=True)
class Answer:
    """What one look-up found: the record for the checks and the people it names (kind, role, name)."""

    record: RegistryRecord
    people: tuple[tuple[str, str, str], ...] = ()
    answered: dt.date | None = None

    def payload(self) -> dict[str, Any]:
        r = self.record
        return {
            "status": r.status,
            "name": r.name,
            "register_status": r.register_status,
            "detail": r.detail,
            "other_names": list(r.other_names),
            "people": [list(p) for p in self.people],
            "answered": self.answered.isoformat() if self.answered else None,
        }

    @classmethod
    def of(cls, number: RegistrationNumber, payload: dict[str, Any]) -> Answer:
        record = RegistryRecord(
            number.register,
            number.number,
            payload["status"],
            name=payload.get("name"),
            register_status=payload.get("register_status"),
            detail=payload.get("detail", ""),
            other_names=tuple(payload.get("other_names", ())),
        )
        answered = payload.get("answered")
        return cls(
            record,
            tuple((p[0], p[1], p[2]) for p in payload.get("people", ())),
            dt.date.fromisoformat(answered) if answered else None,
        )


def psc_kind(psc: dict[str, Any]) -> str:
    kind = str(psc.get("kind") or "")
    return "organisation" if kind.startswith(("corporate-entity", "legal-person")) else "person"


def psc_name(psc: dict[str, Any]) -> str:
    """An individual's name from its parts (without the title), else the name as written."""
    parts = psc.get("name_elements")
    if isinstance(parts, dict):
        named = [str(parts[k]) for k in ("forename", "middle_name", "surname") if parts.get(k)]
        if named:
            return " ".join(" ".join(named).split())
    return " ".join(str(psc["name"]).split())


def company_answer(
    number: RegistrationNumber,
    company: dict[str, Any] | None,
    insolvency: dict[str, Any] | None,
    pscs: list[dict[str, Any]],
    answered: dt.date,
) -> Answer:
    """Companies House's answers about one company, in its words."""
    if company is None:
        return Answer(RegistryRecord(number.register, number.number, "not_found"))
    status = _words(company.get("company_status")) or "unknown"
    if company.get("company_status_detail") == _STRIKE_OFF:
        status = "active - proposal to strike off"
    facts = [f"Companies House API, answer of {_day(answered)}: status {status}"]
    if company.get("date_of_cessation"):
        facts.append(f"ceased on {company['date_of_cessation']}")
    cases = (insolvency or {}).get("cases") or []
    if cases:
        kinds = ", ".join(_words(case.get("type")) for case in cases if isinstance(case, dict))
        facts.append(f"insolvency case{'s' if len(cases) > 1 else ''}: {kinds}")
        if status == "active":
            status = "active, insolvency case"
    previous = [
        str(item["name"])
        for item in company.get("previous_company_names") or []
        if isinstance(item, dict) and item.get("name")
    ]
    if previous:
        facts.append("previously named " + ", ".join(previous))
    people = tuple(
        (psc_kind(p), PSC_ROLE, psc_name(p)) for p in pscs if p.get("name") and not p.get("ceased_on")
    )
    record = RegistryRecord(
        number.register,
        number.number,
        "found",
        name=str(company.get("company_name") or ""),
        register_status=status,
        detail="; ".join(facts),
        other_names=tuple(previous),
    )
    return Answer(record, people, answered)


def charity_answer(number: RegistrationNumber, charity: dict[str, Any] | None, answered: dt.date) -> Answer:
    """The Charity Commission's answer about one charity, in its words."""
    if charity is None:
        return Answer(RegistryRecord(number.register, number.number, "not_found"))
    removed = str(charity.get("reg_status") or "").upper() == "RM" or bool(charity.get("date_of_removal"))
    status = "removed" if removed else "registered"
    facts = [f"Charity Commission API, answer of {_day(answered)}: {status}"]
    if removed:
        when = str(charity.get("date_of_removal") or "")[:10] or "an unknown date"
        reason = charity.get("removal_reason")
        facts.append(f"removed on {when}" + (f" ({reason})" if reason else ""))
    troubles = [
        word
        for word, key in (
            ("insolvent", "insolvent"),
            ("in administration", "in_administration"),
            ("cio dissolved", "cio_dissolution_ind"),
        )
        if charity.get(key) is True
    ]
    facts.extend(troubles)
    others = [
        str(item["charity_name"])
        for item in charity.get("other_names") or []
        if isinstance(item, dict) and item.get("charity_name")
    ]
    people = tuple(
        ("person", TRUSTEE_ROLE, " ".join(str(t["trustee_name"]).split()))
        for t in charity.get("trustee_names") or []
        if isinstance(t, dict) and t.get("trustee_name")
    )
    record = RegistryRecord(
        number.register,
        number.number,
        "found",
        name=str(charity.get("charity_name") or ""),
        register_status=", ".join([status, *troubles]),
        detail="; ".join(facts),
        other_names=tuple(others),
    )
    return Answer(record, people, answered)


@dataclass
class LiveRegisters:
    """The live clients (either may be missing: its numbers are then not checked) and the answers' age."""

    companies_house: CompaniesHouseApi | None = None
    charity_commission: CharityCommissionApi | None = None
    max_age: dt.timedelta = dt.timedelta(days=7)

    async def _ask(self, number: RegistrationNumber, answered: dt.date) -> Answer | None:
        if number.register == "companies_house" and self.companies_house is not None:
            api = self.companies_house
            company = await api.company(number.number)
            if company is None:
                return company_answer(number, None, None, [], answered)
            return company_answer(
                number,
                company,
                await api.insolvency(number.number),
                await api.persons_with_significant_control(number.number),
                answered,
            )
        if number.register == "charity_ew" and self.charity_commission is not None:
            found = await self.charity_commission.charity(int(number.number), number.linked or 0)
            return charity_answer(number, found, answered)
        return None

    async def answer(self, session: AsyncSession, number: RegistrationNumber, now: dt.datetime) -> Answer:
        """The kept answer if young enough, else the API's (kept); "error" if the API cannot answer."""
        key = (LIVE, number.register, number.display, "entry")
        kept = (
            await session.execute(
                select(RegisterAnswer).where(
                    RegisterAnswer.backend == key[0],
                    RegisterAnswer.register == key[1],
                    RegisterAnswer.number == key[2],
                    RegisterAnswer.kind == key[3],
                )
            )
        ).scalar_one_or_none()
        if kept is not None and now - kept.answered_at <= self.max_age:
            return Answer.of(number, kept.payload)
        try:
            answer = await self._ask(number, now.date())
        except RegisterApiError as error:
            return Answer(RegistryRecord(number.register, number.number, "error", detail=str(error)))
        if answer is None:
            return Answer(
                RegistryRecord(number.register, number.number, "not_checked", detail="no live look-up set up")
            )
        if kept is None:
            kept = RegisterAnswer(backend=key[0], register=key[1], number=key[2], kind=key[3])
            session.add(kept)
        kept.answered_at, kept.payload = now, answer.payload()
        await session.flush()
        return answer


_CONFIGURED: list[LiveRegisters] = []


def configure_live(registers: LiveRegisters) -> None:
    """Set the live clients the "live" backend uses (the app and the CLI, from settings)."""
    _CONFIGURED[:] = [registers]


def live_registers() -> LiveRegisters:
    """The configured live clients; none configured: every number "not checked"."""
    return _CONFIGURED[0] if _CONFIGURED else LiveRegisters()
