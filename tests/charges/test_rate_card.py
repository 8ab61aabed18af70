"""Rate cards as data: the bundled cards load, problems are reported per field, rounding as stated."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import pytest

from policies.command import check_files
from policies.loader import PolicyError
from policies.rate_card import round_pence, vat_pence
from policies.rate_card_loader import bundled_rate_card, bundled_rate_card_ids, load_rate_card_text

CARD = (Path(__file__).parents[2] / "policies" / "rate_cards" / "council-halls.toml").read_text()


def test_bundled_cards_load():
    assert set(bundled_rate_card_ids()) >= {"council-halls", "community-centre"}
    card = bundled_rate_card("council-halls")
    assert card.room_rates("Council Chamber").vat == "standard"
    assert card.room_rates("Some other room").room == "*"
    assert card.category_for("cio").id == "charity"
    assert card.category_for("unknown-type").id == card.categories[0].id


@pytest.mark.parametrize(
    ("amount", "pence"),
    [("2.5", 3), ("-2.5", -3), ("2.4999", 2), ("3.5", 4), ("0.5", 1), ("-0.5", -1), ("7", 7)],
)
def test_rounding_is_half_away_from_zero(amount, pence):
    assert round_pence(Decimal(amount)) == pence


def test_vat_per_line():
    assert vat_pence(1234, "standard") == 247  # 246.8
    assert vat_pence(1232, "standard") == 246  # 246.4
    assert vat_pence(1010, "reduced") == 51  # 50.5 rounds up
    assert vat_pence(-1010, "reduced") == -51
    assert vat_pence(99999, "exempt") == 0


@pytest.mark.parametrize(
    ("change", "where", "message"),
    [
        ("hourly_pence = 3200\n", "rooms.0", "either hourly_pence or session_pence"),
        ('from = "17:00"\n', "rooms.0", "overlap on mon"),
        ("concession_percent = 25", "categories.0.concession_percent", "less than or equal to 100"),
        ("commercial = 3600", "(top level)", "room '*' band 'Off-peak': unknown category 'commercal'"),
        ('per = "booking"\npence = 1500', "extras.0.per", "'booking' or 'hour'"),
    ],
)
def test_problems_are_reported_by_field(change, where, message):
    broken = {
        "hourly_pence = 3200\n": CARD.replace(
            "hourly_pence = 3200\n", "hourly_pence = 3200\nsession_pence = 1\n", 1
        ),
        'from = "17:00"\n': CARD.replace('from = "17:00"\n', 'from = "16:00"\n', 1),
        "concession_percent = 25": CARD.replace("concession_percent = 25", "concession_percent = 125"),
        "commercial = 3600": CARD.replace("commercial = 3600", "commercal = 3600"),
        'per = "booking"\npence = 1500': CARD.replace(
            'per = "booking"\npence = 1500', 'per = "day"\npence = 1500'
        ),
    }[change]
    assert broken != CARD
    with pytest.raises(PolicyError) as caught:
        load_rate_card_text(broken, "card.toml")
    text = "\n".join(caught.value.lines())
    assert f"card.toml: {where}" in text
    assert message in text


def test_policies_check_command_knows_rate_cards(tmp_path):
    good = tmp_path / "good.toml"
    good.write_text(CARD)
    bad = tmp_path / "bad.toml"
    bad.write_text(CARD.replace("version = 1", "version = 0"))
    out, err = io.StringIO(), io.StringIO()
    assert check_files([str(good)], out, err) == 0
    assert "ok (rate card council-halls version 1)" in out.getvalue()
    assert check_files([str(bad)], out, err) == 1
    assert f"{bad}: version: " in err.getvalue()


def test_cancellation_fee_by_notice():
    card = bundled_rate_card("council-halls")
    assert card.cancellation_fee_percent(40) == 0
    assert card.cancellation_fee_percent(28) == 0
    assert card.cancellation_fee_percent(27) == 50
    assert card.cancellation_fee_percent(7) == 50
    assert card.cancellation_fee_percent(6) == 100
