"""The live register clients, from settings (the "live" registry backend)."""

from __future__ import annotations

import datetime as dt

from api.settings import Settings
from vetting.registers.api_clients import CharityCommissionApi, CompaniesHouseApi
from vetting.registers.live import LiveRegisters, configure_live


def configure_registers(settings: Settings) -> None:
    """Give the "live" backend its clients; a register without a key is not asked (not checked)."""
    ch, cc = settings.companies_house_api_key, settings.charity_commission_api_key
    configure_live(
        LiveRegisters(
            # A hirer waits on the submission: a short wait and few tries, then "error" (not kept).
            companies_house=CompaniesHouseApi(
                base_url=settings.companies_house_api_url,
                api_key=ch.get_secret_value(),
                retries=2,
                max_wait=20.0,
            )
            if ch
            else None,
            charity_commission=CharityCommissionApi(
                base_url=settings.charity_commission_api_url, subscription_key=cc.get_secret_value()
            )
            if cc
            else None,
            max_age=dt.timedelta(days=settings.registry_answer_max_age_days),
        )
    )
