"""Repeat rules in words (venues.rrule_words): the forms the booking form produces, and any rule
the parser accepts read back without RFC 5545 text."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from venues.rrule_spec import MAX_COUNT, ByDay, RRuleSpec, parse_rrule
from venues.rrule_words import describe_rrule, describe_spec, ordinal_day

WEDNESDAY = dt.date(2026, 12, 9)


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        ("FREQ=WEEKLY;UNTIL=20270303", "every Wednesday until 3 March 2027"),
        ("FREQ=WEEKLY;COUNT=6", "every Wednesday, 6 times"),
        ("FREQ=WEEKLY;INTERVAL=2;UNTIL=20270303", "every other Wednesday until 3 March 2027"),
        ("FREQ=WEEKLY;INTERVAL=3;BYDAY=MO,TH;COUNT=1", "every 3 weeks on Monday and Thursday, once"),
        ("FREQ=MONTHLY;BYDAY=2WE;COUNT=4", "the second Wednesday of every month, 4 times"),
        (
            "FREQ=MONTHLY;BYDAY=-1WE;UNTIL=20271231",
            "the last Wednesday of every month until 31 December 2027",
        ),
        ("FREQ=MONTHLY;BYMONTHDAY=15,-1;COUNT=2", "the 15th and last day of every month, 2 times"),
        ("FREQ=MONTHLY;INTERVAL=2;COUNT=3", "the 9th of every other month, 3 times"),
        ("FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR;COUNT=10", "every weekday, 10 times"),
        ("FREQ=DAILY;COUNT=3", "every day, 3 times"),
        ("FREQ=WEEKLY;UNTIL=20270303T235959Z", "every Wednesday until 3 March 2027"),
        (None, "once"),
        ("NOT A RULE", "on a repeating pattern"),
    ],
)
def test_rules_the_service_produces_read_as_english(rule: str | None, words: str) -> None:
    assert describe_rrule(rule, WEDNESDAY) == words


def test_ordinals() -> None:
    assert [ordinal_day(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 31, -1, -2)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd", "31st", "last",
        "2nd to last",
    ]  # fmt: skip


_days = st.lists(st.integers(0, 6), min_size=1, max_size=3, unique=True)


@st.composite
def specs(draw: st.DrawFn) -> RRuleSpec:
    freq = draw(st.sampled_from(["DAILY", "WEEKLY", "MONTHLY"]))
    interval = draw(st.integers(1, 12))
    byday: tuple[ByDay, ...] = ()
    bymonthday: tuple[int, ...] = ()
    if freq == "MONTHLY" and draw(st.booleans()):
        ordinal = draw(st.sampled_from([1, 2, 3, 4, -1]))
        byday = tuple(ByDay(d, ordinal) for d in draw(_days))
    elif freq == "MONTHLY" and draw(st.booleans()):
        bymonthday = (draw(st.sampled_from([1, 2, 3, 15, 28, -1])),)
    elif freq != "MONTHLY" and draw(st.booleans()):
        byday = tuple(ByDay(d) for d in draw(_days))
    if draw(st.booleans()):
        count, until = draw(st.integers(1, MAX_COUNT)), None
    else:
        count, until = None, draw(st.dates(dt.date(2026, 1, 1), dt.date(2030, 12, 31)))
    return RRuleSpec(
        freq=freq, interval=interval, count=count, until=until, byday=byday, bymonthday=bymonthday
    )


@given(spec=specs(), first=st.dates(dt.date(2026, 1, 1), dt.date(2030, 12, 31)))
def test_any_accepted_rule_reads_without_rfc_text_and_keeps_its_end(spec: RRuleSpec, first: dt.date) -> None:
    text = spec.to_text()
    words = describe_rrule(text, first)
    assert parse_rrule(text) == spec
    assert words == describe_spec(spec, first)
    assert not re.search(r"FREQ|BYDAY|UNTIL|COUNT|INTERVAL|=|;|\b\d{8}\b|\bMO\b|\bFR\b", words), words
    if spec.until is not None:
        assert isinstance(spec.until, dt.date)
        assert words.endswith(f" until {spec.until.day} {spec.until:%B %Y}")
    elif spec.count == 1:
        assert words.endswith(", once")
    else:
        assert words.endswith(f", {spec.count} times")
    if spec.freq == "WEEKLY" and not spec.byday:
        assert f"{first:%A}" in words  # the first date names the day a weekly rule leaves implicit
