"""The commented answer template: complete, readable as YAML, and valid once filled in."""

from __future__ import annotations

from pathlib import Path

import pytest

from assessment.instrument import Questionnaire
from assessment.template import render_template
from assessment.validate import validate_path
from assessment.yamlio import parse_yaml
from tests.helpers import ANSWERS_DIR, fill_template


def _render(questionnaire: Questionnaire, **changes: str | None) -> str:
    options: dict[str, str | None] = {
        "municipality": "voorbeeldstad",
        "round_slug": "2025-najaar",
        "respondent": "buurtzorg-jong",
        "role": "jeugd-en-gezinsteam",
    }
    options.update(changes)
    return render_template(
        questionnaire,
        municipality=str(options["municipality"]),
        round_slug=str(options["round_slug"]),
        respondent=str(options["respondent"]),
        role=options["role"],
        organisation=options.get("organisation") or "",
        schema=options.get("schema"),
    )


def _line_of(text: str, start: str) -> int:
    [number] = [i for i, line in enumerate(text.splitlines(), 1) if line.startswith(start)]
    return number


def test_every_statement_is_present_once_with_null(questionnaire: Questionnaire) -> None:
    text = _render(questionnaire)
    for sid in questionnaire.statement_order:
        assert text.count(f"\n  {sid}: null\n") == 1
    data = parse_yaml(text.encode(), "t.yaml").data
    assert list(data["answers"]) == questionnaire.statement_order
    assert set(data["answers"].values()) == {None}
    assert data["instrument"] == "ketenscan-jeugd@1"
    assert data["respondent"] == {
        "id": "buurtzorg-jong",
        "organisation": "",
        "role": "jeugd-en-gezinsteam",
    }
    assert list(data["importance"]) == [f.id for f in questionnaire.instrument.factors()]
    assert data["levels_offered"] == []
    assert data["open"] == {"goes_well": None, "change_first": None}


def test_statement_text_and_levels_are_comments(questionnaire: Questionnaire) -> None:
    text = _render(questionnaire)
    lines = text.splitlines()
    factor = questionnaire.instrument.factors()[0]
    statement = factor.statements[0]
    key = lines.index(f"  {statement.id}: null")
    comment = " ".join(line.strip().removeprefix("# ") for line in lines[key - 3 : key])
    assert " ".join(statement.text.split()) in comment
    assert "1 = startend, 2 = in ontwikkeling, 3 = functionerend" in text
    assert "weet niet / niet van toepassing" in text
    assert factor.title in text
    assert "# 5 voorbeeldig: " in text
    for role in questionnaire.roles.values():
        assert f"#   {role.id} = {role.label}" in text
    assert all(
        not line or line.startswith(("#", " ", *"abcdefghijklmnopqrstuvwxyz")) for line in lines
    )


def test_schema_line_comes_first(questionnaire: Questionnaire) -> None:
    text = _render(questionnaire, schema="../../../schemas/antwoord.schema.json")
    assert text.splitlines()[0] == (
        "# yaml-language-server: $schema=../../../schemas/antwoord.schema.json"
    )
    assert "yaml-language-server" not in _render(questionnaire)


@pytest.mark.parametrize(
    "organisation",
    ['Zorg: "Jong" # 1', "Café 't Hoekje", "a\\b", "  spaties  ", "null", "- lijst", "&anker"],
)
def test_organisation_is_quoted_safely(questionnaire: Questionnaire, organisation: str) -> None:
    text = _render(questionnaire, organisation=organisation)
    assert parse_yaml(text.encode(), "t.yaml").data["respondent"]["organisation"] == organisation


def test_without_role_the_role_is_empty(workspace: Path, questionnaire: Questionnaire) -> None:
    text = fill_template(_render(questionnaire, role=None), questionnaire, organisation="B")
    target = workspace / ANSWERS_DIR / "buurtzorg-jong.yaml"
    target.write_text(text, encoding="utf-8")
    [problem] = validate_path(workspace).problems
    # `  role:` has no value: the problem points at the key, not at the next line.
    assert (problem.line, problem.column) == (_line_of(text, "  role:"), 3)
    assert problem.code == "field.empty"
    assert problem.message == "dit veld is nog leeg; vul het in"


def test_filled_template_validates(workspace: Path, questionnaire: Questionnaire) -> None:
    text = fill_template(_render(questionnaire), questionnaire, organisation="Buurtzorg Jong")
    (workspace / ANSWERS_DIR / "buurtzorg-jong.yaml").write_text(text, encoding="utf-8")
    assert validate_path(workspace).problems == []


def test_unfilled_template_fails_at_the_organisation(
    workspace: Path, questionnaire: Questionnaire
) -> None:
    text = _render(questionnaire)
    (workspace / ANSWERS_DIR / "buurtzorg-jong.yaml").write_text(text, encoding="utf-8")
    [problem] = validate_path(workspace).problems
    # `  organisation: ""`: the value starts after 16 characters.
    assert (problem.path, problem.line, problem.column) == (
        f"ws/{ANSWERS_DIR}/buurtzorg-jong.yaml",
        _line_of(text, "  organisation:"),
        17,
    )
    assert problem.code == "field.too-short"
    assert "'organisation' mag niet leeg zijn" in problem.message
