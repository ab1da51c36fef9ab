"""An answer file: one partner organisation in one round (SPEC §3)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import ConfigDict, StringConstraints

from assessment.limits import INSTRUMENT_REF_PATTERN
from assessment.models.base import ScaleValue, ShortText, Slug, Strict, Text

# ---------------------------------------------------------------- workspace files


class Respondent(Strict):
    """Who answered: one partner organisation."""

    id: Slug
    organisation: ShortText
    role: Slug


class OpenAnswers(Strict):
    """Answers to the two open questions."""

    goes_well: Text | None = None
    change_first: Text | None = None


class Response(Strict):
    """One answer file: one partner organisation in one round."""

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        frozen=True,
        json_schema_extra={"title": "Ketenscan antwoordbestand"},
    )

    instrument: Annotated[str, StringConstraints(pattern=INSTRUMENT_REF_PATTERN)]
    municipality: Slug
    round: Slug
    respondent: Respondent
    submitted: dt.date | None = None
    answers: dict[Slug, ScaleValue]
    importance: dict[Slug, ScaleValue] = {}
    ambition: dict[Slug, ScaleValue] = {}
    levels_offered: list[Slug] | None = None
    comments: dict[Slug, Text | None] = {}
    open: OpenAnswers = OpenAnswers()
