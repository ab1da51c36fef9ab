"""Cross-checks of answer files against the instrument and their place in the workspace.

The checks read the loaded data itself, not the validated model, so that they run even
when a value elsewhere in the file is wrong: a misspelt statement id and a score of
`vier` are reported in the same run. Each check looks only at values of the type it
needs and leaves any other value to the model's own problems.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from assessment.errors import Problem, Severity
from assessment.instrument import Questionnaire
from assessment.limits import INSTRUMENT_REF, is_slug
from assessment.messages import suggest
from assessment.models import OPEN_STATUSES

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
        severity: Severity = "error",
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


def _check_instrument(
    value: Any, doc: Locates, questionnaire: Questionnaire, area: str = "answers"
) -> list[Problem]:
    if not isinstance(value, str) or INSTRUMENT_REF.fullmatch(value) is None:
        return []  # the model reports a missing or malformed reference
    instrument = questionnaire.instrument
    name, _, major = value.partition("@")
    codes = _INSTRUMENT_CODES[area]
    if name != instrument.id:
        return [
            doc.problem(
                ["instrument"],
                codes[0],
                f"dit bestand hoort bij vragenlijst '{name}', maar deze werkruimte gebruikt "
                f"'{instrument.id}'; schrijf '{instrument.ref}'",
            )
        ]
    if int(major) != instrument.major:
        return [
            doc.problem(
                ["instrument"],
                codes[1],
                f"dit bestand hoort bij versie {int(major)} van de vragenlijst; deze werkruimte "
                f"gebruikt versie {instrument.major}. Vul het sjabloon van versie "
                f"{instrument.major} in ('ketenscan template')",
            )
        ]
    return []


_INSTRUMENT_CODES = {
    "answers": ("answers.other-instrument", "answers.other-version"),
    "workshop": ("workshop.other-instrument", "workshop.other-version"),
}


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


# ---------------------------------------------------------------- workshop.yaml


def check_workshop(
    data: Any,
    doc: Locates,
    questionnaire: Questionnaire,
    *,
    municipality: str | None,
    round_slug: str | None,
) -> list[Problem]:
    """Checks of one `workshop.yaml` against the instrument, the roles and the rules."""
    if not isinstance(data, Mapping):
        return []  # the model reports that the file is no mapping
    problems = _check_instrument(data.get("instrument"), doc, questionnaire, "workshop")
    for key, expected, code in (
        ("municipality", municipality, "workshop.wrong-municipality"),
        ("round", round_slug, "workshop.wrong-round"),
    ):
        found = data.get(key)
        if expected is not None and isinstance(found, str) and found != expected:
            noun = "gemeente" if key == "municipality" else "ronde"
            problems.append(
                doc.problem(
                    [key],
                    code,
                    f"{noun} '{found}' hoort niet in de map van '{expected}'; schrijf "
                    f"'{expected}' of verplaats het bestand",
                )
            )
    roles = questionnaire.roles
    factors = questionnaire.factor_ids
    participants = data.get("participants")
    if isinstance(participants, list):
        for index, role in enumerate(participants):
            if isinstance(role, str) and is_slug(role) and role not in roles:
                problems.append(
                    doc.problem(
                        ["participants", index],
                        "workshop.unknown-role",
                        f"onbekende rol '{role}'.{suggest(role, roles)} Schrijf de rol-id's van "
                        "de partners die meededen",
                    )
                )
        texts = [role for role in participants if isinstance(role, str)]
        if len(set(texts)) != len(texts):
            problems.append(
                doc.problem(
                    ["participants"],
                    "workshop.duplicate-participant",
                    "een rol staat meer dan eens in de lijst; elke soort partner telt één keer",
                    key=True,
                    severity="warning",
                )
            )
    consensus = data.get("consensus")
    if isinstance(consensus, Mapping):
        for factor in consensus:
            if isinstance(factor, str) and is_slug(factor) and factor not in factors:
                problems.append(
                    doc.problem(
                        ["consensus", factor],
                        "workshop.unknown-factor",
                        f"onbekende factor '{factor}'.{suggest(factor, factors)}",
                        key=True,
                    )
                )
    notes = data.get("notes")
    if isinstance(notes, Mapping):
        points = factors | questionnaire.statement_ids
        for point in notes:
            if isinstance(point, str) and is_slug(point) and point not in points:
                problems.append(
                    doc.problem(
                        ["notes", point],
                        "workshop.unknown-point",
                        f"'{point}' is geen stelling of factor van de vragenlijst."
                        f"{suggest(point, points)}",
                        key=True,
                    )
                )
    actions = data.get("actions")
    if isinstance(actions, list):
        problems += _check_actions(actions, doc, questionnaire)
    return problems


def _check_actions(actions: list[Any], doc: Locates, questionnaire: Questionnaire) -> list[Problem]:
    problems: list[Problem] = []
    factors = questionnaire.factor_ids
    rules = frozenset(rule.id for rule in questionnaire.rules)
    seen: dict[str, int] = {}
    for index, action in enumerate(actions):
        if not isinstance(action, Mapping):
            continue  # the model reports it
        where: list[str | int] = ["actions", index]
        action_id = action.get("id")
        if isinstance(action_id, str) and is_slug(action_id):
            if action_id in seen:
                problems.append(
                    doc.problem(
                        [*where, "id"],
                        "workshop.duplicate-action",
                        f"de actie-id '{action_id}' staat ook bij actie {seen[action_id] + 1}; "
                        "geef elke actie een eigen id",
                    )
                )
            else:
                seen[action_id] = index
        named = action.get("factors")
        for j, factor in enumerate(named if isinstance(named, list) else []):
            if isinstance(factor, str) and is_slug(factor) and factor not in factors:
                problems.append(
                    doc.problem(
                        [*where, "factors", j],
                        "workshop.unknown-factor",
                        f"onbekende factor '{factor}'.{suggest(factor, factors)}",
                    )
                )
        owner = action.get("owner")
        if isinstance(owner, str) and is_slug(owner) and owner not in questionnaire.roles:
            problems.append(
                doc.problem(
                    [*where, "owner"],
                    "workshop.unknown-role",
                    f"onbekende rol '{owner}'.{suggest(owner, questionnaire.roles)} De eigenaar "
                    "van een actie is een rol-id, zoals 'gemeente'",
                )
            )
        rule = action.get("recommendation")
        if isinstance(rule, str) and is_slug(rule) and rule not in rules:
            problems.append(
                doc.problem(
                    [*where, "recommendation"],
                    "workshop.unknown-recommendation",
                    f"onbekende aanbeveling '{rule}'.{suggest(rule, rules)} Gebruik de id van "
                    "een aanbeveling uit het sjabloon, of null",
                )
            )
    return problems


@dataclass
class RoundWorkshop:
    """What the checks across rounds need of one round: its workshop file (loaded, even
    when a value in it is wrong) and the dates its answers were submitted."""

    round: str
    doc: Locates | None
    data: Any
    submitted: list[dt.date] = field(default_factory=list)


def _year_of(round_slug: str) -> int | None:
    """The year a round's id starts with ('2025-najaar' -> 2025), if it does."""
    head, _, _ = round_slug.partition("-")
    return int(head) if len(head) == 4 and head.isdigit() else None


def _actions_of(data: Any) -> list[tuple[int, Mapping[Any, Any]]]:
    """(index, action) of every well-formed enough action of a loaded workshop file."""
    actions = data.get("actions") if isinstance(data, Mapping) else None
    if not isinstance(actions, list):
        return []
    return [
        (index, action)
        for index, action in enumerate(actions)
        if isinstance(action, Mapping) and isinstance(action.get("id"), str)
    ]


def _meaning(action: Mapping[Any, Any]) -> tuple[frozenset[str], str | None] | None:
    """What an action is about: its factors and the recommendation it adopts."""
    factors = action.get("factors")
    rule = action.get("recommendation")
    if not isinstance(factors, list) or not all(isinstance(f, str) for f in factors):
        return None
    if rule is not None and not isinstance(rule, str):
        return None
    return frozenset(factors), rule


def check_workshop_rounds(
    rounds: list[RoundWorkshop], questionnaire: Questionnaire
) -> list[Problem]:
    """Checks across the rounds of one municipality (sorted): the workshop date lies in
    its round, a carried action keeps its meaning, and open actions are carried over."""
    problems: list[Problem] = []
    known_factors = questionnaire.factor_ids
    known_rules = frozenset(rule.id for rule in questionnaire.rules)
    history: dict[str, tuple[str, frozenset[str], str | None]] = {}
    previous: RoundWorkshop | None = None
    for position, current in enumerate(rounds):
        if current.doc is None:
            continue
        doc = current.doc
        later = next((r for r in rounds[position + 1 :] if r.submitted), None)
        problems += _check_date(current, later)
        ids = set()
        for index, action in _actions_of(current.data):
            action_id = str(action["id"])
            if action_id in ids:
                continue  # a repeated id is reported as such
            ids.add(action_id)
            meaning = _meaning(action)
            known = history.get(action_id)
            if meaning is None or known is None:
                continue
            if not meaning[0] <= known_factors or meaning[1] not in known_rules | {None}:
                continue  # an unknown id is reported on its own; one problem per mistake
            earlier_round, factors, rule = known
            if meaning[0] != factors:
                problems.append(
                    doc.problem(
                        ["actions", index, "factors"],
                        "workshop.changed-action",
                        f"de actie '{action_id}' ging in ronde {earlier_round} over "
                        f"{', '.join(sorted(factors))}; een actie die over iets anders gaat, "
                        "krijgt een nieuwe id",
                    )
                )
            elif meaning[1] != rule:
                problems.append(
                    doc.problem(
                        ["actions", index, "recommendation"],
                        "workshop.changed-action",
                        f"de actie '{action_id}' nam in ronde {earlier_round} aanbeveling "
                        f"'{rule or 'geen'}' over; een actie met een andere betekenis krijgt "
                        "een nieuwe id",
                    )
                )
        if previous is not None:
            dropped = [
                str(action["id"])
                for _, action in _actions_of(previous.data)
                if action.get("status") in OPEN_STATUSES and str(action["id"]) not in ids
            ]
            if dropped:
                problems.append(
                    doc.problem(
                        ["actions"],
                        "workshop.dropped-action",
                        f"open actie(s) uit ronde {previous.round} ontbreken: "
                        f"{', '.join(dropped)}. Neem ze over met dezelfde id en werk de status "
                        "bij (ook als die 'gestopt' is)",
                        key=True,
                        severity="warning",
                    )
                )
        for _, action in _actions_of(current.data):
            meaning = _meaning(action)
            if meaning is not None:
                history[str(action["id"])] = (current.round, *meaning)
        previous = current
    return problems


def _check_date(current: RoundWorkshop, later: RoundWorkshop | None) -> list[Problem]:
    data = current.data
    date = data.get("date") if isinstance(data, Mapping) else None
    if not isinstance(date, dt.date) or isinstance(date, dt.datetime) or current.doc is None:
        return []
    message = None
    first = min(current.submitted) if current.submitted else None
    year = _year_of(current.round)
    if first is not None and date < first:
        message = (
            f"de workshop ({date.isoformat()}) is eerder dan het eerste antwoord van ronde "
            f"{current.round} ({first.isoformat()}); de workshop bespreekt de uitkomsten, dus "
            "komt erna. Klopt de datum, of hoort het bestand bij een andere ronde?"
        )
    elif later is not None and date >= min(later.submitted):
        message = (
            f"de workshop ({date.isoformat()}) valt in ronde {later.round}, die op "
            f"{min(later.submitted).isoformat()} begon; zet het bestand in die ronde of "
            "verbeter de datum"
        )
    elif year is not None and date.year not in (year, year + 1):
        message = (
            f"de workshop ({date.isoformat()}) past niet bij ronde {current.round}: verwacht "
            f"een datum in {year} of {year + 1}"
        )
    if message is None:
        return []
    return [current.doc.problem(["date"], "workshop.date-outside-round", message)]
