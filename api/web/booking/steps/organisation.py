"""Page 3: the organisation and who to contact, checked with the API's `OrganisationIn`/`ContactIn`."""

from __future__ import annotations

from typing import Any, ClassVar

from api.web.booking.draft import Draft, text
from api.web.booking.field_errors import FieldRule, check, in_order
from api.web.booking.steps.base import BaseStep, StepContext
from api.web.i18n import N_
from casework.input import ContactIn, OrganisationIn

ORGANISATION_RULES = {
    "name": FieldRule(
        "org_name", N_("Name of the organisation"), N_("Enter the name of your organisation or group")
    ),
    "type": FieldRule(
        "org_type",
        N_("Type of organisation"),
        N_("Select the type of organisation"),
        N_("Select the type of organisation"),
    ),
    "charity_number": FieldRule("charity_number", N_("Registered charity number"), ""),
    "company_number": FieldRule("company_number", N_("Company number"), ""),
    "address": FieldRule("org_address", N_("Address of the organisation"), ""),
    "website": FieldRule("website", N_("Website"), ""),
}
CONTACT_RULES = {
    "name": FieldRule("contact_name", N_("Full name"), N_("Enter the name of the person we should contact")),
    "email": FieldRule(
        "contact_email",
        N_("Email address"),
        N_("Enter an email address"),
        N_("Enter an email address in the correct format, like name@example.com"),
    ),
    "phone": FieldRule(
        "contact_phone",
        N_("Telephone number"),
        "",
        by_type={
            "mobile_missing": N_("Enter a UK mobile number to get text message reminders"),
            "uk_mobile": N_("Enter a UK mobile number, like 07700 900123 or +44 7700 900123"),
        },
    ),
    "sms_consent": FieldRule("sms_consent", N_("Text message reminders"), ""),
}
# Numbers the API leaves optional but the council needs to look the organisation up.
REGISTER_NUMBERS = {
    "charity": ("charity_number", N_("Enter the charity's registered number")),
    "cio": ("charity_number", N_("Enter the charity's registered number")),
    "company": ("company_number", N_("Enter the company number")),
    "cic": ("company_number", N_("Enter the company number")),
}


def organisation_data(draft: Draft) -> dict[str, Any]:
    """The draft's organisation as `OrganisationIn` reads it (blank optional fields left out)."""
    return {
        "name": draft.get("org_name", ""),
        "type": draft.get("org_type", ""),
        "charity_number": draft.get("charity_number") or None,
        "company_number": draft.get("company_number") or None,
        "address": draft.get("org_address") or None,
        "website": draft.get("website") or None,
    }


def contact_data(draft: Draft) -> dict[str, Any]:
    """The draft's contact as `ContactIn` reads it."""
    return {
        "name": draft.get("contact_name", ""),
        "email": draft.get("contact_email", ""),
        "phone": draft.get("contact_phone") or None,
        "sms_consent": draft.get("sms_consent") == "yes",
    }


class OrganisationStep(BaseStep):
    name: ClassVar[str] = "organisation"
    title: ClassVar[str] = N_("Your organisation and contact details")
    fields: ClassVar[tuple[str, ...]] = (
        "org_name",
        "org_type",
        "charity_number",
        "company_number",
        "org_address",
        "website",
        "contact_name",
        "contact_email",
        "contact_phone",
        "sms_consent",
    )
    next: ClassVar[str | None] = "people"

    async def take(self, ctx: StepContext, form: Any, draft: Draft) -> dict[str, str]:
        for name in self.fields:
            draft[name] = text(form, name)
        _, errors = check(OrganisationIn, organisation_data(draft), ORGANISATION_RULES)
        _, contact_errors = check(ContactIn, contact_data(draft), CONTACT_RULES)
        errors |= contact_errors
        needed = REGISTER_NUMBERS.get(draft["org_type"])
        if needed is not None and not draft[needed[0]]:
            errors[needed[0]] = needed[1]
        return in_order(errors, self.fields)
