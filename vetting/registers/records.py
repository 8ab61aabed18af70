"""The local copy of the registers as a registry backend ("local"): what the checks are told.

Look-ups are async (a database query), the registry interface is not, so the numbers a case
gives are looked up first and handed to the checks as an in-memory registry. The detail says
which register and which extract date a fact comes from, in the register's own words.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from vetting.identifiers import (
    InvalidNumber,
    RegistrationNumber,
    parse_charity_number,
    parse_company_number,
)
from vetting.registers.live import LIVE, PSC_ROLE, TRUSTEE_ROLE, Answer, live_registers
from vetting.registers.lookup import (
    CharityEntry,
    CompanyEntry,
    DevolvedEntry,
    charity_by_number,
    company_by_number,
    devolved_by_number,
)
from vetting.registers.models import (
    RegisterCharityEvent,
    RegisterCharityName,
    RegisterCharityTrustee,
    RegisterCompanyPsc,
    RegisterExtract,
)
from vetting.registry import RegistryLookup, RegistryRecord, registry_for

LOCAL = "local"
_TROUBLE = ("insolvent", "in administration", "cio dissolved")


def _day(value: dt.date | None) -> str:
    return f"{value:%A} {value.day} {value:%B %Y}" if value else "an unknown date"


def _company_record(
    number: RegistrationNumber, row: CompanyEntry, extract_date: dt.date | None
) -> RegistryRecord:
    facts = [f"Companies House extract of {_day(extract_date)}: status {row.status}"]
    if row.dissolved:
        facts.append(f"dissolved on {_day(row.dissolved)}")
    if row.previous_names:
        facts.append("previously named " + ", ".join(str(name) for name, _until in row.previous_names))
    return RegistryRecord(
        number.register,
        number.number,
        "found",
        name=row.name,
        register_status=row.status.lower(),
        detail="; ".join(facts),
        other_names=tuple(str(name) for name, _until in row.previous_names),
    )


async def _charity_record(
    session: AsyncSession, number: RegistrationNumber, row: CharityEntry, extract_date: dt.date | None
) -> RegistryRecord:
    status = row.status.lower()
    troubles = [
        word
        for word, flag in zip(
            _TROUBLE, (row.insolvent, row.in_administration, row.cio_dissolved), strict=True
        )
        if flag
    ]
    facts = [f"Charity Commission extract of {_day(extract_date)}: {row.status}"]
    if row.removed:
        reason = (
            await session.execute(
                select(RegisterCharityEvent.reason)
                .where(
                    RegisterCharityEvent.charity_number == row.charity_number,
                    RegisterCharityEvent.linked_number == row.linked_number,
                    RegisterCharityEvent.event_type.ilike("removed%"),
                )
                .order_by(RegisterCharityEvent.event_order.desc())
                .limit(1)
            )
        ).scalar_one_or_none()
        facts.append(f"removed on {_day(row.removed)}" + (f" ({reason})" if reason else ""))
    facts.extend(troubles)
    other_names = (
        await session.execute(
            select(RegisterCharityName.name).where(
                RegisterCharityName.charity_number == row.charity_number,
                RegisterCharityName.linked_number == row.linked_number,
            )
        )
    ).scalars()
    return RegistryRecord(
        number.register,
        number.number,
        "found",
        name=row.name,
        register_status=", ".join([status, *troubles]),
        detail="; ".join(facts),
        other_names=tuple(other_names),
    )


_DEVOLVED_NAMES = {"oscr": "OSCR register", "oscr-former": "OSCR former register", "ccni": "CCNI register"}


def _devolved_record(
    number: RegistrationNumber, row: DevolvedEntry, extract_date: dt.date | None
) -> RegistryRecord:
    removed = row.removed is not None or row.status.casefold() == "removed"
    facts = [f"{_DEVOLVED_NAMES.get(row.source, row.source)} extract of {_day(extract_date)}: {row.status}"]
    if removed:
        facts.append(
            f"removed on {_day(row.removed)}" + (f" ({row.removal_reason})" if row.removal_reason else "")
        )
    return RegistryRecord(
        number.register,
        number.number,
        "found",
        name=row.name,
        # The register's own words vary ("Active", "Up-to-date", "Late documents"): only removal
        # takes a charity out of good standing; the words stay in the detail.
        register_status="removed" if removed else "registered",
        detail="; ".join(facts),
        other_names=tuple(str(name) for name in row.other_names),
    )


async def local_records(
    session: AsyncSession, charity_number: str | None, company_number: str | None
) -> list[RegistryRecord]:
    """What the local copy says about the numbers given (malformed ones are the check's business)."""
    records: list[RegistryRecord] = []
    if company_number:
        try:
            company = parse_company_number(company_number)
        except InvalidNumber:
            company = None
        if company is not None:
            found = await company_by_number(session, company.number)
            if found is not None and isinstance(found.row, CompanyEntry):
                records.append(_company_record(company, found.row, found.extract.extract_date))
            else:
                records.append(RegistryRecord(company.register, company.number, "not_found"))
    if charity_number:
        try:
            charity = parse_charity_number(charity_number)
        except InvalidNumber:
            charity = None
        if charity is not None and charity.register in ("charity_scotland", "charity_ni"):
            found = await devolved_by_number(session, charity.number)
            if found is not None and isinstance(found.row, DevolvedEntry):
                records.append(_devolved_record(charity, found.row, found.extract.extract_date))
            else:
                records.append(RegistryRecord(charity.register, charity.number, "not_found"))
        elif charity is not None and charity.register == "charity_ew" and charity.number.isdigit():
            found = await charity_by_number(session, int(charity.number), charity.linked or 0)
            if found is not None and isinstance(found.row, CharityEntry):
                records.append(await _charity_record(session, charity, found.row, found.extract.extract_date))
            else:
                records.append(RegistryRecord(charity.register, charity.number, "not_found"))
    return records


class LocalRegistry:
    """The records looked up for one case; a number of a register not held locally is not checked."""

    def __init__(self, records: list[RegistryRecord]) -> None:
        self._records = {(r.register, r.number): r for r in records}

    def look_up(self, number: RegistrationNumber) -> RegistryRecord:
        return self._records.get((number.register, number.number)) or RegistryRecord(
            number.register, number.number, "not_checked", detail="no local copy of that register"
        )


def _well_formed(charity_number: str | None, company_number: str | None) -> list[RegistrationNumber]:
    numbers: list[RegistrationNumber] = []
    for raw, parse in ((charity_number, parse_charity_number), (company_number, parse_company_number)):
        if raw:
            try:
                numbers.append(parse(raw))
            except InvalidNumber:
                continue
    return numbers


async def live_answers(
    session: AsyncSession, charity_number: str | None, company_number: str | None
) -> list[tuple[RegistrationNumber, Answer]]:
    """The live registers' answers (or the kept ones, if young enough) about the numbers given."""
    live, now = live_registers(), dt.datetime.now(dt.UTC)
    return [(n, await live.answer(session, n, now)) for n in _well_formed(charity_number, company_number)]


async def registry_for_case(
    session: AsyncSession, backend: str, charity_number: str | None, company_number: str | None
) -> RegistryLookup:
    """The registry the checks consult: the local copy or the live APIs, asked now, or the backend named."""
    name = backend.strip().lower()
    if name == LIVE:
        answers = await live_answers(session, charity_number, company_number)
        return LocalRegistry([answer.record for _n, answer in answers])
    if name != LOCAL:
        return registry_for(backend)
    return LocalRegistry(await local_records(session, charity_number, company_number))


async def _local_pscs(
    session: AsyncSession, company_number: str | None
) -> tuple[list[tuple[str, str, str]], str]:
    """The current persons with significant control the local PSC snapshot gives for the company."""
    try:
        company = parse_company_number(company_number) if company_number else None
    except InvalidNumber:
        return [], ""
    if company is None:
        return [], ""
    rows = (
        await session.execute(
            select(RegisterCompanyPsc.kind, RegisterCompanyPsc.name, RegisterExtract.extract_date)
            .join(RegisterExtract, RegisterExtract.id == RegisterCompanyPsc.extract_id)
            .where(RegisterCompanyPsc.company_number == company.number)
        )
    ).all()
    if not rows:
        return [], ""
    source = (
        f"Named as a person with significant control of company {company.display} on the Companies "
        f"House register (PSC snapshot of {_day(rows[0][2])}), not by the hirer."
    )
    return [(kind, PSC_ROLE, name) for kind, name, _date in rows], source


async def register_people(
    session: AsyncSession, backend: str, charity_number: str | None, company_number: str | None
) -> tuple[list[tuple[str, str, str]], dict[str, str]]:
    """(kind, role, name) of the trustees and persons with significant control the registers give
    for the numbers quoted, and by role a sentence saying where they come from."""
    if backend.strip().lower() == LOCAL:
        trustees, source = await register_trustees(session, backend, charity_number)
        sources: dict[str, str] = {TRUSTEE_ROLE: source} if trustees else {}
        pscs, psc_source = await _local_pscs(session, company_number)
        if pscs:
            sources[PSC_ROLE] = psc_source
        return [*trustees, *pscs], sources
    if backend.strip().lower() != LIVE:
        return [], {}
    people: list[tuple[str, str, str]] = []
    sources = {}
    for number, answer in await live_answers(session, charity_number, company_number):
        if not answer.people:
            continue
        people.extend(answer.people)
        when = f"answer of {_day(answer.answered)}"
        if number.register == "companies_house":
            sources[PSC_ROLE] = (
                f"Named as a person with significant control of company {number.display} on the "
                f"Companies House register ({when}), not by the hirer."
            )
        else:
            sources[TRUSTEE_ROLE] = (
                f"Named as a trustee of charity {number.display} on the Charity Commission register "
                f"({when}), not by the hirer."
            )
    return people, sources


async def register_trustees(
    session: AsyncSession, backend: str, charity_number: str | None
) -> tuple[list[tuple[str, str, str]], str]:
    """(kind, role, name) of the trustees the local register gives for the charity number quoted,
    and a sentence saying where they come from; none without the local backend or the charity."""
    if backend.strip().lower() != LOCAL or not charity_number:
        return [], ""
    try:
        charity = parse_charity_number(charity_number)
    except InvalidNumber:
        return [], ""
    if charity.register != "charity_ew" or not charity.number.isdigit():
        return [], ""
    found = await charity_by_number(session, int(charity.number), charity.linked or 0)
    if found is None:
        return [], ""
    rows = (
        await session.execute(
            select(RegisterCharityTrustee.name, RegisterCharityTrustee.kind).where(
                RegisterCharityTrustee.charity_number == int(charity.number),
                RegisterCharityTrustee.linked_number == (charity.linked or 0),
            )
        )
    ).all()
    people = [
        ("organisation" if (kind or "").upper() == "O" else "person", TRUSTEE_ROLE, name)
        for name, kind in rows
    ]
    source = (
        f"Named as a trustee of charity {charity.display} on the Charity Commission register "
        f"(extract of {_day(found.extract.extract_date)}), not by the hirer."
    )
    return people, source
