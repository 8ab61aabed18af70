"""Every message to a hirer names the booking, says what happens next and carries a fresh
private link that opens the status page (real SMTP server; the HTML part from the kept mail)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from api.settings import Settings
from tests.factories import application_payload, bearer, next_weekday
from tests.messages.mail_capture import Inbox, client_of, mailing_app, token_in
from vetting.notify import Mail


def _check_hirer_mail(mail: Mail, smtp_text: str, reference: str) -> str:
    """The mail as delivered and as kept: the booking, the next step and a link, in both parts."""
    token = token_in(smtp_text)
    assert mail.audience == "hirer" and mail.to == "morgan@testtown.example"
    for part in (smtp_text, mail.body):
        assert reference in part and "Hall B, Testtown Civic Hall" in part
        assert "WHAT HAPPENS NEXT" in part and f"/status/{token}" in part
    assert mail.html is not None
    assert f'href="http://testserver.local/status/{token}"' in mail.html
    assert reference in mail.html and "What happens next" in mail.html and "Hall B" in mail.html
    assert "screen" not in smtp_text.lower() and "screen" not in mail.html.lower()
    return token


async def _opens(client: Any, token: str, reference: str) -> None:
    page = await client.get(f"/status/{token}")
    assert page.status_code == 200 and reference in page.text
    api = await client.get(f"/api/v1/applicant/{token}")
    assert api.status_code == 200 and api.json()["reference"] == reference


async def test_each_event_mails_a_fresh_link_that_opens_the_status_page(
    smtp: tuple[Inbox, int], settings: Settings, seeded: dict[str, Any]
) -> None:
    inbox, port = smtp
    app, kept = mailing_app(settings, port)
    officer = bearer(seeded["officer_token"])
    async with client_of(app) as client:
        created = await client.post(
            "/api/v1/applications", json=application_payload(seeded["hall_b"].id, next_weekday(2))
        )
        assert created.status_code == 201, created.text
        case_id, reference = created.json()["id"], created.json()["reference"]
        tokens: list[str] = []

        async def expect(subject: str, template: str) -> str:
            (delivered,) = await inbox.wait_for(subject)
            (mail,) = kept.named(template)
            token = _check_hirer_mail(mail, delivered.get_content(), reference)
            assert token not in tokens, "each message carries a link of its own"
            tokens.append(token)
            await _opens(client, token, reference)
            return token

        first = await expect("We have your booking request", "submitted")
        assert first == created.json()["applicant_token"]  # the link the "Request sent" page shows

        asked = await client.post(
            f"/api/v1/applications/{case_id}/decision",
            json={"outcome": "request_information", "reason": "Please send your insurance certificate"},
            headers=officer,
        )
        assert asked.status_code == 200, asked.text
        second = await expect("More information needed", "information_requested")
        assert "Please send your insurance certificate" in kept.named("information_requested")[0].body

        # The hirer answers through the link of the later email, not the first one.
        answered = await client.post(
            f"/api/v1/applicant/{second}/information", json={"response": "Attached: cover of 5 million"}
        )
        assert answered.status_code == 200, answered.text
        await expect("We have your answer", "information_received")

        approved = await client.post(
            f"/api/v1/applications/{case_id}/decision",
            json={
                "outcome": "approve",
                "reason": "ok",
                "conditions": [{"code": "responsible_person", "text": None, "rationale": "First booking"}],
            },
            headers=officer,
        )
        assert approved.status_code == 200, approved.text
        with_conditions = await expect("approved with conditions", "approved_with_conditions")

        accepted = await client.post(f"/api/v1/applicant/{with_conditions}/accept-conditions")
        assert accepted.status_code == 200, accepted.text
        await expect("confirmed", "conditions_accepted")

        withdrawn = await client.post(f"/api/v1/applicant/{first}/withdraw")
        assert withdrawn.status_code == 200, withdrawn.text
        await expect("You withdrew", "withdrawn")

        # Old links stay valid: every link mailed still opens the request.
        for token in tokens:
            await _opens(client, token, reference)
        assert len(tokens) == 6


async def test_refusal_appeal_and_cancellation_mail_the_hirer_and_staff_get_the_case_link(
    smtp: tuple[Inbox, int], settings: Settings, seeded: dict[str, Any]
) -> None:
    inbox, port = smtp
    app, kept = mailing_app(settings, port)
    officer, officer2, admin = (bearer(seeded[k]) for k in ("officer_token", "officer2_token", "admin_token"))
    async with client_of(app) as client:
        created = await client.post(
            "/api/v1/applications",
            json=application_payload(seeded["hall_b"].id, next_weekday(3, weeks_ahead=5)),
        )
        case_id, reference = created.json()["id"], created.json()["reference"]
        refusal = {
            "outcome": "refuse",
            "reason": "The hall cannot hold the planned stage safely",
            "reason_code": "public_safety",
            "options_considered": "A smaller stage was considered and would not suffice",
        }
        assert (
            await client.post(f"/api/v1/applications/{case_id}/decision", json=refusal, headers=officer)
        ).status_code == 200
        assert not kept.named("refused")  # not until a second officer countersigns
        signed = await client.post(
            f"/api/v1/applications/{case_id}/countersign", json={"agree": True}, headers=officer2
        )
        assert signed.status_code == 200, signed.text
        (refused_mail,) = await inbox.wait_for("Decision on your booking request")
        token = _check_hirer_mail(kept.named("refused")[0], refused_mail.get_content(), reference)
        assert "you can appeal through your private link until" in refused_mail.get_content()
        assert "The hall cannot hold the planned stage safely" in refused_mail.get_content()

        appealed = await client.post(f"/api/v1/applicant/{token}/appeal", json={"grounds": "No stage."})
        assert appealed.status_code == 200, appealed.text
        (lodged,) = await inbox.wait_for("We have your appeal")
        appeal_token = _check_hirer_mail(kept.named("appeal_lodged")[0], lodged.get_content(), reference)
        # Officers are told (today through the referral message), with the case's link.
        staff = [m for m in kept.sent if m.audience == "staff"]
        assert staff and all(m.to.endswith("@testshire.example") for m in staff)
        case_link = f"http://testserver.local/officer/cases/{case_id}"
        assert all(case_link in m.body and f'href="{case_link}"' in (m.html or "") for m in staff)

        varied = await client.post(
            f"/api/v1/applications/{case_id}/appeal-decision",
            json={
                "outcome": "varied",
                "reason": "Approved without a stage",
                "conditions": [{"code": "capacity_limit"}],
            },
            headers=admin,
        )
        assert varied.status_code == 200, varied.text
        (decided,) = await inbox.wait_for("was upheld: your booking is approved with conditions")
        _check_hirer_mail(kept.named("appeal_decided")[0], decided.get_content(), reference)
        assert "Your appeal was upheld with varied conditions" in decided.get_content()
        assert "Accept the conditions through your private link" in decided.get_content()

        accepted = await client.post(f"/api/v1/applicant/{appeal_token}/accept-conditions")
        assert accepted.status_code == 200, accepted.text
        cancelled = await client.post(
            f"/api/v1/applications/{case_id}/cancel",
            json={"reason_code": "public_safety", "reason": "Flood damage to the hall"},
            headers=officer,
        )
        assert cancelled.status_code == 200, cancelled.text
        (cancel_mail,) = await inbox.wait_for(f"Booking {reference} cancelled")
        _check_hirer_mail(kept.named("cancelled")[0], cancel_mail.get_content(), reference)
        assert "Flood damage to the hall" in cancel_mail.get_content()
        assert "(cancelled)" in cancel_mail.get_content()  # the dates, as they now stand


async def test_a_date_cancelled_or_moved_by_an_officer_is_mailed_to_the_hirer(
    smtp: tuple[Inbox, int], settings: Settings, seeded: dict[str, Any]
) -> None:
    inbox, port = smtp
    app, kept = mailing_app(settings, port)
    officer = bearer(seeded["officer_token"])
    start = next_weekday(1, weeks_ahead=7, hour=10)
    async with client_of(app) as client:
        created = await client.post(
            "/api/v1/applications",
            json=application_payload(seeded["hall_b"].id, start, rrule="FREQ=WEEKLY;COUNT=3"),
        )
        assert created.status_code == 201, created.text
        case_id, reference = created.json()["id"], created.json()["reference"]
        approve = {"outcome": "approve", "reason": "ok", "conditions": []}
        decided = await client.post(f"/api/v1/applications/{case_id}/decision", json=approve, headers=officer)
        assert decided.status_code == 200, decided.text
        await inbox.wait_for(f"Your booking {reference} is approved")
        occurrences = (await client.get(f"/api/v1/applications/{case_id}", headers=officer)).json()[
            "occurrences"
        ]
        second, third = occurrences[1], occurrences[2]

        moved_to = start + dt.timedelta(days=8, hours=1)
        moved = await client.post(
            f"/api/v1/applications/{case_id}/occurrences/{second['id']}/move",
            json={
                "start": moved_to.isoformat(),
                "end": (moved_to + dt.timedelta(hours=2)).isoformat(),
                "reason": "hirer_asked",
            },
            headers=officer,
        )
        assert moved.status_code == 200, moved.text
        (move_mail,) = await inbox.wait_for("A date of your booking")
        text = move_mail.get_content()
        _check_hirer_mail(kept.named("date_changed")[0], text, reference)
        assert f"moved to {moved_to:%A %-d %B %Y}, {moved_to:%H:%M}" in text

        cancelled = await client.post(
            f"/api/v1/applications/{case_id}/occurrences/{third['id']}/cancel",
            json={"reason": "other", "details": "The caretaker is away that week."},
            headers=officer,
        )
        assert cancelled.status_code == 200, cancelled.text
        mails = await inbox.wait_for("A date of your booking", count=2)
        assert ": cancelled." in mails[1].get_content() and "(cancelled)" in mails[1].get_content()
        assert "Reason: Another reason. The caretaker is away that week." in mails[1].get_content()
