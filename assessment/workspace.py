"""Find, load and cross-check every file of a workspace into a validated Workspace."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel

from assessment.errors import Problem, ProblemsError, display_path
from assessment.messages import suggest, validate_document
from assessment.models import (
    SLUG_PATTERN,
    Instrument,
    Municipality,
    Response,
    Role,
    RoleList,
    Rule,
    RuleLibrary,
    Settings,
)
from assessment.yamlio import LoadedYaml, read_yaml

SLUG = re.compile(SLUG_PATTERN)
PACKAGE_DIR = Path(__file__).resolve().parent
SETTINGS_FILE = "ketenscan.yaml"
MUNICIPALITY_FILE = "gemeente.yaml"
MUNICIPALITIES_DIR = "gemeenten"
ANSWERS_DIR = "antwoorden"
TEMPLATES_DIR = "sjablonen"
# Files a round folder may hold beside its answers; later capabilities read them.
ROUND_FILES = {"workshop.yaml", ANSWERS_DIR, TEMPLATES_DIR}

M = TypeVar("M", bound=BaseModel)


def default_questionnaire_dir() -> Path:
    """The instrument shipped with Ketenscan (inside the wheel or beside the package)."""
    inside = PACKAGE_DIR / "questionnaire"
    return inside if inside.is_dir() else PACKAGE_DIR.parent / "questionnaire"


def default_site_dir() -> Path:
    """Templates, theme overrides and assets of the site (inside the wheel or beside it)."""
    inside = PACKAGE_DIR / "site"
    return inside if (inside / "templates").is_dir() else PACKAGE_DIR.parent / "site"


def is_slug(text: str) -> bool:
    """True when `text` is a valid slug (SPEC §3)."""
    return len(text) <= 64 and SLUG.fullmatch(text) is not None


def _load_model(
    model: type[M], path: Path, base: Path | None, problems: list[Problem]
) -> tuple[M | None, LoadedYaml | None]:
    shown = display_path(path, base)
    try:
        doc = read_yaml(path, shown)
    except ProblemsError as error:
        problems.extend(error.problems)
        return None, None
    instance, found = validate_document(model, doc)
    problems.extend(found)
    return instance, doc


@dataclass(frozen=True)
class Questionnaire:
    """The instrument, the partner roles and the recommendation rules."""

    folder: Path
    instrument: Instrument
    roles: dict[str, Role]
    rules: list[Rule]

    @cached_property
    def statement_ids(self) -> frozenset[str]:
        """Every statement id of the instrument."""
        return frozenset(s.id for s in self.instrument.statements())

    @cached_property
    def factor_ids(self) -> frozenset[str]:
        """Every factor and condition id."""
        return frozenset(f.id for f in self.instrument.factors())

    @cached_property
    def level_ids(self) -> frozenset[str]:
        """Every intervention level id."""
        return frozenset(level.id for level in self.instrument.intervention_levels)

    @cached_property
    def statement_order(self) -> list[str]:
        """Statement ids in questionnaire order."""
        return [s.id for s in self.instrument.statements()]


def load_questionnaire(folder: Path | None = None, base: Path | None = None) -> Questionnaire:
    """Load and cross-check `instrument.yaml`, `roles.yaml` and `recommendations.yaml`."""
    folder = folder or default_questionnaire_dir()
    problems: list[Problem] = []
    instrument, _ = _load_model(Instrument, folder / "instrument.yaml", base, problems)
    role_list, roles_doc = _load_model(RoleList, folder / "roles.yaml", base, problems)
    library, rules_doc = _load_model(RuleLibrary, folder / "recommendations.yaml", base, problems)
    if problems or instrument is None or role_list is None or library is None:
        raise ProblemsError(problems)
    assert roles_doc is not None
    assert rules_doc is not None
    levels = {level.id for level in instrument.intervention_levels}
    factors = {f.id for f in instrument.factors()}
    roles: dict[str, Role] = {}
    for index, role in enumerate(role_list.roles):
        if role.id in roles:
            problems.append(
                roles_doc.problem(["roles", index, "id"], f"de rol '{role.id}' komt twee keer voor")
            )
        roles[role.id] = role
        for j, level in enumerate(role.typical_levels):
            if level not in levels:
                problems.append(
                    roles_doc.problem(
                        ["roles", index, "typical_levels", j],
                        f"onbekend interventieniveau '{level}'.{suggest(level, levels)}",
                    )
                )
    seen: set[str] = set()
    for index, rule in enumerate(library.rules):
        if rule.id in seen:
            problems.append(
                rules_doc.problem(
                    ["rules", index, "id"], f"de regel '{rule.id}' komt twee keer voor"
                )
            )
        seen.add(rule.id)
        condition = rule.condition
        where: list[str | int] = ["rules", index, "condition"]
        if condition.factor is not None and condition.factor not in factors:
            problems.append(
                rules_doc.problem(
                    [*where, "factor"],
                    f"onbekende factor '{condition.factor}'.{suggest(condition.factor, factors)}",
                )
            )
        if condition.role is not None and condition.role not in roles:
            problems.append(
                rules_doc.problem(
                    [*where, "role"],
                    f"onbekende rol '{condition.role}'.{suggest(condition.role, roles)}",
                )
            )
        if condition.level is not None and condition.level not in levels:
            problems.append(
                rules_doc.problem(
                    [*where, "level"],
                    f"onbekend niveau '{condition.level}'.{suggest(condition.level, levels)}",
                )
            )
        misplaced = {
            "factor": condition.factor is not None
            and condition.kind in ("missing_partner", "uncovered_level"),
            "role": condition.role is not None and condition.kind != "missing_partner",
            "level": condition.level is not None and condition.kind != "uncovered_level",
        }
        for key, wrong in misplaced.items():
            if wrong:
                problems.append(
                    rules_doc.problem(
                        [*where, key],
                        f"'{key}' hoort niet bij een regel van soort '{condition.kind}'",
                        key=True,
                    )
                )
    if problems:
        raise ProblemsError(problems)
    return Questionnaire(folder, instrument, roles, list(library.rules))


@dataclass
class AnswerFile:
    """A validated answer file and where it came from."""

    path: Path
    display: str
    response: Response


@dataclass
class Round:
    """One round of one municipality."""

    slug: str
    path: Path
    answers: list[AnswerFile] = field(default_factory=list)


@dataclass
class MunicipalityData:
    """A municipality with its settings and rounds (sorted by slug)."""

    slug: str
    path: Path
    info: Municipality
    rounds: list[Round] = field(default_factory=list)


@dataclass
class Workspace:
    """A validated workspace. Municipalities with errors are in `failed`, not `municipalities`."""

    root: Path
    settings: Settings
    questionnaire: Questionnaire
    municipalities: dict[str, MunicipalityData]
    failed: dict[str, list[Problem]]
    problems: list[Problem]
    files_checked: int = 0

    @property
    def errors(self) -> list[Problem]:
        """Every problem that is not a warning."""
        return [p for p in self.problems if p.severity == "error"]


def load_settings(root: Path, base: Path | None = None) -> Settings:
    """Read `ketenscan.yaml` (defaults when it is absent)."""
    path = root / SETTINGS_FILE
    if not path.exists():
        return Settings()
    problems: list[Problem] = []
    settings, _ = _load_model(Settings, path, base, problems)
    if problems or settings is None:
        raise ProblemsError(problems)
    return settings


def questionnaire_for(root: Path, settings: Settings, base: Path | None = None) -> Questionnaire:
    """The questionnaire a workspace uses: its own when `ketenscan.yaml` names one."""
    if settings.instrument is None:
        return load_questionnaire(None, base)
    folder = (root / settings.instrument).resolve()
    if not (folder / "instrument.yaml").is_file():
        raise ProblemsError(
            [
                Problem(
                    display_path(root / SETTINGS_FILE, base),
                    1,
                    1,
                    f"de vragenlijstmap '{settings.instrument}' bestaat niet of bevat geen "
                    "instrument.yaml",
                )
            ]
        )
    return load_questionnaire(folder, base)


def load_workspace(
    root: Path,
    *,
    only: str | None = None,
    preloaded: tuple[Settings, Questionnaire] | None = None,
) -> Workspace:
    """Load every municipality of a workspace, collecting all problems of all files.

    Raises ProblemsError only when nothing can be checked (no workspace, broken settings
    or questionnaire); problems in municipalities are returned in `Workspace.problems`.
    `preloaded` skips reading settings and questionnaire again (a build's workers).
    """
    base = root
    if not root.is_dir():
        raise ProblemsError(
            [
                Problem(
                    root.as_posix(),
                    1,
                    1,
                    "deze map bestaat niet; geef de map van een werkruimte op",
                )
            ]
        )
    if preloaded is not None:
        settings, questionnaire = preloaded
    else:
        settings, questionnaire = _load_header(root, base)
    gemeenten = root / MUNICIPALITIES_DIR
    if not gemeenten.is_dir():
        raise ProblemsError(
            [
                Problem(
                    display_path(root, base),
                    1,
                    1,
                    f"geen map '{MUNICIPALITIES_DIR}/' gevonden; is dit een werkruimte? "
                    "Maak er een met 'ketenscan init MAP'",
                )
            ]
        )
    workspace = Workspace(root, settings, questionnaire, {}, {}, [])
    for folder in sorted(gemeenten.iterdir()):
        if folder.name.startswith("."):
            continue
        if only is not None and folder.name != only:
            continue
        problem = folder_problem(folder, base)
        if problem is not None:
            workspace.problems.append(problem)
            continue
        problems, data, checked = _load_municipality(folder, questionnaire, base)
        workspace.files_checked += checked
        workspace.problems.extend(problems)
        if any(p.severity == "error" for p in problems) or data is None:
            workspace.failed[folder.name] = problems
        else:
            workspace.municipalities[folder.name] = data
    if only is not None and only not in workspace.municipalities and only not in workspace.failed:
        raise ProblemsError(
            [
                Problem(
                    display_path(gemeenten, base),
                    1,
                    1,
                    f"gemeente '{only}' niet gevonden.{suggest(only, _slugs(gemeenten))}",
                )
            ]
        )
    workspace.problems.sort()
    return workspace


def _load_header(root: Path, base: Path) -> tuple[Settings, Questionnaire]:
    """Settings and questionnaire, with the problems of both reported together."""
    settings_problems: list[Problem] = []
    try:
        settings = load_settings(root, base)
    except ProblemsError as error:
        settings_problems.extend(error.problems)
        settings = Settings()
    try:
        questionnaire = questionnaire_for(root, settings, base)
    except ProblemsError as error:
        raise ProblemsError([*settings_problems, *error.problems]) from None
    if settings_problems:
        raise ProblemsError(settings_problems)
    return settings, questionnaire


def folder_problem(folder: Path, base: Path | None = None) -> Problem | None:
    """Why an entry of `gemeenten/` cannot be a municipality, or None when it can."""
    shown = display_path(folder, base)
    if not folder.is_dir():
        return Problem(
            shown, 1, 1, f"in '{MUNICIPALITIES_DIR}/' horen alleen mappen, één per gemeente"
        )
    if not is_slug(folder.name):
        return Problem(
            shown,
            1,
            1,
            f"de mapnaam '{folder.name}' is geen geldige id; gebruik alleen kleine "
            "letters, cijfers en streepjes, zoals 'voorbeeldstad'",
        )
    return None


def _slugs(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.is_dir()]


def _load_municipality(
    folder: Path, questionnaire: Questionnaire, base: Path
) -> tuple[list[Problem], MunicipalityData | None, int]:
    problems: list[Problem] = []
    info_path = folder / MUNICIPALITY_FILE
    checked = 1
    if not info_path.is_file():
        problems.append(
            Problem(
                display_path(folder, base),
                1,
                1,
                f"'{MUNICIPALITY_FILE}' ontbreekt in deze gemeentemap; "
                "maak het bestand met naam, grootte en verwachte partners",
            )
        )
        info, info_doc = None, None
    else:
        info, info_doc = _load_model(Municipality, info_path, base, problems)
    if info is not None and info_doc is not None:
        for index, role in enumerate(info.expected_roles):
            if role not in questionnaire.roles:
                problems.append(
                    info_doc.problem(
                        ["expected_roles", index],
                        f"onbekende rol '{role}'.{suggest(role, questionnaire.roles)}",
                    )
                )
        if len(set(info.expected_roles)) != len(info.expected_roles):
            problems.append(
                info_doc.problem(
                    ["expected_roles"],
                    "een rol staat meer dan eens in de lijst",
                    severity="warning",
                )
            )
    rounds: list[Round] = []
    for round_dir in sorted(folder.iterdir()):
        if round_dir.name.startswith(".") or round_dir.name == MUNICIPALITY_FILE:
            continue
        shown = display_path(round_dir, base)
        if not round_dir.is_dir():
            problems.append(
                Problem(
                    shown,
                    1,
                    1,
                    "onverwacht bestand; een gemeentemap bevat alleen gemeente.yaml en rondemappen",
                    "warning",
                )
            )
            continue
        if not is_slug(round_dir.name):
            problems.append(
                Problem(
                    shown,
                    1,
                    1,
                    f"de rondenaam '{round_dir.name}' is geen geldige id; gebruik bijvoorbeeld "
                    "'2025-najaar'",
                )
            )
            continue
        round_ = Round(round_dir.name, round_dir)
        for child in sorted(round_dir.iterdir()):
            if not child.name.startswith(".") and child.name not in ROUND_FILES:
                problems.append(
                    Problem(
                        display_path(child, base),
                        1,
                        1,
                        "onverwacht bestand of map in de ronde; antwoorden horen in "
                        f"'{ANSWERS_DIR}/'",
                        "warning",
                    )
                )
        answers_dir = round_dir / ANSWERS_DIR
        if answers_dir.is_dir():
            for path in sorted(answers_dir.iterdir()):
                if path.name.startswith("."):
                    continue
                if path.suffix.lower() in (".yaml", ".yml"):
                    checked += 1
                found, answer = _load_answer(path, folder.name, round_dir.name, questionnaire, base)
                problems.extend(found)
                if answer is not None:
                    round_.answers.append(answer)
        _check_same_organisation(round_, problems)
        rounds.append(round_)
    if info is None:
        return problems, None, checked
    return problems, MunicipalityData(folder.name, folder, info, rounds), checked


def _load_answer(
    path: Path, municipality: str, round_slug: str, questionnaire: Questionnaire, base: Path
) -> tuple[list[Problem], AnswerFile | None]:
    shown = display_path(path, base)
    if path.is_dir():
        return [Problem(shown, 1, 1, "in 'antwoorden/' horen alleen bestanden")], None
    if path.suffix in (".yml", ".YAML", ".YML"):
        return [
            Problem(
                shown, 1, 1, "antwoordbestanden eindigen op '.yaml'; geef het bestand die extensie"
            )
        ], None
    if path.suffix != ".yaml":
        return [
            Problem(
                shown, 1, 1, "dit is geen antwoordbestand (.yaml) en wordt overgeslagen", "warning"
            )
        ], None
    if not is_slug(path.stem):
        return [
            Problem(
                shown,
                1,
                1,
                f"de bestandsnaam '{path.stem}' is geen geldige id; gebruik alleen kleine letters, "
                "cijfers en streepjes, zoals 'buurtzorg-jong.yaml'",
            )
        ], None
    problems: list[Problem] = []
    response, doc = _load_model(Response, path, base, problems)
    if response is None or doc is None:
        return problems, None
    problems.extend(
        check_response(
            response,
            doc,
            questionnaire,
            municipality=municipality,
            round_slug=round_slug,
            respondent=path.stem,
        )
    )
    if problems:
        return problems, None
    return [], AnswerFile(path, shown, response)


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


def _check_same_organisation(round_: Round, problems: list[Problem]) -> None:
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
