"""Reading a CSV or XLSX file from a survey tool or a spreadsheet, safely.

The file is untrusted: it may be huge, a ZIP bomb named .xlsx, an old binary Excel file,
or a workbook full of formulas. Everything is checked before a parser sees it:

- the size on disk; for XLSX the ZIP directory (number of parts, unpacked sizes) before
  openpyxl opens it — Python's zipfile never inflates a part beyond the size its
  directory declares, so the declared sizes bound the memory used;
- XML entities are refused (openpyxl parses with defusedxml when it is installed, and it
  is one of our dependencies);
- formulas are never evaluated: openpyxl reads the formula text, not the cached result,
  and the import refuses formula cells;
- rows are streamed and reading stops past the row limit.

The result is a `Table`: the header row and the data rows as typed cells with their row
numbers as a spreadsheet program shows them (the header row is usually row 1).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from assessment.errors import Problem, ProblemsError
from assessment.limits import (
    IMPORT_MAX_COLUMNS,
    IMPORT_MAX_ROWS,
    SHEET_MAX_BYTES,
    SHEET_MAX_TEXT,
    XLSX_MAX_PARTS,
    XLSX_MAX_UNPACKED_BYTES,
    XLSX_MAX_UNPACKED_TEXT,
)

CellKind = Literal["empty", "text", "number", "date", "bool", "formula", "error"]
CellValue = str | int | float | bool | dt.datetime | dt.date | dt.time | dt.timedelta | None

_ZIP = b"PK\x03\x04"
_OLE = bytes.fromhex("d0cf11e0a1b11ae1")  # old .xls, and password-protected .xlsx
_SEP_LINE = re.compile(r"^sep=(.)\r?\n", re.IGNORECASE)
_XLSX_ADVICE = "sla het bestand op als Excel-werkmap (.xlsx) of als CSV UTF-8"


@dataclass(frozen=True)
class Cell:
    """One cell: its value as the file holds it, and what kind of value that is."""

    value: CellValue
    kind: CellKind

    @property
    def empty(self) -> bool:
        """True for a cell without content (white space only counts as empty)."""
        return self.kind == "empty" or (
            self.kind == "text" and isinstance(self.value, str) and not self.value.strip()
        )


EMPTY = Cell(None, "empty")


@dataclass
class Table:
    """One sheet: the header cells and the data rows below them, by row number."""

    display: str
    sheet: str | None
    sheets: list[str]
    header_row: int
    header: list[Cell]
    rows: list[tuple[int, list[Cell]]]
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # r1, c1, r2, c2
    other_headers: dict[str, list[str]] = field(default_factory=dict)


def table_cell(row: list[Cell], column: int) -> Cell:
    """The cell of `row` in a 1-based column (empty past the row's end)."""
    return row[column - 1] if column - 1 < len(row) else EMPTY


def column_letter(column: int) -> str:
    """1 -> A, 27 -> AA: the column as a spreadsheet names it."""
    letters = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def cell_ref(row: int, column: int) -> str:
    """The cell reference a spreadsheet shows, such as B7."""
    return f"{column_letter(column)}{row}"


def header_text(cell: Cell) -> str:
    """A header cell as text (numbers and dates too), without surrounding white space."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return " ".join(str(value).split())


def _problem(display: str, code: str, message: str, line: int = 1, column: int = 1) -> Problem:
    return Problem(display, line, column, code, message)


def read_table(path: Path, display: str, *, sheet: str | None = None, header_row: int = 1) -> Table:
    """Read one sheet of a CSV or XLSX file; raises ProblemsError saying what is wrong."""
    try:
        with path.open("rb") as handle:
            data = handle.read(SHEET_MAX_BYTES + 1)
    except OSError as error:
        raise ProblemsError(
            [
                _problem(
                    display, "file.unreadable", f"bestand kan niet worden gelezen: {error.strerror}"
                )
            ]
        ) from None
    if len(data) > SHEET_MAX_BYTES:
        raise ProblemsError(
            [
                _problem(
                    display,
                    "file.too-large",
                    f"het bestand is groter dan {SHEET_MAX_TEXT}; de antwoorden van één ronde "
                    "zijn veel kleiner. Is dit het goede bestand?",
                )
            ]
        )
    if not data.strip():
        raise ProblemsError([_problem(display, "file.empty", "het bestand is leeg")])
    if data.startswith(_ZIP):
        return _read_xlsx(data, display, sheet, header_row)
    if data.startswith(_OLE):
        raise ProblemsError(
            [
                _problem(
                    display,
                    "import.not-a-spreadsheet",
                    "dit is een oud Excel-bestand (.xls) of een werkmap met een wachtwoord; "
                    f"{_XLSX_ADVICE}, zonder wachtwoord",
                )
            ]
        )
    if sheet is not None:
        raise ProblemsError(
            [
                _problem(
                    display,
                    "import.unknown-sheet",
                    f"een CSV-bestand heeft geen werkbladen; laat het werkblad '{sheet}' weg",
                )
            ]
        )
    return _read_csv(data, display, header_row)


# ------------------------------------------------------------------------------- CSV


def _decode(data: bytes, display: str) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise ProblemsError(
                [
                    _problem(
                        display,
                        "file.encoding",
                        f"het bestand is geen geldige UTF-16-tekst; {_XLSX_ADVICE}",
                    )
                ]
            ) from None
    if b"\x00" in data:
        raise ProblemsError(
            [
                _problem(
                    display,
                    "import.not-a-spreadsheet",
                    f"dit is geen CSV- of XLSX-bestand (het bevat NUL-tekens); {_XLSX_ADVICE}",
                )
            ]
        )
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        head = data[: error.start]
        line = head.count(b"\n") + 1
        raise ProblemsError(
            [
                _problem(
                    display,
                    "file.encoding",
                    f"ongeldig UTF-8-teken (byte 0x{data[error.start]:02x}) op regel {line}; "
                    "Excel bewaart CSV vaak als Windows-1252. Kies bij 'Opslaan als' "
                    "'CSV UTF-8 (door komma's gescheiden)', of lees de .xlsx in",
                    line,
                )
            ]
        ) from None


def _delimiter(text: str) -> str:
    """The delimiter that splits the first lines into the most, equally long records."""
    sample = text[:65536]
    best, best_score = ",", (0, 0)
    for candidate in (",", ";", "\t"):
        try:
            records = []
            for record in csv.reader(io.StringIO(sample), delimiter=candidate):
                records.append(len(record))
                if len(records) == 5:
                    break
        except csv.Error:
            continue
        if not records:
            continue
        consistent = sum(1 for count in records if count == records[0])
        score = (records[0] if records[0] > 1 else 0, consistent)
        if score > best_score:
            best, best_score = candidate, score
    return best


def _read_csv(data: bytes, display: str, header_row: int) -> Table:
    text = _decode(data, display)
    delimiter = None
    sep = _SEP_LINE.match(text)
    if sep is not None:  # Excel's hint line 'sep=;' is not shown as a row
        delimiter = sep.group(1)
        text = text[sep.end() :]
    delimiter = delimiter or _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records = (
        [Cell(value, "text") if value.strip() else EMPTY for value in record] for record in reader
    )
    try:
        header, rows = _collect(records, display, header_row)
    except csv.Error as error:
        raise ProblemsError(
            [
                _problem(
                    display,
                    "import.not-a-spreadsheet",
                    f"het CSV-bestand kan niet worden gelezen na regel {reader.line_num}: "
                    f"{error}; controleer de aanhalingstekens",
                    reader.line_num,
                )
            ]
        ) from None
    return Table(display, None, [], header_row, header, rows)


_NO_CELLS: list[Cell] = []


def _collect(
    records: Iterator[list[Cell]], display: str, header_row: int
) -> tuple[list[Cell], list[tuple[int, list[Cell]]]]:
    """The header row and the rows below it up to the last one with data.

    Empty rows between data rows are kept (without their cells) so that the import can
    name them; reading stops past the row limit.
    """
    header: list[Cell] = []
    rows: list[tuple[int, list[Cell]]] = []
    filled = 0
    last = 0
    for number, cells in enumerate(records, start=1):
        if number == header_row:
            header = cells
        elif number > header_row:
            if any(not cell.empty for cell in cells):
                filled += 1
                if filled > IMPORT_MAX_ROWS:
                    raise ProblemsError([_too_many_rows(display, number)])
                rows.append((number, cells))
                last = len(rows)
            else:
                rows.append((number, _NO_CELLS))
    return header, rows[:last]


def _too_many_rows(display: str, row: int) -> Problem:
    return _problem(
        display,
        "import.too-many-rows",
        f"het bestand heeft meer dan {IMPORT_MAX_ROWS} rijen met gegevens (gestopt bij rij "
        f"{row}); één ronde van één gemeente heeft veel minder partners. Is dit de goede "
        "export, of staan er lege rijen met opmaak in?",
        row,
    )


# ------------------------------------------------------------------------------ XLSX


def check_zip(data: bytes, display: str) -> None:
    """Refuse an archive that is no XLSX, has too many parts or unpacks to too much."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise ProblemsError(
            [
                _problem(
                    display,
                    "import.not-a-spreadsheet",
                    f"het ZIP-archief is beschadigd ({error}); {_XLSX_ADVICE}",
                )
            ]
        ) from None
    if len(infos) > XLSX_MAX_PARTS:
        raise ProblemsError(
            [
                _problem(
                    display,
                    "import.unsafe-zip",
                    f"het archief bevat {len(infos)} delen (hooguit {XLSX_MAX_PARTS}); dit is geen "
                    "gewone werkmap en wordt niet geopend",
                )
            ]
        )
    unpacked = sum(info.file_size for info in infos)
    if unpacked > XLSX_MAX_UNPACKED_BYTES:
        raise ProblemsError(
            [
                _problem(
                    display,
                    "import.unsafe-zip",
                    f"het archief pakt uit tot {unpacked // 2**20} MiB (hooguit "
                    f"{XLSX_MAX_UNPACKED_TEXT}); zo'n bestand wordt niet geopend. Is het een "
                    "'ZIP-bom', of een werkmap met veel meer dan de antwoorden?",
                )
            ]
        )
    names = {info.filename for info in infos}
    if "xl/workbook.xml" not in names:
        kind = (
            "een OpenDocument-werkblad (.ods)"
            if "mimetype" in names and b"opendocument.spreadsheet" in data[:200]
            else "een ZIP-archief, maar geen Excel-werkmap"
        )
        raise ProblemsError(
            [_problem(display, "import.not-a-spreadsheet", f"dit is {kind}; {_XLSX_ADVICE}")]
        )


def _kind(cell: Any) -> Cell:
    value = cell.value
    data_type = getattr(cell, "data_type", "n")
    if value is None:
        return EMPTY
    if data_type == "f" or not isinstance(
        value, (str, int, float, bool, dt.datetime, dt.date, dt.time, dt.timedelta)
    ):
        # Formula text (also array and data-table formulas); never its cached result.
        text = value if isinstance(value, str) else str(getattr(value, "text", "") or "=")
        return Cell(text, "formula")
    if data_type == "e":
        return Cell(str(value), "error")
    if isinstance(value, bool):
        return Cell(value, "bool")
    if isinstance(value, (int, float)):
        return Cell(value, "number")
    if isinstance(value, (dt.datetime, dt.date, dt.time, dt.timedelta)):
        return Cell(value, "date")
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    return Cell(text, "text") if text.strip() else EMPTY


def _rows(worksheet: Any) -> Iterator[list[Cell]]:
    # Without the declared dimensions every row holds only the cells it has, so a wrong
    # <dimension> (A1:XFD1048576) cannot make us pad a million empty cells.
    worksheet.reset_dimensions()
    for row in worksheet.iter_rows():
        yield [_kind(cell) for cell in row[:IMPORT_MAX_COLUMNS]]


def _merged(worksheet: Any) -> list[tuple[int, int, int, int]]:
    """Merged ranges of a read-only sheet, read from its XML (openpyxl skips them there)."""
    from openpyxl.utils.cell import range_boundaries
    from openpyxl.xml.functions import iterparse

    found = []
    # `_get_source` is openpyxl's (pinned) own way to reopen the sheet's part.
    with worksheet._get_source() as source:
        for _, element in iterparse(source):
            if element.tag.endswith("}mergeCell"):
                ref = element.get("ref", "")
                try:
                    c1, r1, c2, r2 = range_boundaries(ref)
                except (ValueError, TypeError):
                    continue
                if None not in (c1, r1, c2, r2):
                    found.append((int(r1), int(c1), int(r2), int(c2)))  # type: ignore[arg-type]
            element.clear()
    return found


def _read_xlsx(data: bytes, display: str, sheet: str | None, header_row: int) -> Table:
    check_zip(data, display)
    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings():
            # openpyxl warns about what it cannot read (styles, dates out of range); the
            # cells are still checked one by one below.
            warnings.simplefilter("ignore")
            book = load_workbook(
                io.BytesIO(data), read_only=True, data_only=False, keep_links=False
            )
            try:
                return _read_book(book, display, sheet, header_row)
            finally:
                book.close()
    except ProblemsError:
        raise
    except Exception as error:  # openpyxl parses untrusted XML: any failure is a bad file
        raise ProblemsError([_unreadable_book(error, display)]) from None


def _unreadable_book(error: BaseException, display: str) -> Problem:
    from defusedxml import DefusedXmlException

    cause: BaseException | None = error
    while cause is not None:
        if isinstance(cause, DefusedXmlException):
            return _problem(
                display,
                "import.not-a-spreadsheet",
                f"de werkmap bevat XML-entiteiten ({type(cause).__name__}); een gewone werkmap "
                "heeft die nooit en zo'n bestand wordt niet geopend",
            )
        cause = cause.__cause__ or cause.__context__
    reason = str(error).splitlines()[0] if str(error) else ""
    return _problem(
        display,
        "import.not-a-spreadsheet",
        f"de werkmap kan niet worden gelezen ({type(error).__name__}: {reason}); open hem in "
        f"een spreadsheetprogramma en {_XLSX_ADVICE}",
    )


def _read_book(book: Any, display: str, sheet: str | None, header_row: int) -> Table:
    names = list(book.sheetnames)
    if sheet is None:
        visible = [name for name in names if book[name].sheet_state == "visible"]
        chosen = (visible or names)[0]
    else:
        matches = [name for name in names if name.casefold() == sheet.casefold()]
        if not matches:
            shown = ", ".join(f"'{name}'" for name in names)
            raise ProblemsError(
                [
                    _problem(
                        display,
                        "import.unknown-sheet",
                        f"de werkmap heeft geen werkblad '{sheet}'; wel: {shown}",
                    )
                ]
            )
        chosen = matches[0]
    worksheet = book[chosen]
    header, rows = _collect(_rows(worksheet), display, header_row)
    table = Table(display, chosen, names, header_row, header, rows)
    table.merged = _merged(worksheet)
    for name in names:
        if name != chosen:
            table.other_headers[name] = _first_row(book[name], header_row)
    return table


def _first_row(worksheet: Any, header_row: int) -> list[str]:
    for number, cells in enumerate(_rows(worksheet), start=1):
        if number == header_row:
            return [header_text(cell) for cell in cells]
    return []
