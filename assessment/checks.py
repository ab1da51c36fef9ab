"""Cross-checks of answer files against the instrument and their place in the workspace."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from assessment.workspace import AnswerFile, Round

from collections import defaultdict

from assessment.errors import Problem
from assessment.instrument import Questionnaire
from assessment.messages import suggest
from assessment.models import Response
from assessment.yamlio import LoadedYaml


def check_response(
    response: Response,
    doc: LoadedYaml,
    questionnaire: Questionnaire,
    *,
    municipality: str | None,
    round_slug: str | None,
    respondent: str | None,
) -> list[Problem]:
    """Checks of one answer file against the instrument and its place in the workspace."""
    problems: list[Problem] = []
    instrument = questionnaire.instrument
    name, _, major = response.instrument.partition("@")
    if name != instrument.id:
        problems.append(
            doc.problem(
                ["instrument"],
                f"dit bestand hoort bij vragenlijst '{name}', maar deze werkruimte gebruikt "
                f"'{instrument.id}'; schrijf '{instrument.ref}'",
            )
        )
    elif int(major) != instrument.major:
        problems.append(
            doc.problem(
                ["instrument"],
                f"dit bestand hoort bij versie {int(major)} van de vragenlijst; deze werkruimte "
                f"gebruikt versie {instrument.major}. Vul het sjabloon van versie "
                f"{instrument.major} in ('ketenscan template')",
            )
        )
    if municipality is not None and response.municipality != municipality:
        problems.append(
            doc.problem(
                ["municipality"],
                f"gemeente '{response.municipality}' hoort niet in de map van '{municipality}'; "
                f"schrijf '{municipality}' of verplaats het bestand",
            )
        )
    if round_slug is not None and response.round != round_slug:
        problems.append(
            doc.problem(
                ["round"],
                f"ronde '{response.round}' hoort niet in de map van ronde '{round_slug}'; "
                f"schrijf '{round_slug}' of verplaats het bestand",
            )
        )
    if respondent is not None and response.respondent.id != respondent:
        problems.append(
            doc.problem(
                ["respondent", "id"],
                f"de id '{response.respondent.id}' moet gelijk zijn aan de bestandsnaam "
                f"('{respondent}'); pas de id of de bestandsnaam aan",
            )
        )
    if response.respondent.role not in questionnaire.roles:
        problems.append(
            doc.problem(
                ["respondent", "role"],
                f"onbekende rol '{response.respondent.role}'."
                f"{suggest(response.respondent.role, questionnaire.roles)} "
                "Kies een rol uit de lijst in het sjabloon",
            )
        )
    known = questionnaire.statement_ids
    given = response.answers.keys()
    for statement in given - known:
        problems.append(
            doc.problem(
                ["answers", statement],
                f"onbekende stelling '{statement}'.{suggest(statement, known)} "
                "Haal de regel weg of herstel de id",
                key=True,
            )
        )
    missing = [s for s in questionnaire.statement_order if s not in given]
    if missing:
        shown = ", ".join(missing[:5]) + (f" en nog {len(missing) - 5}" if len(missing) > 5 else "")
        problems.append(
            doc.problem(
                ["answers"],
                f"{len(missing)} stelling(en) ontbreken: {shown}. Zet elke stelling erin; "
                "schrijf null voor 'weet niet'",
                key=True,
            )
        )
    factors = questionnaire.factor_ids
    for part in ("importance", "ambition", "comments"):
        mapping: dict[str, object] = getattr(response, part)
        for factor in mapping.keys() - factors:
            problems.append(
                doc.problem(
                    [part, factor],
                    f"onbekende factor '{factor}'.{suggest(factor, factors)}",
                    key=True,
                )
            )
    levels = questionnaire.level_ids
    for index, level in enumerate(response.levels_offered or []):
        if level not in levels:
            problems.append(
                doc.problem(
                    ["levels_offered", index],
                    f"onbekend interventieniveau '{level}'.{suggest(level, levels)} "
                    f"Kies uit: {', '.join(sorted(levels))}",
                )
            )
    return problems


def check_same_organisation(round_: Round, problems: list[Problem]) -> None:
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
                    f"dezelfde organisatie ('{group[0].response.respondent.organisation}') heeft "
                    f"in deze ronde ook {others} ingevuld; elke organisatie telt één keer mee. "
                    "Voeg de antwoorden samen of controleer de namen",
                    "warning",
                )
            )
