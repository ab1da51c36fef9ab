"""`workshop.yaml`: loading, every problem located at path:line:col with a stable code (the
corpus in tests/bad-workshop/), the checks across rounds, the template with the open
actions carried over, the JSON Schema, and the `ketenscan workshop template` command.

Each file in tests/bad-workshop/ is tests/data/workshop.yaml with one defect; it is put in
the 2025-najaar round of the workspace of tests/workshop_helpers.py (whose 2024-najaar
workshop agreed on actions a1, a2 and a3). Layout of tests/data/workshop.yaml:

     1 instrument: ketenscan-jeugd@1                  value at column 13
     2 municipality: voorbeeldstad                    value at column 15
     3 round: 2025-najaar                             value at column 8
     4 date: 2025-11-20                               value at column 7
     5 participants: [jgz-0-4, huisartsenpraktijk, gemeente, school-po]
                      "participants: [" is 15 characters: the 1st item at column 16,
                      the 2nd at 16 + 9 ("jgz-0-4, ") = 25
     6 consensus:
     7   regie: {score: 4, rationale: "..."}           "  regie: {score: " = 17: score at 18
     8   juiste-partners: {score: 3}                  key at column 3
     9   evaluatie: {score: null}
    10 notes:
    11   regie: "Huisartsen kennen de regisseur vaak niet."   key at column 3
    12 actions:
    13   - id: a1                                      item at column 5, id value at 9
    14     title: "Vaste regisseur"
    15     factors: [regie]
    16     recommendation: regie-laag                  value at column 21
    17     owner: gemeente                             value at column 12
    18     due: 2025-02-01
    19     status: klaar                               value at column 13
    20   - id: a2
    21     title: "Regie en evaluatie samen"
    22     factors: [regie, evaluatie]                 list at 14; 2nd item at 14 + 8 = 22
    23..25 owner, due, status of a2
    26   - id: a4                                      item at column 5, id value at 9
    27     title: "Jeugdbescherming uitnodigen"
    28     factors: [juiste-partners]                  list at column 14
    29     owner: gemeente
    30     due: 2026-03-01
    31     status: gepland
    32     measure: "Doet mee in 2026"

The base file itself leaves out a3, an open action of 2024: one warning at the `actions`
key (12:1), which every case also has and which the corpus test sets apart.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import jsonschema  # type: ignore[import-untyped]
import pytest
from click.testing import CliRunner

from assessment.cli import main
from assessment.errors import Problem
from assessment.instrument import load_questionnaire
from assessment.schema import workshop_schema
from assessment.validate import validate_path
from assessment.workspace import load_workspace
from assessment.yamlio import read_yaml
from tests.helpers import DATA_DIR, TESTS_DIR
from tests.workshop_helpers import LATER, TOWN, write_workshop_town

BAD = TESTS_DIR / "bad-workshop"
PLACE = f"ws/gemeenten/{TOWN}/{LATER}/workshop.yaml"
DROPPED = "workshop.dropped-action"
SCORE = "het gezamenlijke niveau moet een geheel getal van 1 tot en met 5 zijn"


@dataclass(frozen=True)
class Case:
    """One broken workshop file and the one problem it must cause."""

    file: str
    line: int
    column: int
    code: str
    message: str
    severity: str = "error"


CASES = [
    Case("score-6", 7, 18, "workshop.score-out-of-range", f"{SCORE}, of leeg zolang"),
    Case("score-text", 7, 18, "workshop.score-out-of-range", "(gevonden: 'drie')"),
    Case("score-3.5", 7, 18, "workshop.score-out-of-range", "(gevonden: 3.5)"),
    Case(
        "unknown-consensus-factor",
        8,
        3,
        "workshop.unknown-factor",
        "onbekende factor 'juiste-partner'. Bedoelt u 'juiste-partners'?",
    ),
    Case(
        "unknown-participant",
        5,
        25,
        "workshop.unknown-role",
        "onbekende rol 'huisarts'. Bedoelt u 'huisartsenpraktijk'?",
    ),
    Case(
        "duplicate-participant",
        5,
        1,
        "workshop.duplicate-participant",
        "een rol staat meer dan eens in de lijst",
        "warning",
    ),
    Case("unknown-owner", 17, 12, "workshop.unknown-role", "onbekende rol 'gemeent'."),
    Case(
        "unknown-recommendation",
        16,
        21,
        "workshop.unknown-recommendation",
        "onbekende aanbeveling 'regie-lag'. Bedoelt u 'regie-laag'?",
    ),
    Case(
        "unknown-action-factor",
        22,
        22,
        "workshop.unknown-factor",
        "onbekende factor 'evalutie'. Bedoelt u 'evaluatie'?",
    ),
    Case(
        "duplicate-action",
        26,
        9,
        "workshop.duplicate-action",
        "de actie-id 'a2' staat ook bij actie 2",
    ),
    Case("status-wrong", 19, 13, "field.choice", "'klaaar' is geen geldige waarde"),
    # 2027 is neither the round's year (2025) nor the next.
    Case(
        "date-other-year",
        4,
        7,
        "workshop.date-outside-round",
        "verwacht een datum in 2025 of 2026",
    ),
    # The first answer of 2025-najaar came in on 2025-10-01.
    Case(
        "date-before-answers",
        4,
        7,
        "workshop.date-outside-round",
        "is eerder dan het eerste antwoord van ronde 2025-najaar (2025-10-01)",
    ),
    Case("date-impossible", 4, 7, "yaml.invalid-date", "'2025-02-30' lijkt op een datum"),
    # a2 was about regie and evaluatie in 2024-najaar.
    Case(
        "changed-action-factors",
        22,
        14,
        "workshop.changed-action",
        "de actie 'a2' ging in ronde 2024-najaar over evaluatie, regie",
    ),
    Case(
        "changed-action-recommendation",
        16,
        21,
        "workshop.changed-action",
        "de actie 'a1' nam in ronde 2024-najaar aanbeveling 'regie-laag' over",
    ),
    Case("unknown-note", 11, 3, "workshop.unknown-point", "'regi' is geen stelling of factor"),
    Case(
        "wrong-municipality",
        2,
        15,
        "workshop.wrong-municipality",
        "gemeente 'andere-stad' hoort niet in de map van 'voorbeeldstad'",
    ),
    Case(
        "wrong-round",
        3,
        8,
        "workshop.wrong-round",
        "ronde '2024-najaar' hoort niet in de map van '2025-najaar'",
    ),
    Case("other-version", 1, 13, "workshop.other-version", "versie 2 van de vragenlijst"),
    # Line 33 is the added key.
    Case("unknown-key", 33, 1, "field.unknown", "onbekend veld 'decisions'"),
    # Without line 30 the third action (its mapping starts at 26:5) lacks its due date.
    Case("missing-due", 26, 5, "field.missing", "het verplichte veld 'due' ontbreekt"),
    Case("empty-factors", 28, 14, "field.too-short", "minstens 1 onderdelen"),
    Case("tab", 8, 1, "yaml.tab", "tab-teken gevonden"),
    # `  regie: *notitie`: the alias starts after 9 characters.
    Case("alias", 11, 10, "yaml.alias", "verwijzingen (aliassen zoals '*notitie')"),
    Case("not-a-mapping", 1, 1, "file.not-a-mapping", "regels 'sleutel: waarde'"),
]


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The workspace with both workshops, written once; tests copy it."""
    return write_workshop_town(tmp_path_factory.mktemp("pristine") / "ws")


@pytest.fixture
def workspace(pristine: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh copy at ./ws, so that paths print as ws/..."""
    monkeypatch.chdir(tmp_path)
    shutil.copytree(pristine, tmp_path / "ws")
    return Path("ws")


def problems_of(workspace: Path) -> list[Problem]:
    """Every problem `ketenscan validate` reports for the workspace."""
    return validate_path(workspace).problems


def test_corpus_covers_every_file() -> None:
    assert sorted(p.stem for p in BAD.glob("*.yaml")) == sorted(c.file for c in CASES)


def test_the_base_file_is_valid_with_one_warning(workspace: Path) -> None:
    assert (workspace / PLACE.removeprefix("ws/")).read_text(encoding="utf-8") == (
        DATA_DIR / "workshop.yaml"
    ).read_text(encoding="utf-8")
    found = problems_of(workspace)
    assert [(p.path, p.line, p.column, p.code, p.severity) for p in found] == [
        (PLACE, 12, 1, DROPPED, "warning")
    ]
    assert "open actie(s) uit ronde 2024-najaar ontbreken: a3" in found[0].message


@pytest.mark.parametrize("case", CASES, ids=[c.file for c in CASES])
def test_bad_workshop_file_is_reported_at_its_place(workspace: Path, case: Case) -> None:
    shutil.copyfile(BAD / f"{case.file}.yaml", workspace / PLACE.removeprefix("ws/"))
    found = [p for p in problems_of(workspace) if p.code != DROPPED]
    assert [(p.path, p.line, p.column, p.code, p.severity) for p in found] == [
        (PLACE, case.line, case.column, case.code, case.severity)
    ], [p.format() for p in found]
    assert case.message in found[0].message


def test_cli_validate_exits_1_with_path_line_column(workspace: Path) -> None:
    shutil.copyfile(BAD / "score-6.yaml", workspace / PLACE.removeprefix("ws/"))
    result = CliRunner().invoke(main, ["validate", str(workspace)])
    assert result.exit_code == 1
    assert f"{PLACE}:7:18: {SCORE}" in result.output
    assert "Traceback" not in result.output


def test_independent_problems_are_reported_together(workspace: Path) -> None:
    text = (DATA_DIR / "workshop.yaml").read_text(encoding="utf-8")
    text = (
        text.replace("date: 2025-11-20", "date: 2027-11-20")
        .replace("{score: 4,", "{score: 9,")
        .replace("owner: jgz-0-4", "owner: jgz")
        .replace("factors: [regie, evaluatie]", "factors: [regie]")
        .replace("  - id: a4", "  - id: a1")
    )
    (workspace / PLACE.removeprefix("ws/")).write_text(text, encoding="utf-8")
    found = [(p.line, p.column, p.code) for p in problems_of(workspace) if p.code != DROPPED]
    # A wrong score does not hide the cross-checks: each is found in the same run.
    assert found == [
        (4, 7, "workshop.date-outside-round"),
        (7, 18, "workshop.score-out-of-range"),
        (22, 14, "workshop.changed-action"),
        (23, 12, "workshop.unknown-role"),
        (26, 9, "workshop.duplicate-action"),
    ]


def test_a_single_workshop_file_is_validated_in_its_workspace(workspace: Path) -> None:
    shutil.copyfile(BAD / "changed-action-factors.yaml", workspace / PLACE.removeprefix("ws/"))
    report = validate_path(workspace / PLACE.removeprefix("ws/"))
    # The checks across rounds need the earlier round: they run for a single file too.
    assert {p.code for p in report.problems} == {"workshop.changed-action", DROPPED}


def test_a_single_workshop_file_outside_a_workspace(tmp_path: Path) -> None:
    path = tmp_path / "workshop.yaml"
    shutil.copyfile(BAD / "unknown-owner.yaml", path)
    report = validate_path(path)
    assert [(p.line, p.column, p.code) for p in report.errors] == [
        (17, 12, "workshop.unknown-role")
    ]


def test_a_bad_workshop_file_fails_its_municipality(workspace: Path) -> None:
    shutil.copyfile(BAD / "score-6.yaml", workspace / PLACE.removeprefix("ws/"))
    loaded = load_workspace(workspace)
    assert TOWN in loaded.failed
    assert TOWN not in loaded.municipalities


def test_a_valid_workshop_file_is_no_stray_file(workspace: Path) -> None:
    loaded = load_workspace(workspace)
    round_ = next(r for r in loaded.municipalities[TOWN].rounds if r.slug == LATER)
    assert round_.workshop is not None
    assert [a.id for a in round_.workshop.workshop.actions] == ["a1", "a2", "a4"]
    assert not [p for p in loaded.problems if p.code == "round.unexpected-file"]


def test_a_misnamed_workshop_file_is_a_warning_that_names_the_right_name(
    workspace: Path,
) -> None:
    target = workspace / PLACE.removeprefix("ws/")
    target.rename(target.with_suffix(".yml"))
    found = [p for p in problems_of(workspace) if p.code == "round.unexpected-file"]
    assert len(found) == 1
    assert "Bedoelt u 'workshop.yaml'?" in found[0].message


# ------------------------------------------------------------------------ the template


def test_template_lists_factors_points_recommendations_and_carries_open_actions(
    workspace: Path,
) -> None:
    (workspace / PLACE.removeprefix("ws/")).unlink()
    result = CliRunner().invoke(main, ["workshop", "template", str(workspace), TOWN, LATER])
    assert result.exit_code == 0, result.output
    path = workspace / PLACE.removeprefix("ws/")
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../../schemas/workshop.schema.json")
    questionnaire = load_questionnaire()
    for factor in questionnaire.instrument.factors():
        assert f"  {factor.id}: {{score: null, rationale: null}}" in text
    # regie of 2025: partner scores 1, 2, 4, 5 -> mean 3,0, from 1,0 to 5,0, n=4.
    assert "Regie op alle niveaus: gemiddelde van de partners 3,0 (van 1,0 tot 5,0; n=4)" in text
    # The six discussion points (regie and its five statements) are note keys.
    assert "  regie: null" in text
    assert text.count(": null\n") >= 6
    assert "eensgezindheid 0,29; 2 laag (1–2), 2 hoog (4–5)" in text
    # The open actions of 2024 (a2 loopt, a3 gepland; a1 was gepland too) keep their ids.
    assert "Open acties uit ronde 2024-najaar" in text
    for action in ("a1", "a2", "a3"):
        assert f"  - id: {action}\n" in text
    assert "regie-verdeeld: " in text  # a recommendation of the round, as a comment
    # The file is valid as written: a template never breaks the site.
    document = read_yaml(path)
    assert document.data["actions"][2]["status"] == "gepland"
    assert [p for p in validate_path(workspace).problems if p.severity == "error"] == []


def test_template_never_overwrites_and_can_print(workspace: Path) -> None:
    path = workspace / PLACE.removeprefix("ws/")
    before = path.read_bytes()
    result = CliRunner().invoke(main, ["workshop", "template", str(workspace), TOWN, LATER])
    assert result.exit_code == 1
    assert f"{PLACE}:1:1: dit bestand bestaat al" in result.output
    assert path.read_bytes() == before
    printed = CliRunner().invoke(
        main, ["workshop", "template", str(workspace), TOWN, LATER, "-o", "-"]
    )
    assert printed.exit_code == 0
    assert printed.output.startswith("# yaml-language-server:")


def test_template_of_an_unknown_round_or_bad_id(workspace: Path) -> None:
    result = CliRunner().invoke(main, ["workshop", "template", str(workspace), TOWN, "2030-x"])
    assert result.exit_code == 1
    assert "ronde '2030-x' bestaat niet bij voorbeeldstad; kies uit 2024-najaar, 2025-najaar" in (
        result.output
    )
    bad = CliRunner().invoke(main, ["workshop", "template", str(workspace), TOWN, "Ronde 1"])
    assert bad.exit_code == 2


# ------------------------------------------------------------------------ the schema


def test_schema_accepts_the_demo_and_names_every_id() -> None:
    questionnaire = load_questionnaire()
    schema = workshop_schema(questionnaire)
    validator = jsonschema.Draft202012Validator(schema)
    demo = sorted((TESTS_DIR.parent / "examples").rglob("workshop.yaml"))
    assert len(demo) == 4
    for path in demo:
        data = json.loads(json.dumps(read_yaml(path).data, default=str))
        assert list(validator.iter_errors(data)) == [], path
    props = schema["properties"]
    assert set(props["consensus"]["properties"]) == questionnaire.factor_ids
    assert props["participants"]["items"]["enum"] == list(questionnaire.roles)
    action = schema["$defs"]["Action"]["properties"]
    assert action["status"]["enum"] == ["gepland", "loopt", "klaar", "gestopt"]
    wrong = {"instrument": "ketenscan-jeugd@1", "municipality": "x", "round": "y"}
    wrong["consensus"] = {"regie": {"score": 6}}  # type: ignore[assignment]
    assert list(validator.iter_errors(wrong))
