"""A mapping file for `ketenscan import`: which column of a survey tool's export holds
which answer, and which answer texts mean which score.

Its keys follow the answer file: `respondent.organisation`, `answers.<statement>`,
`importance.<factor>`, ... each with the header of a column as it stands in the export.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import ConfigDict, Field, StringConstraints

from assessment.limits import IMPORT_MAX_HEADER_ROW, TEXT_MAX
from assessment.models.base import ScaleValue, ShortText, Slug, Strict

# The text of a header cell; long ones are common (Microsoft Forms uses the question).
Header = Annotated[str, StringConstraints(min_length=1, max_length=TEXT_MAX)]
# An answer text as it stands in a cell; a number in YAML (`99: null`) is allowed too.
AnswerText = ShortText | int


class RespondentColumns(Strict):
    """The columns that say who answered."""

    organisation: Header
    role: Header
    id: Header | None = None


class OpenColumns(Strict):
    """The columns of the two open questions."""

    goes_well: Header | None = None
    change_first: Header | None = None


class ImportMapping(Strict):
    """The file given with `ketenscan import --mapping`."""

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        frozen=True,
        json_schema_extra={"title": "Ketenscan mapping voor import"},
    )

    sheet: ShortText | None = None
    header_row: Annotated[int, Field(ge=1, le=IMPORT_MAX_HEADER_ROW)] = 1
    respondent: RespondentColumns
    submitted: Header | None = None
    # Every statement of the instrument; null: not asked, written as 'weet niet'.
    answers: dict[Slug, Header | None]
    importance: dict[Slug, Header] = {}
    ambition: dict[Slug, Header] = {}
    levels_offered: Header | None = None  # one column naming several levels
    level_columns: dict[Slug, Header] = {}  # or one yes/no column per level
    comments: dict[Slug, Header] = {}
    open: OpenColumns = OpenColumns()
    values: dict[AnswerText, ScaleValue] = {}
    roles: dict[AnswerText, Slug] = {}
    levels: dict[AnswerText, Slug] = {}
