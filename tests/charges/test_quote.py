"""The quote engine: lines per date, bands cut at their boundaries, minimum hours, concessions,
extras, deposits; and the properties the issue asks for (sum of lines, VAT per line)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policies.rate_card import VAT_RATES, round_pence
from policies.rate_card_loader import bundled_rate_card
from venues.charges.quote import NotPriced, quote

CARD = bundled_rate_card("council-halls")
TUESDAY = dt.date(2027, 1, 12)
EARLY_MAY_BANK_HOLIDAY = dt.date(2027, 5, 3)


def at(day: dt.date, start: str, end: str) -> tuple[dt.datetime, dt.datetime]:
    return (
        dt.datetime.combine(day, dt.time.fromisoformat(start)),
        dt.datetime.combine(day, dt.time.fromisoformat(end)),
    )


def test_peak_boundary_cuts_the_hire_in_two():
    q = quote(CARD, "Main Hall A", "commercial", [at(TUESDAY, "16:00", "19:00")])
    hire = [(line.description, line.net_pence) for line in q.lines]
    assert hire == [
        ("Off-peak hire, 4pm to 5pm: 1 hour at £36.00 an hour", 3600),
        ("Peak hire, 5pm to 7pm: 2 hours at £48.00 an hour", 9600),
    ]
    assert q.gross_pence == 13200
    assert q.deposit_pence == 15000
    assert q.concession_check is None


def test_setup_is_charged_when_the_card_says_so_and_cleardown_is_not():
    q = quote(
        CARD,
        "Main Hall A",
        "commercial",
        [at(TUESDAY, "18:00", "20:00")],
        setup_minutes=30,
        cleardown_minutes=30,
    )
    assert [line.description for line in q.lines] == [
        "Peak hire, 5:30pm to 8pm: 2 hours 30 minutes at £48.00 an hour"
    ]
    assert q.net_pence == 12000


def test_weekend_and_bank_holiday_rates():
    saturday = quote(CARD, "Main Hall A", "commercial", [at(dt.date(2027, 1, 16), "10:00", "12:00")])
    assert saturday.lines[0].description.startswith("Weekend hire")
    assert saturday.net_pence == 2 * 5600
    holiday = quote(CARD, "Main Hall A", "commercial", [at(EARLY_MAY_BANK_HOLIDAY, "10:00", "12:00")])
    assert holiday.lines[0].description.startswith("Bank holiday hire")
    assert holiday.net_pence == 2 * 5000  # the bank-holiday band has no commercial rate of its own


def test_minimum_hours_charged_at_the_last_rate():
    q = quote(CARD, "Main Hall A", "commercial", [at(TUESDAY, "17:00", "17:30")])
    assert [line.kind for line in q.lines] == ["hire", "minimum"]
    assert q.lines[1].description == "Minimum hire of 2 hours: 1 hour 30 minutes more at £48.00 an hour"
    assert q.net_pence == 2 * 4800


def test_concession_and_what_the_officer_checks():
    q = quote(CARD, "Main Hall A", "charity", [at(TUESDAY, "19:00", "21:00")], extras=["projector"])
    assert [(line.kind, line.net_pence, line.vat_pence) for line in q.lines] == [
        ("hire", 6400, 0),
        ("concession", -2560, 0),  # 40% off the hire only
        ("extra", 2000, 400),  # the projector is standard rated
    ]
    assert q.concession_check and "Charity Commission" in q.concession_check
    assert q.deposit_pence == 5000


def test_sessions_and_a_taxed_room():
    q = quote(CARD, "Council Chamber", "community", [at(TUESDAY, "12:00", "19:00")])
    names = [line.description for line in q.lines]
    assert names[:3] == [
        "Morning session (8am to 1pm)",
        "Afternoon session (1pm to 6pm)",
        "Evening session (6pm to 11pm)",
    ]
    hire = 15000 + 15000 + 20000
    assert q.lines[3].net_pence == -round_pence(Decimal(hire) * 25 / 100)
    assert all(line.vat_code == "standard" for line in q.lines)
    assert q.vat_pence == sum(round_pence(Decimal(line.net_pence) / 5) for line in q.lines)


def test_extras_per_hour_and_per_booking():
    q = quote(
        CARD, "Main Hall A", "commercial", [at(TUESDAY, "18:00", "20:30")], extras=["caretaker", "kitchen"]
    )
    extras = [(line.description, line.net_pence) for line in q.lines if line.kind == "extra"]
    assert extras == [
        ("Caretaker on duty, 2 hours 30 minutes at £18.50 an hour", 4625),
        ("Use of the kitchen", 1500),
    ]


def test_what_the_card_does_not_price():
    with pytest.raises(NotPriced, match="from 6am to 9am"):
        quote(CARD, "Main Hall A", "community", [at(TUESDAY, "06:00", "09:00")])
    with pytest.raises(NotPriced, match="Saturday"):
        quote(CARD, "Council Chamber", "community", [at(dt.date(2027, 1, 16), "10:00", "12:00")])
    with pytest.raises(NotPriced, match="sauna"):
        quote(CARD, "Main Hall A", "community", [at(TUESDAY, "10:00", "12:00")], extras=["sauna"])


slot_starts = st.integers(
    min_value=9 * 4,  # an hour of set-up still starts at 08:00 or later
    max_value=21 * 4,
).map(lambda q: q * 15)
days = st.dates(min_value=dt.date(2026, 1, 1), max_value=dt.date(2029, 12, 31))


@st.composite
def slots(draw):
    day = draw(days)
    start = draw(slot_starts)
    length = draw(st.integers(min_value=1, max_value=23 * 60 - start))
    begin = dt.datetime.combine(day, dt.time(0)) + dt.timedelta(minutes=start)
    return begin, begin + dt.timedelta(minutes=length)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(slots(), min_size=1, max_size=8),
    st.sampled_from([c.id for c in CARD.categories]),
    st.lists(st.sampled_from([e.id for e in CARD.extras]), unique=True),
    st.sampled_from(["Main Hall A", "Committee Room 2"]),
    st.integers(min_value=0, max_value=60),
)
def test_a_quote_is_the_sum_of_its_lines_and_vat_rounds_per_line(series, category, extras, room, setup):
    q = quote(CARD, room, category, series, extras=extras, setup_minutes=setup)
    assert q.gross_pence == sum(line.net_pence + line.vat_pence for line in q.lines)
    assert q.net_pence == sum(d.net_pence for d in q.dates)
    assert q.vat_pence == sum(d.vat_pence for d in q.dates)
    assert len(q.dates) == len(series)
    for line in q.lines:
        assert isinstance(line.net_pence, int)
        assert line.vat_pence == round_pence(Decimal(line.net_pence) * VAT_RATES[line.vat_code])
    for d in q.dates:  # a concession never takes more than the hire it is on
        hire = sum(line.net_pence for line in d.lines if line.kind in ("hire", "minimum"))
        off = -sum(line.net_pence for line in d.lines if line.kind == "concession")
        assert 0 <= off <= hire


@settings(max_examples=100, deadline=None)
@given(
    st.lists(slots(), min_size=1, max_size=4),
    st.lists(st.sampled_from([e.id for e in CARD.extras]), unique=True),
)
def test_a_series_costs_what_its_dates_cost_one_by_one(series, extras):
    whole = quote(CARD, "Main Hall A", "community", series, extras=extras)
    apart = [quote(CARD, "Main Hall A", "community", [s], extras=extras) for s in series]
    assert whole.gross_pence == sum(q.gross_pence for q in apart)
    assert whole.deposit_pence == apart[0].deposit_pence  # the deposit is once per booking
