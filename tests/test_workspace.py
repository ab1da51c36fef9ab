"""Loading a workspace: every file checked, every problem of every file collected."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assessment.errors import Problem, ProblemsError, summarise
from assessment.instrument import Questionnaire, load_questionnaire
from assessment.limits import is_slug
from assessment.workspace import load_settings, load_workspace
from tests.helpers import (
    ANSWERS_DIR,
    DATA_DIR,
    MUNICIPALITY_TEXT,
    ROUND_DIR,
    write_answer,
    write_municipality,
)


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_minimal_workspace_loads(workspace: Path) -> None:
    loaded = load_workspace(workspace)
    assert loaded.problems == []
    assert loaded.failed == {}
    assert loaded.settings.title == "Ketenscan Testregio"
    assert list(loaded.municipalities) == ["voorbeeldstad"]
    data = loaded.municipalities["voorbeeldstad"]
    assert data.info.expected_roles == ["jgz-0-4", "jeugd-en-gezinsteam"]
    [round_] = data.rounds
    assert round_.slug == "2025-najaar"
    [answer] = round_.answers
    assert answer.display == f"ws/{ANSWERS_DIR}/jgz-0-4.yaml"
    assert answer.response.respondent.organisation == "JGZ Voorbeeldstad"
    # gemeente.yaml and one answer file
    assert loaded.files_checked == 2


def test_every_problem_of_every_file_in_one_run(
    workspace: Path, questionnaire: Questionnaire
) -> None:
    """Three broken files in two municipalities: all four problems, no stop at the first."""
    write_municipality(workspace, "andere-stad")
    broken_role = write_answer(
        questionnaire, workspace, respondent="wijkteam", role="wijkteam", organisation="W"
    )
    _replace(broken_role, "  role: wijkteam", "  role: wijkteem")
    broken_yaml = write_answer(
        questionnaire,
        workspace,
        respondent="school-po",
        role="school-po",
        organisation="De Brug",
        municipality="andere-stad",
    )
    _replace(broken_yaml, "municipality: andere-stad", "municipality andere-stad")
    two_problems = write_answer(
        questionnaire,
        workspace,
        respondent="huisarts",
        role="huisartsenpraktijk",
        organisation="Huisartsen Oost",
        municipality="andere-stad",
    )
    _replace(two_problems, "round: 2025-najaar", "round: 2025-voorjaar")
    _replace(two_problems, "  id: huisarts", "  id: huisartsen")

    loaded = load_workspace(workspace)
    found = [(p.path, p.line, p.column) for p in loaded.problems]
    # Lines by hand from the template: 1-10 are the header comments, 11 is blank,
    # 12 instrument, 13 municipality, 14 round, 15 respondent, 16 id, 17 organisation,
    # 18 "Kies één van:", then one comment line per role, then role.
    role_line = 18 + len(questionnaire.roles) + 1
    other = "ws/gemeenten/andere-stad/2025-najaar/antwoorden"
    assert found == [
        (f"{other}/huisarts.yaml", 14, 8),
        (f"{other}/huisarts.yaml", 16, 7),
        (f"{other}/school-po.yaml", 13, 1),
        (f"ws/{ANSWERS_DIR}/wijkteam.yaml", role_line, 9),
    ]
    assert all(p.severity == "error" for p in loaded.problems)
    assert summarise(loaded.problems) == "4 problemen in 3 bestanden"
    assert sorted(loaded.failed) == ["andere-stad", "voorbeeldstad"]
    assert loaded.municipalities == {}
    assert loaded.files_checked == 6


def test_a_broken_municipality_does_not_hide_a_good_one(workspace: Path) -> None:
    folder = write_municipality(workspace, "andere-stad").parent
    (folder / "gemeente.yaml").write_text("name: Andere Stad\nsize: enorm\n", encoding="utf-8")
    loaded = load_workspace(workspace)
    assert list(loaded.municipalities) == ["voorbeeldstad"]
    assert list(loaded.failed) == ["andere-stad"]
    [problem] = loaded.problems
    assert (problem.path, problem.line, problem.column) == (
        "ws/gemeenten/andere-stad/gemeente.yaml",
        2,
        7,
    )


def test_same_organisation_twice_in_a_round_is_a_warning(
    workspace: Path, questionnaire: Questionnaire
) -> None:
    # Same name up to case and spacing as the fixture's "JGZ Voorbeeldstad".
    write_answer(
        questionnaire,
        workspace,
        respondent="jgz-4-19",
        role="jgz-4-19",
        organisation="jgz  voorbeeldstad",
    )
    loaded = load_workspace(workspace)
    [problem] = loaded.problems
    assert problem.severity == "warning"
    assert (problem.path, problem.line, problem.column) == (f"ws/{ANSWERS_DIR}/jgz-0-4.yaml", 1, 1)
    assert problem.code == "answers.same-organisation"
    assert "dezelfde organisatie ('JGZ Voorbeeldstad')" in problem.message
    assert "ook jgz-4-19.yaml ingevuld" in problem.message
    assert loaded.errors == []
    assert list(loaded.municipalities) == ["voorbeeldstad"]
    assert summarise(loaded.problems) == "0 problemen in 0 bestanden, 1 waarschuwing"


def test_stray_files_are_warnings(workspace: Path) -> None:
    (workspace / ANSWERS_DIR / "notities.txt").write_text("x", encoding="utf-8")
    (workspace / ANSWERS_DIR / ".gitkeep").write_text("", encoding="utf-8")
    (workspace / ROUND_DIR / "verslag.docx").write_bytes(b"x")
    (workspace / "gemeenten" / "voorbeeldstad" / "LEESMIJ.md").write_text("x", encoding="utf-8")
    loaded = load_workspace(workspace)
    assert [(p.path, p.code, p.severity) for p in loaded.problems] == [
        (
            "ws/gemeenten/voorbeeldstad/2025-najaar/antwoorden/notities.txt",
            "answers.not-an-answer-file",
            "warning",
        ),
        (
            "ws/gemeenten/voorbeeldstad/2025-najaar/verslag.docx",
            "round.unexpected-file",
            "warning",
        ),
        ("ws/gemeenten/voorbeeldstad/LEESMIJ.md", "municipality.unexpected-file", "warning"),
    ]
    assert list(loaded.municipalities) == ["voorbeeldstad"]


def test_folder_names_must_be_slugs(workspace: Path) -> None:
    (workspace / "gemeenten" / "Andere Stad").mkdir()
    (workspace / "gemeenten" / "live").mkdir()  # the server's live workshop is at /live
    (workspace / "gemeenten" / "voorbeeldstad" / "Ronde 2").mkdir()
    (workspace / "gemeenten" / "los-bestand.yaml").write_text("x: 1\n", encoding="utf-8")
    (workspace / ANSWERS_DIR / "map").mkdir()
    loaded = load_workspace(workspace)
    messages = {p.path: p.message for p in loaded.problems}
    assert {p.path: p.code for p in loaded.problems} == {
        "ws/gemeenten/Andere Stad": "workspace.invalid-folder-name",
        "ws/gemeenten/live": "workspace.reserved-folder-name",
        "ws/gemeenten/voorbeeldstad/Ronde 2": "round.invalid-name",
        "ws/gemeenten/los-bestand.yaml": "workspace.not-a-folder",
        f"ws/{ANSWERS_DIR}/map": "answers.folder",
    }
    assert "mapnaam 'Andere Stad' is geen geldige id" in messages["ws/gemeenten/Andere Stad"]
    assert (
        "rondenaam 'Ronde 2' is geen geldige id" in (messages["ws/gemeenten/voorbeeldstad/Ronde 2"])
    )
    assert "horen alleen mappen" in messages["ws/gemeenten/los-bestand.yaml"]
    assert "horen alleen bestanden" in messages[f"ws/{ANSWERS_DIR}/map"]
    assert "'live' is gereserveerd" in messages["ws/gemeenten/live"]
    assert len(loaded.problems) == 5


def test_missing_gemeente_yaml(workspace: Path) -> None:
    (workspace / "gemeenten" / "voorbeeldstad" / "gemeente.yaml").unlink()
    loaded = load_workspace(workspace)
    [problem] = loaded.problems
    assert (problem.path, problem.line, problem.column) == ("ws/gemeenten/voorbeeldstad", 1, 1)
    assert problem.code == "municipality.missing-file"
    assert "'gemeente.yaml' ontbreekt" in problem.message
    assert list(loaded.failed) == ["voorbeeldstad"]


def test_expected_role_listed_twice_is_a_warning(workspace: Path) -> None:
    info = workspace / "gemeenten" / "voorbeeldstad" / "gemeente.yaml"
    info.write_text(MUNICIPALITY_TEXT + "  - jgz-0-4\n", encoding="utf-8")
    loaded = load_workspace(workspace)
    [problem] = loaded.problems
    # `expected_roles:` is line 4; its list starts on line 5 at column 3.
    assert (problem.line, problem.column, problem.severity) == (5, 3, "warning")
    assert problem.code == "municipality.duplicate-role"
    assert list(loaded.municipalities) == ["voorbeeldstad"]


def test_rounds_sort_by_slug(workspace: Path, questionnaire: Questionnaire) -> None:
    for slug in ("2026-voorjaar", "2024-najaar"):
        (workspace / "gemeenten" / "voorbeeldstad" / slug / "antwoorden").mkdir(parents=True)
    loaded = load_workspace(workspace)
    rounds = loaded.municipalities["voorbeeldstad"].rounds
    assert [r.slug for r in rounds] == ["2024-najaar", "2025-najaar", "2026-voorjaar"]


def test_only_one_municipality(workspace: Path) -> None:
    write_municipality(workspace, "andere-stad")
    assert list(load_workspace(workspace, only="andere-stad").municipalities) == ["andere-stad"]
    with pytest.raises(ProblemsError) as caught:
        load_workspace(workspace, only="voorbeeldstat")
    [problem] = caught.value.problems
    assert problem.code == "workspace.unknown-municipality"
    assert "gemeente 'voorbeeldstat' niet gevonden. Bedoelt u 'voorbeeldstad'?" in problem.message


def test_not_a_workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ProblemsError) as missing:
        load_workspace(Path("nergens"))
    assert [p.code for p in missing.value.problems] == ["workspace.missing"]
    Path("leeg").mkdir()
    with pytest.raises(ProblemsError) as caught:
        load_workspace(Path("leeg"))
    assert caught.value.problems == [
        Problem(
            "leeg",
            1,
            1,
            "workspace.no-municipalities",
            "geen map 'gemeenten/' gevonden; is dit een werkruimte? "
            "Maak er een met 'ketenscan init MAP'",
        )
    ]


def test_settings_problems_stop_the_load(workspace: Path) -> None:
    (workspace / "ketenscan.yaml").write_text("audience: iedereen\n", encoding="utf-8")
    with pytest.raises(ProblemsError) as caught:
        load_workspace(workspace)
    [problem] = caught.value.problems
    assert (problem.path, problem.line, problem.column) == ("ws/ketenscan.yaml", 1, 11)
    assert problem.code == "field.choice"
    assert "'iedereen' is geen geldige waarde; kies uit 'internal' of 'public'" in (problem.message)


def test_settings_default_when_absent(workspace: Path) -> None:
    (workspace / "ketenscan.yaml").unlink()
    assert load_settings(workspace).title == "Ketenscan jeugd"
    assert load_workspace(workspace).problems == []


def test_workspace_with_its_own_questionnaire(workspace: Path) -> None:
    (workspace / "ketenscan.yaml").write_text("instrument: vragenlijst\n", encoding="utf-8")
    with pytest.raises(ProblemsError, match="de vragenlijstmap 'vragenlijst' bestaat niet"):
        load_workspace(workspace)
    shutil.copytree(load_questionnaire().folder, workspace / "vragenlijst")
    assert load_workspace(workspace).problems == []


def test_questionnaire_cross_checks(tmp_path: Path) -> None:
    folder = tmp_path / "vragenlijst"
    shutil.copytree(load_questionnaire().folder, folder)
    roles = folder / "roles.yaml"
    text = roles.read_text(encoding="utf-8")
    old = "typical_levels: [selectief, licht]"
    assert old in text
    roles.write_text(text.replace(old, "typical_levels: [selectief, lichtt]", 1), encoding="utf-8")
    with pytest.raises(ProblemsError) as caught:
        load_questionnaire(folder)
    [problem] = caught.value.problems
    assert problem.code == "instrument.unknown-level"
    assert "onbekend interventieniveau 'lichtt'. Bedoelt u 'licht'?" in problem.message
    # roles.yaml line 5 `    typical_levels: [selectief, lichtt]`: 21 + 11 chars before it.
    assert (problem.line, problem.column) == (5, 33)


def test_shipped_questionnaire_is_consistent(questionnaire: Questionnaire) -> None:
    assert len(questionnaire.statement_ids) == len(questionnaire.statement_order)
    assert {"huisartsenpraktijk", "jgz-0-4", "jgz-4-19", "veilig-thuis", "gemeente"} <= set(
        questionnaire.roles
    )
    for role in questionnaire.roles.values():
        assert set(role.typical_levels) <= questionnaire.level_ids
    assert questionnaire.rules


@pytest.mark.parametrize(
    ("text", "ok"), [("a", True), ("a-1", True), ("a" * 64, True), ("a" * 65, False), ("A", False)]
)
def test_is_slug(text: str, ok: bool) -> None:
    assert is_slug(text) is ok


def test_base_answer_file_loads_with_its_values(workspace: Path) -> None:
    shutil.copyfile(DATA_DIR / "answer.yaml", workspace / ANSWERS_DIR / "buurtzorg-jong.yaml")
    loaded = load_workspace(workspace)
    answers = loaded.municipalities["voorbeeldstad"].rounds[0].answers
    response = {a.path.stem: a.response for a in answers}["buurtzorg-jong"]
    assert response.levels_offered == ["universeel", "selectief", "licht"]
    assert response.comments == {
        "regie": "Casusregie loopt goed: één vast aanspreekpunt per gezin."
    }
    assert response.answers["juiste-partners-kernpartners-doen-mee"] == 4
    assert response.answers["juiste-partners-specialistische-partners"] is None
