"""Every message name renders from its template files, as text and HTML, with its link; a
council's own words replace the subject and opening but never the link or the next steps."""

from __future__ import annotations

import pytest

from casework.message_catalogue import BY_NAME, HIRER, NAMES, samples_for
from casework.message_wording import DEFAULTS, MESSAGE_NAMES, Message, compose, template_problem

# The names issue 16's alerts and reminders send (briefs: H3), and the hirer acknowledgements.
EXPECTED = {
    "submitted", "referral", "information_requested", "approved", "approved_with_conditions", "refused",
    "cancelled", "appeal_decided", "conditions_accepted", "information_received", "link_recovery",
    "withdrawn", "appeal_lodged", "date_changed", "reminder_booking", "reminder_information", "lapsed",
    "alert_new_request", "alert_information_received", "alert_countersignature", "alert_appeal_lodged",
    "alert_decision_due", "alert_booking_changed", "reminder_decision_date", "digest", "document_rejected",
    "document_expiring", "alert_document_expiring",
}  # fmt: skip


def test_every_name_is_known_and_has_default_words() -> None:
    assert set(NAMES) == EXPECTED
    assert set(MESSAGE_NAMES) == EXPECTED == set(DEFAULTS)
    for name in NAMES:
        subject, opening, placeholders = DEFAULTS[name]
        assert subject and opening and "reference" in placeholders
        assert "{%" not in opening and "{{" not in opening  # shown to admins as {placeholders}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_message_renders_text_and_html_with_its_link(name: str) -> None:
    values = samples_for(name)
    rendered = compose(Message(name, values))
    assert rendered.subject and "\n" not in rendered.subject
    assert "{{" not in rendered.text and "{%" not in rendered.text
    assert rendered.html.startswith("<!DOCTYPE html>") and "{{" not in rendered.html
    kind = BY_NAME[name]
    if kind.audience == HIRER:
        link = values["status_url"]
        assert rendered.text.count(link) == 1 and f'href="{link}"' in rendered.html
        for part in (rendered.text, rendered.html):
            assert values["reference"] in part and values["venue"] in part and values["room"] in part
            assert "Tuesday 12 January 2027" in part  # the dates of the booking
        assert "WHAT HAPPENS NEXT" in rendered.text and "What happens next" in rendered.html
        assert "screen" not in (rendered.text + rendered.html).lower()
    elif kind.per_case:
        link = values["case_url"]
        assert link in rendered.text and f'href="{link}"' in rendered.html
        assert values["reference"] in rendered.text
    else:  # the digest: each item carries its own case link
        for line in values["items"].splitlines():
            url = line.rsplit(" ", 1)[1]
            assert url in rendered.text and f'href="{url}"' in rendered.html


def test_html_is_escaped_and_text_is_not() -> None:
    values = samples_for("information_requested") | {"request": 'Bring <b>"proof"</b> & <script>x()</script>'}
    rendered = compose(Message("information_requested", values))
    assert "<script>" not in rendered.html and "&lt;script&gt;" in rendered.html
    assert "&amp;" in rendered.html and "<b>" not in rendered.html
    assert 'Bring <b>"proof"</b> & <script>x()</script>' in rendered.text


def test_a_councils_words_replace_subject_and_opening_but_keep_the_link_and_next_steps() -> None:
    values = samples_for("approved_with_conditions")
    own = {
        "approved_with_conditions": {
            "subject": "Testvale: {reference} needs your OK",
            "body": "Dear hirer,\n\n{organisation} says yes, on <conditions>:\n{conditions}",
        }
    }
    rendered = compose(Message("approved_with_conditions", values), own)
    assert rendered.subject == "Testvale: VH-K7QM-3XPT needs your OK"
    assert "says yes, on <conditions>:" in rendered.text
    assert "approved your booking request with these conditions" not in rendered.text
    assert values["status_url"] in rendered.text and "Accept the conditions" in rendered.text
    assert f'href="{values["status_url"]}"' in rendered.html and "Accept the conditions" in rendered.html
    # Their text is escaped in HTML, its blank lines make paragraphs, its links are links.
    assert "says yes, on &lt;conditions&gt;:" in rendered.html
    assert '<p style="margin:0 0 16px;">Dear hirer,</p>' in rendered.html


def test_a_council_text_that_cannot_be_filled_in_falls_back_to_the_default() -> None:
    values = samples_for("lapsed")
    bad = {"lapsed": {"subject": "Lapsed {nonsense}", "body": "{request.__class__}"}}
    assert compose(Message("lapsed", values), bad) == compose(Message("lapsed", values))
    assert template_problem("lapsed", "{request.__class__}") is not None
    assert template_problem("lapsed", "Lapsed: {request} ({status_url})") is None
    assert template_problem("digest", "{count} things: {items}") is None
    assert "unknown message" in (template_problem("no_such_message", "x") or "")


def test_wording_registered_in_code_only_still_sends_text_and_html() -> None:
    # A name added to DEFAULTS by code (as alerts may until their template files exist).
    DEFAULTS["temporary_name"] = ("About {reference}", "Look: {case_url}\n", ("reference", "case_url"))
    try:
        rendered = compose(
            Message("temporary_name", {"reference": "VH-1", "case_url": "https://x.example/c"})
        )
    finally:
        del DEFAULTS["temporary_name"]
    assert rendered.subject == "About VH-1" and "Look: https://x.example/c" in rendered.text
    assert 'href="https://x.example/c"' in rendered.html
