"""The date input's reading and wording (api/web/booking/date_fields.py), and the council's
branding settings, without a browser."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from api.settings import Settings
from api.web.booking.date_fields import keep, read_date_parts

SUBJECT, MISSING = "Date of the event", "Enter the date of the event"


@pytest.mark.parametrize(
    ("typed", "message", "at_fault"),
    [
        ({}, MISSING, ("day", "month", "year")),
        ({"day": "  ", "month": "", "year": " "}, MISSING, ("day", "month", "year")),
        ({"day": "9", "year": "2027"}, "Date of the event must include a month", ("month",)),
        ({"month": "3", "year": "2027"}, "Date of the event must include a day", ("day",)),
        ({"month": "3"}, "Date of the event must include a day and year", ("day", "year")),
        ({"day": "9", "month": "3", "year": "27"}, "Year must include 4 numbers", ("year",)),
        ({"day": "9", "month": "13", "year": "2027"}, "Date of the event must be a real date", ("month",)),
        ({"day": "29", "month": "2", "year": "2027"}, "Date of the event must be a real date", ("day",)),
        ({"day": "x", "month": "3", "year": "2027"}, "Date of the event must be a real date", ("day",)),
        ({"day": "9", "month": "Marchember", "year": "2027"}, f"{SUBJECT} must be a real date", ("month",)),
        ({"day": "-1", "month": "3", "year": "2027"}, "Date of the event must be a real date", ("day",)),
    ],
)
def test_each_mistake_is_worded_as_the_design_system_asks(
    typed: dict[str, str], message: str, at_fault: tuple[str, ...]
) -> None:
    answer = read_date_parts(typed, SUBJECT, MISSING)
    assert (answer.day, answer.error, answer.error_parts) == (None, message, at_fault)
    assert answer.anchor("date") == f"date-{at_fault[0]}"


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ({"day": "9", "month": "3", "year": "2027"}, dt.date(2027, 3, 9)),
        ({"day": " 09 ", "month": "03", "year": "2027"}, dt.date(2027, 3, 9)),
        ({"day": "9", "month": "March", "year": "2027"}, dt.date(2027, 3, 9)),
        ({"day": "9", "month": "sept", "year": "2027"}, dt.date(2027, 9, 9)),
        ({"day": "29", "month": "2", "year": "2028"}, dt.date(2028, 2, 29)),
    ],
)
def test_dates_are_read_as_people_type_them(typed: dict[str, str], day: dt.date) -> None:
    answer = read_date_parts(typed, SUBJECT, MISSING)
    assert (answer.day, answer.error) == (day, None)
    draft: dict[str, object] = {}
    keep(draft, "date", answer)
    assert draft["date"] == day.isoformat() and draft["date_error_parts"] == []


def test_a_wrong_date_keeps_what_was_typed_and_no_date() -> None:
    draft: dict[str, object] = {}
    keep(draft, "date", read_date_parts({"day": "31", "month": "4", "year": "2027"}, SUBJECT, MISSING))
    typed = {"day": "31", "month": "4", "year": "2027"}
    assert draft == {"date": "", "date_parts": typed, "date_error_parts": ["day"]}


@pytest.mark.parametrize("colour", ["red", "#12345", "#1234567", "#12345g", "1d70b8"])
def test_the_council_colour_must_be_a_hex_colour(colour: str) -> None:
    with pytest.raises(ValidationError, match="council_colour"):
        Settings(council_colour=colour)


@pytest.mark.parametrize(
    "logo", ["https://elsewhere.example/logo.svg", "javascript:alert(1)", "/logo.svg?x=<"]
)
def test_the_council_logo_is_a_path_on_the_service(logo: str) -> None:
    with pytest.raises(ValidationError, match="council_logo_url"):
        Settings(council_logo_url=logo)
    path = "/static/council-logo.svg"
    assert Settings(council_logo_url=path).council_logo_url == path
