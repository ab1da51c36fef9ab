"""What an import reads and where its problems are: columns, their targets, cells in words."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from assessment.errors import Problem, Severity
from assessment.interop.sheets import Cell, Table, cell_ref, header_text

_SHOWN_MAX = 60


@dataclass(frozen=True)
class Target:
    """What a column feeds: a kind and, for most kinds, an id."""

    kind: str  # statement, importance, ambition, comment, open, organisation, role,
    # respondent-id, levels, level-column, submitted, check
    key: str = ""

    @property
    def field(self) -> str:
        """Where the value goes in an answer file, as dotted keys."""
        return {
            "statement": f"answers.{self.key}",
            "importance": f"importance.{self.key}",
            "ambition": f"ambition.{self.key}",
            "comment": f"comments.{self.key}",
            "open": f"open.{self.key}",
            "organisation": "respondent.organisation",
            "role": "respondent.role",
            "respondent-id": "respondent.id",
            "levels": "levels_offered",
            "level-column": "levels_offered",
            "submitted": "submitted",
            "check": self.key,
        }[self.kind]


@dataclass(frozen=True)
class Column:
    """A column of the sheet that the import reads."""

    index: int  # 1-based
    header: str
    target: Target


def normalise(text: str) -> str:
    """A header or answer text for comparing: case, spacing and dashes do not count."""
    text = text.replace("\u2013", "-").replace("\u2014", "-")
    return " ".join(text.casefold().split())


def quote_text(text: str) -> str:
    """User text for a message on a terminal: control and bidi characters escaped."""
    out = []
    for char in text[:_SHOWN_MAX]:
        code = ord(char)
        if char == "\n":
            out.append("\\n")
        elif (
            code < 0x20
            or 0x7F <= code < 0xA0
            or 0x200B <= code <= 0x200F
            or 0x202A <= code <= 0x202E
            or 0x2066 <= code <= 0x2069
            or code in (0x2028, 0x2029, 0xFEFF)
        ):
            out.append(f"\\u{code:04x}")
        else:
            out.append(char)
    return "'" + "".join(out) + ("…" if len(text) > _SHOWN_MAX else "") + "'"


def number_text(value: float) -> str:
    """A number as a spreadsheet shows it: 4 rather than 4.0."""
    return str(int(value)) if float(value).is_integer() else str(value)


def describe(cell: Cell) -> str:
    """What a cell holds, in words: 'bevat '4,5'', 'is leeg', 'bevat de formule ...'."""
    value = cell.value
    if cell.empty:
        return "is leeg"
    if cell.kind == "formula":
        return f"bevat de formule {quote_text(str(value))}"
    if cell.kind == "error":
        return f"bevat de foutwaarde {quote_text(str(value))}"
    if cell.kind == "bool":
        return f"bevat de waarde {'WAAR' if value else 'ONWAAR'}"
    if cell.kind == "number" and isinstance(value, (int, float)):
        return f"bevat het getal {number_text(value)}"
    if cell.kind == "date":
        shown = value.isoformat() if isinstance(value, (dt.date, dt.time)) else str(value)
        return f"bevat de datum {shown}"
    return f"bevat {quote_text(str(value))}"


class Report:
    """Collects problems at cells of the table."""

    def __init__(self, table: Table) -> None:
        self.table = table
        self.headers = {
            index: header_text(cell) for index, cell in enumerate(table.header, start=1)
        }
        self.problems: list[Problem] = []

    def at(
        self,
        row: int,
        column: int,
        code: str,
        message: str,
        *,
        field_name: str = "",
        severity: Severity = "error",
    ) -> None:
        """A problem at a row and column of the file."""
        self.problems.append(
            Problem(self.table.display, row, column, code, message, severity, field_name)
        )

    def cell(self, row: int, column: Column, cell: Cell, code: str, message: str) -> None:
        """A problem at a cell: its name, its column's header and its content come first."""
        header = column.header if len(column.header) <= 40 else column.header[:39] + "…"
        self.at(
            row,
            column.index,
            code,
            f"cel {cell_ref(row, column.index)} (kolom {quote_text(header)}) {describe(cell)}: "
            f"{message}",
            field_name=column.target.field,
        )

    def header_cell(self, column: int, code: str, message: str) -> None:
        """A problem at a cell of the header row."""
        self.at(
            self.table.header_row,
            column,
            code,
            f"cel {cell_ref(self.table.header_row, column)}: {message}",
        )
