"""Key figures from a spreadsheet: a CSV with one row per municipality, round and key figure
becomes `gemeenten/<m>/<r>/indicatoren.yaml`, checked exactly like a hand-written file.

Columns (a header row; order free, names as below, comma or semicolon separated):

    municipality, round, indicator   required
    numerator, denominator           the counts (both), or
    value                            the figure itself when only that is known
    note                             optional remark on one figure
    period, source                   optional; the same for every row of a municipality-round

or their Dutch names (gemeente, ronde, kengetal, teller, noemer, waarde, toelichting,
periode, bron).

Every problem is reported as `file:row:column: message` with the codes of the YAML file
(row 1 is the header), all at once; nothing is written while there is one.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assessment.errors import Problem, ProblemsError, Severity, display_path, file_problem
from assessment.indicator_checks import check_indicator_values
from assessment.instrument import Questionnaire
from assessment.limits import CSV_MAX_BYTES, is_slug
from assessment.messages import SLUG_HINT, suggest, validate_document
from assessment.models import IndicatorValues
from assessment.paths import INDICATORS_FILE, MUNICIPALITIES_DIR
from assessment.schema import SCHEMA_DIR, SCHEMA_FILES
from assessment.yamlio import decode_yaml_bytes, quote_yaml_string

REQUIRED = ("municipality", "round", "indicator")
NUMBERS = ("numerator", "denominator", "value")
TEXTS = ("note", "period", "source")  # their lengths are the model's to check
COLUMNS = (*REQUIRED, *NUMBERS, *TEXTS)
# A Dutch spreadsheet may name its columns in Dutch.
DUTCH = {
    "gemeente": "municipality",
    "ronde": "round",
    "kengetal": "indicator",
    "teller": "numerator",
    "noemer": "denominator",
    "waarde": "value",
    "toelichting": "note",
    "periode": "period",
    "bron": "source",
}
_NUMBER = re.compile(r"^[+-]?[0-9]+(?:[.,][0-9]+)?$")


@dataclass
class _Row:
    """One data row: where it is and what it says (numbers parsed)."""

    line: int
    cells: dict[str, Any]


@dataclass
class _Group:
    """The rows of one municipality and round: the data of one indicatoren.yaml."""

    municipality: str
    round: str
    display: str
    columns: dict[str, int]
    rows: dict[str, _Row] = field(default_factory=dict)  # by key figure id
    first: int = 0
    period: tuple[str, int] | None = None
    source: tuple[str, int] | None = None

    @property
    def data(self) -> dict[str, Any]:
        """As the YAML file would hold it."""
        values: dict[str, Any] = {}
        for indicator, row in self.rows.items():
            entry = {k: row.cells[k] for k in (*NUMBERS, "note") if row.cells.get(k) is not None}
            values[indicator] = entry
        data: dict[str, Any] = {"municipality": self.municipality, "round": self.round}
        if self.period is not None:
            data["period"] = self.period[0]
        if self.source is not None:
            data["source"] = self.source[0]
        data["values"] = values
        return data

    def problem(
        self,
        loc: Sequence[str | int],
        code: str,
        message: str,
        *,
        key: bool = False,
        severity: Severity = "error",
    ) -> Problem:
        """A problem at the cell that holds `loc` (the id's cell for a whole figure)."""
        steps = list(loc)
        line, column = self.first, 1
        if steps[:1] == ["values"] and len(steps) >= 2 and str(steps[1]) in self.rows:
            line = self.rows[str(steps[1])].line
            column = self.columns.get(str(steps[2]) if len(steps) >= 3 else "indicator", 1)
            if len(steps) >= 3 and str(steps[2]) not in self.columns:
                column = self.columns["indicator"]
        elif steps and str(steps[0]) in ("period", "source"):
            kept = self.period if steps[0] == "period" else self.source
            line = kept[1] if kept else line
            column = self.columns.get(str(steps[0]), 1)
        elif steps and str(steps[0]) in self.columns:
            column = self.columns[str(steps[0])]
        return Problem(
            self.display, line, column, code, message, severity, field=".".join(map(str, steps))
        )


@dataclass
class IndicatorImport:
    """A checked CSV: the files it would write, by path."""

    files: dict[Path, str]  # path -> YAML text
    figures: int
    municipalities: int
    rounds: int


def _number(text: str) -> float | int | None:
    """A cell as a number: '12' -> 12, '12,5' or '12.5' -> 12.5; None when it is no number."""
    if not _NUMBER.match(text):
        return None
    cleaned = text.replace(",", ".")
    return int(cleaned) if "." not in cleaned else float(cleaned)


def read_indicator_csv(path: Path, root: Path, questionnaire: Questionnaire) -> IndicatorImport:
    """Read and check a CSV of key figures for the workspace at `root`.

    Raises ProblemsError with every problem found, each at its row and column.
    """
    shown = display_path(path)
    try:
        with path.open("rb") as handle:
            raw = handle.read(CSV_MAX_BYTES + 1)
    except OSError as error:
        raise ProblemsError(
            [
                file_problem(
                    shown, "file.unreadable", f"kan het bestand niet lezen ({error.strerror})"
                )
            ]
        ) from None
    if len(raw) > CSV_MAX_BYTES:
        raise ProblemsError(
            [
                file_problem(
                    shown,
                    "file.too-large",
                    f"het bestand is groter dan {CSV_MAX_BYTES // 2**20} MiB; splits het op",
                )
            ]
        )
    text = decode_yaml_bytes(raw, shown)
    if not text.strip():
        raise ProblemsError([file_problem(shown, "file.empty", "het bestand is leeg")])
    header_line = text.split("\n", 1)[0]
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, strict=False)
    header = [cell.strip().lower() for cell in next(reader)]
    problems: list[Problem] = []
    columns: dict[str, int] = {}
    for index, written in enumerate(header, start=1):
        name = DUTCH.get(written, written)
        if name in COLUMNS and name not in columns:
            columns[name] = index
        elif name in columns:
            problems.append(
                Problem(
                    shown,
                    1,
                    index,
                    "indicators.csv-unknown-column",
                    f"kolom '{name}' staat er twee keer",
                )
            )
        elif name:
            problems.append(
                Problem(
                    shown,
                    1,
                    index,
                    "indicators.csv-unknown-column",
                    f"onbekende kolom '{name}'.{suggest(name, [*COLUMNS, *DUTCH])} "
                    f"Toegestaan: {', '.join(COLUMNS)} (of in het Nederlands: "
                    f"{', '.join(DUTCH)})",
                )
            )
    missing = [name for name in REQUIRED if name not in columns]
    if not ({"numerator", "denominator"} <= set(columns) or "value" in columns):
        missing.append("numerator en denominator (of value)")
    for name in missing:
        problems.append(
            Problem(
                shown,
                1,
                1,
                "indicators.csv-missing-column",
                f"de kolom '{name}' ontbreekt in de kopregel",
            )
        )
    if problems:
        raise ProblemsError(problems)
    gemeenten = root / MUNICIPALITIES_DIR
    known = sorted(p.name for p in gemeenten.iterdir() if p.is_dir()) if gemeenten.is_dir() else []
    groups: dict[tuple[str, str], _Group] = {}
    for cells in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            problems.append(
                Problem(
                    shown,
                    line,
                    1,
                    "indicators.csv-row-length",
                    f"deze regel heeft {len(cells)} cellen, de kopregel {len(header)}; "
                    f"staat er een '{delimiter}' te veel of te weinig?",
                )
            )
            continue
        row = _read_row(cells, columns, line, shown, known, problems)
        if row is None:
            continue
        key = (row.cells["municipality"], row.cells["round"])
        group = groups.setdefault(key, _Group(key[0], key[1], shown, columns, first=line))
        indicator = row.cells["indicator"]
        if indicator in group.rows:
            problems.append(
                Problem(
                    shown,
                    line,
                    columns["indicator"],
                    "indicators.csv-duplicate-row",
                    f"'{indicator}' staat voor {key[0]}, {key[1]} al op regel "
                    f"{group.rows[indicator].line}",
                )
            )
            continue
        group.rows[indicator] = row
        for name in ("period", "source"):
            given = row.cells.get(name)
            if given is None:
                continue
            kept = getattr(group, name)
            if kept is None:
                setattr(group, name, (given, line))
            elif kept[0] != given:
                problems.append(
                    Problem(
                        shown,
                        line,
                        columns[name],
                        "indicators.csv-conflict",
                        f"een andere {'periode' if name == 'period' else 'bron'} dan op regel "
                        f"{kept[1]} voor {key[0]}, {key[1]}; één bestand heeft er één",
                    )
                )
    for group in groups.values():
        _, found = validate_document(IndicatorValues, group)
        problems += found
        problems += check_indicator_values(
            group.data,
            group,
            questionnaire,
            municipality=group.municipality,
            round_slug=group.round,
        )
    if any(p.severity == "error" for p in problems):
        raise ProblemsError(problems)
    files = {
        gemeenten / m / r / INDICATORS_FILE: indicator_yaml(group, path.name)
        for (m, r), group in sorted(groups.items())
    }
    return IndicatorImport(
        files,
        figures=sum(len(g.rows) for g in groups.values()),
        municipalities=len({m for m, _ in groups}),
        rounds=len({r for _, r in groups}),
    )


def _read_row(
    cells: list[str],
    columns: dict[str, int],
    line: int,
    shown: str,
    known: list[str],
    problems: list[Problem],
) -> _Row | None:
    """One data row with its ids checked and its numbers parsed; None when unusable."""
    found: dict[str, Any] = {}
    usable = True
    for name in REQUIRED:
        value = cells[columns[name] - 1].strip()
        column = columns[name]
        if not value:
            problems.append(
                Problem(
                    shown, line, column, "field.empty", f"de cel '{name}' is leeg; vul de id in"
                )
            )
            usable = False
        elif not is_slug(value):
            problems.append(
                Problem(
                    shown,
                    line,
                    column,
                    "field.invalid-id",
                    f"'{value}' is geen geldige id; {SLUG_HINT}",
                )
            )
            usable = False
        elif name == "municipality" and value not in known:
            problems.append(
                Problem(
                    shown,
                    line,
                    column,
                    "workspace.unknown-municipality",
                    f"gemeente '{value}' niet gevonden in {MUNICIPALITIES_DIR}/."
                    + suggest(value, known),
                )
            )
            usable = False
        found[name] = value
    for name in NUMBERS:
        if name not in columns:
            continue
        text = cells[columns[name] - 1].strip()
        if not text:
            continue
        number = _number(text)
        if number is None:
            problems.append(
                Problem(
                    shown,
                    line,
                    columns[name],
                    "field.not-number",
                    f"hier hoort een getal zonder punten voor duizendtallen, zoals 1234 of "
                    f"12,5 (gevonden: '{text[:40]}')",
                )
            )
            usable = False
        else:
            found[name] = number
    for name in TEXTS:
        if name in columns:
            text = cells[columns[name] - 1].strip()
            if text:
                found[name] = text
    return _Row(line, found) if usable else None


def indicator_yaml(group: _Group, source_name: str) -> str:
    """The text of one imported indicatoren.yaml, with comments a reader can follow."""
    lines = [
        f"# yaml-language-server: $schema=../../../{SCHEMA_DIR}/{SCHEMA_FILES['indicatoren']}",
        f"# Kengetallen van {group.municipality}, ronde {group.round}.",
        f"# Gemaakt met 'ketenscan indicators import' uit {source_name}.",
        f"municipality: {group.municipality}",
        f"round: {group.round}",
    ]
    if group.period is not None:
        lines.append(f"period: {quote_yaml_string(group.period[0])}")
    if group.source is not None:
        lines.append(f"source: {quote_yaml_string(group.source[0])}")
    lines.append("values:")
    for indicator, row in group.rows.items():
        lines.append(f"  {indicator}:")
        for key in NUMBERS:
            value = row.cells.get(key)
            if value is not None:
                lines.append(f"    {key}: {value!r}")
        if row.cells.get("note") is not None:
            lines.append(f"    note: {quote_yaml_string(row.cells['note'])}")
    return "\n".join(lines) + "\n"


def write_indicator_files(plan: IndicatorImport, *, overwrite: bool) -> list[tuple[Path, bool]]:
    """Write every file of a checked import: (path, replaced an existing file).

    Without `overwrite`, an existing file is a problem and nothing is written. Each file is
    written to a temporary file beside it and then moved into place.
    """
    existing = [path for path in plan.files if path.exists()]
    if existing and not overwrite:
        raise ProblemsError(
            [
                file_problem(
                    display_path(path),
                    "indicators.file-exists",
                    "bestaat al; draai opnieuw met --overwrite om het te vervangen",
                )
                for path in existing
            ]
        )
    written: list[tuple[Path, bool]] = []
    for path, text in plan.files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        temporary.write_text(text, encoding="utf-8")
        replaced = path.exists()
        os.replace(temporary, path)
        written.append((path, replaced))
    return written
