"""The booking form: one question group per page, the hirer's answers carried signed between pages.

`draft` holds the answers between pages, `steps/` one module per page (what it reads, how it
checks it, what it shows), `controller` the routes that move between them, `sending` the last
press of "Send request".
"""

from __future__ import annotations

from api.web.booking.controller import BookingController

__all__ = ["BookingController"]
