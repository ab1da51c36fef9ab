"""Find and load every file of a workspace into a validated Workspace."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from assessment.checks import check_response, check_same_organisation
from assessment.errors import Problem, ProblemsError, display_path
from assessment.instrument import Questionnaire, questionnaire_for
from assessment.limits import is_slug
from assessment.messages import load_model, suggest
from assessment.models import Municipality, Response, Settings
from assessment.paths import (
    ANSWERS_DIR,
    MUNICIPALITIES_DIR,
    MUNICIPALITY_FILE,
    ROUND_FILES,
    SETTINGS_FILE,
)


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
    settings, _ = load_model(Settings, path, base, problems)
    if problems or settings is None:
        raise ProblemsError(problems)
    return settings


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
        info, info_doc = load_model(Municipality, info_path, base, problems)
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
        check_same_organisation(round_, problems)
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
    response, doc = load_model(Response, path, base, problems)
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
