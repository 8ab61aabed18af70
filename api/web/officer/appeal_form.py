"""The appeal decision form's errors: what to do, in the GOV.UK style, keyed by the form's fields
(the JSON API keeps the domain's terse texts)."""

from __future__ import annotations

APPEAL_ERRORS = {
    "appeal_outcome": "Choose what the appeal decides",
    "appeal_reason": "Enter the reasons for your decision on the appeal",
    "appeal_conditions": "Choose at least one condition for the hirer to accept",
    "appeal_rationale": "Enter a rationale for the conditions",
}


def appeal_form_errors(problems: dict[str, str]) -> dict[str, str]:
    """Problems keyed by the model's or the workflow's field paths, as the form's error keys."""
    errors: dict[str, str] = {}
    for key in problems:
        if key == "outcome":
            errors["appeal_outcome"] = APPEAL_ERRORS["appeal_outcome"]
        elif key == "reason":
            errors["appeal_reason"] = APPEAL_ERRORS["appeal_reason"]
        elif key.endswith("rationale"):
            errors["appeal_rationale"] = APPEAL_ERRORS["appeal_rationale"]
        elif key.startswith("conditions"):
            errors["appeal_conditions"] = APPEAL_ERRORS["appeal_conditions"]
    if problems and not errors:  # anything else (too long...): the model's own words, on the reasons
        errors["appeal_reason"] = next(iter(problems.values()))
    return errors
