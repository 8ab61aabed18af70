"""The booking form's pages in order, one step object each."""

from __future__ import annotations

from api.web.booking.steps.base import Step, StepContext
from api.web.booking.steps.check import CheckStep
from api.web.booking.steps.choose import ChooseStep
from api.web.booking.steps.declarations import DeclarationsStep
from api.web.booking.steps.event import EventStep
from api.web.booking.steps.organisation import OrganisationStep
from api.web.booking.steps.people import PeopleStep
from api.web.booking.steps.questions import QuestionsStep
from api.web.booking.steps.room import RoomStep

ORDER: tuple[Step, ...] = (
    RoomStep(),
    ChooseStep(),
    OrganisationStep(),
    PeopleStep(),
    EventStep(),
    QuestionsStep(),
    DeclarationsStep(),
    CheckStep(),
)
STEPS: dict[str, Step] = {step.name: step for step in ORDER}
NAMES = tuple(STEPS)

__all__ = ["NAMES", "ORDER", "STEPS", "Step", "StepContext"]
