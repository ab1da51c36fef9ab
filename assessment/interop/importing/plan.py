"""An export read and worked out into answer files (`plan_import`)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from assessment.errors import ProblemsError, display_path, file_problem
from assessment.interop.importing.cells import FORMULA_MESSAGE, Vocabulary
from assessment.interop.importing.columns import resolve_catalogue
from assessment.interop.importing.files import ImportPlan, plan_files
from assessment.interop.importing.mapping import load_mapping, resolve_mapping
from assessment.interop.importing.report import Column, Report, describe
from assessment.interop.importing.rows import RowReader, convert_row
from assessment.interop.sheets import Cell, Table, cell_ref, read_table, table_cell
from assessment.limits import is_slug
from assessment.messages import suggest
from assessment.models import ImportMapping
from assessment.paths import ANSWERS_DIR, MUNICIPALITIES_DIR
from assessment.workspace import load_header, unknown_municipality
from assessment.yamlio import LoadedYaml


def _empty_rows(report: Report, numbers: list[int]) -> None:
    """One warning per run of empty rows between data rows."""
    runs: list[list[int]] = []
    for number in numbers:
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    for run in runs:
        if len(run) == 1:
            what = f"rij {run[0]} is leeg (in de kolommen van de vragenlijst) en wordt"
        else:
            what = (
                f"de rijen {run[0]} tot en met {run[-1]} zijn leeg (in de kolommen van de "
                "vragenlijst) en worden"
            )
        report.at(run[0], 1, "import.empty-row", f"{what} overgeslagen", severity="warning")


def _merged_cells(table: Table, columns: list[Column], last_row: int, report: Report) -> None:
    used = {column.index for column in columns}
    for r1, c1, r2, c2 in table.merged:
        if r2 < table.header_row or r1 > last_row:
            continue
        if not any(c1 <= index <= c2 for index in used):
            continue
        report.at(
            r1,
            c1,
            "import.merged-cells",
            f"de cellen {cell_ref(r1, c1)}:{cell_ref(r2, c2)} zijn samengevoegd; dan staat de "
            "waarde maar in één cel en lijken de andere leeg. Maak het samenvoegen ongedaan en "
            "zet in elke cel zijn eigen waarde",
        )


def _round_dir(workspace: Path, municipality: str, round_slug: str) -> Path:
    gemeenten = workspace / MUNICIPALITIES_DIR
    folder = gemeenten / municipality
    if not is_slug(municipality) or not folder.is_dir():
        raise ProblemsError([unknown_municipality(gemeenten, municipality)])
    round_dir = folder / round_slug
    if not is_slug(round_slug) or not round_dir.is_dir():
        rounds = [p.name for p in folder.iterdir() if p.is_dir()]
        raise ProblemsError(
            [
                file_problem(
                    display_path(folder),
                    "import.unknown-round",
                    f"ronde '{round_slug}' bestaat niet bij deze gemeente."
                    f"{suggest(round_slug, rounds)} "
                    f"Maak haar met 'ketenscan new-round {display_path(workspace)} {municipality} "
                    f"{round_slug}'",
                )
            ]
        )
    return round_dir


def plan_import(
    workspace: Path,
    municipality: str,
    round_slug: str,
    source: Path,
    *,
    mapping_path: Path | None = None,
    sheet: str | None = None,
    header_row: int | None = None,
    replace: bool = False,
    today: dt.date | None = None,
) -> ImportPlan:
    """Read an export and work out every answer file; raises ProblemsError on any error.

    Nothing is written here: `write_import` writes the plan.
    """
    _, questionnaire = load_header(workspace)
    round_dir = _round_dir(workspace, municipality, round_slug)
    mapping: ImportMapping | None = None
    mapping_doc: LoadedYaml | None = None
    if mapping_path is not None:
        mapping, mapping_doc = load_mapping(mapping_path, questionnaire)
    display = display_path(source)
    table = read_table(
        source,
        display,
        sheet=sheet if sheet is not None else (mapping.sheet if mapping else None),
        header_row=header_row or (mapping.header_row if mapping else 1),
    )
    report = Report(table)
    for index, cell in enumerate(table.header, start=1):
        if cell.kind in ("formula", "error"):
            report.header_cell(
                index, "import.formula", f"de kolomkop {describe(cell)}; {FORMULA_MESSAGE}"
            )
    if mapping is not None and mapping_doc is not None:
        columns = resolve_mapping(table, mapping, mapping_doc, report)
        constant_null = [s for s, header in mapping.answers.items() if header is None]
    else:
        columns = resolve_catalogue(table, questionnaire, report)
        constant_null = []
    if any(p.severity == "error" for p in report.problems) or not columns:
        raise ProblemsError(report.problems)
    content = [c for c in columns if c.target.kind not in ("submitted", "check")]
    data_rows: list[tuple[int, list[Cell]]] = []
    empty: list[int] = []
    for number, cells in table.rows:
        if all(table_cell(cells, c.index).empty for c in content):
            empty.append(number)
        else:
            data_rows.append((number, cells))
    if not data_rows:
        report.at(
            table.header_row,
            1,
            "import.no-rows",
            f"onder de kolomkoppen (rij {table.header_row}) staat geen enkele rij met antwoorden",
        )
        raise ProblemsError(report.problems)
    last = data_rows[-1][0]
    _empty_rows(report, [n for n in empty if n < last])
    _merged_cells(table, columns, last, report)
    words = Vocabulary.of(questionnaire, mapping)
    expected = {
        "instrument": questionnaire.instrument.ref,
        "municipality": municipality,
        "round": round_slug,
    }
    rows = []
    for number, cells in data_rows:
        reader = RowReader(number, questionnaire, words, report, expected, today or dt.date.today())
        row = convert_row(number, cells, columns, constant_null, reader)
        if row is not None:
            rows.append(row)
    plan = ImportPlan(display, table.sheet)
    plan.files = plan_files(rows, round_dir / ANSWERS_DIR, replace, questionnaire, report, expected)
    if any(p.severity == "error" for p in report.problems):
        raise ProblemsError(report.problems)
    plan.warnings = sorted(report.problems)
    return plan
