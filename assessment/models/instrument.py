"""The questionnaire files: `instrument.yaml` and `roles.yaml`."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints, model_validator
from pydantic_core import PydanticCustomError

from assessment.limits import SCALE_MAX, SCALE_MIN, SHORT_TITLE_MAX
from assessment.models.base import ShortText, Slug, Strict, Text

# ---------------------------------------------------------------- instrument


class ScaleStep(Strict):
    """One step of the answer scale."""

    value: Annotated[int, Field(ge=SCALE_MIN, le=SCALE_MAX)]
    label: ShortText


class Statement(Strict):
    """One statement a respondent scores 1..5 or leaves empty."""

    id: Slug
    text: Text


class Factor(Strict):
    """A success factor or a Zaltbommel condition, with its statements."""

    id: Slug
    title: ShortText
    # A name of one or two words where the title does not fit (the columns and rows of a
    # comparison chart); the title when absent.
    short_title: (
        Annotated[str, StringConstraints(min_length=1, max_length=SHORT_TITLE_MAX)] | None
    ) = None
    explanation: Text
    level_descriptors: Annotated[list[Text], Field(min_length=5, max_length=5)]
    statements: Annotated[list[Statement], Field(min_length=1)]

    @property
    def short(self) -> str:
        """The short title, or the title."""
        return self.short_title or self.title


class Section(Strict):
    """A part of the questionnaire: succesfactoren or wat werkt."""

    id: Slug
    title: ShortText
    intro: Text
    factors: Annotated[list[Factor], Field(min_length=1)]


class InterventionLevel(Strict):
    """One of the seven Positief Opgroeien levels."""

    id: Slug
    title: ShortText
    description: Text


class OpenQuestions(Strict):
    """The texts of the two open questions."""

    goes_well: Text
    change_first: Text


class Questions(Strict):
    """Question texts around the statements."""

    importance: Text
    importance_scale: Annotated[list[ShortText], Field(min_length=5, max_length=5)]
    ambition: Text
    levels_offered: Text
    comments: Text
    open: OpenQuestions


class Instrument(Strict):
    """The questionnaire: sections, factors, statements, levels and question texts."""

    id: Slug
    version: Annotated[str, StringConstraints(pattern=r"^\d+\.\d+\.\d+$")]
    title: ShortText
    scale: Annotated[list[ScaleStep], Field(min_length=5, max_length=5)]
    dont_know_label: ShortText
    sections: Annotated[list[Section], Field(min_length=1)]
    intervention_levels: Annotated[list[InterventionLevel], Field(min_length=1)]
    questions: Questions

    @property
    def major(self) -> int:
        """The major version that answer files name."""
        return int(self.version.split(".")[0])

    @property
    def ref(self) -> str:
        """`id@major`, as written in answer files."""
        return f"{self.id}@{self.major}"

    def factors(self) -> list[Factor]:
        """Every factor and condition in questionnaire order."""
        return [factor for section in self.sections for factor in section.factors]

    def statements(self) -> list[Statement]:
        """Every statement in questionnaire order."""
        return [s for factor in self.factors() for s in factor.statements]

    def section_of(self) -> dict[str, str]:
        """Factor id -> section id."""
        return {f.id: section.id for section in self.sections for f in section.factors}

    @model_validator(mode="after")
    def _ids_unique(self) -> Instrument:
        seen: set[str] = set()
        ids = [
            *(s.id for s in self.sections),
            *(f.id for f in self.factors()),
            *(s.id for s in self.statements()),
            *(level.id for level in self.intervention_levels),
        ]
        for item in ids:
            if item in seen:
                raise PydanticCustomError("duplicate_id", "id '{id}' is used twice", {"id": item})
            seen.add(item)
        return self


class Role(Strict):
    """A kind of partner organisation."""

    id: Slug
    label: ShortText
    description: Text
    key: bool = False
    typical_levels: list[Slug] = []


class RoleList(Strict):
    """The file `questionnaire/roles.yaml`."""

    roles: Annotated[list[Role], Field(min_length=1)]
