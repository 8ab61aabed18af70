"""An invoice as a PDF (fpdf2: pure Python, no system libraries), from the same view the HTML
invoice page shows (`casework.charges_view.invoice_view`)."""

from __future__ import annotations

from typing import Any

from anyascii import anyascii
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from api.web.readable import long_date
from venues.charges.money import pounds

_FONT = "Helvetica"


def _text(value: Any) -> str:
    """The core PDF fonts hold Latin-1 only: anything else (a name in another script) is
    written in its closest Latin letters rather than dropped or refused."""
    text = str(value)
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        return "".join(ch if ord(ch) < 256 else anyascii(ch) for ch in text)
    return text


def invoice_pdf(inv: dict[str, Any]) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_title(_text(f"Invoice {inv['number']}"))
    pdf.set_author(_text(inv["issuer_name"]))
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.add_page()
    width = pdf.epw
    pdf.set_font(_FONT, "B", 18)
    pdf.cell(width, 10, _text(f"Invoice {inv['number']}"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(_FONT, "", 11)
    for label, value in (
        ("From", inv["issuer_name"]),
        ("To", inv["hirer_name"]),
        ("Address", inv["hirer_address"] or "-"),
        ("Booking reference", inv["reference"]),
        ("Room", f"{inv['room']}, {inv['venue']}"),
        ("Rate", inv["category"]),
        ("Issued", long_date(inv["issued_on"])),
        ("Pay by", long_date(inv["due_on"])),
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
        pdf.cell(width, 8, _text(long_date(day["day"])), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font(_FONT, "", 10)
        for line in day["lines"]:
            y = pdf.get_y()
            pdf.multi_cell(text_w, 5, _text(line["description"]), new_x=XPos.RIGHT, new_y=YPos.TOP)
            bottom = pdf.get_y()
            pdf.set_xy(pdf.l_margin + text_w, y)
            pdf.cell(vat_w, 5, _text(line["vat_words"]))
            pdf.cell(amount_w, 5, _text(pounds(line["gross"])), align="R")
            pdf.set_xy(pdf.l_margin, max(bottom, y + 5) + 1)
    pdf.ln(3)
    pdf.set_font(_FONT, "", 11)
    rows = [("Total before VAT", inv["net"]), ("VAT", inv["vat"])] if inv["has_vat"] else []
    for label, value in [*rows, ("Total to pay", inv["gross"])]:
        if label == "Total to pay":
            pdf.set_font(_FONT, "B", 12)
        pdf.cell(width - amount_w, 7, _text(label), align="R")
        pdf.cell(amount_w, 7, _text(pounds(value)), align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(_FONT, "", 10)
    if inv["deposit"]:
        pdf.ln(2)
        pdf.multi_cell(
            width,
            5,
            _text(inv["deposit_words"]),
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
    pdf.ln(4)
    pdf.set_font(_FONT, "B", 11)
    pdf.cell(width, 6, "How to pay", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(_FONT, "", 10)
    pdf.multi_cell(width, 5, _text(inv["payment_instructions"]), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return bytes(pdf.output())
