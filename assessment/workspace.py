"""Find and load every file of a workspace into a validated Workspace."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from assessment.checks import (
    RoundWorkshop,
    check_response,
    check_same_organisation,
    check_workshop,
    check_workshop_rounds,
)
from assessment.errors import Problem, ProblemsError, display_path, file_problem
from assessment.indicator_checks import check_indicator_values
from assessment.instrument import Questionnaire, questionnaire_for
from assessment.limits import RESERVED_SLUGS, is_slug
from assessment.messages import load_model, suggest
from assessment.models import IndicatorValues, Municipality, Response, Settings, Workshop
from assessment.paths import (
    ANSWERS_DIR,
    INDICATORS_FILE,
    MUNICIPALITIES_DIR,
    MUNICIPALITY_FILE,
    ROUND_FILES,
    SETTINGS_FILE,
    WORKSHOP_FILE,
)
from assessment.yamlio import LoadedYaml


@dataclass
class AnswerFile:
    """A validated answer file and where it came from."""

    path: Path
    display: str
    response: Response


@dataclass
class WorkshopFile:
    """A validated `workshop.yaml` and where it came from."""

    path: Path
    display: str
    workshop: Workshop


@dataclass
class Round:
    """One round of one municipality."""

    slug: str
    path: Path
    answers: list[AnswerFile] = field(default_factory=list)
    workshop: WorkshopFile | None = None
    indicators: IndicatorValues | None = None  # the round's key figures, when recorded


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


def load_settings(root: Path) -> Settings:
    """Read `ketenscan.yaml` (defaults when it is absent)."""
    path = root / SETTINGS_FILE
    if not path.exists():
        return Settings()
    problems: list[Problem] = []
    settings, _ = load_model(Settings, path, problems)
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
    settings, questionnaire = preloaded if preloaded is not None else load_header(root)
    gemeenten = root / MUNICIPALITIES_DIR
    if not gemeenten.is_dir():
        raise ProblemsError(
            [
                file_problem(
                    display_path(root),
                    "workspace.no-municipalities",
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
        problem = folder_problem(folder)
        if problem is not None:
            workspace.problems.append(problem)
            continue
        problems, data, checked = _load_municipality(folder, questionnaire)
        workspace.files_checked += checked
        workspace.problems.extend(problems)
        if any(p.severity == "error" for p in problems) or data is None:
            workspace.failed[folder.name] = problems
        else:
            workspace.municipalities[folder.name] = data
    if only is not None and only not in workspace.municipalities and only not in workspace.failed:
        raise ProblemsError([unknown_municipality(gemeenten, only)])
    workspace.problems.sort()
    return workspace


def unknown_municipality(gemeenten: Path, slug: str) -> Problem:
    """The problem of a municipality asked for by name that is not in `gemeenten/`."""
    known = [p.name for p in gemeenten.iterdir() if p.is_dir()] if gemeenten.is_dir() else []
    return file_problem(
        display_path(gemeenten),
        "workspace.unknown-municipality",
        f"gemeente '{slug}' niet gevonden.{suggest(slug, known)}",
    )


def load_header(root: Path) -> tuple[Settings, Questionnaire]:
    """A workspace's settings and questionnaire, with the problems of both reported together.

    Raises ProblemsError (`workspace.missing`) when the folder does not exist.
    """
    if not root.is_dir():
        raise ProblemsError(
            [
                file_problem(
                    root.as_posix(),
                    "workspace.missing",
                    "deze map bestaat niet; geef de map van een werkruimte op",
                )
            ]
        )
    settings_problems: list[Problem] = []
    try:
        settings = load_settings(root)
    except ProblemsError as error:
        settings_problems.extend(error.problems)
        settings = Settings()
    try:
        questionnaire = questionnaire_for(root, settings)
    except ProblemsError as error:
        raise ProblemsError([*settings_problems, *error.problems]) from None
    if settings_problems:
        raise ProblemsError(settings_problems)
    return settings, questionnaire


def folder_problem(folder: Path) -> Problem | None:
    """Why an entry of `gemeenten/` cannot be a municipality, or None when it can."""
    shown = display_path(folder)
    if not folder.is_dir():
        return file_problem(
            shown,
            "workspace.not-a-folder",
            f"in '{MUNICIPALITIES_DIR}/' horen alleen mappen, één per gemeente",
        )
    if not is_slug(folder.name):
        return file_problem(
            shown,
            "workspace.invalid-folder-name",
            f"de mapnaam '{folder.name}' is geen geldige id; gebruik alleen kleine "
            "letters, cijfers en streepjes, zoals 'voorbeeldstad'",
        )
    if folder.name in RESERVED_SLUGS:
        return file_problem(
            shown,
            "workspace.reserved-folder-name",
            f"de mapnaam '{folder.name}' is gereserveerd voor de site of de server; kies "
            f"een andere id (niet: {', '.join(sorted(RESERVED_SLUGS))})",
        )
    return None


def _load_municipality(
    folder: Path, questionnaire: Questionnaire
) -> tuple[list[Problem], MunicipalityData | None, int]:
    problems: list[Problem] = []
    info_path = folder / MUNICIPALITY_FILE
    checked = 1
    if not info_path.is_file():
        problems.append(
            file_problem(
                display_path(folder),
                "municipality.missing-file",
                f"'{MUNICIPALITY_FILE}' ontbreekt in deze gemeentemap; "
                "maak het bestand met naam, grootte en verwachte partners",
            )
        )
        info = None
    else:
        info, info_doc = load_model(Municipality, info_path, problems)
        if info_doc is not None:
            problems += _check_expected_roles(info_doc, questionnaire)
    rounds: list[Round] = []
    in_order: list[RoundWorkshop] = []
    for round_dir in sorted(folder.iterdir()):
        if round_dir.name.startswith(".") or round_dir.name == MUNICIPALITY_FILE:
            continue
        shown = display_path(round_dir)
        if not round_dir.is_dir():
            problems.append(
                file_problem(
                    shown,
                    "municipality.unexpected-file",
                    "onverwacht bestand; een gemeentemap bevat alleen gemeente.yaml en rondemappen",
                    "warning",
                )
            )
            continue
        if not is_slug(round_dir.name):
            problems.append(
                file_problem(
                    shown,
                    "round.invalid-name",
                    f"de rondenaam '{round_dir.name}' is geen geldige id; gebruik bijvoorbeeld "
                    "'2025-najaar'",
                )
            )
            continue
        round_ = Round(round_dir.name, round_dir)
        for child in sorted(round_dir.iterdir()):
            if not child.name.startswith(".") and child.name not in ROUND_FILES:
                problems.append(
                    file_problem(
                        display_path(child),
                        "round.unexpected-file",
                        "onverwacht bestand of map in de ronde; antwoorden horen in "
                        f"'{ANSWERS_DIR}/'.{suggest(child.name, ROUND_FILES)}",
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
                found, answer = _load_answer(path, folder.name, round_dir.name, questionnaire)
                problems.extend(found)
                if answer is not None:
                    round_.answers.append(answer)
        check_same_organisation(round_, problems)
        workshop_path = round_dir / WORKSHOP_FILE
        found_doc: LoadedYaml | None = None
        if workshop_path.exists():
            checked += 1
            found, round_.workshop, found_doc = load_workshop(
                workshop_path, folder.name, round_dir.name, questionnaire
            )
            problems.extend(found)
        submitted = [a.response.submitted for a in round_.answers if a.response.submitted]
        in_order.append(
            RoundWorkshop(
                round_dir.name,
                found_doc,
                found_doc.data if found_doc is not None else None,
                submitted,
            )
        )
        if (round_dir / INDICATORS_FILE).is_file():
            checked += 1
            found, round_.indicators = load_indicator_values(
                round_dir / INDICATORS_FILE, folder.name, round_dir.name, questionnaire
            )
            problems.extend(found)
        rounds.append(round_)
    problems += check_workshop_rounds(in_order, questionnaire)
    if info is None:
        return problems, None, checked
    return problems, MunicipalityData(folder.name, folder, info, rounds), checked


def load_indicator_values(
    path: Path, municipality: str | None, round_slug: str | None, questionnaire: Questionnaire
) -> tuple[list[Problem], IndicatorValues | None]:
    """Read and check one round's key figures: every problem located, or the values."""
    problems: list[Problem] = []
    values, doc = load_model(IndicatorValues, path, problems)
    if doc is not None:
        # Shape and cross-checks together, as for answer files.
        problems += check_indicator_values(
            doc.data, doc, questionnaire, municipality=municipality, round_slug=round_slug
        )
    if problems:
        return problems, None
    return [], values


def _check_expected_roles(doc: LoadedYaml, questionnaire: Questionnaire) -> list[Problem]:
    """Expected roles of gemeente.yaml that roles.yaml does not know, or that repeat."""
    data = doc.data if isinstance(doc.data, dict) else {}
    expected = data.get("expected_roles")
    if not isinstance(expected, list):
        return []
    problems = [
        doc.problem(
            ["expected_roles", index],
            "municipality.unknown-role",
            f"onbekende rol '{role}'.{suggest(role, questionnaire.roles)}",
        )
        for index, role in enumerate(expected)
        if isinstance(role, str) and is_slug(role) and role not in questionnaire.roles
    ]
    texts = [role for role in expected if isinstance(role, str)]
    if len(set(texts)) != len(texts):
        problems.append(
            doc.problem(
                ["expected_roles"],
                "municipality.duplicate-role",
                "een rol staat meer dan eens in de lijst",
                severity="warning",
            )
        )
    return problems


def load_workshop(
    path: Path, municipality: str | None, round_slug: str | None, questionnaire: Questionnaire
) -> tuple[list[Problem], WorkshopFile | None, LoadedYaml | None]:
    """Read and check one `workshop.yaml`: its problems, the file when it has none, and
    the loaded document (also when a value is wrong) for the checks across rounds."""
    shown = display_path(path)
    problems: list[Problem] = []
    workshop, doc = load_model(Workshop, path, problems)
    if doc is not None:
        # Shape and cross-checks together, as for answer files.
        problems += check_workshop(
            doc.data, doc, questionnaire, municipality=municipality, round_slug=round_slug
        )
    if any(p.severity == "error" for p in problems) or workshop is None:
        return problems, None, doc
    return problems, WorkshopFile(path, shown, workshop), doc


def _load_answer(
    path: Path, municipality: str, round_slug: str, questionnaire: Questionnaire
) -> tuple[list[Problem], AnswerFile | None]:
    shown = display_path(path)
    if path.is_dir():
        return [
            file_problem(shown, "answers.folder", "in 'antwoorden/' horen alleen bestanden")
        ], None
    if path.suffix in (".yml", ".YAML", ".YML"):
        return [
            file_problem(
                shown,
                "answers.wrong-extension",
                "antwoordbestanden eindigen op '.yaml'; geef het bestand die extensie",
            )
        ], None
    if path.suffix != ".yaml":
        return [
            file_problem(
                shown,
                "answers.not-an-answer-file",
                "dit is geen antwoordbestand (.yaml) en wordt overgeslagen",
                "warning",
            )
        ], None
    if not is_slug(path.stem):
        return [
            file_problem(
                shown,
                "answers.invalid-file-name",
                f"de bestandsnaam '{path.stem}' is geen geldige id; gebruik alleen kleine letters, "
                "cijfers en streepjes, zoals 'buurtzorg-jong.yaml'",
            )
        ], None
    problems: list[Problem] = []
    response, doc = load_model(Response, path, problems)
    if doc is not None:
        # Shape and cross-checks together: one run lists everything there is to mend.
        problems += check_response(
            doc.data,
            doc,
            questionnaire,
            municipality=municipality,
            round_slug=round_slug,
            respondent=path.stem,
        )
    if problems or response is None:
        return problems, None
    return [], AnswerFile(path, shown, response)
