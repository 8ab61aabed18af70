"""Labels the booking pages show for the codes the request stores (the codes are the API's:
`casework.input`; tests/web/test_booking_steps.py keeps the two lists in step)."""

from __future__ import annotations

ORGANISATION_TYPES = {
    "charity": "Registered charity",
    "cio": "Charitable incorporated organisation (CIO)",
    "company": "Company",
    "cic": "Community interest company (CIC)",
    "faith_group": "Faith group",
    "club": "Club or society",
    "school": "School or college",
    "public_body": "Public body",
    "informal": "Informal group",
}
PERSON_ROLES = {
    "officer": "Officer (chair, secretary, treasurer)",
    "trustee": "Trustee or director",
    "speaker": "Speaker",
    "safeguarding_lead": "Safeguarding lead",
    "organiser": "Organiser",
    "performer": "Performer",
    "other": "Other",
}
REPEATS = {
    "none": "Does not repeat",
    "weekly": "Every week on the same day",
    "fortnightly": "Every 2 weeks on the same day",
    "monthly": "Every month on the same weekday (for example, the second Tuesday)",
}
YES_NO = {"yes": "Yes", "no": "No"}
YES_NO_VALUES = {"yes": True, "no": False}
