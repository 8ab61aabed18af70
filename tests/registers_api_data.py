"""Invented answers in the shapes the Companies House and Charity Commission APIs publish."""

from __future__ import annotations

from tests.registers_api_stub import RegistersStub


def stocked(stub: RegistersStub) -> RegistersStub:
    stub.companies.update(
        {
            "09876543": {
                "company_name": "LANTERN HALL COMMUNITY LIMITED",
                "company_number": "09876543",
                "company_status": "active",
                "type": "ltd",
                "has_insolvency_history": False,
                "previous_company_names": [
                    {"name": "LANTERN HALL CIC", "ceased_on": "2020-01-05", "effective_from": "2015-09-01"}
                ],
            },
            "SC123456": {
                "company_name": "GRANITE FRONT TRADING LTD",
                "company_number": "SC123456",
                "company_status": "dissolved",
                "date_of_cessation": "2024-09-30",
                "type": "ltd",
            },
            "07654321": {
                "company_name": "WILLOW MEADOW SERVICES LIMITED",
                "company_number": "07654321",
                "company_status": "administration",
                "has_insolvency_history": True,
                "type": "ltd",
            },
            "06543210": {
                "company_name": "COPPER BEACON HOLDINGS LIMITED",
                "company_number": "06543210",
                "company_status": "active",
                "company_status_detail": "active-proposal-to-strike-off",
                "type": "ltd",
            },
        }
    )
    stub.insolvency["07654321"] = {
        "cases": [
            {
                "type": "in-administration",
                "number": "1",
                "dates": [{"type": "administration-started-on", "date": "2026-10-01"}],
            }
        ],
        "status": ["in-administration"],
    }
    stub.pscs["09876543"] = [
        {
            "name": "Mr Corvin Aldersgate",
            "name_elements": {"title": "Mr", "forename": "Corvin", "surname": "ALDERSGATE"},
            "kind": "individual-person-with-significant-control",
            "natures_of_control": ["ownership-of-shares-75-to-100-percent"],
            "notified_on": "2016-04-06",
        },
        {
            "name": "Thessaly Marchbank",
            "kind": "individual-person-with-significant-control",
            "notified_on": "2016-04-06",
            "ceased_on": "2019-01-01",
        },
    ]
    stub.charities.update(
        {
            (1190001, 0): {
                "organisation_number": 5000001,
                "reg_charity_number": 1190001,
                "group_subsid_suffix": 0,
                "charity_name": "Lantern Hall Community Trust",
                "reg_status": "R",
                "date_of_registration": "2011-04-06T00:00:00",
                "date_of_removal": None,
                "insolvent": False,
                "in_administration": False,
                "other_names": [
                    {"charity_name_id": 1, "charity_name": "Lantern Hall", "name_type": "Working"}
                ],
                "trustee_names": [
                    {"organisation_number": 5000001, "trustee_name": "Ivo Quillfeather", "trustee_id": 7001}
                ],
            },
            (1190002, 0): {
                "organisation_number": 5000002,
                "reg_charity_number": 1190002,
                "group_subsid_suffix": 0,
                "charity_name": "Meadow Copper Relief Fund",
                "reg_status": "RM",
                "date_of_removal": "2024-02-20T00:00:00",
                "removal_reason": "Ceased to exist",
                "insolvent": False,
                "in_administration": False,
                "other_names": [],
                "trustee_names": [],
            },
        }
    )
    return stub
