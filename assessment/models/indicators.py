"""Key figures (SPEC §10): the definitions in `questionnaire/indicatoren.yaml` and the values
a municipality records per round in `gemeenten/<m>/<r>/indicatoren.yaml`.

The models check the shape; whether a numerator fits its denominator, a value its unit and
an id the definitions is checked on the loaded data (`indicator_checks.check_indicator_values`), so
that a CSV import and a YAML file get the same problems.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from assessment.limits import INDICATOR_MAXIMUM, INDICATOR_MULTIPLIER
from assessment.models.base import ShortText, Slug, Strict, Text

Unit = Literal["procent", "per-1000", "gemiddelde"]
Better = Literal["hoger", "lager"]
ReferenceKind = Literal["streefwaarde", "landelijk", "praktijk"]

# A count or an amount: a plain finite number, never below zero.
Amount = Annotated[float, Field(ge=0, allow_inf_nan=False)]

# ---------------------------------------------------------------- definitions


class Reference(Strict):
    """A value to hold a key figure against, with where it comes from."""

    id: Slug
    label: ShortText  # "Streefwaarde Buurtzorg Jong"
    value: Amount
    kind: ReferenceKind  # an aim, a national average or what a practice achieved
    source: Text  # the article or practice the value comes from


class IndicatorDefinition(Strict):
    """One key figure: what it counts, its unit, which way is better, its references."""

    id: Slug
    name: ShortText
    definition: Text
    numerator: Text
    denominator: Text
    unit: Unit
    unit_label: ShortText | None = None  # what an average counts, e.g. "maanden"
    maximum: Amount | None = None  # the highest possible average (shares have their own)
    better: Better
    factor: Slug  # the success factor or condition it belongs to
    references: list[Reference] = []
    note: Text | None = None  # what practice shows where the sources give no number

    @property
    def multiplier(self) -> float:
        """Value = numerator ÷ denominator × this."""
        return INDICATOR_MULTIPLIER[self.unit]

    @property
    def upper(self) -> float | None:
        """The highest possible value, if there is one."""
        return INDICATOR_MAXIMUM.get(self.unit, self.maximum)

    @property
    def is_share(self) -> bool:
        """True when the numerator counts a part of the denominator (people, not months)."""
        return self.unit != "gemiddelde"

    @property
    def suffix(self) -> str:
        """The unit as written after a value: '%', 'per 1.000', 'maanden'."""
        if self.unit == "procent":
            return "%"
        if self.unit == "per-1000":
            return self.unit_label or "per 1.000"
        return self.unit_label or ""

    @model_validator(mode="after")
    def _average_has_a_label(self) -> IndicatorDefinition:
        if self.unit == "gemiddelde" and self.unit_label is None:
            raise PydanticCustomError(
                "unit_label",
                "bij eenheid 'gemiddelde' hoort een unit_label, zoals 'maanden'",
            )
        if self.unit != "gemiddelde" and self.maximum is not None:
            raise PydanticCustomError(
                "maximum",
                "'maximum' hoort alleen bij eenheid 'gemiddelde'; een aandeel heeft zijn eigen "
                "grens",
            )
        return self


class IndicatorLibrary(Strict):
    """The file `questionnaire/indicatoren.yaml`."""

    indicators: Annotated[list[IndicatorDefinition], Field(min_length=1)]


# ---------------------------------------------------------------- values


class IndicatorValue(Strict):
    """One figure: numerator and denominator, or only the value when that is all there is."""

    numerator: Amount | None = None
    denominator: Amount | None = None
    value: Amount | None = None
    note: Text | None = None


class IndicatorValues(Strict):
    """The file `gemeenten/<m>/<r>/indicatoren.yaml`: a municipality's figures of one round."""

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        frozen=True,
        json_schema_extra={"title": "Ketenscan indicatoren.yaml (kengetallen van een ronde)"},
    )

    municipality: Slug
    round: Slug
    period: ShortText | None = None  # the period the figures cover, e.g. "2024"
    source: ShortText | None = None  # where they come from, e.g. "registratie wijkteam"
    values: dict[Slug, IndicatorValue | None] = {}
