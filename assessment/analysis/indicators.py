"""Key figures (SPEC §10): each municipality's values per round, their change since the
round before, and how they stand against the reference values of the definitions.

value = numerator ÷ denominator × multiplier (100 for a percentage, 1,000 for a rate per
1,000, 1 for an average), or the value as given when only that is known. The round before
is the latest earlier round of the same municipality with a value for the same key figure.
"""

from __future__ import annotations

import decimal
from typing import TYPE_CHECKING, Any

import pandas as pd

from assessment.analysis.frames import row_dicts
from assessment.formatting import is_missing, number
from assessment.models import IndicatorDefinition

if TYPE_CHECKING:
    from assessment.instrument import Questionnaire
    from assessment.workspace import Workspace

INDICATOR_COLUMNS = [
    "municipality", "round", "indicator", "factor", "unit", "numerator", "denominator", "value",
    "previous_round", "previous_value", "change", "note",
]  # fmt: skip
REFERENCE_COLUMNS = [
    "municipality", "round", "indicator", "reference", "label", "kind", "reference_value",
    "value", "difference", "meets",
]  # fmt: skip


def figure_value(
    definition: IndicatorDefinition,
    numerator: float | None,
    denominator: float | None,
    value: float | None,
) -> float | None:
    """The value of one figure: the fraction in the unit, or the value as given."""
    if numerator is not None and denominator:
        # Multiplied first: 51 × 100 ÷ 80 is exactly 63.75, where 51 ÷ 80 × 100 is not.
        return numerator * definition.multiplier / denominator
    return value


def indicator_rows(
    figures: list[tuple[str, str, str, dict[str, Any]]],
    definitions: dict[str, IndicatorDefinition],
) -> pd.DataFrame:
    """The table of key figures from (municipality, round, indicator, fields) tuples."""
    rows: list[dict[str, Any]] = []
    last: dict[tuple[str, str], tuple[str, float]] = {}
    # Sorted by round slug: the round before is the latest earlier one with a value.
    for municipality, round_, indicator, fields in sorted(figures, key=lambda f: f[:3]):
        definition = definitions[indicator]
        value = figure_value(
            definition, fields.get("numerator"), fields.get("denominator"), fields.get("value")
        )
        if value is None:
            continue
        before = last.get((municipality, indicator))
        rows.append(
            {
                "municipality": municipality,
                "round": round_,
                "indicator": indicator,
                "factor": definition.factor,
                "unit": definition.unit,
                "numerator": fields.get("numerator"),
                "denominator": fields.get("denominator"),
                "value": value,
                "previous_round": before[0] if before else None,
                "previous_value": before[1] if before else None,
                "change": value - before[1] if before else None,
                "note": fields.get("note"),
            }
        )
        last[(municipality, indicator)] = (round_, value)
    frame = pd.DataFrame(rows, columns=INDICATOR_COLUMNS)
    for column in ("numerator", "denominator", "value", "previous_value", "change"):
        frame[column] = frame[column].astype("float64")
    return _in_definition_order(frame, definitions)


def _in_definition_order(
    frame: pd.DataFrame, definitions: dict[str, IndicatorDefinition]
) -> pd.DataFrame:
    order = {indicator: index for index, indicator in enumerate(definitions)}
    frame = frame.assign(_order=frame["indicator"].map(order))
    frame = frame.sort_values(["municipality", "round", "_order"]).drop(columns="_order")
    return frame.reset_index(drop=True)


def indicator_table(workspace: Workspace) -> pd.DataFrame:
    """Every key figure of every municipality and round of a validated workspace."""
    figures: list[tuple[str, str, str, dict[str, Any]]] = []
    for municipality in workspace.municipalities.values():
        for round_ in municipality.rounds:
            if round_.indicators is None:
                continue
            for indicator, entry in round_.indicators.values.items():
                if entry is not None:
                    figures.append((municipality.slug, round_.slug, indicator, entry.model_dump()))
    return indicator_rows(figures, workspace.questionnaire.indicators)


def meets(definition: IndicatorDefinition, value: float, reference: float) -> bool:
    """True when a value is at the reference or on its better side."""
    # Six decimals, as the rest of the scoring: 5 ÷ 78 × 100 stays 6.41..., but a value
    # that is the reference in exact arithmetic must not miss it by floating-point noise.
    difference = round(value - reference, 6)
    return difference >= 0 if definition.better == "hoger" else difference <= 0


def reference_table(values: pd.DataFrame, questionnaire: Questionnaire) -> pd.DataFrame:
    """Each value against each reference value of its definition (long: one row each)."""
    rows: list[dict[str, Any]] = []
    for row in row_dicts(values[["municipality", "round", "indicator", "value"]]):
        definition = questionnaire.indicators[str(row["indicator"])]
        for reference in definition.references:
            rows.append(
                {
                    "municipality": row["municipality"],
                    "round": row["round"],
                    "indicator": row["indicator"],
                    "value": row["value"],
                    "reference": reference.id,
                    "label": reference.label,
                    "kind": reference.kind,
                    "reference_value": reference.value,
                    "difference": row["value"] - reference.value,
                    "meets": meets(definition, row["value"], reference.value),
                }
            )
    return pd.DataFrame(rows, columns=REFERENCE_COLUMNS)


def rounded(value: float, digits: int = 1) -> str:
    """A number rounded half up, as a spreadsheet does (63.75 -> '63,8'), decimal comma."""
    # Through its shortest decimal form, so that 63.75 is 63.75 and not 63.7499999...
    exact = decimal.Decimal(repr(round(float(value), 9)))
    step = decimal.Decimal(1).scaleb(-digits)
    text = str(exact.quantize(step, rounding=decimal.ROUND_HALF_UP) + 0)
    return text.replace(".", ",").replace("-", "−")


def format_value(value: float | None, definition: IndicatorDefinition, digits: int = 1) -> str:
    """A value with its unit, as a Dutch reader writes it: '63,8%', '14,2 maanden'."""
    if is_missing(value):
        return "–"
    assert value is not None
    if definition.unit == "procent":
        return f"{rounded(value, digits)}%"
    return f"{rounded(value, digits)} {definition.suffix}"


def format_change(change: float | None, definition: IndicatorDefinition) -> str:
    """A change with its sign and unit: '+2,1 procentpunt', '−0,8 maanden'."""
    if is_missing(change):
        return "–"
    assert change is not None
    text = rounded(change)
    sign = "+" if text.strip("0,−") and not text.startswith("−") else ""
    unit = "procentpunt" if definition.unit == "procent" else definition.suffix
    return f"{sign}{text} {unit}"


def _count(value: float) -> str:
    """A count with a thousands dot (1.130); a non-whole amount with one decimal."""
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", ".")
    return number(value)


def format_fraction(
    definition: IndicatorDefinition, numerator: float | None, denominator: float | None
) -> str:
    """'51 van 80' (a share) or '1.130 ÷ 80' (an average); '' for a value given alone."""
    if is_missing(numerator) or is_missing(denominator):
        return ""
    assert numerator is not None
    assert denominator is not None
    joint = " van " if definition.is_share else " ÷ "
    return _count(numerator) + joint + _count(denominator)
