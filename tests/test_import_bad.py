"""The bad-spreadsheet corpus of `ketenscan import`, made by code in each test: every
defect is reported at its cell (`file:row:column`, the cell's name, header and content),
all at once, with exit 1, no traceback, and nothing written."""

from __future__ import annotations

import copy
import datetime as dt
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from assessment.cli import main
from assessment.errors import Problem, ProblemsError
from assessment.instrument import Questionnaire
from assessment.interop.importing import plan_import
from assessment.interop.sheets import column_letter
from assessment.limits import IMPORT_MAX_ROWS, SHORT_TEXT_MAX, XLSX_MAX_PARTS
from tests.helpers import ROUND
from tests.sheet_helpers import (
    answers_dir,
    import_workspace,
    sheet_xml,
    write_csv,
    write_raw_xlsx,
    write_xlsx,
)

# Columns of the base sheet: A organisation, B role, C.. the 51 statements (C..BA), then
# BB submitted. Rows: 1 header, 2 and 3 two partners.
STATEMENT_COLUMN = 3
SUBMITTED_COLUMN = 3 + 51


@dataclass
class Sheet:
    """The base sheet as rows of values, to spoil one cell at a time."""

    rows: list[list[Any]]

    def set(self, ref: tuple[int, int], value: Any) -> Sheet:
        row, column = ref
        self.rows[row - 1][column - 1] = value
        return self


@pytest.fixture
def base(questionnaire: Questionnaire) -> Sheet:
    header = ["organisation", "role", *questionnaire.statement_order, "submitted"]
    return Sheet(
        [
            header,
            ["Wijkteam Noord", "wijkteam", *([4] * 51), "2025-10-14"],
            ["Huisartsen De Linde", "huisartsenpraktijk", *([2] * 51), "2025-10-15"],
        ]
    )


@pytest.fixture
def ws(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty round in `ws/`, with tmp_path as working directory (paths print relative)."""
    monkeypatch.chdir(tmp_path)
    import_workspace(tmp_path / "ws")
    return Path("ws")


def problems_of(ws: Path, source: Path, **options: Any) -> list[Problem]:
    """Every problem of an import that must fail, after checking that it wrote nothing."""
    with pytest.raises(ProblemsError) as caught:
        plan_import(ws, "voorbeeldstad", ROUND, source, **options)
    assert list(answers_dir(ws).iterdir()) == []
    return caught.value.problems


def where(problems: list[Problem]) -> list[tuple[str, int, int]]:
    return [(p.code, p.line, p.column) for p in problems]


# ------------------------------------------------------------------ the cells themselves


def test_merged_cells(ws: Path, base: Sheet) -> None:
    def merge(sheet: Any) -> None:
        sheet.merge_cells("C2:C3")

    source = write_xlsx(Path("samengevoegd.xlsx"), base.rows, edit=merge)
    problems = problems_of(ws, source)
    assert where(problems) == [("import.merged-cells", 2, 3)]
    assert problems[0].message.startswith("de cellen C2:C3 zijn samengevoegd")


def test_merged_cells_outside_the_imported_columns_do_not_matter(ws: Path, base: Sheet) -> None:
    for row in base.rows:
        row.append("notitie")

    def merge(sheet: Any) -> None:
        column = column_letter(len(base.rows[0]))
        sheet.merge_cells(f"{column}2:{column}3")

    source = write_xlsx(Path("ok.xlsx"), base.rows, edit=merge)
    plan = plan_import(ws, "voorbeeldstad", ROUND, source)
    assert len(plan.files) == 2


def test_formulas_are_never_evaluated_or_trusted(ws: Path, base: Sheet) -> None:
    # In a CSV the text a formula would be; in a workbook a typed formula (with the result 4
    # that Excel cached) and a formula's error value.
    as_text = Sheet(copy.deepcopy(base.rows)).set((2, 5), "=4")
    assert where(problems_of(ws, write_csv(Path("formule.csv"), as_text.rows))) == [
        ("import.formula", 2, 5)
    ]
    base.set((2, 3), ("f", "2+2", 4)).set((3, 4), ("e", "#N/A")).set(
        (2, 1), ("f", '"Wijk"&"team"', "x")
    )
    source = write_raw_xlsx(Path("formules.xlsx"), sheet_xml(base.rows))
    problems = problems_of(ws, source)
    assert where(problems) == [
        ("import.formula", 2, 1),
        ("import.formula", 2, 3),
        ("import.formula", 3, 4),
    ]
    assert problems[1].message.startswith(
        "cel C2 (kolom 'juiste-partners-kernpartners-doen-mee') bevat de formule '=2+2': "
        "Ketenscan rekent geen formules uit"
    )
    assert "bevat de foutwaarde '#N/A'" in problems[2].message


def test_a_formula_in_free_text_from_a_csv_is_kept_as_text(
    ws: Path, base: Sheet, questionnaire: Questionnaire
) -> None:
    for row, text in zip(
        base.rows, ["comments.regie", '=HYPERLINK("http://x","klik")', ""], strict=True
    ):
        row.append(text)
    plan = plan_import(ws, "voorbeeldstad", ROUND, write_csv(Path("t.csv"), base.rows))
    # Literal text in the answer file; the exports neutralise it (interop.tables).
    assert '  regie: "=HYPERLINK(\\"http://x\\",\\"klik\\")"\n' in plan.files[0].text


def test_empty_rows_are_skipped_with_a_warning(ws: Path, base: Sheet) -> None:
    width = len(base.rows[0])
    rows = [base.rows[0], base.rows[1], [""] * width, [None] * width, base.rows[2], [""] * width]
    # Row 6, after the last partner, is a trailing empty row: no warning for it.
    plan = plan_import(ws, "voorbeeldstad", ROUND, write_csv(Path("leeg.csv"), rows))
    assert [(f.row, f.respondent) for f in plan.files] == [
        (2, "wijkteam-noord"),
        (5, "huisartsen-de-linde"),
    ]
    assert where(plan.warnings) == [("import.empty-row", 3, 1)]
    assert plan.warnings[0].severity == "warning"
    assert plan.warnings[0].message == (
        "de rijen 3 tot en met 4 zijn leeg (in de kolommen van de vragenlijst) en worden "
        "overgeslagen"
    )


def test_duplicate_column_names(ws: Path, base: Sheet) -> None:
    base.rows[0][5] = base.rows[0][4]  # F1 repeats E1
    problems = problems_of(ws, write_csv(Path("dubbel.csv"), base.rows))
    assert ("import.duplicate-column", 1, 6) in where(problems)
    message = next(p.message for p in problems if p.code == "import.duplicate-column")
    assert "staat in meer dan één kolom (E en F)" in message
    # ... and the statement that lost its column is named.
    assert ("import.missing-column", 1, 1) in where(problems)


def test_wrong_sheet_names_the_right_one(ws: Path, base: Sheet) -> None:
    intro = [["Uitleg"], ["Dit bestand komt uit KoboToolbox."]]
    source = write_xlsx(
        Path("twee.xlsx"), base.rows, title="Antwoorden", before=[("Uitleg", intro)]
    )
    problems = problems_of(ws, source)
    assert where(problems) == [("import.wrong-sheet", 1, 1)]
    assert problems[0].message == (
        "het werkblad 'Uitleg' heeft geen kolommen van de vragenlijst; het werkblad "
        "'Antwoorden' wel. Kies het met --sheet 'Antwoorden'"
    )
    assert len(plan_import(ws, "voorbeeldstad", ROUND, source, sheet="antwoorden").files) == 2
    unknown = problems_of(ws, source, sheet="Blad9")
    assert where(unknown) == [("import.unknown-sheet", 1, 1)]
    assert "wel: 'Uitleg', 'Antwoorden'" in unknown[0].message


def test_the_xlsform_itself_is_not_an_export(ws: Path, tmp_path: Path) -> None:
    form = Path("vragenlijst.xlsx")
    result = CliRunner().invoke(main, ["export", "xlsform", str(ws), "-o", str(form)])
    assert result.exit_code == 0
    problems = problems_of(ws, form)
    assert where(problems) == [("import.wrong-sheet", 1, 1)]
    assert "dit is het formulier zelf (XLSForm)" in problems[0].message


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("14-10-2025", "een datum als tekst in een andere volgorde dan jaar-maand-dag"),
        ("10/14/2025", "een datum als tekst in een andere volgorde dan jaar-maand-dag"),
        ("2025-02-30", "deze datum bestaat niet"),
        ("gisteren", "geen datum"),
        (45944, "geen datum"),  # a date serial number without a date format
    ],
)
def test_dates_typed_as_text(ws: Path, base: Sheet, value: Any, fragment: str) -> None:
    base.set((3, SUBMITTED_COLUMN), value)
    problems = problems_of(ws, write_xlsx(Path("datum.xlsx"), base.rows))
    assert where(problems) == [("import.invalid-date", 3, SUBMITTED_COLUMN)]
    assert fragment in problems[0].message
    assert problems[0].field == "submitted"


def test_real_date_cells_and_iso_text_are_dates(ws: Path, base: Sheet) -> None:
    base.set((2, SUBMITTED_COLUMN), dt.datetime(2025, 10, 1, 14, 30))
    base.set((3, SUBMITTED_COLUMN), "2025-10-02T09:00:00.000+02:00")
    plan = plan_import(ws, "voorbeeldstad", ROUND, write_xlsx(Path("d.xlsx"), base.rows))
    assert [
        "submitted: 2025-10-01" in plan.files[0].text,
        "submitted: 2025-10-02" in plan.files[1].text,
    ] == [True, True]


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("3,5", "een getal met een decimale komma, als tekst"),
        ("4,0", "een getal met een decimale komma, als tekst"),
        (3.5, "geen geheel getal"),
        ("3.5", "geen geheel getal"),
        (6, "buiten de schaal; een score is een geheel getal van 1 tot en met 5"),
        ("0", "buiten de schaal; een score is een geheel getal van 1 tot en met 5"),
        ("vier", "onbekend antwoord"),
        (dt.datetime(2025, 1, 5), "een datum is geen score"),
        (True, "een score is een geheel getal"),
    ],
)
def test_scores_that_are_no_score(ws: Path, base: Sheet, value: Any, fragment: str) -> None:
    base.set((2, STATEMENT_COLUMN + 1), value)
    problems = problems_of(ws, write_xlsx(Path("score.xlsx"), base.rows))
    assert where(problems) == [("import.invalid-score", 2, STATEMENT_COLUMN + 1)]
    assert fragment in problems[0].message
    assert problems[0].field == "answers.juiste-partners-huisarts-en-school"


def test_ten_thousand_rows(ws: Path, base: Sheet) -> None:
    # Header in row 1, the limit's rows in 2..1001: row 1002 is one too many.
    rows = [base.rows[0]] + [base.rows[1]] * 10_000
    problems = problems_of(ws, write_csv(Path("groot.csv"), rows))
    assert where(problems) == [("import.too-many-rows", IMPORT_MAX_ROWS + 2, 1)]
    narrow = [["organisation", "role"]] + [["x", "wijkteam"]] * 10_000
    source = write_raw_xlsx(Path("groot.xlsx"), sheet_xml(narrow))
    assert where(problems_of(ws, source)) == [("import.too-many-rows", IMPORT_MAX_ROWS + 2, 1)]


# ------------------------------------------------------------------ files that are no sheet


def test_a_zip_bomb_named_xlsx_is_not_opened(ws: Path, base: Sheet) -> None:
    source = write_raw_xlsx(Path("antwoorden.xlsx"), sheet_xml(base.rows))
    with (
        zipfile.ZipFile(source, "a", zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/media/image1.png", "w", force_zip64=True) as part,
    ):
        block = bytes(2**20)
        for _ in range(65):  # 65 MiB of zeros: about 65 KiB packed
            part.write(block)
    assert source.stat().st_size < 200_000
    problems = problems_of(ws, source)
    assert where(problems) == [("import.unsafe-zip", 1, 1)]
    assert "pakt uit tot 65 MiB" in problems[0].message


def test_an_archive_with_too_many_parts_is_not_opened(ws: Path, base: Sheet) -> None:
    extra = {f"xl/x/{n}.xml": b"<a/>" for n in range(XLSX_MAX_PARTS)}
    source = write_raw_xlsx(Path("delen.xlsx"), sheet_xml(base.rows), extra)
    assert where(problems_of(ws, source)) == [("import.unsafe-zip", 1, 1)]


def test_xml_entity_expansion_is_refused(ws: Path, base: Sheet) -> None:
    laughs = (
        '<!DOCTYPE lolz [<!ENTITY lol "lol">'
        + "".join(
            f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">'
            for n in range(1, 10)
        )
        + "]>"
    )
    rows = [*base.rows[:2]]
    source = write_raw_xlsx(
        Path("lach.xlsx"), sheet_xml(rows, prolog=laughs).replace("Wijkteam Noord", "&lol9;")
    )
    problems = problems_of(ws, source)
    assert where(problems) == [("import.not-a-spreadsheet", 1, 1)]
    assert "EntitiesForbidden" in problems[0].message


@pytest.mark.parametrize(
    ("name", "content", "code", "fragment"),
    [
        (
            "oud.xls",
            bytes.fromhex("d0cf11e0a1b11ae1") + bytes(600),
            "import.not-a-spreadsheet",
            "(.xls)",
        ),
        ("leeg.csv", b"  \n", "file.empty", "leeg"),
        ("plaatje.xlsx", b"\x89PNG\r\n\x1a\n\x00\x00", "import.not-a-spreadsheet", "NUL"),
        ("kapot.xlsx", b"PK\x03\x04" + bytes(40), "import.not-a-spreadsheet", "beschadigd"),
        (
            "windows.csv",
            "organisation;role\nGGD Zuid;wijkteam\n".replace("Zuid", "Zuid é").encode("cp1252"),
            "file.encoding",
            "CSV UTF-8",
        ),
        (
            "quotes.csv",
            b'organisation,role\n"Wijkteam, "Noord",wijkteam\n',
            "import.not-a-spreadsheet",
            "aanhalingstekens",
        ),
    ],
)
def test_files_that_are_no_spreadsheet(
    ws: Path, name: str, content: bytes, code: str, fragment: str
) -> None:
    source = Path(name)
    source.write_bytes(content)
    problems = problems_of(ws, source)
    assert [p.code for p in problems] == [code]
    assert fragment in problems[0].message


def test_an_opendocument_sheet_is_named(ws: Path) -> None:
    source = Path("blad.ods")
    with zipfile.ZipFile(source, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<x/>")
    problems = problems_of(ws, source)
    assert where(problems) == [("import.not-a-spreadsheet", 1, 1)]
    assert "OpenDocument" in problems[0].message


def test_utf16_tab_separated_text_from_excel_is_read(ws: Path, base: Sheet) -> None:
    source = write_csv(Path("unicode.txt"), base.rows, delimiter="\t", encoding="utf-16")
    assert len(plan_import(ws, "voorbeeldstad", ROUND, source).files) == 2


# ------------------------------------------------------------------ rows that cannot be files


def test_every_problem_of_every_row_at_once(ws: Path, base: Sheet) -> None:
    base.set((2, 2), "huisarts").set((2, 10), "6").set((3, 1), "").set(
        (3, SUBMITTED_COLUMN), "1-2-2025"
    )
    problems = problems_of(ws, write_csv(Path("fouten.csv"), base.rows))
    assert where(problems) == [
        ("import.invalid-value", 2, 2),
        ("import.invalid-score", 2, 10),
        ("import.missing-value", 3, 1),
        ("import.invalid-date", 3, SUBMITTED_COLUMN),
    ]
    assert problems[0].message == (
        "cel B2 (kolom 'role') bevat 'huisarts': dat is geen rol uit de lijst. Bedoelt u "
        "'huisartsenpraktijk'? Gebruik de id of de naam uit roles.yaml, of zet de tekst onder "
        "'roles:' in het mappingbestand"
    )


def test_two_rows_for_one_organisation(ws: Path, base: Sheet) -> None:
    base.set((3, 1), " wijkteam noord")  # the same id: wijkteam-noord
    problems = problems_of(ws, write_csv(Path("dubbel.csv"), base.rows))
    assert where(problems) == [("import.duplicate-respondent", 3, 1)]
    assert "rij 2 geeft dezelfde id 'wijkteam-noord'" in problems[0].message
    # Found also when the first of the two has a problem of its own.
    base.set((2, 3), "7")
    problems = problems_of(ws, write_csv(Path("dubbel.csv"), base.rows))
    assert where(problems) == [
        ("import.invalid-score", 2, 3),
        ("import.duplicate-respondent", 3, 1),
    ]


def test_a_row_without_any_answer(ws: Path, base: Sheet) -> None:
    for column in range(STATEMENT_COLUMN, STATEMENT_COLUMN + 51):
        base.set((3, column), "")
    problems = problems_of(ws, write_csv(Path("half.csv"), base.rows))
    assert where(problems) == [("import.no-answers", 3, STATEMENT_COLUMN)]


@pytest.mark.parametrize(
    ("cell", "value", "code"),
    [
        ((2, 1), "x" * (SHORT_TEXT_MAX + 1), "import.text-too-long"),
        ((2, 1), "???", "import.invalid-value"),  # no letter or digit to make an id from
        ((3, 2), "", "import.missing-value"),
    ],
)
def test_cells_that_cannot_make_a_respondent(
    ws: Path, base: Sheet, cell: tuple[int, int], value: str, code: str
) -> None:
    base.set(cell, value)
    assert where(problems_of(ws, write_csv(Path("r.csv"), base.rows))) == [(code, *cell)]


def test_a_row_from_the_form_of_another_municipality(ws: Path, base: Sheet) -> None:
    base.rows[0].append("ks_municipality")
    base.rows[1].append("voorbeeldstad")
    base.rows[2].append("rivierstede")
    problems = problems_of(ws, write_csv(Path("ander.csv"), base.rows))
    assert where(problems) == [("import.other-form", 3, SUBMITTED_COLUMN + 1)]
    assert "een andere gemeente; hier hoort 'voorbeeldstad'" in problems[0].message


def test_only_some_statements_have_a_column(ws: Path, base: Sheet) -> None:
    rows = [row[:5] for row in base.rows]
    problems = problems_of(ws, write_csv(Path("kort.csv"), rows))
    assert where(problems) == [("import.missing-column", 1, 1)]
    assert (
        "48 stelling(en) hebben geen kolom: juiste-partners-rollen-bekend," in problems[0].message
    )


def test_a_sheet_of_another_tool_asks_for_a_mapping(ws: Path) -> None:
    source = write_csv(
        Path("lime.csv"), [["id", "submitdate", "ORG", "JP[SQ001]"], ["1", "", "x", "A1"]]
    )
    problems = problems_of(ws, source)
    assert where(problems) == [("import.wrong-sheet", 1, 1)]
    assert "Zeg dan met --mapping welke kolom welke stelling is" in problems[0].message


def test_header_only(ws: Path, base: Sheet) -> None:
    assert where(problems_of(ws, write_csv(Path("kop.csv"), base.rows[:1]))) == [
        ("import.no-rows", 1, 1)
    ]


def test_unknown_round_and_municipality(ws: Path, base: Sheet) -> None:
    source = write_csv(Path("a.csv"), base.rows)
    with pytest.raises(ProblemsError) as caught:
        plan_import(ws, "voorbeeldstad", "2025-naajar", source)
    assert [p.code for p in caught.value.problems] == ["import.unknown-round"]
    assert "Bedoelt u '2025-najaar'?" in caught.value.problems[0].message
    with pytest.raises(ProblemsError) as caught:
        plan_import(ws, "voorbeeldstat", ROUND, source)
    assert [p.code for p in caught.value.problems] == ["workspace.unknown-municipality"]


# ------------------------------------------------------------------ the command line


def test_the_command_prints_file_row_column_and_exits_1(ws: Path, base: Sheet) -> None:
    base.set((3, 4), "3,5")
    source = write_csv(Path("export.csv"), base.rows)
    result = CliRunner().invoke(main, ["import", str(ws), "voorbeeldstad", ROUND, str(source)])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "export.csv:3:4: cel D3 (kolom 'juiste-partners-huisarts-en-school') bevat '3,5': een "
        "getal met een decimale komma, als tekst; een score is een geheel getal van 1 tot en "
        "met 5, of leeg of 'weet niet / niet van toepassing' voor 'weet niet'",
        "1 probleem in 1 bestand",
    ]
    assert "Traceback" not in result.output
    assert list(answers_dir(ws).iterdir()) == []


def test_a_corrupt_workbook_is_one_clear_line(ws: Path) -> None:
    source = write_raw_xlsx(
        Path("stuk.xlsx"), "<worksheet><sheetData><row><c r='A1' t='s'><v>9</v></c>"
    )
    result = CliRunner().invoke(main, ["import", str(ws), "voorbeeldstad", ROUND, str(source)])
    assert result.exit_code == 1
    assert result.stderr.startswith("stuk.xlsx:1:1: de werkmap kan niet worden gelezen")
    assert "Traceback" not in result.output


# A control for the helpers: the base sheet itself imports.
def test_the_base_sheet_is_fine(ws: Path, base: Sheet) -> None:
    make: Callable[[Path, Any], Path] = write_csv
    plan = plan_import(ws, "voorbeeldstad", ROUND, make(Path("goed.csv"), base.rows))
    assert [f.respondent for f in plan.files] == ["wijkteam-noord", "huisartsen-de-linde"]
    assert plan.warnings == []
