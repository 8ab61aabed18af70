"""An invoice as a PDF (fpdf2: pure Python, no system libraries), from the same view the HTML
invoice page shows (`casework.charges_view.invoice_view`).

The PDF is a document addressed to the hirer, so it is in the language their request was made in
(the view's ``language``), whoever downloads it: its labels from the pages' catalogue, dates and
money by Babel for that locale (cy_GB or en_GB). What the invoice records as issued (line
descriptions, the rate's name, payment instructions) stays as issued."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from anyascii import anyascii
from babel.dates import format_date
from babel.numbers import format_currency
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from api.web.i18n import translations
from casework.message_language import language_of

_FONT = "Helvetica"
LOCALES = {"en": "en_GB", "cy": "cy_GB"}


class _Words:
    """Labels, dates and money in one language, whatever the request's own language is."""

    def __init__(self, language: str) -> None:
        self.language = language_of(language)
        self.locale = LOCALES[self.language]
        self.gettext = translations(self.language).gettext

    def date(self, day: Any) -> str:
        text = format_date(day, "EEEE d MMMM y", locale=self.locale)
        return text[:1].upper() + text[1:]

    def money(self, pence: int) -> str:
        return format_currency(Decimal(pence) / 100, "GBP", locale=self.locale)

    def deposit(self, inv: dict[str, Any]) -> str:
        """The deposit sentence as the HTML invoice words it (casework says how it is collected)."""
        _ = self.gettext
        amount = self.money(inv["deposit"])
        if "with this invoice" in inv["deposit_words"]:
            total = self.money(inv["gross"] + inv["deposit"])
            return _(
                "A refundable damage deposit of %(amount)s is payable with this invoice: %(total)s in all."
                " It is refunded after your booking if the room is left as you found it."
            ) % {"amount": amount, "total": total}
        return _(
            "A refundable damage deposit of %(amount)s is payable separately: the venue will ask for it"
            " before the date. It is refunded after your booking if the room is left as you found it."
        ) % {"amount": amount}


def _text(value: Any) -> str:
    """The core PDF fonts hold Latin-1 only: anything else (a name in another script) is
    written in its closest Latin letters rather than dropped or refused."""
    text = str(value)
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        return "".join(ch if ord(ch) < 256 else anyascii(ch) for ch in text)
    return text


def invoice_pdf(inv: dict[str, Any], language: str | None = None) -> bytes:
    """The invoice in `language`, by default the case's (``inv["language"]``)."""
    words = _Words(language or str(inv.get("language") or "en"))
    _ = words.gettext
    title = _("Invoice %(number)s") % {"number": inv["number"]}
    pdf = FPDF(format="A4")
    pdf.set_lang("cy" if words.language == "cy" else "en-GB")
    pdf.set_title(_text(title))
    pdf.set_author(_text(inv["issuer_name"]))
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.add_page()
    width = pdf.epw
    pdf.set_font(_FONT, "B", 18)
    pdf.cell(width, 10, _text(title), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(_FONT, "", 11)
    for label, value in (
        (_("From"), inv["issuer_name"]),
        (_("To"), inv["hirer_name"]),
        (_("Address"), inv["hirer_address"] or "-"),
        (_("Booking reference"), inv["reference"]),
        (_("Room"), f"{inv['room']}, {inv['venue']}"),
        (_("Rate"), inv["category"]),
        (_("Issued"), words.date(inv["issued_on"])),
        (_("Pay by"), words.date(inv["due_on"])),
    ):
        pdf.set_font(_FONT, "B", 11)
        pdf.cell(45, 6, _text(label))
        pdf.set_font(_FONT, "", 11)
        pdf.multi_cell(width - 45, 6, _text(value), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(4)
    amount_w, vat_w = 28, 34
    text_w = width - amount_w - vat_w
    for day in inv["days"]:
        pdf.set_font(_FONT, "B", 12)
        pdf.cell(width, 8, _text(words.date(day["day"])), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font(_FONT, "", 10)
        for line in day["lines"]:
            y = pdf.get_y()
            pdf.multi_cell(text_w, 5, _text(line["description"]), new_x=XPos.RIGHT, new_y=YPos.TOP)
            bottom = pdf.get_y()
            pdf.set_xy(pdf.l_margin + text_w, y)
            # VAT words are msgids of the pages' catalogue (api/web/i18n_labels.py VAT_LABELS).
            pdf.cell(vat_w, 5, _text(_(line["vat_words"]) if line["vat_words"] else ""))
            pdf.cell(amount_w, 5, _text(words.money(line["gross"])), align="R")
            pdf.set_xy(pdf.l_margin, max(bottom, y + 5) + 1)
    pdf.ln(3)
    pdf.set_font(_FONT, "", 11)
    rows = (
        [(_("Total before VAT"), inv["net"], False), (_("VAT"), inv["vat"], False)] if inv["has_vat"] else []
    )
    for label, value, last in [*rows, (_("Total to pay"), inv["gross"], True)]:
        if last:
            pdf.set_font(_FONT, "B", 12)
        pdf.cell(width - amount_w, 7, _text(label), align="R")
        pdf.cell(amount_w, 7, _text(words.money(value)), align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(_FONT, "", 10)
    if inv["deposit"]:
        pdf.ln(2)
        pdf.multi_cell(
            width,
            5,
            _text(words.deposit(inv)),
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
    pdf.ln(4)
    pdf.set_font(_FONT, "B", 11)
    pdf.cell(width, 6, _text(_("How to pay")), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(_FONT, "", 10)
    pdf.multi_cell(width, 5, _text(inv["payment_instructions"]), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return bytes(pdf.output())
