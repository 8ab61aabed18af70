"""Journey (issue 21 item 2): telling people apart by date of birth, through the JSON API, on both engines.

The UK list gives a listed person's date of birth; a request names someone whose name matches.
The officer asks the hirer for that person's date of birth while the referral is open; the hirer
answers with the structured field; the officer then sees "likely a different person" with the
reason beside the match, which stays open: nothing is cleared automatically and the case still
cannot be decided until the officer disposes of the match.
"""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.factories import application_payload, bearer, next_weekday
from tests.vetting.test_importers_helpers import uk_csv, uk_row

Client = AsyncTestClient[Litestar]
LISTED = "Quennell Ardwick"  # invented
OTHER = "Pellam Stroud"  # invented; on the case with no match


async def _case_with_match(
    client: Client, seeded: dict[str, Any], dob: str = "--/--/1958"
) -> tuple[str, str]:
    officer = bearer(seeded["officer_token"])
    imported = await client.post(
        "/api/v1/flagged-entries/import?format=uk-sanctions-csv",
        content=uk_csv({**uk_row("DOB0001", "ARDWICK", "Quennell"), "D.O.B": dob}),
        headers=officer,
    )
    assert imported.status_code == 200, imported.text
    created = await client.post(
        "/api/v1/applications",
        json=application_payload(
            seeded["hall_a"].id,
            next_weekday(3, weeks_ahead=5),
            people=[{"name": LISTED, "role": "speaker"}, {"name": OTHER, "role": "officer"}],
        ),
    )
    assert created.status_code == 201, created.text
    return created.json()["id"], created.json()["applicant_token"]


async def _case(client: Client, seeded: dict[str, Any], case_id: str) -> dict[str, Any]:
    answer = await client.get(f"/api/v1/applications/{case_id}", headers=bearer(seeded["officer_token"]))
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


async def test_officer_asks_hirer_answers_and_the_match_is_likely_a_different_person_but_stays_open(
    client: Client, seeded: dict[str, Any]
) -> None:
    officer = bearer(seeded["officer_token"])
    case_id, token = await _case_with_match(client, seeded)
    case = await _case(client, seeded, case_id)
    (match,) = [m for m in case["screening"] if m["query_name"] == LISTED]
    assert match["disposition"] == "open"
    assert match["birth_date"]["verdict"] == "no_case_date"
    assert "1958" in match["birth_date"]["sentence"] and "ask the hirer" in match["birth_date"]["sentence"]
    # Least data: only a person with a match may be asked about.
    assert case["dates_of_birth_askable"] == [{"name": LISTED, "role": "speaker"}]
    refused = await client.post(
        f"/api/v1/applications/{case_id}/birth-date-request", json={"people": [OTHER]}, headers=officer
    )
    assert refused.status_code == 422, refused.text

    # Open referrals block a decision, not this request.
    asked = await client.post(
        f"/api/v1/applications/{case_id}/birth-date-request",
        json={"people": [LISTED], "revision": case["revision"]},
        headers=officer,
    )
    assert asked.status_code == 200, asked.text
    assert asked.json()["status"] == "awaiting_information"

    status = (await client.get(f"/api/v1/applicant/{token}")).json()
    assert status["dates_of_birth_asked"] == [LISTED]
    assert LISTED in status["information_request"]
    assert "screening" not in status and "Ardwick" not in str(status).replace(LISTED, "")

    # Every person asked about needs a date; one in the future is refused.
    missing = await client.post(f"/api/v1/applicant/{token}/information", json={"response": "Here you are"})
    assert missing.status_code == 422, missing.text
    future = await client.post(
        f"/api/v1/applicant/{token}/information",
        json={"dates_of_birth": [{"name": LISTED, "date_of_birth": "2999-01-01"}]},
    )
    assert future.status_code == 422, future.text
    answered = await client.post(
        f"/api/v1/applicant/{token}/information",
        json={"dates_of_birth": [{"name": LISTED, "date_of_birth": "1991-05-14"}]},
    )
    assert answered.status_code == 200, answered.text
    assert answered.json()["status"] == "under_review"

    case = await _case(client, seeded, case_id)
    (match,) = [m for m in case["screening"] if m["query_name"] == LISTED]
    note = match["birth_date"]
    assert note["likely_different_person"] is True and note["verdict"] == "different"
    assert note["sentence"].startswith("Likely a different person: born 14 May 1991")
    assert "differ by 33, more than the 2 years the policy allows" in note["sentence"]
    # Never cleared automatically: still open, and still blocking a decision.
    assert match["disposition"] == "open"
    [kept] = case["dates_of_birth"]
    assert (kept["name"], kept["date_of_birth"]) == (LISTED, "1991-05-14")
    approve = await client.post(
        f"/api/v1/applications/{case_id}/decision",
        json={"outcome": "approve", "reason": "fine"},
        headers=officer,
    )
    assert approve.status_code == 409, approve.text


async def test_a_year_within_the_margin_says_dates_of_birth_do_not_tell_them_apart(
    client: Client, seeded: dict[str, Any]
) -> None:
    officer = bearer(seeded["officer_token"])
    case_id, token = await _case_with_match(client, seeded, dob="00/00/1958")
    asked = await client.post(
        f"/api/v1/applications/{case_id}/birth-date-request", json={"people": [LISTED]}, headers=officer
    )
    assert asked.status_code == 200, asked.text
    answered = await client.post(
        f"/api/v1/applicant/{token}/information",
        json={"dates_of_birth": [{"name": LISTED, "date_of_birth": "1960-02-29"}]},
    )
    assert answered.status_code == 200, answered.text
    (match,) = [m for m in (await _case(client, seeded, case_id))["screening"] if m["query_name"] == LISTED]
    assert match["birth_date"]["verdict"] == "close"
    assert match["birth_date"]["likely_different_person"] is False
    assert "do not tell them apart" in match["birth_date"]["sentence"]
    assert match["disposition"] == "open"


async def test_an_import_stores_dates_of_birth_and_a_changed_one_counts_as_a_change(
    client: Client, seeded: dict[str, Any]
) -> None:
    officer = bearer(seeded["officer_token"])
    url = "/api/v1/flagged-entries/import?format=uk-sanctions-csv"

    async def imported(dob: str) -> dict[str, Any]:
        answer = await client.post(
            url, content=uk_csv({**uk_row("DOB0003", "ARDWICK", "Quennell"), "D.O.B": dob}), headers=officer
        )
        assert answer.status_code == 200, answer.text
        return dict(answer.json())

    assert (await imported("00/06/1958"))["added"] == 1
    assert (await imported("00/06/1958"))["unchanged"] == 1
    assert (await imported("02/06/1958"))["changed"] == 1
    listed = (await client.get("/api/v1/flagged-entries?q=ardwick", headers=officer)).json()
    assert [e["births"] for e in listed] == [["1958-06-02"]]
