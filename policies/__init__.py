"""Vetting policies as data: the model, the TOML loader and the bundled policies."""

from policies.loader import (
    PolicyError,
    Problem,
    bundled_policy,
    bundled_policy_ids,
    bundled_policy_text,
    check_policy_file,
    load_policy,
    load_policy_text,
)
from policies.model import (
    HAND_ADDED_SOURCE,
    ConditionOfHire,
    Declaration,
    Insurance,
    Policy,
    Question,
    RefusalGround,
    Retention,
    RiskTrigger,
    Screening,
    Tier,
    policy_summary,
)

__all__ = [
    "HAND_ADDED_SOURCE",
    "ConditionOfHire",
    "Declaration",
    "Insurance",
    "Policy",
    "PolicyError",
    "Problem",
    "Question",
    "RefusalGround",
    "Retention",
    "RiskTrigger",
    "Screening",
    "Tier",
    "bundled_policy",
    "bundled_policy_ids",
    "bundled_policy_text",
    "check_policy_file",
    "load_policy",
    "load_policy_text",
    "policy_summary",
]
