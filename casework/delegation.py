"""Who may decide a case: officers always; a venue's own managers where the venue's policy
delegates the case's tier to them (``decided_by = "venue_manager"``).

The decision rules themselves stay in casework/decide.py; this module only answers "may this
person decide (or countersign) this case", for the use cases and the pages alike. A manager of
another venue is told the case does not exist (404), as for any case outside their reach.

Screening never decides, and a manager never settles it: while the screening check is anything
but a pass (a possible match open, a match an officer confirmed) the case is for an officer.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from advanced_alchemy.types import GUID
from sqlalchemy import String, bindparam, column, text

from casework.deps import CaseDeps
from policies import Policy
from vetting.actors import Actor
from vetting.case_screening import OPEN, matches_for
from vetting.errors import Conflict, Forbidden, NotFound
from vetting.models import VettingCase
from vetting.policy_store import policy_version

# Tiers a policy gives to venue managers to decide (policies/*.toml, `decided_by`).
DELEGATED_TO_MANAGERS = "venue_manager"

SCREENING_NEEDS_OFFICER = (
    "A possible screening match needs an officer. Only an officer can resolve it; "
    "a venue manager cannot decide this request until they have."
)
NOT_DELEGATED = "Requests in this tier are decided by council officers, not venue managers."

_VENUE_OF_CASE = (
    text("SELECT r.venue_id FROM booking b JOIN room r ON r.id = b.room_id WHERE b.case_id = :case")
    .bindparams(bindparam("case", type_=GUID))
    .columns(column("venue_id", GUID))
)


def delegated_tier(policy: Policy, tier_id: str | None) -> bool:
    """Whether the policy leaves this tier to the venue's managers."""
    if not tier_id:
        return False
    try:
        return policy.tier(tier_id).decided_by == DELEGATED_TO_MANAGERS
    except KeyError:  # a tier no longer in the policy: the officers decide
        return False


async def venue_of_case(deps: CaseDeps, case_id: UUID) -> UUID | None:
    return (await deps.session.execute(_VENUE_OF_CASE, {"case": case_id})).scalar_one_or_none()


@dataclass(frozen=True)
class ManagerAccess:
    """What a venue manager may do with a case of one of their venues."""

    venue_id: UUID
    delegated: bool
    screening_clear: bool

    @property
    def may_decide(self) -> bool:
        return self.delegated and self.screening_clear

    @property
    def why_not(self) -> str | None:
        if not self.delegated:
            return NOT_DELEGATED
        if not self.screening_clear:
            return SCREENING_NEEDS_OFFICER
        return None


async def screening_state(deps: CaseDeps, case: VettingCase) -> str:
    """The screening as it stands now (officers' dispositions included, which the stored check
    results are not rerun for): "fail" when an officer confirmed a match, "review" while a
    possible match waits for an officer, else "pass"."""
    matches = await matches_for(deps.session, case.id)
    if any(m.disposition == "confirmed" for m in matches):
        return "fail"
    if any(m.disposition in (OPEN, "possible") for m in matches):
        return "review"
    return "pass"


async def screening_clear(deps: CaseDeps, case: VettingCase) -> bool:
    return await screening_state(deps, case) == "pass"


async def manager_access(deps: CaseDeps, actor: Actor, case: VettingCase) -> ManagerAccess:
    """A manager's reach over `case`: 404 outside their venues, else what they may do."""
    if actor.role != "venue_manager":
        raise Forbidden("only venue managers use the manager's case pages")
    venue_id = await venue_of_case(deps, case.id)
    if venue_id is None or venue_id not in actor.venue_ids:
        raise NotFound("no such application")
    policy = await policy_version(deps.session, case.policy_id, case.policy_version)
    return ManagerAccess(
        venue_id=venue_id,
        delegated=delegated_tier(policy, case.tier),
        screening_clear=await screening_clear(deps, case),
    )


async def require_decider(deps: CaseDeps, actor: Actor, case: VettingCase) -> None:
    """Refuse anyone who may not decide (or countersign) `case`: officers may; a venue manager
    only for a delegated tier at their own venue with screening clear."""
    if actor.is_officer:
        return
    if actor.role != "venue_manager":
        raise Forbidden("only officers decide")
    access = await manager_access(deps, actor, case)
    if not access.delegated:
        raise Forbidden(NOT_DELEGATED)
    if not access.screening_clear:
        raise Conflict(SCREENING_NEEDS_OFFICER)


# The staff tables belong to the api package, which casework must not import: plain SQL over them.
_MANAGERS_OF_VENUE = (
    text(
        "SELECT u.name FROM app_user u JOIN user_venue uv ON uv.user_id = u.id"
        " WHERE uv.venue_id = :venue AND u.role = 'venue_manager' AND u.active = :active ORDER BY u.name"
    )
    .bindparams(bindparam("venue", type_=GUID))
    .columns(column("name", String))
)
_VENUE_NAME = (
    text("SELECT name FROM venue WHERE id = :venue")
    .bindparams(bindparam("venue", type_=GUID))
    .columns(column("name", String))
)


@dataclass(frozen=True)
class Delegated:
    """An officer's view of a case whose decision the policy leaves to the venue's managers."""

    venue: str
    managers: list[str]  # the venue's active managers, by name (empty: none yet)
    screening_clear: bool  # False: an officer must resolve the screening first


async def delegated_to(deps: CaseDeps, case: VettingCase) -> Delegated | None:
    """Whether the venue's policy delegates this case's tier to the venue's managers, and to whom;
    None when officers decide it."""
    policy = await policy_version(deps.session, case.policy_id, case.policy_version)
    venue_id = await venue_of_case(deps, case.id)
    if venue_id is None or not delegated_tier(policy, case.tier):
        return None
    venue = (await deps.session.execute(_VENUE_NAME, {"venue": venue_id})).scalar_one()
    found = await deps.session.execute(_MANAGERS_OF_VENUE, {"venue": venue_id, "active": True})
    return Delegated(venue, list(found.scalars()), await screening_clear(deps, case))
