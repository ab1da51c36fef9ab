"""The bad-input corpus: every kind of broken file is reported at its exact place.

Each file in tests/bad/ is a copy of tests/data/answer.yaml (or of a small gemeente.yaml /
ketenscan.yaml) with one defect. The test puts it into the minimal valid workspace and
checks that validation reports exactly one problem, at the path, line and column worked
out by hand below (1-based), with a Dutch message that says what is wrong.

Layout of tests/data/answer.yaml, which the positions refer to:

     1 instrument: ketenscan-jeugd@1        value at column 13
     2 municipality: voorbeeldstad          value at column 15
     3 round: 2025-najaar                   value at column 8
     4 respondent:
     5   id: buurtzorg-jong                 value at column 7
     6   organisation: Buurtzorg Jong ...   value at column 17
     7   role: jeugd-en-gezinsteam          value at column 9
     8 submitted: 2025-10-14                value at column 12
     9 importance:
    10   juiste-partners: 5                 key at column 3
    11 ambition:
    12   juiste-partners: 4
    13 levels_offered: [universeel, selectief, licht]   third item at column 41
    14 comments:
    15   regie: "..."
    16 open:
    17   goes_well: Korte lijnen met de huisarts.       value at column 14
    18   change_first: ...
    19 answers:
    20   juiste-partners-kernpartners-doen-mee: 4       (37-letter id) value at column 42
    21..70 the other 50 statements
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from assessment.errors import Problem
from assessment.validate import validate_path
from tests.helpers import ANSWERS_DIR, BAD_DIR, DATA_DIR, MUNICIPALITY, time_limit

ANSWER = "answer"
GEMEENTE = "gemeente"
SETTINGS = "settings"

SCORE_HINT = "score moet een geheel getal van 1 tot en met 5 zijn, of leeg voor 'weet niet'"
INDENT = "de inspringing klopt niet"


@dataclass(frozen=True)
class Case:
    """One broken file: where it goes and the one problem it must cause."""

    file: str
    line: int
    column: int
    code: str
    message: str
    place: str = ANSWER
    target: str = "buurtzorg-jong.yaml"

    @property
    def shown_path(self) -> str:
        """The path as validation must print it (the tests run in tmp_path)."""
        if self.place == GEMEENTE:
            return f"ws/gemeenten/{MUNICIPALITY}/gemeente.yaml"
        if self.place == SETTINGS:
            return "ws/ketenscan.yaml"
        return f"ws/{ANSWERS_DIR}/{self.target}"


def _score(name: str, found: str) -> Case:
    # Line 20 is the first statement; its value starts after 2 + 37 + 2 characters.
    return Case(
        f"score-{name}.yaml",
        20,
        42,
        "answers.score-out-of-range",
        f"{SCORE_HINT} (gevonden: {found})",
    )


CASES = [
    # Line 12 `  <<: {juiste-partners: 4}`: the merge key starts at column 3.
    Case(
        "merge-key.yaml", 12, 3, "yaml.merge-key", "samenvoegsleutels ('<<') zijn niet toegestaan"
    ),
    # Line 13 opens `[` and never closes it; the flow sequence swallows `comments` on line 14
    # and fails at its colon, column 9.
    Case(
        "unclosed-list.yaml",
        14,
        9,
        "yaml.syntax",
        "een lijst tussen [ en ] is niet goed afgesloten",
    ),
    # Line 8 `submitted: !!python/...`: the tag starts after "submitted: " (11 chars).
    Case("tag.yaml", 8, 12, "yaml.tag", "YAML-tags (zoals '!!python/object/apply:os.system')"),
    # Line 9 `importance: {"juiste-partners":!!int "5"}`: 12 + 1 + 17 + 1 = 31 chars before `!`.
    # A JSON-style key lets a tag follow ':' without a space; it must still be seen.
    Case("tag-flow-key.yaml", 9, 32, "yaml.tag", "YAML-tags (zoals '!!int') zijn niet toegestaan"),
    # Line 6 `  organisation: &naam ...`: the anchor starts after 16 chars.
    Case("anchor.yaml", 6, 17, "yaml.anchor", "ankers (zoals '&naam') zijn niet toegestaan"),
    # Line 17 `  goes_well: *elders`: the alias starts after 13 chars.
    Case(
        "alias.yaml",
        17,
        14,
        "yaml.alias",
        "verwijzingen (aliassen zoals '*elders') zijn niet toegestaan",
    ),
    # Line 1 `a: &a [...]`: the first anchor is reported before anything is expanded.
    Case("billion-laughs.yaml", 1, 4, "yaml.anchor", "ankers (zoals '&a') zijn niet toegestaan"),
    # Line 1 `{"a":&a [...]`: the same bomb with JSON-style keys, anchor after 5 chars.
    Case(
        "billion-laughs-flow.yaml", 1, 6, "yaml.anchor", "ankers (zoals '&a') zijn niet toegestaan"
    ),
    # Line 21 repeats the key of line 20.
    Case(
        "duplicate-key.yaml",
        21,
        3,
        "yaml.duplicate-key",
        "de sleutel 'juiste-partners-kernpartners-doen-mee' komt twee keer voor",
    ),
    # Lines 1-70 are the answer file, line 71 is `---`.
    Case(
        "multi-document.yaml",
        71,
        1,
        "yaml.multiple-documents",
        "meer dan één YAML-document ('---')",
    ),
    Case("empty.yaml", 1, 1, "file.empty", "het bestand is leeg"),
    Case("comment-only.yaml", 1, 1, "file.empty", "het bestand is leeg"),
    # Line 6 indented by one space instead of two: a key at column 2.
    Case("wrong-indentation.yaml", 6, 2, "yaml.syntax", INDENT),
    # Line 6 indented by three spaces: "organisation" runs on from line 5's value and its
    # ':' (3 spaces + 12 letters = column 16) cannot start a value there.
    Case(
        "wrong-indentation-deeper.yaml",
        6,
        16,
        "yaml.syntax",
        "dubbele punt op een onverwachte plek",
    ),
    # Line 6 starts with a tab.
    Case("tab.yaml", 6, 1, "yaml.tab", "tab-teken gevonden; gebruik spaties"),
    # Line 2 `municipality voorbeeldstad`: the key without ':' starts at column 1.
    Case("missing-colon.yaml", 2, 1, "yaml.syntax", "dubbele punt ontbreekt"),
    _score("no", "'no'"),
    _score("012", "12"),
    _score("1e3", "1000.0"),
    _score("inf", "inf"),
    _score("3.5", "3.5"),
    _score("quoted-3", "'3'"),
    _score("true", "true"),
    _score("yes", "'yes'"),
    _score("date", "2025-10-14"),
    _score("0", "0"),
    _score("6", "6"),
    # Line 20 removed: the problem points at the `answers:` key on line 19.
    Case(
        "missing-statement.yaml",
        19,
        1,
        "answers.missing-statement",
        "1 stelling(en) ontbreken: juiste-partners-kernpartners-doen-mee.",
    ),
    # Line 71 added at the end of `answers`, key indented by two.
    Case(
        "unknown-statement.yaml",
        71,
        3,
        "answers.unknown-statement",
        "onbekende stelling 'juiste-partners-kernpartner-doen-mee'. "
        "Bedoelt u 'juiste-partners-kernpartners-doen-mee'?",
    ),
    Case(
        "unknown-role.yaml",
        7,
        9,
        "answers.unknown-role",
        "onbekende rol 'jeugd-en-gezinsteem'. Bedoelt u 'jeugd-en-gezinsteam'?",
    ),
    Case(
        "unknown-importance-id.yaml",
        10,
        3,
        "answers.unknown-factor",
        "onbekende factor 'juiste-partner'. Bedoelt u 'juiste-partners'?",
    ),
    Case(
        "unknown-ambition-id.yaml",
        12,
        3,
        "answers.unknown-factor",
        "onbekende factor 'regie-op-alle-niveaus'",
    ),
    # Line 13 `levels_offered: [universeel, selectief, lichte]`: 17 + 12 + 11 = 40 chars
    # before the third item.
    Case(
        "unknown-level.yaml",
        13,
        41,
        "answers.unknown-level",
        "onbekend interventieniveau 'lichte'. Bedoelt u 'licht'?",
    ),
    Case(
        "instrument-id-wrong.yaml",
        1,
        13,
        "answers.other-instrument",
        "dit bestand hoort bij vragenlijst 'ketenscan-jeugdzorg'",
    ),
    Case(
        "instrument-major-wrong.yaml",
        1,
        13,
        "answers.other-version",
        "dit bestand hoort bij versie 2 van de vragenlijst; deze werkruimte gebruikt versie 1",
    ),
    Case(
        "municipality-mismatch.yaml",
        2,
        15,
        "answers.wrong-municipality",
        "gemeente 'andere-stad' hoort niet in de map van 'voorbeeldstad'",
    ),
    Case(
        "round-mismatch.yaml",
        3,
        8,
        "answers.wrong-round",
        "ronde '2025-voorjaar' hoort niet in de map van ronde '2025-najaar'",
    ),
    Case(
        "respondent-mismatch.yaml",
        5,
        7,
        "answers.wrong-respondent",
        "de id 'buurtzorg' moet gelijk zijn aan de bestandsnaam ('buurtzorg-jong')",
    ),
    Case(
        "unknown-top-level-key.yaml",
        8,
        1,
        "field.unknown",
        "onbekend veld 'submited'. Bedoelt u 'submitted'?",
    ),
    # The unknown role of line 7 in a file whose lines end in CR only.
    Case(
        "cr-line-endings.yaml", 7, 9, "answers.unknown-role", "onbekende rol 'jeugd-en-gezinsteem'"
    ),
    Case(
        "yml-extension.yml",
        1,
        1,
        "answers.wrong-extension",
        "antwoordbestanden eindigen op '.yaml'",
        target="buurtzorg-jong.yml",
    ),
    Case(
        "non-slug-name.yaml",
        1,
        1,
        "answers.invalid-file-name",
        "de bestandsnaam 'Buurtzorg Jong' is geen geldige id",
        target="Buurtzorg Jong.yaml",
    ),
    # Line 8 `submitted: 2025-02-30`: looks like a date, is none.
    Case(
        "invalid-date.yaml",
        8,
        12,
        "yaml.invalid-date",
        "'2025-02-30' lijkt op een datum maar bestaat niet",
    ),
    Case(
        "not-a-mapping.yaml",
        1,
        1,
        "file.not-a-mapping",
        "het bestand moet bestaan uit regels 'sleutel: waarde'",
    ),
    Case("organisation-empty.yaml", 6, 17, "field.too-short", "'organisation' mag niet leeg zijn"),
    # gemeente.yaml, line 7 `  - jeugdzorgaanbieder`: the item starts after "  - ".
    Case(
        "gemeente-unknown-role.yaml",
        7,
        5,
        "municipality.unknown-role",
        "onbekende rol 'jeugdzorgaanbieder'. Bedoelt u 'jeugdhulpaanbieder'?",
        place=GEMEENTE,
    ),
    # gemeente.yaml, line 2 `size: heel groot`: value after "size: " (6 chars).
    Case(
        "gemeente-bad-size.yaml",
        2,
        7,
        "field.choice",
        "'heel groot' is geen geldige waarde; kies uit 'klein', 'middelgroot' of 'groot'",
        place=GEMEENTE,
    ),
    # ketenscan.yaml, line 5 `  min_groep_size: 5`: the key at column 3.
    Case(
        "ketenscan-unknown-key.yaml",
        5,
        3,
        "field.unknown",
        "onbekend veld 'min_groep_size'. Bedoelt u 'min_group_size'?",
        place=SETTINGS,
    ),
]

VALID_FILES = ["bom.yaml"]


def _install(workspace: Path, source: Path, case: Case) -> None:
    if case.place == GEMEENTE:
        shutil.copyfile(source, workspace / "gemeenten" / MUNICIPALITY / "gemeente.yaml")
    elif case.place == SETTINGS:
        shutil.copyfile(source, workspace / "ketenscan.yaml")
    else:
        shutil.copyfile(source, workspace / ANSWERS_DIR / case.target)


def _install_bytes(workspace: Path, data: bytes) -> str:
    path = workspace / ANSWERS_DIR / "buurtzorg-jong.yaml"
    path.write_bytes(data)
    return f"ws/{ANSWERS_DIR}/buurtzorg-jong.yaml"


def _only_problem(workspace: Path) -> Problem:
    problems = validate_path(workspace).problems
    assert len(problems) == 1, "\n".join(p.format() for p in problems)
    return problems[0]


def test_corpus_is_complete() -> None:
    """Every file in tests/bad/ has an expected problem, and the corpus is big enough."""
    on_disk = {path.name for path in BAD_DIR.iterdir()}
    listed = {case.file for case in CASES} | set(VALID_FILES)
    assert on_disk == listed
    assert len(CASES) >= 30


def test_base_answer_file_is_valid(workspace: Path) -> None:
    """Each bad file is the valid base with one defect, so the base itself must pass."""
    shutil.copyfile(DATA_DIR / "answer.yaml", workspace / ANSWERS_DIR / "buurtzorg-jong.yaml")
    assert validate_path(workspace).problems == []


@pytest.mark.parametrize("case", CASES, ids=[case.file for case in CASES])
def test_bad_file_is_reported_at_its_place(workspace: Path, case: Case) -> None:
    _install(workspace, BAD_DIR / case.file, case)
    with time_limit(10):  # an expanded billion-laughs file would hang here
        problem = _only_problem(workspace)
    assert (problem.path, problem.line, problem.column) == (case.shown_path, case.line, case.column)
    assert problem.severity == "error"
    assert problem.code == case.code
    assert case.message in problem.message


@pytest.mark.parametrize("name", VALID_FILES)
def test_valid_corpus_file_passes(workspace: Path, name: str) -> None:
    shutil.copyfile(BAD_DIR / name, workspace / ANSWERS_DIR / "buurtzorg-jong.yaml")
    assert validate_path(workspace).problems == []


def test_bom_file_really_starts_with_a_bom() -> None:
    assert (BAD_DIR / "bom.yaml").read_bytes().startswith(b"\xef\xbb\xbf")


def test_cr_file_really_has_cr_line_endings() -> None:
    data = (BAD_DIR / "cr-line-endings.yaml").read_bytes()
    assert b"\n" not in data
    assert data.count(b"\r") == 70


# ------------------------------------------------------------ generated from code


def _base() -> str:
    return (DATA_DIR / "answer.yaml").read_text(encoding="utf-8")


def _replace_line(text: str, number: int, new: str) -> str:
    lines = text.splitlines()
    lines[number - 1] = new
    return "\n".join(lines) + "\n"


def test_file_over_one_mebibyte(workspace: Path) -> None:
    padding = "# " + "x" * 98 + "\n"
    text = _base() + padding * (1024 * 1024 // len(padding) + 1)
    assert len(text.encode()) > 1024 * 1024
    shown = _install_bytes(workspace, text.encode())
    problem = _only_problem(workspace)
    assert (problem.path, problem.line, problem.column) == (shown, 1, 1)
    assert problem.code == "file.too-large"
    assert "het bestand is groter dan 1 MiB" in problem.message


def test_5000_deep_nesting(workspace: Path) -> None:
    # Line 17 `  goes_well: [[[...`: the top mapping is level 1, `open` level 2, so the
    # 11th '[' (column 14 + 10) is level 13, the first one past the limit of 12.
    text = _replace_line(_base(), 17, "  goes_well: " + "[" * 5000 + "]" * 5000)
    shown = _install_bytes(workspace, text.encode())
    problem = _only_problem(workspace)
    assert (problem.path, problem.line, problem.column) == (shown, 17, 24)
    assert problem.code == "yaml.too-deep"
    assert "dieper genest dan 12 niveaus" in problem.message


def test_deep_block_nesting(workspace: Path) -> None:
    # The same in block style (500 deep: 5,000 would pass 1 MiB in indentation alone).
    # `open:` on line 16 holds `k:` mappings, each indented two more: the mapping on line
    # 17 + j is level 2 + j, so level 13 starts at line 28, after 2 + 11 * 2 = 24 spaces.
    nested = [" " * (2 + 2 * depth) + "k:" for depth in range(500)]
    lines = _base().splitlines()
    text = "\n".join([*lines[:16], *nested, *lines[18:]]) + "\n"
    assert len(text.encode()) < 1024 * 1024
    shown = _install_bytes(workspace, text.encode())
    problem = _only_problem(workspace)
    assert (problem.path, problem.line, problem.column) == (shown, 28, 25)
    assert problem.code == "yaml.too-deep"
    assert "dieper genest dan 12 niveaus" in problem.message


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_file(workspace: Path, encoding: str) -> None:
    shown = _install_bytes(workspace, _base().encode(encoding))
    problem = _only_problem(workspace)
    assert (problem.path, problem.line, problem.column) == (shown, 1, 1)
    assert problem.code == "file.encoding"
    assert "opgeslagen als UTF-16; sla het op als UTF-8" in problem.message


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_windows_1252_file(workspace: Path, newline: str) -> None:
    # Line 6 `  organisation: Café Jong`: 16 chars, then "Caf", so 'é' is column 20.
    text = _replace_line(_base(), 6, "  organisation: Café Jong").replace("\n", newline)
    shown = _install_bytes(workspace, text.encode("cp1252"))
    problem = _only_problem(workspace)
    assert (problem.path, problem.line, problem.column) == (shown, 6, 20)
    assert problem.code == "file.encoding"
    assert "ongeldig UTF-8-teken (byte 0xe9)" in problem.message


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_nul_byte(workspace: Path, newline: str) -> None:
    # Line 17 `  goes_well: Korte\0 lijnen`: 13 chars, "Korte", so NUL is column 19.
    text = _replace_line(_base(), 17, "  goes_well: Korte\x00 lijnen met de huisarts.")
    shown = _install_bytes(workspace, text.replace("\n", newline).encode())
    problem = _only_problem(workspace)
    assert (problem.path, problem.line, problem.column) == (shown, 17, 19)
    assert problem.code == "file.encoding"
    assert "NUL-teken" in problem.message


def test_crlf_line_endings_count_lines(workspace: Path) -> None:
    text = _replace_line(_base(), 7, "  role: jeugd-en-gezinsteem").replace("\n", "\r\n")
    shown = _install_bytes(workspace, text.encode())
    problem = _only_problem(workspace)
    assert (problem.path, problem.line, problem.column) == (shown, 7, 9)
    assert problem.code == "answers.unknown-role"
    assert "onbekende rol 'jeugd-en-gezinsteem'" in problem.message


def test_every_independent_problem_of_a_file_is_reported_in_one_run(workspace: Path) -> None:
    # Line 20 gets the score `vier` and line 21 a misspelt id (so its statement is missing):
    # a partner must see all three problems at once, not one per run.
    lines = _base().splitlines()
    first = lines[19].split(":")[0]  # "  juiste-partners-kernpartners-doen-mee"
    second_id = lines[20].split(":")[0].strip()
    lines[19] = f"{first}: vier"
    lines[20] = lines[20].replace(second_id, second_id + "x", 1)
    shown = _install_bytes(workspace, ("\n".join(lines) + "\n").encode())
    problems = validate_path(workspace).problems
    found = {(p.code, p.line, p.column) for p in problems}
    assert all(p.path == shown for p in problems)
    assert found == {
        ("answers.score-out-of-range", 20, 42),
        # The unknown key on line 21 at column 3; the missing statement at `answers:`.
        ("answers.unknown-statement", 21, 3),
        ("answers.missing-statement", 19, 1),
    }
    missing = next(p for p in problems if p.code == "answers.missing-statement")
    assert second_id in missing.message


def test_wrong_folder_and_bad_value_are_reported_together(workspace: Path) -> None:
    # Line 2 names another municipality, line 7 an unknown role and line 10 importance 9.
    text = _replace_line(_base(), 2, "municipality: andere-stad")
    text = _replace_line(text, 7, "  role: jeugd-en-gezinsteem")
    text = _replace_line(text, 10, "  juiste-partners: 9")
    _install_bytes(workspace, text.encode())
    codes = sorted(p.code for p in validate_path(workspace).problems)
    assert codes == [
        "answers.importance-out-of-range",
        "answers.unknown-role",
        "answers.wrong-municipality",
    ]
