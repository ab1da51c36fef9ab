"""Spreadsheets for the import tests, made by code: CSV, XLSX through openpyxl, and XLSX
written part by part (for files openpyxl would not make: huge, broken or hostile ones)."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import openpyxl

from assessment.instrument import Questionnaire
from assessment.interop.sheets import column_letter
from tests.helpers import ROUND, SETTINGS_TEXT, write_municipality

Rows = Sequence[Sequence[Any]]


def import_workspace(root: Path, municipality: str = "voorbeeldstad") -> Path:
    """A workspace with one municipality and an empty round: nothing to import into yet."""
    root.mkdir(parents=True)
    (root / "ketenscan.yaml").write_text(SETTINGS_TEXT, encoding="utf-8")
    write_municipality(root, municipality)
    return root


def write_csv(path: Path, rows: Rows, delimiter: str = ",", encoding: str = "utf-8") -> Path:
    """A CSV file of the rows (every value as text)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if value is None else value for value in row])
    path.write_bytes(out.getvalue().encode(encoding))
    return path


def write_xlsx(
    path: Path,
    rows: Rows,
    *,
    title: str = "Blad1",
    before: Sequence[tuple[str, Rows]] = (),
    after: Sequence[tuple[str, Rows]] = (),
    edit: Callable[[Any], None] | None = None,
) -> Path:
    """An XLSX workbook with the rows on sheet `title` (and other sheets around it)."""
    book = openpyxl.Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    for name, sheet_rows in [*before, (title, rows), *after]:
        sheet = book.create_sheet(name)
        for row in sheet_rows:
            sheet.append(list(row))
        if name == title and edit is not None:
            edit(sheet)
    book.save(path)
    return path


_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Blad1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)


def sheet_xml(rows: Rows, *, prolog: str = "", tail: str = "") -> str:
    """The XML of a worksheet with inline strings and numbers."""
    out = [
        f'<?xml version="1.0" encoding="UTF-8"?>{prolog}'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    ]
    for number, row in enumerate(rows, start=1):
        out.append(f'<row r="{number}">')
        for col, value in enumerate(row, start=1):
            ref = f"{column_letter(col)}{number}"
            if value is None:
                continue
            if isinstance(value, tuple):  # ("e", "#N/A") an error, ("f", "1+1", 2) a formula
                if value[0] == "e":
                    out.append(f'<c r="{ref}" t="e"><v>{escape(value[1])}</v></c>')
                else:
                    out.append(f'<c r="{ref}"><f>{escape(value[1])}</f><v>{value[2]}</v></c>')
            elif isinstance(value, (int, float)):
                out.append(f'<c r="{ref}"><v>{value}</v></c>')
            else:
                out.append(f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>')
        out.append("</row>")
    out.append(f"</sheetData>{tail}</worksheet>")
    return "".join(out)


def write_raw_xlsx(path: Path, sheet: str, extra: dict[str, bytes] | None = None) -> Path:
    """An XLSX package written part by part, with the given worksheet XML."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return path


def statement_values(questionnaire: Questionnaire, score: Callable[[int], int | None]) -> list[Any]:
    """Cells of one partner's statements, in questionnaire order, as XLSForm choice names."""
    return [
        "weet_niet" if (value := score(index)) is None else value
        for index, _ in enumerate(questionnaire.statement_order)
    ]


def answers_dir(workspace: Path, round_slug: str = ROUND) -> Path:
    """The answers folder of the test municipality's round."""
    return workspace / "gemeenten" / "voorbeeldstad" / round_slug / "antwoorden"
