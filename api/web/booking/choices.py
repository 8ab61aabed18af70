"""Labels the booking pages show for the codes the request stores (the codes are the API's:
`casework.input`; tests/web/test_booking_steps.py keeps the two lists in step)."""

from __future__ import annotations

from api.web.i18n import N_

ORGANISATION_TYPES = {
    "charity": N_("Registered charity"),
    "cio": N_("Charitable incorporated organisation (CIO)"),
    "company": N_("Company"),
    "cic": N_("Community interest company (CIC)"),
    "faith_group": N_("Faith group"),
    "club": N_("Club or society"),
    "school": N_("School or college"),
    "public_body": N_("Public body"),
    "informal": N_("Informal group"),
}
PERSON_ROLES = {
    "officer": N_("Officer (chair, secretary, treasurer)"),
    "trustee": N_("Trustee or director"),
    "speaker": N_("Speaker"),
    "safeguarding_lead": N_("Safeguarding lead"),
    "organiser": N_("Organiser"),
    "performer": N_("Performer"),
    "other": N_("Other"),
}
REPEATS = {
    "none": N_("Does not repeat"),
    "weekly": N_("Every week on the same day"),
    "fortnightly": N_("Every 2 weeks on the same day"),
    "monthly": N_("Every month on the same weekday (for example, the second Tuesday)"),
}
YES_NO = {"yes": N_("Yes"), "no": N_("No")}
YES_NO_VALUES = {"yes": True, "no": False}
