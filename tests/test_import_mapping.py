"""Mapping files for `ketenscan import`: the README's LimeSurvey and Microsoft Forms
examples work on exports of those tools, and a wrong mapping is reported at its line."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from assessment.cli import main
from assessment.errors import ProblemsError
from assessment.instrument import Questionnaire
from assessment.interop.importing import plan_import
from assessment.validate import validate_path
from assessment.yamlio import dump_yaml, parse_yaml
from tests.helpers import REPO_DIR, ROUND
from tests.sheet_helpers import answers_dir, import_workspace, write_csv, write_xlsx


def readme_mapping(name: str) -> dict[str, Any]:
    """The mapping example of the README that starts with `# mapping: <name>`."""
    readme = (REPO_DIR / "README.md").read_text(encoding="utf-8")
    found = re.search(rf"```yaml\n(# mapping: {name}\n.*?)```", readme, re.DOTALL)
    assert found is not None, name
    data: dict[str, Any] = parse_yaml(found.group(1).encode(), "README.md").data
    return data


def complete(mapping: dict[str, Any], questionnaire: Questionnaire, header: str) -> dict[str, Any]:
    """The example with a column for every statement it leaves out ('# ... one line ...')."""
    answers = mapping["answers"]
    for index, statement in enumerate(questionnaire.statement_order):
        answers.setdefault(statement, header.format(index=index + 1))
    return mapping


@pytest.fixture
def ws(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    import_workspace(tmp_path / "ws")
    return Path("ws")


def test_the_limesurvey_example(ws: Path, questionnaire: Questionnaire) -> None:
    mapping = complete(readme_mapping("limesurvey"), questionnaire, "Q{index}[SQ001]")
    Path("limesurvey.yaml").write_text(dump_yaml(mapping), encoding="utf-8")
    statements = list(mapping["answers"].values())
    header = ["id", "submitdate", "lastpage", "startlanguage", "seed", "ORG", "ROL", *statements]
    header += ["BELANG[SQ001]", "NIVEAU[SQ001]", "NIVEAU[SQ002]", "JPTOELICHTING", "GOED", "EERST"]
    codes = ["A4"] * 51
    codes[0] = "A6"
    rows = [
        header,
        ["7", "2025-10-14 11:32:05", "9", "nl", "123", "Wijkteam Oost", "R03", *codes,
         "A5", "Y", "", "Goed overleg", "", "Minder formulieren"],
        ["8", "2025-10-16 09:01:00", "9", "nl", "456", "Consultatiebureau Oost", "R02",
         *(["A2"] * 51), "", "Y", "Y", "", "Samen", ""],
    ]  # fmt: skip
    source = write_csv(Path("results-survey123.csv"), rows)
    result = CliRunner().invoke(
        main, ["import", str(ws), "voorbeeldstad", ROUND, str(source), "-m", "limesurvey.yaml"]
    )
    assert result.exit_code == 0, result.output
    assert validate_path(ws).problems == []
    text = (answers_dir(ws) / "wijkteam-oost.yaml").read_text(encoding="utf-8")
    assert "  role: wijkteam\nsubmitted: 2025-10-14\n" in text
    assert "  juiste-partners-kernpartners-doen-mee: null\n" in text  # A6 = weet niet
    assert "  juiste-partners-huisarts-en-school: 4\n" in text
    assert "importance:\n  juiste-partners: 5\n" in text
    assert "levels_offered:\n  - universeel\ncomments:\n" in text
    assert 'open:\n  change_first: "Minder formulieren"\n' in text
    other = (answers_dir(ws) / "consultatiebureau-oost.yaml").read_text(encoding="utf-8")
    assert "levels_offered:\n  - universeel\n  - selectief\n" in other
    assert "importance:" not in other  # an empty cell: no answer


def test_the_microsoft_forms_example(ws: Path, questionnaire: Questionnaire) -> None:
    mapping = complete(readme_mapping("microsoft-forms"), questionnaire, "Stelling {index}")
    Path("forms.yaml").write_text(dump_yaml(mapping), encoding="utf-8")
    statements = [" ".join(header.split()) for header in mapping["answers"].values()]
    header = ["Id", "Begintijd", "Tijd van voltooien", "E-mail", "Naam", "Naam van uw organisatie"]
    header += ["Wat is de rol van uw organisatie?", *statements]
    header += ["Op welke niveaus biedt uw organisatie hulp?"]
    answers = ["Grotendeels"] * 51
    answers[1] = "Weet ik niet"
    row = [1, dt.datetime(2025, 10, 14, 9, 0), dt.datetime(2025, 10, 14, 9, 14),
           "anoniem", "", "Huisartsenpraktijk De Brug", "Huisarts of POH-jeugd", *answers,
           "Lichte hulp;Voor alle gezinnen;"]  # fmt: skip
    source = write_xlsx(Path("Ketenscan(1-1).xlsx"), [header, row], title="Sheet1")
    plan = plan_import(ws, "voorbeeldstad", ROUND, source, mapping_path=Path("forms.yaml"))
    text = plan.files[0].text
    assert plan.files[0].respondent == "huisartsenpraktijk-de-brug"
    assert "  role: huisartsenpraktijk\nsubmitted: 2025-10-14\n" in text
    assert "  juiste-partners-kernpartners-doen-mee: 4\n" in text
    assert "  juiste-partners-huisarts-en-school: null\n" in text
    assert "levels_offered:\n  - universeel\n  - licht\n" in text
    assert "anoniem" not in text  # the e-mail column is never read


def test_a_statement_the_survey_did_not_ask_is_weet_niet(
    ws: Path, questionnaire: Questionnaire
) -> None:
    order = questionnaire.statement_order
    mapping = {
        "respondent": {"organisation": "Org", "role": "Rol"},
        "answers": {sid: (None if index == 0 else sid.upper()) for index, sid in enumerate(order)},
    }
    Path("m.yaml").write_text(dump_yaml(mapping), encoding="utf-8")
    source = write_csv(
        Path("e.csv"),
        [["Org", "Rol", *(s.upper() for s in order[1:])], ["Wijkteam", "wijkteam", *["3"] * 50]],
    )
    plan = plan_import(ws, "voorbeeldstad", ROUND, source, mapping_path=Path("m.yaml"))
    assert (plan.files[0].answered, plan.files[0].dont_know) == (50, 1)
    assert f"  {order[0]}: null\n" in plan.files[0].text


def mapping_problems(ws: Path, text: str, header: list[str]) -> list[tuple[str, str, int, int]]:
    Path("map.yaml").write_text(text, encoding="utf-8")
    source = write_csv(
        Path("x.csv"), [header, ["Wijkteam", "wijkteam", *["3"] * (len(header) - 2)]]
    )
    with pytest.raises(ProblemsError) as caught:
        plan_import(ws, "voorbeeldstad", ROUND, source, mapping_path=Path("map.yaml"))
    assert list(answers_dir(ws).iterdir()) == []
    return [(p.path, p.code, p.line, p.column) for p in caught.value.problems]


def answers_lines(questionnaire: Questionnaire, skip: int = 0) -> str:
    return "".join(
        f"  {sid}: S{i}\n" for i, sid in enumerate(questionnaire.statement_order) if i >= skip
    )


def test_unknown_and_missing_ids_in_the_mapping(ws: Path, questionnaire: Questionnaire) -> None:
    text = (
        "respondent:\n  organisation: Org\n  role: Rol\n"
        "answers:\n  regie-onbekend: S0\n" + answers_lines(questionnaire, skip=1)
        + "importance:\n  regi: B1\nroles:\n  Huisarts: huisarts\n"
    )  # fmt: skip
    # Lines: 4 'answers:', 5 the unknown statement, 6..55 the other 50, 56 'importance:',
    # 57 '  regi: B1', 58 'roles:', 59 '  Huisarts: huisarts' (value at column 3 + 8 + 2).
    assert mapping_problems(ws, text, ["Org", "Rol"]) == [
        ("map.yaml", "mapping.missing-statement", 4, 1),
        ("map.yaml", "mapping.unknown-statement", 5, 3),
        ("map.yaml", "mapping.unknown-factor", 57, 3),
        ("map.yaml", "mapping.unknown-role", 59, 13),
    ]


def test_a_score_outside_the_scale_in_values(ws: Path, questionnaire: Questionnaire) -> None:
    text = (
        "respondent:\n  organisation: Org\n  role: Rol\nanswers:\n"
        + answers_lines(questionnaire)
        + "values:\n  A7: 7\n  A0: '0'\n"
    )
    # 'values:' is line 56 (4 + 51 + 1); '  A7: 7' has its value at column 7.
    assert mapping_problems(ws, text, ["Org", "Rol"]) == [
        ("map.yaml", "field.out-of-range", 57, 7),
        ("map.yaml", "field.out-of-range", 58, 7),
    ]


def test_a_mapped_column_that_is_not_in_the_export(ws: Path, questionnaire: Questionnaire) -> None:
    text = "respondent:\n  organisation: Org\n  role: Rol\nanswers:\n" + answers_lines(
        questionnaire
    )
    header = ["Org", "Rol", *(f"S{i}" for i in range(51))]
    header[5] = "S03"  # the mapping says S3
    found = mapping_problems(ws, text, header)
    # 'answers:' is line 4, S3 is the fourth statement: line 8, its value at column 3 + id + 2.
    sid = questionnaire.statement_order[3]
    assert found == [("map.yaml", "mapping.unknown-column", 8, 3 + len(sid) + 2)]


def test_one_column_for_two_statements(ws: Path, questionnaire: Questionnaire) -> None:
    text = "respondent:\n  organisation: Org\n  role: Rol\nanswers:\n" + answers_lines(
        questionnaire
    ).replace(": S1\n", ": S0\n")
    header = ["Org", "Rol", *(f"S{i}" for i in range(51))]
    sid = questionnaire.statement_order[1]
    assert mapping_problems(ws, text, header) == [
        ("map.yaml", "mapping.same-column", 6, 3 + len(sid) + 2)
    ]


def test_json_output_of_the_command(ws: Path, questionnaire: Questionnaire) -> None:
    source = write_csv(
        Path("e.csv"),
        [["organisation", "role", *questionnaire.statement_order], ["W", "wijkteam", *["9"] * 51]],
    )
    result = CliRunner().invoke(
        main, ["import", str(ws), "voorbeeldstad", ROUND, str(source), "--json"]
    )
    assert result.exit_code == 1
    problems = json.loads(result.stdout)
    assert len(problems) == 51
    assert problems[0] | {"message": ""} == {
        "path": "e.csv",
        "line": 2,
        "column": 3,
        "code": "import.invalid-score",
        "field": f"answers.{questionnaire.statement_order[0]}",
        "severity": "error",
        "message": "",
    }


def test_the_mapping_to_fill_in_fits_an_export_with_the_question_texts(
    ws: Path, questionnaire: Questionnaire
) -> None:
    result = CliRunner().invoke(main, ["export", "mapping", str(ws), "-o", "leeg.yaml"])
    assert result.exit_code == 0, result.output
    text = Path("leeg.yaml").read_text(encoding="utf-8")
    assert text.count("\n  # ") == 16 + 1  # a comment per factor, and one for the id
    statements = [s.text for s in questionnaire.instrument.statements()]
    header = ["Tijd van voltooien", "Naam van uw organisatie", "Rol van uw organisatie in de keten"]
    source = write_xlsx(
        Path("forms.xlsx"),
        [[*header, *statements], ["", "Wijkteam Zuid", "Wijkteam / sociaal team", *["3"] * 51]],
    )
    plan = plan_import(ws, "voorbeeldstad", ROUND, source, mapping_path=Path("leeg.yaml"))
    assert [(f.respondent, f.answered) for f in plan.files] == [("wijkteam-zuid", 51)]
    missing = CliRunner().invoke(main, ["export", "mapping", "bestaat-niet"])
    assert missing.exit_code == 1
    assert "deze map bestaat niet" in missing.output


def test_the_sheet_and_header_row_of_a_mapping(ws: Path, questionnaire: Questionnaire) -> None:
    order = questionnaire.statement_order
    mapping: dict[str, Any] = {
        "respondent": {"organisation": "Org", "role": "Rol"},
        "answers": {sid: f"S{i}" for i, sid in enumerate(order)},
    }
    Path("m.yaml").write_text(dump_yaml(mapping), encoding="utf-8")
    rows = [
        ["Ketenscan voorjaar 2026 (export van 3 maart)"],
        ["Org", "Rol", *(f"S{i}" for i in range(51))],
        ["Wijkteam", "wijkteam", *["3"] * 51],
    ]
    source = write_xlsx(Path("m.xlsx"), rows, title="Data", before=[("Info", [["Lees mij"]])])
    with pytest.raises(ProblemsError) as caught:
        plan_import(ws, "voorbeeldstad", ROUND, source, mapping_path=Path("m.yaml"))
    assert [p.code for p in caught.value.problems] == ["import.wrong-sheet"]
    assert (
        "in rij 1 van werkblad 'Info' staat geen enkele kolom" in caught.value.problems[0].message
    )
    with pytest.raises(ProblemsError) as caught:
        plan_import(ws, "voorbeeldstad", ROUND, source, mapping_path=Path("m.yaml"), sheet="Data")
    assert "Staan de kolomkoppen in een andere rij" in caught.value.problems[0].message
    mapping |= {"sheet": "Data", "header_row": 2}
    Path("m.yaml").write_text(dump_yaml(mapping), encoding="utf-8")
    plan = plan_import(ws, "voorbeeldstad", ROUND, source, mapping_path=Path("m.yaml"))
    assert [(f.row, f.respondent) for f in plan.files] == [(3, "wijkteam")]
