"""The `ketenscan` command line through click's CliRunner: exit codes, output and help."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from assessment.cli import main
from assessment.instrument import Questionnaire
from assessment.yamlio import parse_yaml
from tests.helpers import ANSWERS_DIR, DATA_DIR, REPO_DIR, fill_template

COMMANDS = sorted(main.commands)


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def _problem_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("ws/")]


# ------------------------------------------------------------ help


def test_the_foundation_commands_exist() -> None:
    assert {"init", "new-round", "template", "validate", "schema"} <= set(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(command: str) -> None:
    assert main.commands[command].help, f"'{command}' has no help text"
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "Voorbeeld" in result.output
    assert f"ketenscan {command}" in result.output


def test_main_help_lists_every_command() -> None:
    result = run("--help")
    assert result.exit_code == 0
    assert "Voorbeeld" in result.output
    for command in COMMANDS:
        assert command in result.output
    assert "--debug" in result.output


def test_every_option_has_help() -> None:
    for name, command in main.commands.items():
        for param in command.params:
            if isinstance(param, click.Option):
                assert param.help, f"{name} {param.opts} has no help text"


def test_python_dash_m_runs_the_same_program() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "assessment", "--version"],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO_DIR,
    )
    assert done.returncode == 0
    assert done.stdout.startswith("ketenscan, version ")


# ------------------------------------------------------------ usage errors (exit 2)


@pytest.mark.parametrize(
    "args",
    [
        ["validate"],
        ["validate", "--onbekend", "x"],
        ["--onbekend"],
        ["new-round", "ws", "voorbeeldstad"],
        ["init"],
        ["onbekend-commando"],
        ["template", "--respondent", "Mijn Organisatie"],
        ["template", "--role", "jeugdzorg"],
        ["schema", "--kind", "alles"],
    ],
)
def test_wrong_usage_exits_2(args: list[str]) -> None:
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    "args",
    [
        ["export", "xlsform", "{ws}", "-o", "{tmp}/form.xlsx"],
        ["export", "mapping", "{ws}"],
        ["import", "{ws}", "lindeloo", "2025-najaar", "{tmp}/export.csv"],
        # a host nobody can bind: were the check gone, the command fails instead of serving
        ["collect", "serve", "{ws}", "--no-build", "--host", "999.0.0.1"],
    ],
    ids=["export-xlsform", "export-mapping", "import", "collect-serve"],
)
def test_a_missing_workspace_is_one_problem_line_and_exit_1(
    args: list[str], tmp_path: Path
) -> None:
    """Every command that reads a workspace says the same thing when its folder is missing."""
    workspace = tmp_path / "bestaat-niet"
    (tmp_path / "export.csv").write_text("respondent.id\n", encoding="utf-8")
    result = run(*(a.format(ws=workspace, tmp=tmp_path) for a in args))
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert result.stderr.splitlines()[0] == (
        f"{workspace.as_posix()}:1:1: deze map bestaat niet; geef de map van een werkruimte op"
    )
    assert not (tmp_path / "form.xlsx").exists()


# ------------------------------------------------------------ validate


def test_validate_examples() -> None:
    """The demo workspace in the repository is valid."""
    result = run("validate", str(REPO_DIR / "examples"))
    assert result.exit_code == 0, result.output
    assert "0 problemen in 0 bestanden" in result.output


def test_validate_valid_workspace(workspace: Path) -> None:
    result = run("validate", str(workspace))
    assert result.exit_code == 0
    assert result.stdout == "0 problemen in 0 bestanden (2 bestanden gecontroleerd)\n"


def test_validate_broken_workspace(workspace: Path) -> None:
    answer = workspace / ANSWERS_DIR / "jgz-0-4.yaml"
    text = answer.read_text(encoding="utf-8")
    answer.write_text(text.replace("round: 2025-najaar", "round: 2025-voorjaar"), encoding="utf-8")
    (workspace / ANSWERS_DIR / "wijkteam.yaml").write_text("a: &x 1\n", encoding="utf-8")
    result = run("validate", str(workspace))
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    # Line 14 of the template is `round: ...`; the value starts after "round: ".
    assert _problem_lines(result.stderr) == [
        f"ws/{ANSWERS_DIR}/jgz-0-4.yaml:14:8: ronde '2025-voorjaar' hoort niet in de map van "
        "ronde '2025-najaar'; schrijf '2025-najaar' of verplaats het bestand",
        f"ws/{ANSWERS_DIR}/wijkteam.yaml:1:4: ankers (zoals '&x') zijn niet toegestaan; "
        "schrijf elke waarde voluit",
    ]
    assert (
        result.stderr.splitlines()[-1] == "2 problemen in 2 bestanden (3 bestanden gecontroleerd)"
    )


def test_validate_warnings_only_exits_0(workspace: Path, questionnaire: Questionnaire) -> None:
    source = workspace / ANSWERS_DIR / "jgz-0-4.yaml"
    copy = source.read_text(encoding="utf-8").replace("  id: jgz-0-4", "  id: jgz-kopie")
    (workspace / ANSWERS_DIR / "jgz-kopie.yaml").write_text(copy, encoding="utf-8")
    result = run("validate", str(workspace))
    assert result.exit_code == 0
    assert f"ws/{ANSWERS_DIR}/jgz-0-4.yaml:1:1: waarschuwing: dezelfde organisatie" in (
        result.output
    )
    assert "0 problemen in 0 bestanden, 1 waarschuwing" in result.output


def test_validate_json(workspace: Path) -> None:
    (workspace / ANSWERS_DIR / "wijkteam.yaml").write_text("", encoding="utf-8")
    result = run("validate", "--json", str(workspace))
    assert result.exit_code == 1
    assert json.loads(result.stdout) == [
        {
            "path": f"ws/{ANSWERS_DIR}/wijkteam.yaml",
            "line": 1,
            "column": 1,
            "code": "file.empty",
            "field": "",
            "severity": "error",
            "message": "het bestand is leeg; vul het in of verwijder het",
        }
    ]


def test_validate_json_gives_codes_and_fields_of_every_problem(workspace: Path) -> None:
    path = workspace / ANSWERS_DIR / "buurtzorg-jong.yaml"
    text = (DATA_DIR / "answer.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "juiste-partners-kernpartners-doen-mee: 4", "juiste-partners-kernpartners-doen-mee: 6"
    )
    text = text.replace("  role: jeugd-en-gezinsteam", "  role: jeugd-en-gezinsteem")
    path.write_text(text, encoding="utf-8")
    result = run("validate", "--json", str(workspace))
    assert result.exit_code == 1
    found = {(p["code"], p["field"], p["line"]) for p in json.loads(result.stdout)}
    assert found == {
        ("answers.score-out-of-range", "answers.juiste-partners-kernpartners-doen-mee", 20),
        ("answers.unknown-role", "respondent.role", 7),
    }


def test_validate_missing_folder_exits_1(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("validate", "nergens")
    assert result.exit_code == 1
    assert result.stderr.startswith("nergens:1:1: deze map bestaat niet")


def test_unexpected_error_is_one_line_without_debug(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(path: Path) -> None:
        raise RuntimeError("kapot")

    monkeypatch.setattr("assessment.validate.validate_path", explode)
    result = run("validate", str(workspace))
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert result.stderr == (
        "ketenscan: onverwachte fout: RuntimeError: kapot "
        "(draai opnieuw met --debug voor details)\n"
    )
    debug = run("--debug", "validate", str(workspace))
    assert isinstance(debug.exception, RuntimeError)
    assert debug.exit_code == 1


def test_debug_flag_leaves_a_normal_run_alone(workspace: Path) -> None:
    result = run("--debug", "validate", str(workspace))
    assert result.exit_code == 0


# ------------------------------------------------------------ init and new-round


def test_init_then_validate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("init", "regio")
    assert result.exit_code == 0, result.output
    assert "Werkruimte gemaakt in regio" in result.stdout
    for name in ("ketenscan.yaml", "README.md", "gemeenten/voorbeeldstad/gemeente.yaml"):
        assert (tmp_path / "regio" / name).is_file()
    for name in ("antwoord", "gemeente", "ketenscan"):
        assert (tmp_path / "regio" / "schemas" / f"{name}.schema.json").is_file()
    assert (tmp_path / "regio/gemeenten/voorbeeldstad/2025-najaar/antwoorden").is_dir()
    assert any((tmp_path / "regio/gemeenten/voorbeeldstad/2025-najaar/sjablonen").iterdir())
    validated = run("validate", "regio")
    assert validated.exit_code == 0, validated.output


def test_init_refuses_a_non_empty_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("regio").mkdir()
    Path("regio/iets.txt").write_text("x", encoding="utf-8")
    result = run("init", "regio")
    assert result.exit_code == 1
    assert result.stderr.startswith("regio:1:1: deze map bestaat al en is niet leeg")
    assert sorted(p.name for p in Path("regio").iterdir()) == ["iets.txt"]


def test_new_round_writes_a_template_per_expected_role(
    workspace: Path, questionnaire: Questionnaire
) -> None:
    result = run("new-round", str(workspace), "voorbeeldstad", "2026-voorjaar")
    assert result.exit_code == 0, result.output
    round_dir = workspace / "gemeenten" / "voorbeeldstad" / "2026-voorjaar"
    templates = round_dir / "sjablonen"
    # The fixture's gemeente.yaml expects jgz-0-4 and jeugd-en-gezinsteam.
    assert sorted(p.name for p in templates.iterdir()) == [
        "jeugd-en-gezinsteam.yaml",
        "jgz-0-4.yaml",
    ]
    assert (round_dir / "antwoorden").is_dir()
    assert "Ronde 2026-voorjaar gemaakt met 2 sjablonen." in result.stdout
    text = (templates / "jgz-0-4.yaml").read_text(encoding="utf-8")
    assert text.startswith(
        "# yaml-language-server: $schema=../../../../schemas/antwoord.schema.json\n"
    )
    data = parse_yaml(text.encode(), "t.yaml").data
    assert (data["municipality"], data["round"]) == ("voorbeeldstad", "2026-voorjaar")
    assert data["respondent"]["role"] == "jgz-0-4"
    # A partner fills it in and puts it in antwoorden/: the workspace stays valid.
    filled = fill_template(text, questionnaire, organisation="JGZ Voorbeeldstad Voorjaar")
    (round_dir / "antwoorden" / "jgz-0-4.yaml").write_text(filled, encoding="utf-8")
    assert run("validate", str(workspace)).exit_code == 0


@pytest.mark.parametrize(
    ("municipality", "round_slug", "message"),
    [
        ("voorbeeldstad", "2025-najaar", "deze ronde bestaat al"),
        ("nergensstad", "2026-voorjaar", "gemeente 'nergensstad' niet gevonden"),
        ("voorbeeldstad", "Voorjaar 2026", "'Voorjaar 2026' is geen geldige rondenaam"),
    ],
)
def test_new_round_problems_exit_1(
    workspace: Path, municipality: str, round_slug: str, message: str
) -> None:
    before = sorted(p.as_posix() for p in workspace.rglob("*"))
    result = run("new-round", str(workspace), municipality, round_slug)
    assert result.exit_code == 1
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert sorted(p.as_posix() for p in workspace.rglob("*")) == before


# ------------------------------------------------------------ template and schema


def test_template_prints_every_statement(questionnaire: Questionnaire) -> None:
    result = run("template")
    assert result.exit_code == 0
    data = parse_yaml(result.stdout.encode(), "t.yaml").data
    assert data["answers"] == dict.fromkeys(questionnaire.statement_order)
    for sid in questionnaire.statement_order:
        assert f"\n  {sid}: null\n" in result.stdout
    assert "yaml-language-server" not in result.stdout


def test_template_with_workspace_names_the_schema(workspace: Path) -> None:
    result = run("template", "-w", str(workspace), "--respondent", "buurtzorg-jong")
    assert result.exit_code == 0
    # From ws/gemeenten/voorbeeldstad/2025-najaar/antwoorden/ up to ws/schemas/.
    assert result.stdout.splitlines()[0] == (
        "# yaml-language-server: $schema=../../../../schemas/antwoord.schema.json"
    )


def test_template_round_trip(workspace: Path, questionnaire: Questionnaire) -> None:
    target = workspace / ANSWERS_DIR / "buurtzorg-jong.yaml"
    args = ["template", "-w", str(workspace), "--respondent", "buurtzorg-jong"]
    result = run(*args, "--role", "jeugd-en-gezinsteam", "-o", str(target))
    assert result.exit_code == 0, result.output
    text = target.read_text(encoding="utf-8")

    # As written: the organisation is still empty, and that is the one problem.
    failed = run("validate", str(workspace))
    assert failed.exit_code == 1
    lines = text.splitlines()
    organisation_line = lines.index('  organisation: ""  # naam van uw organisatie') + 1
    assert _problem_lines(failed.stderr) == [
        f"ws/{ANSWERS_DIR}/buurtzorg-jong.yaml:{organisation_line}:17: "
        "'organisation' mag niet leeg zijn; vul het in"
    ]

    target.write_text(
        fill_template(text, questionnaire, organisation="Buurtzorg Jong"), encoding="utf-8"
    )
    passed = run("validate", str(workspace))
    assert passed.exit_code == 0, passed.output


def test_template_without_role_names_the_role_line(workspace: Path) -> None:
    target = workspace / ANSWERS_DIR / "buurtzorg-jong.yaml"
    run("template", "-w", str(workspace), "--respondent", "buurtzorg-jong", "-o", str(target))
    text = target.read_text(encoding="utf-8").replace('organisation: ""', "organisation: B")
    target.write_text(text, encoding="utf-8")
    result = run("validate", str(target))
    role_line = text.splitlines().index("  role:") + 1
    assert result.exit_code == 1
    assert f"buurtzorg-jong.yaml:{role_line}:3: dit veld is nog leeg" in result.stderr


def test_schema_prints_json() -> None:
    result = run("schema")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema["title"] == "Ketenscan antwoordbestand"
    assert "answers" in schema["required"]
    gemeente = json.loads(run("schema", "--kind", "gemeente").stdout)
    assert gemeente["title"] == "Ketenscan gemeente.yaml"


def test_schema_out_writes_files(tmp_path: Path) -> None:
    result = run("schema", "--out", str(tmp_path / "schemas"))
    assert result.exit_code == 0
    names = sorted(p.name for p in (tmp_path / "schemas").iterdir())
    assert names == [
        "antwoord.schema.json",
        "gemeente.schema.json",
        "indicatoren.schema.json",
        "ketenscan.schema.json",
        "workshop.schema.json",
    ]


def test_the_readme_mentions_every_command() -> None:
    readme = (REPO_DIR / "README.md").read_text(encoding="utf-8")
    assert [c for c in COMMANDS if f"ketenscan {c}" not in readme] == []
    indicators = main.commands["indicators"]
    assert isinstance(indicators, click.Group)
    for sub in indicators.commands:
        assert f"ketenscan indicators {sub}" in readme
