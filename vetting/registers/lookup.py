"""Looking a company or charity up in the local copy of its register, with the extract it came from."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from vetting.registers.models import RegisterCharity, RegisterCompany, RegisterExtract


@dataclass(frozen=True)
class Found:
    """A register row and the extract it came from (which register, of what date)."""

    row: RegisterCompany | RegisterCharity
    extract: RegisterExtract


async def company_by_number(session: AsyncSession, number: str) -> Found | None:
    """The company with this number (as Companies House writes it: eight letters or digits)."""
    query = (
        select(RegisterCompany, RegisterExtract)
        .join(RegisterExtract, RegisterExtract.id == RegisterCompany.extract_id)
        .where(RegisterCompany.company_number == number.strip().upper())
    )
    found = (await session.execute(query)).first()
    return Found(found[0], found[1]) if found else None


async def charity_by_number(session: AsyncSession, number: int, linked: int = 0) -> Found | None:
    """The charity with this registered number (``linked`` 0: the main charity)."""
    query = (
        select(RegisterCharity, RegisterExtract)
        .join(RegisterExtract, RegisterExtract.id == RegisterCharity.extract_id)
        .where(RegisterCharity.charity_number == number, RegisterCharity.linked_number == linked)
    )
    found = (await session.execute(query)).first()
    return Found(found[0], found[1]) if found else None
