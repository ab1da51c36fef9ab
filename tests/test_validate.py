"""Validation reports: a whole workspace or a single answer file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assessment.instrument import Questionnaire
from assessment.validate import validate_answer_file, validate_path
from tests.helpers import ANSWERS_DIR, DATA_DIR, filled_answer


def test_valid_workspace_has_no_problems(workspace: Path) -> None:
    report = validate_path(workspace)
    assert report.problems == []
    assert report.errors == []
    assert report.files_checked == 2


def test_report_keeps_warnings_apart_from_errors(workspace: Path) -> None:
    (workspace / ANSWERS_DIR / "notities.txt").write_text("x", encoding="utf-8")
    broken = workspace / ANSWERS_DIR / "wijkteam.yaml"
    broken.write_text("instrument: [\n", encoding="utf-8")
    report = validate_path(workspace)
    assert [p.severity for p in report.problems] == ["warning", "error"]
    assert [p.path for p in report.errors] == [f"ws/{ANSWERS_DIR}/wijkteam.yaml"]


def test_missing_fields_are_all_reported(workspace: Path) -> None:
    path = workspace / ANSWERS_DIR / "wijkteam.yaml"
    path.write_text("instrument: ketenscan-jeugd@1\nextra: 1\n", encoding="utf-8")
    problems = validate_path(workspace).problems
    assert sorted((p.code, p.field) for p in problems) == [
        ("field.missing", ""),
        ("field.missing", ""),
        ("field.missing", ""),
        ("field.missing", ""),
        ("field.unknown", "extra"),
    ]
    messages = sorted((p.line, p.column, p.message) for p in problems)
    # Missing keys point at the top mapping (1:1); the unknown key at its own place (2:1).
    assert messages == [
        (1, 1, "het verplichte veld 'answers' ontbreekt"),
        (1, 1, "het verplichte veld 'municipality' ontbreekt"),
        (1, 1, "het verplichte veld 'respondent' ontbreekt"),
        (1, 1, "het verplichte veld 'round' ontbreekt"),
        (
            2,
            1,
            "onbekend veld 'extra'. Toegestaan: instrument, municipality, round, respondent, "
            "submitted, answers, importance, ambition, levels_offered, comments, open",
        ),
    ]


def test_single_file_in_a_workspace_checks_its_folders(workspace: Path) -> None:
    path = workspace / ANSWERS_DIR / "jgz-0-4.yaml"
    assert validate_path(path).problems == []
    text = path.read_text(encoding="utf-8").replace("round: 2025-najaar", "round: 2026-voorjaar")
    path.write_text(text, encoding="utf-8")
    report = validate_path(path)
    [problem] = report.problems
    assert problem.path == f"ws/{ANSWERS_DIR}/jgz-0-4.yaml"
    assert problem.code == "answers.wrong-round"
    assert "ronde '2026-voorjaar' hoort niet in de map van ronde '2025-najaar'" in problem.message
    assert report.files_checked == 1


def test_single_file_outside_a_workspace(
    questionnaire: Questionnaire, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    path = Path("wijkteam.yaml")
    path.write_text(
        filled_answer(
            questionnaire,
            respondent="wijkteam",
            role="wijkteam",
            organisation="Wijkteam",
            municipality="ergens",
            round_slug="ooit",
        ),
        encoding="utf-8",
    )
    # No folders to compare with: municipality and round are free, the file name is not.
    assert validate_answer_file(path).problems == []
    renamed = path.rename("ander-team.yaml")
    [problem] = validate_answer_file(renamed).problems
    assert problem.path == "ander-team.yaml"
    assert problem.code == "answers.wrong-respondent"
    assert "moet gelijk zijn aan de bestandsnaam ('ander-team')" in problem.message


def test_single_broken_file_reports_its_yaml_problem(workspace: Path) -> None:
    target = workspace / ANSWERS_DIR / "buurtzorg-jong.yaml"
    shutil.copyfile(DATA_DIR / "answer.yaml", target)
    target.write_bytes(target.read_bytes().replace(b"submitted: 2025-10-14", b"submitted: &d x"))
    [problem] = validate_path(target).problems
    # Line 8: the anchor after "submitted: ".
    assert (problem.line, problem.column, problem.code) == (8, 12, "yaml.anchor")


def test_missing_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    [problem] = validate_path(Path("weg")).problems
    assert (problem.path, problem.line, problem.column) == ("weg", 1, 1)
    assert problem.code == "workspace.missing"
