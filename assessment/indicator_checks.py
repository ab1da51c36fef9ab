"""Cross-checks of one round's key figures (`indicatoren.yaml`, or rows of a CSV import)
against the definitions in `questionnaire/indicatoren.yaml`.

Like `checks`, they read the loaded data itself, so that an unknown id, a numerator above
its denominator and a wrong type elsewhere are reported in one run.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from assessment.checks import Locates
from assessment.errors import Problem
from assessment.instrument import Questionnaire
from assessment.limits import is_slug
from assessment.messages import suggest
from assessment.models import IndicatorDefinition


def _g(value: float) -> str:
    """A number in a Dutch message: no needless decimals, a decimal comma."""
    return f"{value:.6g}".replace(".", ",")


def _as_number(value: Any) -> float | None:
    """A finite YAML or CSV number as a float; None for anything else (booleans, text,
    NaN, infinity), which the model reports."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if math.isfinite(value) else None


def check_indicator_values(
    data: Any,
    doc: Locates,
    questionnaire: Questionnaire,
    *,
    municipality: str | None,
    round_slug: str | None,
) -> list[Problem]:
    """Checks of one round's key figures: known ids, complete figures that fit their unit,
    and the municipality and round of the folder the figures belong to."""
    if not isinstance(data, Mapping):
        return []  # the model reports that the file is no mapping
    problems: list[Problem] = []
    for key, expected, code, noun in (
        ("municipality", municipality, "indicators.wrong-municipality", "gemeente"),
        ("round", round_slug, "indicators.wrong-round", "ronde"),
    ):
        found = data.get(key)
        if expected is not None and isinstance(found, str) and found != expected:
            problems.append(
                doc.problem(
                    [key],
                    code,
                    f"{noun} '{found}' hoort niet bij de map van '{expected}'; schrijf "
                    f"'{expected}' of verplaats het bestand",
                )
            )
    values = data.get("values")
    if not isinstance(values, Mapping):
        return problems
    known = questionnaire.indicators
    for indicator, entry in values.items():
        if not (isinstance(indicator, str) and is_slug(indicator)):
            continue  # the model reports an id that is no slug
        definition = known.get(indicator)
        if definition is None:
            hint = (
                suggest(indicator, known)
                if known
                else (" Deze vragenlijst heeft geen indicatoren.yaml met kengetallen")
            )
            problems.append(
                doc.problem(
                    ["values", indicator],
                    "indicators.unknown-indicator",
                    f"onbekend kengetal '{indicator}'.{hint}",
                    key=True,
                )
            )
            continue
        if isinstance(entry, Mapping):
            problems += _check_figure(entry, doc, ["values", indicator], definition)
    return problems


def _check_figure(
    entry: Mapping[Any, Any],
    doc: Locates,
    where: list[str | int],
    definition: IndicatorDefinition,
) -> list[Problem]:
    """One figure against its definition: complete, counts where it counts people, and
    within the range of its unit."""
    numerator, denominator, value = (entry.get(k) for k in ("numerator", "denominator", "value"))
    given = {k for k in ("numerator", "denominator", "value") if entry.get(k) is not None}
    name = definition.name
    if not given:
        return []  # all empty: the figure is not there (yet), as in the template
    if given not in ({"numerator", "denominator"}, {"value"}):
        if "value" in given:
            message = f"{name}: geef óf teller en noemer, óf alleen de waarde (value), niet allebei"
        else:
            missing = "noemer (denominator)" if "numerator" in given else "teller (numerator)"
            message = f"{name}: de {missing} ontbreekt; geef teller én noemer"
        return [doc.problem(where, "indicators.incomplete", message, key=True)]
    problems: list[Problem] = []
    upper = definition.upper
    suffix = f" {definition.suffix}" if definition.unit != "procent" else "%"
    if value is not None:
        amount = _as_number(value)
        if amount is not None and upper is not None and amount > upper:
            problems.append(
                doc.problem(
                    [*where, "value"],
                    "indicators.out-of-range",
                    f"{name} kan niet hoger zijn dan {_g(upper)}{suffix} (gevonden: {_g(amount)})",
                )
            )
        return problems
    top, bottom = _as_number(numerator), _as_number(denominator)
    if top is None or bottom is None or top < 0 or bottom < 0:
        return problems  # the model reports text, booleans, NaN, infinity and negatives
    if definition.is_share:
        for key, count in (("numerator", top), ("denominator", bottom)):
            if not count.is_integer():
                problems.append(
                    doc.problem(
                        [*where, key],
                        "indicators.not-a-count",
                        f"{name}: de {'teller' if key == 'numerator' else 'noemer'} telt "
                        f"mensen of trajecten en is dus een geheel getal (gevonden: {_g(count)})",
                    )
                )
        if top > bottom:
            problems.append(
                doc.problem(
                    [*where, "numerator"],
                    "indicators.numerator-above-denominator",
                    f"{name}: de teller ({_g(top)}) is groter dan de noemer "
                    f"({_g(bottom)}); de teller telt een deel van de noemer",
                )
            )
            return problems
    if bottom == 0:
        problems.append(
            doc.problem(
                [*where, "denominator"],
                "indicators.out-of-range",
                f"{name}: de noemer is 0, dus er is geen waarde; laat het kengetal weg als er "
                "niets te tellen was",
            )
        )
        return problems
    result = top * definition.multiplier / bottom
    if upper is not None and result > upper:
        problems.append(
            doc.problem(
                [*where, "numerator"],
                "indicators.out-of-range",
                f"{name}: {_g(top)} ÷ {_g(bottom)} = {_g(result)}{suffix}, meer "
                f"dan kan ({_g(upper)}{suffix})",
            )
        )
    return problems
