"""Key figures from a CSV (`ketenscan indicators import`): checked like the YAML file, every
problem at its row and column, nothing written while there is one."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from assessment.cli import main
from assessment.errors import ProblemsError
from assessment.instrument import Questionnaire
from assessment.interop.indicator_import import read_indicator_csv, write_indicator_files
from assessment.workspace import load_workspace
from tests.helpers import MUNICIPALITY, ROUND

VALUES = f"gemeenten/{MUNICIPALITY}/{ROUND}/indicatoren.yaml"
EARLIER = f"gemeenten/{MUNICIPALITY}/2024-najaar/indicatoren.yaml"


def write_csv(tmp_path: Path, text: str, name: str = "kengetallen.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


GOOD = f"""\
municipality,round,indicator,numerator,denominator,value,note,period,source
{MUNICIPALITY},{ROUND},hulp-zonder-verwijzing,118,310,,,2025,registratie
{MUNICIPALITY},{ROUND},huisbezoek-binnen-drie-dagen,51,80,,"met ""later"", op verzoek",2025,\
registratie
{MUNICIPALITY},2024-najaar,voortijdig-beeindigd,,,7.5,,,
"""


def test_a_good_csv_becomes_yaml_files_that_validate(
    workspace: Path, questionnaire: Questionnaire
) -> None:
    plan = read_indicator_csv(write_csv(workspace.parent, GOOD), workspace, questionnaire)
    assert (plan.figures, plan.municipalities, plan.rounds) == (3, 1, 2)
    written = write_indicator_files(plan, overwrite=False)
    assert [(p.relative_to(workspace).as_posix(), r) for p, r in written] == [
        (EARLIER, False),  # a new round folder for the older figures
        (VALUES, False),
    ]
    loaded = load_workspace(workspace)
    assert loaded.problems == []
    rounds = {r.slug: r for r in loaded.municipalities[MUNICIPALITY].rounds}
    values = rounds[ROUND].indicators
    assert values is not None
    assert (values.period, values.source) == ("2025", "registratie")
    visit = values.values["huisbezoek-binnen-drie-dagen"]
    assert visit is not None
    assert (visit.numerator, visit.denominator) == (51, 80)
    assert visit.note == 'met "later", op verzoek'
    earlier = rounds["2024-najaar"].indicators
    assert earlier is not None
    dropout = earlier.values["voortijdig-beeindigd"]
    assert dropout is not None
    assert dropout.value == 7.5
    text = (workspace / VALUES).read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../../schemas/indicatoren")
    assert "Gemaakt met 'ketenscan indicators import' uit kengetallen.csv." in text


def test_dutch_headers_semicolons_decimal_commas_and_a_bom_as_excel_writes_them(
    workspace: Path, questionnaire: Questionnaire
) -> None:
    text = (
        "\ufeffGemeente;Ronde;Kengetal;Teller;Noemer\r\n"
        f"{MUNICIPALITY};{ROUND};gemiddelde-duur-in-zorg;1420,5;100\r\n"
    )
    plan = read_indicator_csv(write_csv(workspace.parent, text), workspace, questionnaire)
    write_indicator_files(plan, overwrite=False)
    values = load_workspace(workspace).municipalities[MUNICIPALITY].rounds[0].indicators
    assert values is not None
    duration = values.values["gemiddelde-duur-in-zorg"]
    assert duration is not None
    assert duration.numerator == 1420.5


BAD = f"""\
municipality,round,indicator,numerator,denominator,value,note
{MUNICIPALITY},{ROUND},huisbezoek-binnen-drie-dagen,90,80,,
{MUNICIPALITY},{ROUND},onbekend-kengetal,1,2,,
{MUNICIPALITY},{ROUND},gemiddelde-duur-in-zorg,30000,100,,
{MUNICIPALITY},{ROUND},hulp-zonder-verwijzing,12.5,100,,
{MUNICIPALITY},{ROUND},voortijdig-beeindigd,5,,7,
{MUNICIPALITY},{ROUND},huisbezoek-binnen-drie-dagen,1,2,,
{MUNICIPALITY},{ROUND},jeugdigen-in-zorg-per-1000,1.234.5,100,,
{MUNICIPALITY},{ROUND},uithuisplaatsingen-per-1000,-3,1000,,
stad,{ROUND},uithuisplaatsingen-per-1000,3,1000,,
{MUNICIPALITY},Ronde 2,uithuisplaatsingen-per-1000,3,1000,,
{MUNICIPALITY},{ROUND},uithuisplaatsing-voorkomen,1,2
"""


def test_every_problem_of_a_csv_is_at_its_row_and_column(
    workspace: Path, questionnaire: Questionnaire
) -> None:
    path = write_csv(workspace.parent, BAD)
    with pytest.raises(ProblemsError) as caught:
        read_indicator_csv(path, workspace, questionnaire)
    got = [(p.path, p.line, p.column, p.code) for p in caught.value.problems]
    shown = "kengetallen.csv"  # relative to the working directory, as the user typed it
    assert got == [
        (shown, 2, 4, "indicators.numerator-above-denominator"),  # 90 of 80
        (shown, 3, 3, "indicators.unknown-indicator"),
        (shown, 4, 4, "indicators.out-of-range"),  # 30000 ÷ 100 = 300 months > 276
        (shown, 5, 4, "indicators.not-a-count"),  # 12.5 youths
        (shown, 6, 3, "indicators.incomplete"),  # a numerator and a value, no denominator
        (shown, 7, 3, "indicators.csv-duplicate-row"),  # huisbezoek again (row 2)
        (shown, 8, 4, "field.not-number"),  # 1.234.5
        (shown, 9, 4, "field.out-of-range"),  # -3
        (shown, 10, 1, "workspace.unknown-municipality"),
        (shown, 11, 2, "field.invalid-id"),  # 'Ronde 2'
        (shown, 12, 1, "indicators.csv-row-length"),  # five cells under seven headers
    ]
    assert caught.value.problems[0].format() == (
        "kengetallen.csv:2:4: Huisbezoek binnen drie werkdagen: de teller (90) is groter "
        "dan de noemer (80); de teller telt een deel van de noemer"
    )
    assert not (workspace / VALUES).exists()


def test_a_bad_header_is_reported_before_the_rows(
    workspace: Path, questionnaire: Questionnaire
) -> None:
    path = write_csv(
        workspace.parent, "municiplity,round,indicator,tellr,denominator,round\nx,y,z,1,2,y\n"
    )
    with pytest.raises(ProblemsError) as caught:
        read_indicator_csv(path, workspace, questionnaire)
    codes = sorted((p.line, p.column, p.code) for p in caught.value.problems)
    assert codes == [
        (1, 1, "indicators.csv-missing-column"),  # municipality
        (1, 1, "indicators.csv-missing-column"),  # numerator and denominator (or value)
        (1, 1, "indicators.csv-unknown-column"),  # municiplity
        (1, 4, "indicators.csv-unknown-column"),  # tellr
        (1, 6, "indicators.csv-unknown-column"),  # round, a second time
    ]
    messages = [p.message for p in caught.value.problems]
    assert any("Bedoelt u 'municipality'?" in m for m in messages)
    assert any("Bedoelt u 'teller'?" in m for m in messages)
    assert any("'round' staat er twee keer" in m for m in messages)


def test_a_windows_1252_file_is_refused_with_its_place(
    workspace: Path, questionnaire: Questionnaire
) -> None:
    path = workspace.parent / "oud.csv"
    path.write_bytes(
        f"municipality,round,indicator,value,note\n{MUNICIPALITY},{ROUND},voortijdig-beeindigd,"
        "7,caf\xe9\n".encode("latin-1")
    )
    with pytest.raises(ProblemsError) as caught:
        read_indicator_csv(path, workspace, questionnaire)
    [problem] = caught.value.problems
    assert (problem.line, problem.code) == (2, "file.encoding")


def test_an_existing_file_is_replaced_only_when_asked(
    workspace: Path, questionnaire: Questionnaire
) -> None:
    path = write_csv(workspace.parent, GOOD)
    write_indicator_files(read_indicator_csv(path, workspace, questionnaire), overwrite=False)
    before = (workspace / VALUES).read_text(encoding="utf-8")
    changed = write_csv(workspace.parent, GOOD.replace(",118,310,", ",119,310,"))
    plan = read_indicator_csv(changed, workspace, questionnaire)
    with pytest.raises(ProblemsError) as caught:
        write_indicator_files(plan, overwrite=False)
    assert {p.code for p in caught.value.problems} == {"indicators.file-exists"}
    assert len(caught.value.problems) == 2  # both files, and neither was written
    assert (workspace / VALUES).read_text(encoding="utf-8") == before
    written = write_indicator_files(plan, overwrite=True)
    assert [replaced for _, replaced in written] == [True, True]
    assert "numerator: 119" in (workspace / VALUES).read_text(encoding="utf-8")


def test_the_command_checks_writes_and_reports(workspace: Path) -> None:
    csv_path = write_csv(workspace.parent, GOOD)
    runner = CliRunner()
    checked = runner.invoke(
        main, ["indicators", "import", str(workspace), str(csv_path), "--check"]
    )
    assert checked.exit_code == 0, checked.output
    assert "In orde: 3 kengetallen van 1 gemeente(n) in 2 ronde(s)" in checked.output
    assert not (workspace / VALUES).exists()
    done = runner.invoke(main, ["indicators", "import", str(workspace), str(csv_path)])
    assert done.exit_code == 0, done.output
    assert f"ws/{VALUES}" in done.output
    again = runner.invoke(main, ["indicators", "import", str(workspace), str(csv_path)])
    assert again.exit_code == 1
    assert "bestaat al; draai opnieuw met --overwrite" in again.output
    bad = runner.invoke(
        main, ["indicators", "import", str(workspace), str(write_csv(workspace.parent, BAD))]
    )
    assert bad.exit_code == 1
    assert "kengetallen.csv:2:4: " in bad.output
    assert "Traceback" not in bad.output


def test_the_template_command(workspace: Path) -> None:
    result = CliRunner().invoke(
        main, ["indicators", "template", str(workspace), MUNICIPALITY, "2026-voorjaar"]
    )
    assert result.exit_code == 0, result.output
    assert (workspace / f"gemeenten/{MUNICIPALITY}/2026-voorjaar/indicatoren.yaml").exists()
    unknown = CliRunner().invoke(main, ["indicators", "template", str(workspace), "nergens", "r"])
    assert unknown.exit_code == 1
    assert "gemeente 'nergens' niet gevonden" in unknown.output
