"""Lost-link recovery on the start page, and revoking every link but the one in use."""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient

from api.settings import Settings
from tests.factories import application_payload, bearer, next_weekday
from tests.messages.mail_capture import Inbox, client_of, mailing_app, token_in
from tests.web.sign_in import csrf_of

HIRER_EMAIL = "morgan@testtown.example"


async def _submit(web: AsyncTestClient[Litestar], seeded: dict[str, Any]) -> dict[str, Any]:
    """A request sent by the test's one client (asyncpg's connections stay on one event loop)."""
    created = await web.post(
        "/api/v1/applications", json=application_payload(seeded["hall_b"].id, next_weekday(2))
    )
    assert created.status_code == 201, created.text
    body: dict[str, Any] = created.json()
    return body


class Asker:
    def __init__(self, web: AsyncTestClient[Litestar], csrf: str) -> None:
        self.web, self.csrf = web, csrf

    async def ask(self, reference: str, email: str) -> Any:
        return await self.web.post(
            "/lost-link", data={"reference": reference, "email": email, "csrf_token": self.csrf}
        )


async def _asker(web: AsyncTestClient[Litestar]) -> Asker:
    start = await web.get("/")
    assert start.status_code == 200 and 'action="/lost-link"' in start.text
    return Asker(web, csrf_of(start.text))


async def test_a_matching_pair_mails_a_fresh_link_and_the_answer_never_differs(
    smtp: tuple[Inbox, int], settings: Settings, seeded: dict[str, Any]
) -> None:
    inbox, port = smtp
    app, kept = mailing_app(settings, port)
    async with client_of(app, "https://testserver.local") as web:
        case = await _submit(web, seeded)
        await inbox.wait_for("We have your booking request")
        asker = await _asker(web)
        wrong_reference = await asker.ask("VH-ZZZZ-ZZZZ", HIRER_EMAIL)
        wrong_email = await asker.ask(case["reference"], "someone.else@testtown.example")
        assert not kept.named("link_recovery")  # mail is handed on at commit, before the answer
        # Reference in lower case with a space, email in other capitals: still the same pair.
        right = await asker.ask(" " + case["reference"].lower(), "Morgan@TestTown.EXAMPLE")
        answers = [wrong_reference, wrong_email, right]
        assert [a.status_code for a in answers] == [200, 200, 200]
        assert wrong_reference.text == wrong_email.text == right.text
        assert "Check your email" in right.text and case["reference"] not in right.text

        (mail,) = await inbox.wait_for("Your private link to booking request")
        assert mail["To"] == HIRER_EMAIL and len(kept.named("link_recovery")) == 1
        fresh = token_in(mail.get_content())
        assert fresh != case["applicant_token"]
        assert 'href="http://testserver.local/status/' + fresh in (kept.named("link_recovery")[0].html or "")
        for token in (fresh, case["applicant_token"]):  # the new link, and the old one still works
            page = await web.get(f"/status/{token}")
            assert page.status_code == 200 and case["reference"] in page.text
    # Exactly two mails reached the hirer: the first one and the one matching pair's (the
    # officers' new-request alerts go to them).
    assert len([m for m in inbox.messages if m["To"] == HIRER_EMAIL]) == 2


async def test_missing_answers_are_asked_for_again(settings: Settings, app: Litestar) -> None:
    async with client_of(app, "https://testserver.local") as web:
        asker = await _asker(web)
        answer = await asker.ask("", "not-an-address")
        assert answer.status_code == 400
        assert "Enter the booking reference" in answer.text and "Enter an email address like" in answer.text
        assert 'value="not-an-address"' in answer.text


async def test_requests_are_limited_per_email_and_per_reference_matched_or_not(
    smtp: tuple[Inbox, int], settings: Settings, seeded: dict[str, Any]
) -> None:
    _, port = smtp
    app, kept = mailing_app(settings, port)
    async with client_of(app, "https://testserver.local") as web:
        case = await _submit(web, seeded)
        asker = await _asker(web)
        # Per email address: three an hour, whatever the references.
        for n in range(3):
            assert (await asker.ask(f"VH-AAAA-AAA{n + 2}", "limited@testtown.example")).status_code == 200
        limited = await asker.ask(case["reference"], "limited@testtown.example")
        assert limited.status_code == 429 and "Too many requests" in limited.text
        # Per reference: five an hour, whatever the addresses (the real pair included). The
        # request refused above was not counted: a refused request does no work.
        for n in range(5):
            assert (await asker.ask(case["reference"], f"other{n}@testtown.example")).status_code == 200
        held = await asker.ask(case["reference"], HIRER_EMAIL)
        assert held.status_code == 429
        assert not kept.named("link_recovery")  # the matching pair was refused by the limit
        # Another reference and address are not held up by either limit.
        free = await asker.ask("VH-BBBB-BBBB", "free@testtown.example")
        assert free.status_code == 200


async def test_the_hirer_stops_every_other_link(
    smtp: tuple[Inbox, int], settings: Settings, seeded: dict[str, Any]
) -> None:
    inbox, port = smtp
    app, _ = mailing_app(settings, port)
    async with client_of(app, "https://testserver.local") as web:
        case = await _submit(web, seeded)
        first = case["applicant_token"]
        asked = await web.post(
            f"/api/v1/applications/{case['id']}/decision",
            json={"outcome": "request_information", "reason": "Which room layout do you need?"},
            headers=bearer(seeded["officer_token"]),
        )
        assert asked.status_code == 200
        await _stop_other_links(web, inbox, first)


async def _stop_other_links(web: AsyncTestClient[Litestar], inbox: Inbox, first: str) -> None:
    (mail,) = await inbox.wait_for("More information needed")
    second = token_in(mail.get_content())
    page = await web.get(f"/status/{second}")
    assert "Stop all other links" in page.text
    no_csrf = await web.post(f"/status/{second}/revoke-others", data={})
    assert no_csrf.status_code == 403
    assert (await web.get(f"/status/{first}")).status_code == 200
    done = await web.post(
        f"/status/{second}/revoke-others", data={"csrf_token": csrf_of(page.text)}, follow_redirects=False
    )
    assert done.status_code == 303 and done.headers["location"] == f"/status/{second}?done=revoked"
    assert "Every other private link" in (await web.get(done.headers["location"])).text
    assert (await web.get(f"/status/{first}")).status_code == 404
    assert (await web.get(f"/api/v1/applicant/{first}")).status_code == 404
    assert (await web.get(f"/status/{second}")).status_code == 200
    # A later message brings a new link, which works.
    answered = await web.post(
        f"/status/{second}/information",
        data={"text": "Rows of chairs", "csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )
    assert answered.status_code == 303
    (ack,) = await inbox.wait_for("We have your answer")
    third = token_in(ack.get_content())
    assert (await web.get(f"/api/v1/applicant/{third}")).status_code == 200
