"""Pydantic models of every file Ketenscan reads: instrument, roles, rules, answers, settings."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    StringConstraints,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

from assessment.limits import (
    INSTRUMENT_REF_PATTERN,
    MIN_GROUP_DEFAULT,
    MIN_GROUP_INTERNAL_FLOOR,
    SCALE_MAX,
    SCALE_MIN,
    SHORT_TEXT_MAX,
    SLUG_MAX,
    SLUG_PATTERN,
    TEXT_MAX,
)

Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, min_length=1, max_length=SLUG_MAX)]
Text = Annotated[str, StringConstraints(min_length=1, max_length=TEXT_MAX)]
ShortText = Annotated[str, StringConstraints(min_length=1, max_length=SHORT_TEXT_MAX)]


def _check_scale_value(value: Any) -> int | None:
    # One custom check instead of `int | None` keeps to a single, plain error per value.
    if value is None:
        return None
    if type(value) is int and SCALE_MIN <= value <= SCALE_MAX:
        return value
    raise PydanticCustomError("score", "score outside 1..5 or not an integer")


ScaleValue = Annotated[
    int | None,
    PlainValidator(_check_scale_value),
    WithJsonSchema({"type": ["integer", "null"], "minimum": SCALE_MIN, "maximum": SCALE_MAX}),
]


class Strict(BaseModel):
    """Base of every model: unknown keys are errors, no type coercion."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


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
    explanation: Text
    level_descriptors: Annotated[list[Text], Field(min_length=5, max_length=5)]
    statements: Annotated[list[Statement], Field(min_length=1)]


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


# ---------------------------------------------------------------- recommendation rules

ConditionKind = Literal[
    "low_score", "low_consensus", "ambition_gap", "missing_partner", "uncovered_level", "decline"
]


class Condition(Strict):
    """When a rule fires."""

    kind: ConditionKind
    factor: Slug | None = None
    role: Slug | None = None
    level: Slug | None = None
    threshold: float | None = None


class Rule(Strict):
    """One recommendation rule of the library."""

    id: Slug
    condition: Condition
    title: ShortText
    why: Text
    actions: Annotated[list[Text], Field(min_length=2, max_length=4)]
    horizon: Literal["snel", "structureel"]
    source: ShortText


class RuleLibrary(Strict):
    """The file `questionnaire/recommendations.yaml`."""

    rules: Annotated[list[Rule], Field(min_length=1)]


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


class Municipality(Strict):
    """The file `gemeente.yaml`."""

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        frozen=True,
        json_schema_extra={"title": "Ketenscan gemeente.yaml"},
    )

    name: ShortText
    size: Literal["klein", "middelgroot", "groot"]
    region: ShortText | None = None
    expected_roles: list[Slug] = []
    inhabitants: Annotated[int, Field(ge=0)] | None = None


class Thresholds(Strict):
    """Thresholds of the scoring and the rules (SPEC §4 defaults)."""

    low_score: Annotated[float, Field(ge=SCALE_MIN, le=SCALE_MAX)] = 2.6
    low_consensus: Annotated[float, Field(ge=0, le=1)] = 0.6
    min_consensus_n: Annotated[int, Field(ge=2)] = 3
    min_group_size: Annotated[int, Field(ge=MIN_GROUP_INTERNAL_FLOOR)] = MIN_GROUP_DEFAULT
    ambition_gap: Annotated[float, Field(ge=0, le=4)] = 1.0
    decline: Annotated[float, Field(ge=0, le=4)] = 0.3
    score_split: Annotated[float, Field(ge=SCALE_MIN, le=SCALE_MAX)] = 3.0
    importance_split: Annotated[float, Field(ge=SCALE_MIN, le=SCALE_MAX)] = 3.5
    target: Annotated[float, Field(ge=SCALE_MIN, le=SCALE_MAX)] = 4.0


class Settings(Strict):
    """The file `ketenscan.yaml` (every key optional)."""

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        frozen=True,
        json_schema_extra={"title": "Ketenscan ketenscan.yaml"},
    )

    title: ShortText = "Ketenscan jeugd"
    audience: Literal["internal", "public"] = "internal"
    instrument: ShortText | None = None
    thresholds: Thresholds = Thresholds()
    collection_url: Annotated[str, StringConstraints(pattern=r"^https?://\S+$")] | None = None
