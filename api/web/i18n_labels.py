"""Labels the `venues` package defines in English (its codes' words), marked here for the Welsh
catalogue: `venues` must not import the web layer, so the pages translate these with `|tr` at
render time. tests/web/test_welsh.py fails when a label is added there and not here.
"""

from __future__ import annotations

from api.web.i18n import N_

VENUE_LABELS = (
    # venues.venue_service.ACCESSIBILITY_FEATURES
    N_("Step-free access"),
    N_("Hearing loop"),
    N_("Accessible toilet"),
    N_("Changing Places toilet"),
    N_("Accessible parking"),
    N_("Lift to all floors"),
    N_("Quiet room nearby"),
    N_("Large-print signage"),
    # venues.venue_service.FACILITIES
    N_("Kitchen"),
    N_("Projector and screen"),
    N_("Wi-Fi"),
    N_("Sound system"),
    N_("Stage"),
    N_("Tables and chairs"),
    N_("Baby changing"),
    N_("Outdoor space"),
    # venues.venue_service.LAYOUTS
    N_("Theatre (rows of chairs)"),
    N_("Classroom (tables facing the front)"),
    N_("Cabaret (round tables)"),
    N_("Boardroom (one table)"),
    N_("Standing"),
    # venues.room_days: the parts of a day the room page offers
    N_("Morning"),
    N_("Afternoon"),
    N_("Evening"),
)

# policies.rate_card.VAT_WORDS: a price line's VAT, shown beside its amount
VAT_LABELS = (
    N_("VAT 20%"),
    N_("VAT 5%"),
    N_("VAT 0%"),
    N_("Exempt from VAT"),
)

# casework.documents.document_details: its field errors for a document's particulars, shown on the
# status page and the booking form through `|tr` (casework must not import the web layer)
CASEWORK_DOCUMENT_ERRORS = (
    N_("Choose what the document is"),
    N_("Enter the name of the insurer"),
    N_("Enter the amount of cover in pounds, for example 5000000"),
    N_("Enter the date the cover or check expires"),
    N_("The expiry date must be today or in the future"),
)

# casework.hirer_dates: why one date cannot be withdrawn (the withdraw-one-date page, via `|tr`)
CASEWORK_DATE_REFUSALS = (
    N_("this date has already begun"),
    N_("this is the only date left: withdraw the whole request instead"),
)
