"""The answer files of an import: one per organisation, checked, then written."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from assessment.checks import check_response
from assessment.errors import Problem, ProblemsError, display_path
from assessment.instrument import Questionnaire
from assessment.interop.answer_text import answer_file_text
from assessment.interop.importing.report import Report, quote_text
from assessment.interop.importing.rows import Row
from assessment.messages import validate_document
from assessment.models import Response
from assessment.yamlio import parse_yaml


@dataclass
class PlannedFile:
    """One answer file the import will write."""

    path: Path
    row: int
    respondent: str
    organisation: str
    text: str
    answered: int
    dont_know: int
    replaces: bool


@dataclass
class ImportPlan:
    """What an import found: the files to write and the warnings to show."""

    source: str
    sheet: str | None
    files: list[PlannedFile] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def plan_files(
    rows: list[Row],
    answers_dir: Path,
    replace: bool,
    questionnaire: Questionnaire,
    report: Report,
    expected: Mapping[str, str],
) -> list[PlannedFile]:
    """The file of every row: one per organisation, never over an existing one unasked."""
    files: list[PlannedFile] = []
    first_row: dict[str, Row] = {}
    for row in rows:
        earlier = first_row.get(row.respondent)
        column, cell = row.id_column, row.id_cell
        if earlier is not None:
            report.cell(
                row.number,
                column,
                cell,
                "import.duplicate-respondent",
                f"rij {earlier.number} geeft dezelfde id '{row.respondent}' "
                f"({quote_text(earlier.organisation)}); elke organisatie vult één keer in. Haal de "
                "dubbele rij weg, of geef de organisaties een eigen id (kolom respondent.id)",
            )
            continue
        first_row[row.respondent] = row
        path = answers_dir / f"{row.respondent}.yaml"
        exists = path.exists()
        if exists and not replace:
            report.cell(
                row.number,
                column,
                cell,
                "import.exists",
                f"het antwoordbestand {display_path(path)} bestaat al; het wordt alleen "
                "vervangen met --replace",
            )
            continue
        if row.document is None:
            continue  # its problems are reported; still checked for a twin above
        text = answer_file_text(row.document, questionnaire)
        for problem in _check_text(text, path, row, questionnaire, report.table.display, expected):
            report.problems.append(problem)
        files.append(
            PlannedFile(
                path,
                row.number,
                row.respondent,
                row.organisation,
                text,
                row.answered,
                row.dont_know,
                exists,
            )
        )
    return files


def _check_text(
    text: str,
    path: Path,
    row: Row,
    questionnaire: Questionnaire,
    display: str,
    expected: Mapping[str, str],
) -> list[Problem]:
    """The written file validated as `ketenscan validate` would; problems at the row."""
    try:
        doc = parse_yaml(text.encode("utf-8"), display_path(path), path)
    except ProblemsError as error:
        found = error.problems
    else:
        _, found = validate_document(Response, doc)
        found += check_response(
            doc.data,
            doc,
            questionnaire,
            municipality=expected["municipality"],
            round_slug=expected["round"],
            respondent=row.respondent,
        )
    return [
        Problem(
            display,
            row.number,
            1,
            problem.code,
            f"rij {row.number}: het antwoordbestand zou niet kloppen: {problem.message}",
            problem.severity,
            problem.field,
        )
        for problem in found
    ]


def write_import(plan: ImportPlan) -> list[Path]:
    """Write every planned file: first all to temporary files, then each into place."""
    written: list[Path] = []
    temporary: list[tuple[Path, Path]] = []
    try:
        for planned in plan.files:
            planned.path.parent.mkdir(parents=True, exist_ok=True)
            handle, name = tempfile.mkstemp(
                prefix=f".{planned.respondent}.", suffix=".tmp", dir=planned.path.parent
            )
            with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
                out.write(planned.text)
            temporary.append((Path(name), planned.path))
        for source, target in temporary:
            os.replace(source, target)
            written.append(target)
    finally:
        for source, _ in temporary:
            if source.exists():
                source.unlink()
    return written
