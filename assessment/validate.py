"""Validation of a whole workspace or of one answer file, as a report of problems."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from assessment.checks import check_response
from assessment.errors import Problem, ProblemsError, display_path
from assessment.instrument import load_questionnaire, questionnaire_for
from assessment.messages import validate_document
from assessment.models import Response
from assessment.paths import (
    ANSWERS_DIR,
    INDICATORS_FILE,
    MUNICIPALITIES_DIR,
    SETTINGS_FILE,
    WORKSHOP_FILE,
)
from assessment.workspace import (
    load_indicator_values,
    load_settings,
    load_workshop,
    load_workspace,
)
from assessment.yamlio import read_yaml


@dataclass
class ValidationReport:
    """Every problem found, and how many files were read."""

    problems: list[Problem] = field(default_factory=list)
    files_checked: int = 0

    @property
    def errors(self) -> list[Problem]:
        """The problems that are not warnings."""
        return [p for p in self.problems if p.severity == "error"]


def validate_path(path: Path) -> ValidationReport:
    """Validate a workspace folder, or a single answer, workshop or key figure file (wherever
    it is)."""
    if path.is_file() and path.name == INDICATORS_FILE:
        return validate_indicator_file(path)
    if path.is_file() and path.name == WORKSHOP_FILE:
        return validate_workshop_file(path)
    if path.is_file():
        return validate_answer_file(path)
    try:
        workspace = load_workspace(path)
    except ProblemsError as error:
        return ValidationReport(error.problems, 1)
    return ValidationReport(workspace.problems, workspace.files_checked)


def _workspace_of(path: Path) -> Path | None:
    """The workspace holding an answer file at gemeenten/<m>/<r>/antwoorden/<f>.yaml."""
    parts = path.resolve().parts
    if len(parts) >= 6 and parts[-2] == ANSWERS_DIR and parts[-5] == MUNICIPALITIES_DIR:
        return Path(*parts[:-5])
    return None


def validate_answer_file(path: Path) -> ValidationReport:
    """Validate one answer file; its folder names are checked when it sits in a workspace."""
    shown = display_path(path)
    workspace = _workspace_of(path)
    try:
        if workspace is not None and (workspace / SETTINGS_FILE).exists():
            questionnaire = questionnaire_for(workspace, load_settings(workspace))
        else:
            questionnaire = load_questionnaire()
        doc = read_yaml(path, shown)
    except ProblemsError as error:
        return ValidationReport(error.problems, 1)
    _, problems = validate_document(Response, doc)
    parts = path.resolve().parts
    problems += check_response(
        doc.data,
        doc,
        questionnaire,
        municipality=parts[-4] if workspace else None,
        round_slug=parts[-3] if workspace else None,
        respondent=path.stem,
    )
    return ValidationReport(sorted(problems), 1)


def validate_indicator_file(path: Path) -> ValidationReport:
    """Validate one round's `indicatoren.yaml`; its folders are checked when it sits in a
    workspace (gemeenten/<m>/<r>/indicatoren.yaml)."""
    parts = path.resolve().parts
    workspace = Path(*parts[:-4]) if len(parts) >= 5 and parts[-4] == MUNICIPALITIES_DIR else None
    try:
        if workspace is not None and (workspace / SETTINGS_FILE).exists():
            questionnaire = questionnaire_for(workspace, load_settings(workspace))
        else:
            questionnaire = load_questionnaire()
    except ProblemsError as error:
        return ValidationReport(error.problems, 1)
    problems, _ = load_indicator_values(
        path,
        parts[-3] if workspace else None,
        parts[-2] if workspace else None,
        questionnaire,
    )
    return ValidationReport(sorted(problems), 1)


def validate_workshop_file(path: Path) -> ValidationReport:
    """Validate one `workshop.yaml`. In a workspace, the whole municipality is checked, so
    that the checks across rounds (carried actions, the date) run too; only this file's
    problems are reported."""
    parts = path.resolve().parts
    in_round = len(parts) >= 5 and parts[-4] == MUNICIPALITIES_DIR
    workspace = Path(*parts[:-4]) if in_round else None
    if workspace is not None and (workspace / MUNICIPALITIES_DIR).is_dir():
        try:
            loaded = load_workspace(workspace, only=parts[-3])
        except ProblemsError as error:
            return ValidationReport(error.problems, 1)
        shown = display_path(path)
        return ValidationReport([p for p in loaded.problems if p.path == shown], 1)
    try:
        questionnaire = load_questionnaire()
    except ProblemsError as error:
        return ValidationReport(error.problems, 1)
    problems, _, _ = load_workshop(path, None, None, questionnaire)
    return ValidationReport(sorted(problems), 1)
