"""`ketenscan import`: exports of the XLSForm (KoboToolbox, ODK Central), a hand-made sheet
and survey tools with a mapping become answer files that validate and score exactly as the
same answers typed into YAML."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from click.testing import CliRunner, Result
from pyxform.xls2xform import convert

from assessment.analysis import analyse
from assessment.cli import main
from assessment.instrument import Questionnaire
from assessment.interop.answer_text import answer_file_text
from assessment.interop.importing import plan_import
from assessment.validate import validate_path
from assessment.workspace import load_workspace
from tests.helpers import ROUND, cycle_score, filled_answer
from tests.sheet_helpers import (
    answers_dir,
    import_workspace,
    statement_values,
    write_csv,
    write_xlsx,
)

Score = Callable[[int], int | None]


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def all_four(index: int) -> int | None:
    return 4


def twos_but_first_unknown(index: int) -> int | None:
    # 'weet niet' on the first statement of every factor (indexes of factor starts below).
    return None if index in FACTOR_STARTS else 2


FACTOR_STARTS: set[int] = set()

PARTNERS: list[tuple[str, str, str, Score]] = [
    ("wijkteam-noord", "Wijkteam Noord", "wijkteam", all_four),
    ("huisartsen-de-linde", "Huisartsen De Linde", "huisartsenpraktijk", twos_but_first_unknown),
    ("jgz-voorbeeldstad", "JGZ Voorbeeldstad", "jgz-0-4", cycle_score),
]


@pytest.fixture(autouse=True)
def _factor_starts(questionnaire: Questionnaire) -> None:
    index = 0
    FACTOR_STARTS.clear()
    for factor in questionnaire.instrument.factors():
        FACTOR_STARTS.add(index)
        index += len(factor.statements)


def kobo_headers(form: Path) -> list[str]:
    """The columns of a KoboToolbox export ('XML values and headers'): every field of the
    XForm that pyxform made of our XLSForm, with its group path, plus Kobo's own columns."""
    root = ET.fromstring(convert(xlsform=str(form), validate=False).xform)
    paths = [
        bind.get("nodeset", "").removeprefix("/data/")
        for bind in root.iter("{http://www.w3.org/2002/xforms}bind")
    ]
    fields = [p for p in paths if "uitleg." not in p and "intro." not in p and p != "ks_welkom"]
    return [*fields, "meta/instanceID", "_id", "_uuid", "_submission_time", "_index"]


def kobo_row(
    headers: list[str], questionnaire: Questionnaire, organisation: str, role: str, score: Score
) -> list[Any]:
    """One submission as Kobo exports it: choice names, group paths in the headers."""
    statements = dict(
        zip(questionnaire.statement_order, statement_values(questionnaire, score), strict=True)
    )
    values: dict[str, Any] = {
        "start": "2025-10-14T09:58:01.000+02:00",
        "end": "2025-10-14T10:12:44.000+02:00",
        "ks_instrument": "ketenscan-jeugd@1",
        "ks_municipality": "voorbeeldstad",
        "ks_round": ROUND,
        "respondent.organisation": organisation,
        "respondent.role": role,
        "_submission_time": "2025-10-15T08:00:00",
        "_id": 101,
    }
    return [
        statements.get(name, values.get(name, ""))
        for name in (header.rsplit("/", 1)[-1] for header in headers)
    ]


def factor_scores(workspace: Path) -> pd.DataFrame:
    ws = load_workspace(workspace)
    assert ws.errors == [], ws.errors
    scores = analyse(ws).scores.factor_scores
    return scores.sort_values(["factor"]).reset_index(drop=True)


def test_round_trip_export_fill_import_validate_scores_as_typed_yaml(
    questionnaire: Questionnaire, tmp_path: Path
) -> None:
    imported = import_workspace(tmp_path / "import")
    form = tmp_path / "vragenlijst.xlsx"
    result = run(
        "export", "xlsform", str(imported), "-g", "voorbeeldstad", "-r", ROUND, "-o", str(form)
    )
    assert result.exit_code == 0, result.output
    headers = kobo_headers(form)
    rows = [headers] + [
        kobo_row(headers, questionnaire, organisation, role, score)
        for _, organisation, role, score in PARTNERS
    ]
    export = write_xlsx(tmp_path / "kobo-export.xlsx", rows, title="Ketenscan jeugd")

    result = run("import", str(imported), "voorbeeldstad", ROUND, str(export))
    assert result.exit_code == 0, result.output
    assert "3 antwoordbestanden geschreven" in result.output
    assert validate_path(imported).problems == []
    written = sorted(p.name for p in answers_dir(imported).iterdir())
    assert written == sorted(f"{respondent}.yaml" for respondent, *_ in PARTNERS)

    typed = import_workspace(tmp_path / "typed")
    for respondent, organisation, role, score in PARTNERS:
        (answers_dir(typed) / f"{respondent}.yaml").write_text(
            filled_answer(
                questionnaire,
                respondent=respondent,
                role=role,
                organisation=organisation,
                score=score,
            ),
            encoding="utf-8",
        )
    from_import = factor_scores(imported)
    pd.testing.assert_frame_equal(from_import, factor_scores(typed))

    # By hand, De juiste partners (statements 0..3): Wijkteam 4; De Linde 'weet niet' on
    # the first and 2 on the others = 2; JGZ cycle_score 1, 2, 3, 4 = 2.5.
    # Mean of the three partner scores: (4 + 2 + 2.5) / 3 = 2.8333...
    row = from_import.set_index("factor").loc["juiste-partners"]
    assert row["n"] == 3
    assert row["mean"] == pytest.approx(8.5 / 3)
    # 'weet niet' share: 1 of 12 answers (De Linde's first) plus none from JGZ (index
    # 5 is the first 'weet niet' of cycle_score) = 1/12.
    assert row["dont_know_share"] == pytest.approx(1 / 12)


def test_the_file_is_what_the_online_form_would_download(
    questionnaire: Questionnaire, tmp_path: Path
) -> None:
    workspace = import_workspace(tmp_path / "ws")
    statements = questionnaire.statement_order
    factors = [f.id for f in questionnaire.instrument.factors()]
    header = [
        "respondent.organisation",
        "respondent.role",
        "levels_offered",
        *statements,
        f"importance.{factors[1]}",
        f"importance.{factors[0]}",
        f"ambition.{factors[2]}",
        f"comments.{factors[4]}",
        "open.change_first",
        "open.goes_well",
        "submitted",
    ]
    values = statement_values(questionnaire, cycle_score)
    row = [
        "  Buurtzorg Jong Zuid ",
        "Jeugd- en gezinsteam / Buurtzorg Jong",  # the role's label, as Kobo's label export has it
        "licht universeel",  # in the order ODK writes them: as ticked
        *values,
        "5 – zeer belangrijk",
        3,
        "geborgd",
        'Overleg "elke week": goed\nmaar druk',
        "",
        "Korte lijnen",
        dt.datetime(2025, 10, 14, 10, 12),
    ]
    source = write_xlsx(tmp_path / "eigen.xlsx", [header, row])
    plan = plan_import(workspace, "voorbeeldstad", ROUND, source)
    assert [(f.respondent, f.row, f.answered, f.dont_know) for f in plan.files] == [
        # cycle_score leaves every sixth statement (index 5, 11, ..., 47) as 'weet niet':
        # 8 of 51, so 43 answered.
        ("buurtzorg-jong-zuid", 2, 43, 8)
    ]
    expected = {
        "instrument": "ketenscan-jeugd@1",
        "municipality": "voorbeeldstad",
        "round": ROUND,
        "respondent": {
            "id": "buurtzorg-jong-zuid",
            "organisation": "Buurtzorg Jong Zuid",
            "role": "jeugd-en-gezinsteam",
        },
        "submitted": "2025-10-14",
        "answers": {sid: cycle_score(i) for i, sid in enumerate(statements)},
        # In questionnaire order, whatever the order of the columns.
        "importance": {factors[0]: 3, factors[1]: 5},
        "ambition": {factors[2]: 4},
        "levels_offered": ["universeel", "licht"],
        "comments": {factors[4]: 'Overleg "elke week": goed\nmaar druk'},
        "open": {"goes_well": "Korte lijnen"},
    }
    assert plan.files[0].text == answer_file_text(expected, questionnaire)


def test_odk_central_csv_with_dashes_between_groups(
    questionnaire: Questionnaire, tmp_path: Path
) -> None:
    workspace = import_workspace(tmp_path / "ws")
    form = tmp_path / "form.xlsx"
    assert run("export", "xlsform", str(workspace), "-o", str(form)).exit_code == 0
    # ODK Central joins the group path with '-' and adds SubmissionDate, meta-instanceID, KEY.
    fields = [h for h in kobo_headers(form) if not h.startswith(("_", "meta/"))]
    headers = ["SubmissionDate", *(h.replace("/", "-") for h in fields), "meta-instanceID", "KEY"]
    rows = [headers]
    for _, organisation, role, score in PARTNERS[:2]:
        row = kobo_row(fields, questionnaire, organisation, role, score)
        rows.append(["2025-11-01T10:00:00.000Z", *row, "uuid:1", "uuid:1"])
    source = write_csv(tmp_path / "central.csv", rows)
    result = run("import", str(workspace), "voorbeeldstad", ROUND, str(source))
    assert result.exit_code == 0, result.output
    text = (answers_dir(workspace) / "wijkteam-noord.yaml").read_text(encoding="utf-8")
    assert "\nsubmitted: 2025-10-14\n" in text  # from 'end', not the server's date
    assert validate_path(workspace).problems == []


def test_kobo_label_export_needs_no_mapping(questionnaire: Questionnaire, tmp_path: Path) -> None:
    # KoboToolbox's 'Labels' export: headers are the group labels and question texts joined
    # by '/', values are the choice labels.
    instrument = questionnaire.instrument
    header = [
        "Over uw organisatie/Naam van uw organisatie",
        "Over uw organisatie/Rol van uw organisatie in de keten",
        f"Over uw organisatie/{instrument.questions.levels_offered}",
    ]
    row: list[Any] = ["Veilig Thuis Regio", "Veilig Thuis", "Intensief en specialistisch Licht"]
    labels = {step.value: f"{step.value} – {step.label}" for step in instrument.scale}
    for section in instrument.sections:
        for factor in section.factors:
            for statement in factor.statements:
                header.append(f"{section.title}/{factor.title}/{statement.text}")
                row.append(labels[3])
            header.append(f"{section.title}/{factor.title}/{instrument.questions.importance}")
            row.append("4 – belangrijk")
    row[3] = instrument.dont_know_label
    workspace = import_workspace(tmp_path / "ws")
    source = write_xlsx(tmp_path / "labels.xlsx", [header, row])
    plan = plan_import(workspace, "voorbeeldstad", ROUND, source)
    text = plan.files[0].text
    assert plan.files[0].respondent == "veilig-thuis-regio"
    assert "  role: veilig-thuis\n" in text
    assert "levels_offered:\n  - licht\n  - intensief-specialistisch\n" in text
    assert "  juiste-partners-kernpartners-doen-mee: null\n" in text
    assert "  juiste-partners-huisarts-en-school: 3\n" in text
    assert "importance:\n  juiste-partners: 4\n" in text


def test_a_hand_made_sheet_with_ids_as_headers(
    questionnaire: Questionnaire, tmp_path: Path
) -> None:
    workspace = import_workspace(tmp_path / "ws")
    header = ["organisatie", "rol", *questionnaire.statement_order, "opmerking van de gemeente"]
    rows = [header]
    for index, (_, organisation, role, score) in enumerate(PARTNERS):
        values = ["" if v == "weet_niet" else v for v in statement_values(questionnaire, score)]
        rows.append([organisation, role, *values, f"notitie {index}"])
    source = write_csv(tmp_path / "eigen.csv", rows, delimiter=";")
    result = run("import", str(workspace), "voorbeeldstad", ROUND, str(source))
    assert result.exit_code == 0, result.output
    assert validate_path(workspace).problems == []
    text = (answers_dir(workspace) / "huisartsen-de-linde.yaml").read_text(encoding="utf-8")
    # An empty cell is 'weet niet'; the extra column is not read.
    assert "  juiste-partners-kernpartners-doen-mee: null\n" in text
    assert "notitie" not in text


def test_existing_files_are_replaced_only_with_replace(
    questionnaire: Questionnaire, tmp_path: Path
) -> None:
    workspace = import_workspace(tmp_path / "ws")
    header = ["organisation", "role", *questionnaire.statement_order]
    source = write_csv(
        tmp_path / "a.csv",
        [header, ["Wijkteam Noord", "wijkteam", *statement_values(questionnaire, all_four)]],
    )
    target = answers_dir(workspace) / "wijkteam-noord.yaml"
    target.write_text("eigen bestand\n", encoding="utf-8")

    refused = run("import", str(workspace), "voorbeeldstad", ROUND, str(source))
    assert refused.exit_code == 1
    assert "ws/gemeenten/voorbeeldstad/2025-najaar/antwoorden/wijkteam-noord.yaml bestaat al" in (
        refused.output
    )
    assert target.read_text(encoding="utf-8") == "eigen bestand\n"

    dry = run(
        "import", str(workspace), "voorbeeldstad", ROUND, str(source), "--replace", "--dry-run"
    )
    assert dry.exit_code == 0, dry.output
    assert "niets geschreven" in dry.output
    assert target.read_text(encoding="utf-8") == "eigen bestand\n"

    replaced = run("import", str(workspace), "voorbeeldstad", ROUND, str(source), "--replace")
    assert replaced.exit_code == 0, replaced.output
    assert "vervangen: " in replaced.output
    assert "  juiste-partners-kernpartners-doen-mee: 4\n" in target.read_text(encoding="utf-8")
    assert sorted(p.name for p in target.parent.iterdir()) == ["wijkteam-noord.yaml"]
