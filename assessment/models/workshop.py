"""`workshop.yaml`: what the partners agreed in the workshop of one round (SPEC §9)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import ConfigDict, Field, StringConstraints

from assessment.limits import INSTRUMENT_REF_PATTERN
from assessment.models.base import ScaleValue, ShortText, Slug, Strict, Text

ActionStatus = Literal["gepland", "loopt", "klaar", "gestopt"]
ACTION_STATUSES: tuple[ActionStatus, ...] = ("gepland", "loopt", "klaar", "gestopt")
OPEN_STATUSES: tuple[ActionStatus, ...] = ("gepland", "loopt")


class Agreement(Strict):
    """The level the group agreed on for one factor or condition, and why."""

    # Empty (null) while the group has not agreed on a level: the template starts so.
    score: ScaleValue
    rationale: Text | None = None


class Action(Strict):
    """One agreed action; its id stays the same in every later round's file."""

    id: Slug
    title: ShortText
    factors: Annotated[list[Slug], Field(min_length=1)]
    recommendation: Slug | None = None
    owner: Slug
    due: dt.date
    status: ActionStatus
    measure: Text | None = None


class Workshop(Strict):
    """The file `workshop.yaml` of one round."""

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        frozen=True,
        json_schema_extra={"title": "Ketenscan workshop.yaml"},
    )

    instrument: Annotated[str, StringConstraints(pattern=INSTRUMENT_REF_PATTERN)]
    municipality: Slug
    round: Slug
    # Empty until the workshop has been held: a fresh template is a valid file.
    date: dt.date | None = None
    participants: list[Slug] = []
    consensus: dict[Slug, Agreement] = {}
    notes: dict[Slug, Text | None] = {}
    actions: list[Action] = []
