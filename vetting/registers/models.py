"""Register data held locally: what the due-diligence checks need from each register, no more.

Least data: names, numbers, statuses and dates; no addresses, contact details, activities or
accounts. Trustees are kept by name only (to be screened like the people a hirer names). Each
row points at the extract it came from, so an officer can be told which register and which
extract date a fact rests on.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from advanced_alchemy.base import BigIntBase
from advanced_alchemy.types import DateTimeUTC, JsonB
from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column


class RegisterExtract(BigIntBase):
    """One import of a register's published extract: which file, of what date, how many rows."""

    __tablename__ = "register_extract"

    register: Mapped[str] = mapped_column(String(40), index=True)  # companies-house, charity-commission
    extract_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    imported_at: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True))
    file_name: Mapped[str] = mapped_column(String(300))
    rows: Mapped[int] = mapped_column(Integer, default=0)
    skipped: Mapped[int] = mapped_column(Integer, default=0)


class RegisterCompany(BigIntBase):
    """A company in the Companies House Free Company Data Product."""

    __tablename__ = "register_company"

    company_number: Mapped[str] = mapped_column(String(10), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(80))  # the register's words: "Active", "Liquidation" ...
    category: Mapped[str] = mapped_column(String(120))
    incorporated: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    dissolved: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    # [[name, date it stopped being the name (ISO) or null], ...], newest first as published
    previous_names: Mapped[list[Any]] = mapped_column(JsonB, default=list)
    extract_id: Mapped[int] = mapped_column(ForeignKey("register_extract.id", ondelete="RESTRICT"))


class RegisterCharity(BigIntBase):
    """A charity (linked_number 0) or one of its linked charities, from the Charity Commission extract."""

    __tablename__ = "register_charity"
    __table_args__ = (UniqueConstraint("charity_number", "linked_number", name="uq_register_charity_number"),)

    organisation_number: Mapped[int] = mapped_column(Integer, index=True)
    charity_number: Mapped[int] = mapped_column(Integer)
    linked_number: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(300))
    charity_type: Mapped[str | None] = mapped_column(String(80), nullable=True)
    status: Mapped[str] = mapped_column(String(40))  # "Registered" or "Removed"
    registered: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    removed: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    insolvent: Mapped[bool] = mapped_column(Boolean, default=False)
    in_administration: Mapped[bool] = mapped_column(Boolean, default=False)
    cio_dissolved: Mapped[bool] = mapped_column(Boolean, default=False)
    extract_id: Mapped[int] = mapped_column(ForeignKey("register_extract.id", ondelete="RESTRICT"))


class RegisterCharityName(BigIntBase):
    """Another name a charity is or was known by (working name, former name)."""

    __tablename__ = "register_charity_name"
    __table_args__ = (Index("ix_register_charity_name_number", "charity_number", "linked_number"),)

    organisation_number: Mapped[int] = mapped_column(Integer)
    charity_number: Mapped[int] = mapped_column(Integer)
    linked_number: Mapped[int] = mapped_column(Integer, default=0)
    name_type: Mapped[str | None] = mapped_column(String(60), nullable=True)
    name: Mapped[str] = mapped_column(String(300))
    extract_id: Mapped[int] = mapped_column(ForeignKey("register_extract.id", ondelete="RESTRICT"))


class RegisterCharityTrustee(BigIntBase):
    """A trustee by name only: screened against the flagged list as a trustee on the register."""

    __tablename__ = "register_charity_trustee"
    __table_args__ = (Index("ix_register_charity_trustee_number", "charity_number", "linked_number"),)

    organisation_number: Mapped[int] = mapped_column(Integer)
    charity_number: Mapped[int] = mapped_column(Integer)
    linked_number: Mapped[int] = mapped_column(Integer, default=0)
    trustee_id: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str | None] = mapped_column(String(20), nullable=True)  # "P" person / "O" organisation
    is_chair: Mapped[bool] = mapped_column(Boolean, default=False)
    appointed: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    extract_id: Mapped[int] = mapped_column(ForeignKey("register_extract.id", ondelete="RESTRICT"))


class RegisterCharityEvent(BigIntBase):
    """An event in a charity's history (registration, removal with its reason, merger ...)."""

    __tablename__ = "register_charity_event"
    __table_args__ = (Index("ix_register_charity_event_number", "charity_number", "linked_number"),)

    organisation_number: Mapped[int] = mapped_column(Integer)
    charity_number: Mapped[int] = mapped_column(Integer)
    linked_number: Mapped[int] = mapped_column(Integer, default=0)
    event_order: Mapped[int] = mapped_column(Integer, default=0)
    event_type: Mapped[str] = mapped_column(String(120))
    event_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    reason: Mapped[str | None] = mapped_column(String(300), nullable=True)
    extract_id: Mapped[int] = mapped_column(ForeignKey("register_extract.id", ondelete="RESTRICT"))


class RegisterCharityDevolved(BigIntBase):
    """A charity on the Scottish (OSCR, current or former register) or Northern Ireland (CCNI) register.

    ``source`` says which published file the row came from, so each file refreshes only its own
    rows; the register's own words for the status are kept beside the removal date and reason.
    """

    __tablename__ = "register_charity_devolved"
    __table_args__ = (Index("ix_register_charity_devolved_number", "number"),)

    source: Mapped[str] = mapped_column(String(20))  # "oscr", "oscr-former", "ccni"
    number: Mapped[str] = mapped_column(String(12))  # "SC012345", "NIC100002"
    linked_number: Mapped[int] = mapped_column(Integer, default=0)  # CCNI's sub charity number
    name: Mapped[str] = mapped_column(String(300))
    other_names: Mapped[list[Any]] = mapped_column(JsonB, default=list)  # "Known As"
    status: Mapped[str] = mapped_column(String(80))
    registered: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    removed: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    removal_reason: Mapped[str | None] = mapped_column(String(300), nullable=True)
    company_number: Mapped[str | None] = mapped_column(String(10), nullable=True)
    extract_id: Mapped[int] = mapped_column(ForeignKey("register_extract.id", ondelete="RESTRICT"))


class RegisterAnswer(BigIntBase):
    """A live register API's answer, kept with its date so a repeat look-up need not ask again.

    ``kind`` is what was asked ("entry": the company or charity; "psc": persons with significant
    control); ``payload`` holds only what the checks need (names, statuses, dates).
    """

    __tablename__ = "register_answer"
    __table_args__ = (
        UniqueConstraint("backend", "register", "number", "kind", name="uq_register_answer_key"),
    )

    backend: Mapped[str] = mapped_column(String(40))
    register: Mapped[str] = mapped_column(String(20))
    number: Mapped[str] = mapped_column(String(12))
    kind: Mapped[str] = mapped_column(String(20))
    answered_at: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True), index=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JsonB, default=dict)


class RegisterCompanyPsc(BigIntBase):
    """A current person with significant control of a company, by name only (Companies House PSC
    snapshot): screened against the flagged list like the people the hirer names."""

    __tablename__ = "register_company_psc"
    __table_args__ = (Index("ix_register_company_psc_number", "company_number"),)

    company_number: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(20))  # "person" or "organisation"
    extract_id: Mapped[int] = mapped_column(ForeignKey("register_extract.id", ondelete="RESTRICT"))
