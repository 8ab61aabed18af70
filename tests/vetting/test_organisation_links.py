"""The pure parts of linking a request to a known organisation: differences and register agreement."""

from __future__ import annotations

from vetting.models import Organisation
from vetting.organisation_links import differences, register_agrees, snapshot
from vetting.registry import RegistryRecord

KNOWN = Organisation(
    name="Testtown Allotment Society Ltd",
    type="charity",
    charity_number="1187654",
    company_number=None,
    address="2 Test Lane",
    website=None,
)


def _found(name: str, number: str = "1187654", status: str = "registered") -> RegistryRecord:
    return RegistryRecord("charity_ew", number, "found", name=name, register_status=status)


def test_snapshot_keeps_exactly_the_organisation_fields() -> None:
    given = {"name": "A", "type": "club", "address": None, "stray": "x"}
    assert snapshot(given) == {
        "name": "A",
        "type": "club",
        "charity_number": None,
        "company_number": None,
        "address": None,
        "website": None,
    }


def test_differences_compare_field_by_field_ignoring_case_and_spacing() -> None:
    submitted = snapshot(
        {**vars_of(KNOWN), "name": "testtown  allotment society ltd", "address": "3 Test Lane"}
    )
    rows = {d["field"]: d for d in differences(submitted, KNOWN)}
    assert rows["name"]["same"] is True
    assert rows["address"] == {
        "field": "address",
        "submitted": "3 Test Lane",
        "on_file": "2 Test Lane",
        "same": False,
    }


def test_register_agrees_only_on_the_shared_number_and_both_names() -> None:
    submitted = snapshot(vars_of(KNOWN))
    assert register_agrees([_found("Testtown Allotment Society Ltd")], submitted, KNOWN)
    # Another name on the request, on file, or on the register: no agreement.
    assert not register_agrees(
        [_found("Testtown Allotment Society Ltd")], {**submitted, "name": "Other"}, KNOWN
    )
    assert not register_agrees([_found("Some Other Charity")], submitted, KNOWN)
    # A removed charity, another number, a register that was not asked.
    assert not register_agrees([_found("Testtown Allotment Society Ltd", status="removed")], submitted, KNOWN)
    assert not register_agrees([_found("Testtown Allotment Society Ltd", number="1187655")], submitted, KNOWN)
    not_checked = RegistryRecord("charity_ew", "1187654", "not_checked")
    assert not register_agrees([not_checked], submitted, KNOWN)


def vars_of(o: Organisation) -> dict[str, object]:
    return {
        f: getattr(o, f) for f in ("name", "type", "charity_number", "company_number", "address", "website")
    }
