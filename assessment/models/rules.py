"""The recommendation library: `recommendations.yaml`."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from assessment.models.base import ShortText, Slug, Strict, Text

# ---------------------------------------------------------------- recommendation rules

ConditionKind = Literal[
    "low_score",
    "low_consensus",
    "ambition_gap",
    "missing_partner",
    "uncovered_level",
    "decline",
    "indicator",
]

# How an `indicator` rule looks at its key figure: the value below or above a reference
# value (or the rule's threshold), or a rise or fall since the round before.
Compare = Literal["below", "above", "rise", "fall"]


class Condition(Strict):
    """When a rule fires."""

    kind: ConditionKind
    factor: Slug | None = None
    role: Slug | None = None
    level: Slug | None = None
    indicator: Slug | None = None  # indicator rules only
    compare: Compare | None = None  # indicator rules only
    reference: Slug | None = None  # indicator rules comparing with a reference value
    threshold: Annotated[float, Field(allow_inf_nan=False)] | None = None


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
