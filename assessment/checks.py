"""Cross-checks of answer files against the instrument and their place in the workspace.

The checks read the loaded data itself, not the validated model, so that they run even
when a value elsewhere in the file is wrong: a misspelt statement id and a score of
`vier` are reported in the same run. Each check looks only at values of the type it
needs and leaves any other value to the model's own problems.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Protocol

from assessment.errors import Problem
from assessment.instrument import Questionnaire
from assessment.limits import INSTRUMENT_REF, is_slug
from assessment.messages import suggest
from assessment.models import IndicatorDefinition

if TYPE_CHECKING:
    from assessment.workspace import AnswerFile, Round


class Locates(Protocol):
    """A loaded document that can place a problem (a YAML file, a JSON request body)."""

    def problem(
        self,
        loc: list[str | int],
        code: str,
        message: str,
        *,
        key: bool = False,
    ) -> Problem:
        """A problem at `loc` in the document."""
        ...


def check_response(
    data: Any,
    doc: Locates,
    questionnaire: Questionnaire,
    *,
    municipality: str | None,
    round_slug: str | None,
    respondent: str | None,
) -> list[Problem]:
    """Checks of one answer document against the instrument and where it belongs."""
    if not isinstance(data, Mapping):
        return []  # the model reports that the file is no mapping
    problems: list[Problem] = []
    problems += _check_instrument(data.get("instrument"), doc, questionnaire)
    for key, expected, code, message in (
        (
            "municipality",
            municipality,
            "answers.wrong-municipality",
            "gemeente '{found}' hoort niet in de map van '{expected}'; "
            "schrijf '{expected}' of verplaats het bestand",
        ),
        (
            "round",
            round_slug,
            "answers.wrong-round",
            "ronde '{found}' hoort niet in de map van ronde '{expected}'; "
            "schrijf '{expected}' of verplaats het bestand",
        ),
    ):
        found = data.get(key)
        if expected is not None and isinstance(found, str) and found != expected:
            problems.append(
                doc.problem([key], code, message.format(found=found, expected=expected))
            )
    who = data.get("respondent")
    if isinstance(who, Mapping):
        found_id = who.get("id")
        if respondent is not None and isinstance(found_id, str) and found_id != respondent:
            problems.append(
                doc.problem(
                    ["respondent", "id"],
                    "answers.wrong-respondent",
                    f"de id '{found_id}' moet gelijk zijn aan de bestandsnaam "
                    f"('{respondent}'); pas de id of de bestandsnaam aan",
                )
            )
        role = who.get("role")
        if isinstance(role, str) and is_slug(role) and role not in questionnaire.roles:
            problems.append(
                doc.problem(
                    ["respondent", "role"],
                    "answers.unknown-role",
                    f"onbekende rol '{role}'.{suggest(role, questionnaire.roles)} "
                    "Kies een rol uit de lijst in het sjabloon",
                )
            )
    answers = data.get("answers")
    if isinstance(answers, Mapping):
        problems += _check_statements(answers, doc, questionnaire)
    factors = questionnaire.factor_ids
    for part in ("importance", "ambition", "comments"):
        mapping = data.get(part)
        if not isinstance(mapping, Mapping):
            continue
        for factor in mapping:
            if isinstance(factor, str) and is_slug(factor) and factor not in factors:
                problems.append(
                    doc.problem(
                        [part, factor],
                        "answers.unknown-factor",
                        f"onbekende factor '{factor}'.{suggest(factor, factors)}",
                        key=True,
                    )
                )
    levels = questionnaire.level_ids
    offered = data.get("levels_offered")
    for index, level in enumerate(offered if isinstance(offered, list) else []):
        if isinstance(level, str) and is_slug(level) and level not in levels:
            problems.append(
                doc.problem(
                    ["levels_offered", index],
                    "answers.unknown-level",
                    f"onbekend interventieniveau '{level}'.{suggest(level, levels)} "
                    f"Kies uit: {', '.join(sorted(levels))}",
                )
            )
    return problems


def _check_instrument(value: Any, doc: Locates, questionnaire: Questionnaire) -> list[Problem]:
    if not isinstance(value, str) or INSTRUMENT_REF.fullmatch(value) is None:
        return []  # the model reports a missing or malformed reference
    instrument = questionnaire.instrument
    name, _, major = value.partition("@")
    if name != instrument.id:
        return [
            doc.problem(
                ["instrument"],
                "answers.other-instrument",
                f"dit bestand hoort bij vragenlijst '{name}', maar deze werkruimte gebruikt "
                f"'{instrument.id}'; schrijf '{instrument.ref}'",
            )
        ]
    if int(major) != instrument.major:
        return [
            doc.problem(
                ["instrument"],
                "answers.other-version",
                f"dit bestand hoort bij versie {int(major)} van de vragenlijst; deze werkruimte "
                f"gebruikt versie {instrument.major}. Vul het sjabloon van versie "
                f"{instrument.major} in ('ketenscan template')",
            )
        ]
    return []


def _check_statements(
    answers: Mapping[Any, Any], doc: Locates, questionnaire: Questionnaire
) -> list[Problem]:
    problems: list[Problem] = []
    known = questionnaire.statement_ids
    for statement in answers:
        # A key that is no id at all is the model's problem (field.invalid-id).
        if isinstance(statement, str) and is_slug(statement) and statement not in known:
            problems.append(
                doc.problem(
                    ["answers", statement],
                    "answers.unknown-statement",
                    f"onbekende stelling '{statement}'.{suggest(statement, known)} "
                    "Haal de regel weg of herstel de id",
                    key=True,
                )
            )
    missing = [s for s in questionnaire.statement_order if s not in answers]
    if missing:
        shown = ", ".join(missing[:5]) + (f" en nog {len(missing) - 5}" if len(missing) > 5 else "")
        problems.append(
            doc.problem(
                ["answers"],
                "answers.missing-statement",
                f"{len(missing)} stelling(en) ontbreken: {shown}. Zet elke stelling erin; "
                "schrijf null voor 'weet niet'",
                key=True,
            )
        )
    return problems


def check_same_organisation(round_: Round, problems: list[Problem]) -> None:
    """Warn when two answer files of one round name the same organisation."""
    by_name: dict[str, list[AnswerFile]] = defaultdict(list)
    for answer in round_.answers:
        name = " ".join(answer.response.respondent.organisation.casefold().split())
        by_name[name].append(answer)
    for group in by_name.values():
        if len(group) > 1:
            others = ", ".join(a.path.name for a in group[1:])
            problems.append(
                Problem(
                    group[0].display,
                    1,
                    1,
                    "answers.same-organisation",
                    f"dezelfde organisatie ('{group[0].response.respondent.organisation}') heeft "
                    f"in deze ronde ook {others} ingevuld; elke organisatie telt één keer mee. "
                    "Voeg de antwoorden samen of controleer de namen",
                    "warning",
                )
            )


# ---------------------------------------------------------------- key figures


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
