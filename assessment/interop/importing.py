"""Answers from a CSV or XLSX export turned into answer files (`ketenscan import`).

One row of the sheet is one partner organisation; it becomes `antwoorden/<id>.yaml`, the
same text the online form downloads (`interop.answer_text`). Which column holds which
answer comes from the XLSForm's field names (an export from KoboToolbox, ODK Central or
Enketo needs nothing more) or from a mapping file (LimeSurvey, Microsoft Forms, a sheet
of one's own).

Every problem is a cell: `file:row:column`, the row as the spreadsheet numbers it and the
column as a number (A = 1); the message starts with the cell's name (`B7`), the column's
header and the cell's content. All problems are collected first; when there is one,
nothing is written.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assessment.checks import check_response
from assessment.errors import Problem, ProblemsError, Severity, display_path, file_problem
from assessment.instrument import Questionnaire, questionnaire_for
from assessment.interop.answer_text import answer_file_text
from assessment.interop.sheets import (
    Cell,
    Table,
    cell_ref,
    column_letter,
    header_text,
    read_table,
    table_cell,
)
from assessment.interop.xlsform import DONT_KNOW, form_fields
from assessment.limits import SHORT_TEXT_MAX, SLUG_MAX, TEXT_MAX, is_slug
from assessment.messages import load_model, suggest, validate_document
from assessment.models import ImportMapping, Response
from assessment.paths import ANSWERS_DIR, MUNICIPALITIES_DIR
from assessment.workspace import load_settings, unknown_municipality
from assessment.yamlio import LoadedYaml, parse_yaml

# Headers that need no mapping besides the XLSForm's own field names: what a hand-made
# sheet would call the columns, and the submission time that survey tools add.
_ALIASES = {
    ("respondent", "organisation"): ("organisation", "organisatie"),
    ("respondent", "role"): ("role", "rol"),
    ("respondent", "id"): ("respondent.id", "respondent-id", "respondent/id"),
}
# Most telling first: when the partner finished (end) before when the server got it.
_SUBMITTED = ("submitted", "end", "_submission_time", "submissiondate", "submission date")
_DONT_KNOW_WORDS = ("weet niet", DONT_KNOW, "n.v.t.", "nvt", "niet van toepassing")
_YES = ("1", "ja", "j", "yes", "y", "x", "waar", "true", "✓", "✔")
_NO = ("0", "nee", "n", "no", "onwaar", "false")
_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+$")
_DECIMAL_POINT = re.compile(r"^[+-]?\d+\.\d+$")
_WHOLE_NUMBER = re.compile(r"^[+-]?\d+$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:$|[T ])")
_OTHER_DATE = re.compile(r"^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}(?:$|[T ])")
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


def slugify(text: str) -> str:
    """An id made from an organisation's name, exactly as the online form makes it."""
    text = unicodedata.normalize("NFKD", text)
    text = re.sub("[\u0300-\u036f]", "", text).lower()
    text = re.sub("[^a-z0-9]+", "-", text).strip("-")
    return text[:SLUG_MAX].rstrip("-")


def _norm(text: str) -> str:
    """A header or answer text for comparing: case, spacing and dashes do not count."""
    text = text.replace("\u2013", "-").replace("\u2014", "-")
    return " ".join(text.casefold().split())


def _shown(text: str) -> str:
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


def _number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def describe(cell: Cell) -> str:
    """What a cell holds, in words: 'bevat '4,5'', 'is leeg', 'bevat de formule ...'."""
    value = cell.value
    if cell.empty:
        return "is leeg"
    if cell.kind == "formula":
        return f"bevat de formule {_shown(str(value))}"
    if cell.kind == "error":
        return f"bevat de foutwaarde {_shown(str(value))}"
    if cell.kind == "bool":
        return f"bevat de waarde {'WAAR' if value else 'ONWAAR'}"
    if cell.kind == "number" and isinstance(value, (int, float)):
        return f"bevat het getal {_number_text(value)}"
    if cell.kind == "date":
        shown = value.isoformat() if isinstance(value, (dt.date, dt.time)) else str(value)
        return f"bevat de datum {shown}"
    return f"bevat {_shown(str(value))}"


class _Report:
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
            f"cel {cell_ref(row, column.index)} (kolom {_shown(header)}) {describe(cell)}: "
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


# --------------------------------------------------------------------------- vocabulary


def _scale_words(questionnaire: Questionnaire, labels: Iterable[str]) -> dict[str, int | None]:
    words: dict[str, int | None] = {}
    for value, label in enumerate(labels, start=1):
        words[str(value)] = value
        words[_norm(label)] = value
        words[_norm(f"{value} - {label}")] = value
        words[_norm(f"{value}. {label}")] = value
        words[_norm(f"{value} {label}")] = value
    for word in (*_DONT_KNOW_WORDS, questionnaire.instrument.dont_know_label):
        words[_norm(word)] = None
    return words


def _answer_key(value: Any) -> str:
    return _norm(str(value)) if not isinstance(value, int) else str(value)


@dataclass
class _Vocabulary:
    """The answer texts every kind of column accepts, the mapping's included."""

    statement: dict[str, int | None]
    importance: dict[str, int | None]
    ambition: dict[str, int | None]
    roles: dict[str, str]
    levels: dict[str, str]

    @classmethod
    def of(cls, questionnaire: Questionnaire, mapping: ImportMapping | None) -> _Vocabulary:
        instrument = questionnaire.instrument
        levels_names = [step.label for step in instrument.scale]
        own = {_answer_key(k): v for k, v in mapping.values.items()} if mapping else {}
        roles = {}
        for role in questionnaire.roles.values():
            roles[_norm(role.id)] = role.id
            roles[_norm(role.label)] = role.id
        levels = {}
        for level in instrument.intervention_levels:
            levels[_norm(level.id)] = level.id
            levels[_norm(level.title)] = level.id
        if mapping is not None:
            roles |= {_answer_key(k): v for k, v in mapping.roles.items()}
            levels |= {_answer_key(k): v for k, v in mapping.levels.items()}
        return cls(
            statement=_scale_words(questionnaire, levels_names) | own,
            importance=_scale_words(questionnaire, instrument.questions.importance_scale) | own,
            ambition=_scale_words(questionnaire, levels_names) | own,
            roles=roles,
            levels=levels,
        )


# ------------------------------------------------------------------------------ columns


def _catalogue(questionnaire: Questionnaire) -> dict[str, Target]:
    """Every header an export of the XLSForm can have, with what it holds.

    Survey tools put a field's group path before its name (KoboToolbox with '/', ODK
    Central with '-'), or use its label (KoboToolbox's 'Labels' export); a header that
    could mean two fields is left out.
    """
    kinds = {
        "statement": "statement",
        "importance": "importance",
        "ambition": "ambition",
        "comment": "comment",
        "open": "open",
        "organisation": "organisation",
        "role": "role",
        "levels": "levels",
        "check": "check",
    }
    found: dict[str, set[Target]] = {}

    def add(header: str, target: Target) -> None:
        found.setdefault(_norm(header), set()).add(target)

    for item in form_fields(questionnaire):
        key = item.target[-1]
        target = Target(
            kinds[item.kind], "" if item.kind in ("organisation", "role", "levels") else key
        )
        path = (*item.groups, item.name)
        for separator in ("/", "-", ".", ":"):
            for start in range(len(path)):
                add(separator.join(path[start:]), target)
        if item.label:
            labels = (*item.group_labels, item.label)
            for start in range(len(labels)):
                add("/".join(labels[start:]), target)
    for (_, what), aliases in _ALIASES.items():
        target = Target(
            {"organisation": "organisation", "role": "role", "id": "respondent-id"}[what]
        )
        for alias in aliases:
            add(alias, target)
    return {header: next(iter(targets)) for header, targets in found.items() if len(targets) == 1}


def _mapping_targets(mapping: ImportMapping) -> list[tuple[tuple[str | int, ...], str, Target]]:
    """(place in the mapping file, header, target) of every column the mapping names."""
    out: list[tuple[tuple[str | int, ...], str, Target]] = [
        (("respondent", "organisation"), mapping.respondent.organisation, Target("organisation")),
        (("respondent", "role"), mapping.respondent.role, Target("role")),
    ]
    if mapping.respondent.id is not None:
        out.append((("respondent", "id"), mapping.respondent.id, Target("respondent-id")))
    if mapping.submitted is not None:
        out.append((("submitted",), mapping.submitted, Target("submitted")))
    for statement, header in mapping.answers.items():
        if header is not None:
            out.append((("answers", statement), header, Target("statement", statement)))
    for part, kind in (
        ("importance", "importance"),
        ("ambition", "ambition"),
        ("comments", "comment"),
    ):
        for factor, header in getattr(mapping, part).items():
            out.append(((part, factor), header, Target(kind, factor)))
    if mapping.levels_offered is not None:
        out.append((("levels_offered",), mapping.levels_offered, Target("levels")))
    for level, header in mapping.level_columns.items():
        out.append((("level_columns", level), header, Target("level-column", level)))
    for key in ("goes_well", "change_first"):
        header = getattr(mapping.open, key)
        if header is not None:
            out.append((("open", key), header, Target("open", key)))
    return out


def _check_mapping(
    mapping: ImportMapping, doc: LoadedYaml, questionnaire: Questionnaire
) -> list[Problem]:
    """The mapping's ids against the instrument: unknown or missing statements, factors, ..."""
    problems = []
    statements = questionnaire.statement_ids
    for statement in mapping.answers:
        if statement not in statements:
            problems.append(
                doc.problem(
                    ["answers", statement],
                    "mapping.unknown-statement",
                    f"onbekende stelling '{statement}'.{suggest(statement, statements)}",
                    key=True,
                )
            )
    missing = [s for s in questionnaire.statement_order if s not in mapping.answers]
    if missing:
        shown = ", ".join(missing[:5]) + (f" en nog {len(missing) - 5}" if len(missing) > 5 else "")
        problems.append(
            doc.problem(
                ["answers"],
                "mapping.missing-statement",
                f"{len(missing)} stelling(en) hebben geen kolom: {shown}. Noem bij elke stelling "
                "de kolom; schrijf null voor een stelling die niet gevraagd is (die wordt "
                "'weet niet')",
                key=True,
            )
        )
    factors = questionnaire.factor_ids
    for part in ("importance", "ambition", "comments"):
        for factor in getattr(mapping, part):
            if factor not in factors:
                problems.append(
                    doc.problem(
                        [part, factor],
                        "mapping.unknown-factor",
                        f"onbekende factor '{factor}'.{suggest(factor, factors)}",
                        key=True,
                    )
                )
    levels = questionnaire.level_ids
    for level in mapping.level_columns:
        if level not in levels:
            problems.append(
                doc.problem(
                    ["level_columns", level],
                    "mapping.unknown-level",
                    f"onbekend interventieniveau '{level}'.{suggest(level, levels)}",
                    key=True,
                )
            )
    for text, level in mapping.levels.items():
        if level not in levels:
            problems.append(
                doc.problem(
                    ["levels", text],
                    "mapping.unknown-level",
                    f"onbekend interventieniveau '{level}'.{suggest(level, levels)}",
                )
            )
    for text, role in mapping.roles.items():
        if role not in questionnaire.roles:
            problems.append(
                doc.problem(
                    ["roles", text],
                    "mapping.unknown-role",
                    f"onbekende rol '{role}'.{suggest(role, questionnaire.roles)}",
                )
            )
    return problems


def load_mapping(path: Path, questionnaire: Questionnaire) -> tuple[ImportMapping, LoadedYaml]:
    """Read and check a mapping file; raises ProblemsError with its problems."""
    problems: list[Problem] = []
    mapping, doc = load_model(ImportMapping, path, problems)
    if mapping is None or doc is None or problems:
        raise ProblemsError(problems)
    problems = _check_mapping(mapping, doc, questionnaire)
    if problems:
        raise ProblemsError(problems)
    return mapping, doc


def _headers(table: Table) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for index, cell in enumerate(table.header, start=1):
        text = header_text(cell)
        if text:
            out.setdefault(_norm(text), []).append(index)
    return out


def _duplicate(report: _Report, header: str, indexes: list[int]) -> None:
    letters = " en ".join(column_letter(i) for i in indexes)
    report.header_cell(
        indexes[1],
        "import.duplicate-column",
        f"de kolomkop {_shown(header)} staat in meer dan één kolom ({letters}); Ketenscan weet "
        "niet welke het moet lezen. Geef de kolommen verschillende koppen of haal er één weg",
    )


def _resolve_catalogue(table: Table, questionnaire: Questionnaire, report: _Report) -> list[Column]:
    catalogue = _catalogue(questionnaire)
    headers = _headers(table)
    columns: list[Column] = []
    taken: dict[Target, Column] = {}
    submitted: list[tuple[int, Column]] = []
    for norm, indexes in headers.items():
        priority = _SUBMITTED.index(norm) if norm in _SUBMITTED else None
        target = catalogue.get(norm)
        if target is None and priority is None:
            continue  # a column the questionnaire does not know: metadata, ignored
        if len(indexes) > 1:
            _duplicate(report, report.headers[indexes[0]], indexes)
            continue
        column = Column(indexes[0], report.headers[indexes[0]], target or Target("submitted"))
        if priority is not None:
            submitted.append((priority, column))
            continue
        assert target is not None
        if target in taken:
            other = taken[target]
            report.header_cell(
                column.index,
                "import.duplicate-column",
                f"de kolommen {column_letter(other.index)} ({_shown(other.header)}) en "
                f"{column_letter(column.index)} ({_shown(column.header)}) bevatten allebei "
                f"'{target.field}'; haal er één weg",
            )
            continue
        taken[target] = column
        columns.append(column)
    if submitted:
        columns.append(min(submitted, key=lambda pair: pair[0])[1])
    found = {column.target.key for column in columns if column.target.kind == "statement"}
    if not found:
        _wrong_sheet(table, report, catalogue=catalogue)
        return []
    missing = [s for s in questionnaire.statement_order if s not in found]
    if missing:
        shown = ", ".join(missing[:5]) + (f" en nog {len(missing) - 5}" if len(missing) > 5 else "")
        report.at(
            table.header_row,
            1,
            "import.missing-column",
            f"rij {table.header_row} (de kolomkoppen): {len(missing)} stelling(en) hebben geen "
            f"kolom: {shown}. Elke stelling van de vragenlijst hoort een kolom te hebben; is dit "
            "een export van een ander formulier? Gebruik anders --mapping",
        )
    for kind, name in (("organisation", "respondent.organisation"), ("role", "respondent.role")):
        if Target(kind) not in taken:
            report.at(
                table.header_row,
                1,
                "import.missing-column",
                f"rij {table.header_row} (de kolomkoppen): geen kolom '{name}' gevonden "
                f"(ook niet '{_ALIASES[('respondent', kind)][0]}'); die is nodig voor elke partner",
            )
    return columns


def _wrong_sheet(
    table: Table,
    report: _Report,
    *,
    catalogue: Mapping[str, Target] | None = None,
    wanted: set[str] | None = None,
) -> None:
    def fits(headers: Iterable[str]) -> bool:
        for header in headers:
            norm = _norm(header)
            if wanted is not None and norm in wanted:
                return True
            if catalogue is not None and norm in catalogue and catalogue[norm].kind == "statement":
                return True
        return False

    names = {name.casefold() for name in table.sheets}
    others = [name for name, headers in table.other_headers.items() if fits(headers)]
    if {"survey", "choices"} <= names:
        message = (
            "dit is het formulier zelf (XLSForm), geen export van de antwoorden. Zet het "
            "formulier in KoboToolbox of ODK Central, laat partners het invullen en lees de "
            "export van de antwoorden in"
        )
    elif others:
        message = (
            f"het werkblad {_shown(table.sheet or '')} heeft geen kolommen van de vragenlijst; "
            f"het werkblad {_shown(others[0])} wel. Kies het met --sheet {_shown(others[0])}"
        )
    else:
        where = f" van werkblad {_shown(table.sheet)}" if table.sheet else ""
        message = (
            f"in rij {table.header_row}{where} staat geen enkele kolom van de vragenlijst. "
            + (
                "Staan de kolomkoppen in een andere rij, of is dit een ander werkblad?"
                if wanted is not None
                else "Komt het bestand uit LimeSurvey, Microsoft Forms of een eigen "
                "spreadsheet? Zeg dan met --mapping welke kolom welke stelling is"
            )
        )
    report.at(table.header_row, 1, "import.wrong-sheet", message)


def _resolve_mapping(
    table: Table, mapping: ImportMapping, doc: LoadedYaml, report: _Report
) -> list[Column]:
    headers = _headers(table)
    wanted = _mapping_targets(mapping)
    if not any(_norm(header) in headers for _, header, _ in wanted):
        _wrong_sheet(table, report, wanted={_norm(header) for _, header, _ in wanted})
        return []
    columns: list[Column] = []
    used: dict[int, tuple[str | int, ...]] = {}
    known = [report.headers[i] for i in sorted(report.headers) if report.headers[i]]
    for loc, header, target in wanted:
        indexes = headers.get(_norm(header))
        if not indexes:
            report.problems.append(
                doc.problem(
                    list(loc),
                    "mapping.unknown-column",
                    f"de kolom {_shown(header)} staat niet in rij {table.header_row} van "
                    f"{table.display}.{suggest(header, known)}",
                )
            )
            continue
        if len(indexes) > 1:
            _duplicate(report, report.headers[indexes[0]], indexes)
            continue
        if indexes[0] in used:
            report.problems.append(
                doc.problem(
                    list(loc),
                    "mapping.same-column",
                    f"de kolom {_shown(header)} is al gekoppeld aan "
                    f"'{'.'.join(str(step) for step in used[indexes[0]])}'; elke kolom hoort bij "
                    "één antwoord",
                )
            )
            continue
        used[indexes[0]] = loc
        columns.append(Column(indexes[0], report.headers[indexes[0]], target))
    return columns


# --------------------------------------------------------------------------------- cells


def _scale(
    cell: Cell, words: Mapping[str, int | None], hint: str
) -> tuple[int | None, str | None, str | None]:
    """(value, problem code, problem message) of a cell in a 1..5 column."""
    if cell.empty:
        return None, None, None
    if cell.kind in ("formula", "error"):
        return None, "import.formula", _FORMULA
    if cell.kind == "bool":
        return None, "import.invalid-score", hint
    if cell.kind == "date":
        return (
            None,
            "import.invalid-score",
            (
                "een datum is geen score; heeft het spreadsheetprogramma een antwoord als datum "
                f"gelezen? {hint}"
            ),
        )
    value = cell.value
    if cell.kind == "number" and isinstance(value, (int, float)):
        if not float(value).is_integer():
            return None, "import.invalid-score", f"geen geheel getal; {hint}"
        key = str(int(value))
    else:
        key = _norm(str(value))
    if key in words:
        return words[key], None, None
    text = str(value).strip()
    if _DECIMAL_COMMA.match(text):
        return (
            None,
            "import.invalid-score",
            (f"een getal met een decimale komma, als tekst; {hint}"),
        )
    if _WHOLE_NUMBER.match(text):
        return None, "import.invalid-score", f"buiten de schaal; {hint}"
    if _DECIMAL_POINT.match(text):
        return None, "import.invalid-score", f"geen geheel getal; {hint}"
    if text.startswith("="):
        return None, "import.formula", _FORMULA
    return (
        None,
        "import.invalid-score",
        (
            f"onbekend antwoord; {hint}. Staat deze tekst in de export voor een score? Zet hem "
            "dan onder 'values:' in het mappingbestand"
            + suggest(_norm(text), [w for w in words if not w.isdigit()])
        ),
    )


_FORMULA = (
    "Ketenscan rekent geen formules uit en neemt hun uitkomst niet over. Zet de waarde zelf "
    "in de cel (kopiëren en 'plakken als waarden')"
)


def _text(cell: Cell) -> str:
    value = cell.value
    if isinstance(value, float):
        return _number_text(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    return "" if value is None else str(value)


def _date(cell: Cell) -> tuple[dt.date | None, str | None]:
    value = cell.value
    if cell.kind == "date":
        if isinstance(value, dt.datetime):
            return value.date(), None
        if isinstance(value, dt.date):
            return value, None
        return None, "een tijd zonder datum; verwacht een datum"
    if cell.kind in ("formula", "error"):
        return None, _FORMULA
    if cell.kind != "text":
        return None, "geen datum; schrijf de datum als 2025-10-14 of maak er een datumcel van"
    text = str(value).strip()
    iso = _ISO_DATE.match(text)
    if iso:
        try:
            return dt.date(int(iso[1]), int(iso[2]), int(iso[3])), None
        except ValueError:
            return None, "deze datum bestaat niet; schrijf jaar-maand-dag, zoals 2025-10-14"
    if _OTHER_DATE.match(text):
        return None, (
            "een datum als tekst in een andere volgorde dan jaar-maand-dag; bij 03-04-2025 is "
            "niet zeker of het 3 april of 4 maart is. Schrijf 2025-04-03 of maak er een "
            "datumcel van"
        )
    return None, "geen datum; schrijf de datum als 2025-10-14 of maak er een datumcel van"


def _levels(text: str, words: Mapping[str, str]) -> tuple[list[str], str | None]:
    """Level ids named in one cell: ids or titles, separated by spaces, commas or ';'.

    A title holds spaces ('Intensief en specialistisch'), so the longest known name at
    each place wins.
    """
    rest = _norm(text)
    names = sorted(words, key=len, reverse=True)
    found: list[str] = []
    while rest:
        rest = rest.lstrip(" ,;|\n")
        if not rest:
            break
        for name in names:
            if rest.startswith(name) and (len(rest) == len(name) or rest[len(name)] in " ,;|\n"):
                found.append(words[name])
                rest = rest[len(name) :]
                break
        else:
            unknown = re.split(r"[ ,;|\n]", rest, maxsplit=1)[0]
            return found, unknown
    return found, None


@dataclass
class _Row:
    """One row and its answer document (None when the row has problems)."""

    number: int
    document: dict[str, Any] | None
    respondent: str
    organisation: str
    id_column: Column
    id_cell: Cell
    answered: int
    dont_know: int


class _RowReader:
    """Reads the cells of one row into the parts of an answer document."""

    def __init__(
        self,
        number: int,
        questionnaire: Questionnaire,
        words: _Vocabulary,
        report: _Report,
        expected: Mapping[str, str],
        today: dt.date,
    ) -> None:
        self.number = number
        self.questionnaire = questionnaire
        self.instrument = questionnaire.instrument
        self.words = words
        self.report = report
        self.expected = expected
        self.answers: dict[str, int | None] = dict.fromkeys(questionnaire.statement_order)
        self.scales: dict[str, dict[str, int]] = {"importance": {}, "ambition": {}}
        self.texts: dict[str, dict[str, str]] = {"comment": {}, "open": {}}
        self.levels: set[str] = set()
        self.organisation = ""
        self.role = ""
        self.own_id = ""
        self.submitted = today
        self.answered = self.dont_know = self.filled = 0
        self.scale_hint = (
            "een score is een geheel getal van 1 tot en met 5, of leeg of "
            f"'{self.instrument.dont_know_label}' voor 'weet niet'"
        )

    def problem(self, column: Column, cell: Cell, code: str, message: str) -> None:
        """A problem at a cell of this row."""
        self.report.cell(self.number, column, cell, code, message)

    def read(self, column: Column, cell: Cell) -> None:
        """Take in one cell of the row."""
        kind = column.target.kind
        if kind in ("statement", "importance", "ambition"):
            self.read_scale(column, cell)
        elif cell.kind in ("formula", "error"):
            self.problem(column, cell, "import.formula", _FORMULA)
        elif kind == "level-column":
            self.read_level_column(column, cell)
        elif kind == "submitted":
            self.read_date(column, cell)
        else:
            text_readers = {
                "organisation": self.read_organisation,
                "role": self.read_role,
                "respondent-id": self.read_id,
                "comment": self.read_text,
                "open": self.read_text,
                "levels": self.read_levels,
                "check": self.read_check,
            }
            text_readers[kind](column, cell, _text(cell))

    def read_scale(self, column: Column, cell: Cell) -> None:
        """A statement, importance or ambition: 1..5 or 'weet niet'."""
        kind, key = column.target.kind, column.target.key
        hint = (
            self.scale_hint
            if kind == "statement"
            else "kies een geheel getal van 1 tot en met 5, of laat de cel leeg"
        )
        value, code, message = _scale(cell, getattr(self.words, kind), hint)
        if code is not None and message is not None:
            self.problem(column, cell, code, message)
        elif kind != "statement":
            if value is not None:
                self.scales[kind][key] = value
        else:
            self.answers[key] = value
            self.filled += not cell.empty
            if value is None:
                self.dont_know += 1
            else:
                self.answered += 1

    def read_organisation(self, column: Column, cell: Cell, text: str) -> None:
        """The organisation's name: required, at most the short-text limit."""
        self.organisation = text.strip()
        if not self.organisation:
            self.problem(
                column, cell, "import.missing-value", "vul de naam van de partnerorganisatie in"
            )
        elif len(self.organisation) > SHORT_TEXT_MAX:
            self.problem(
                column,
                cell,
                "import.text-too-long",
                f"de naam is {len(self.organisation)} tekens lang; hooguit {SHORT_TEXT_MAX}",
            )

    def read_role(self, column: Column, cell: Cell, text: str) -> None:
        """The role: an id, a label or a text the mapping names."""
        if not text.strip():
            self.problem(
                column,
                cell,
                "import.missing-value",
                "vul de rol van de partner in, zoals 'wijkteam'",
            )
            return
        found = self.words.roles.get(_norm(text))
        if found is None:
            self.problem(
                column,
                cell,
                "import.invalid-value",
                f"dat is geen rol uit de lijst.{suggest(_norm(text), self.words.roles)} Gebruik "
                "de id of de naam uit roles.yaml, of zet de tekst onder 'roles:' in het "
                "mappingbestand",
            )
        else:
            self.role = found

    def read_id(self, column: Column, cell: Cell, text: str) -> None:
        """An own respondent id, instead of one made from the name."""
        self.own_id = text.strip()
        if self.own_id and not is_slug(self.own_id):
            self.problem(
                column,
                cell,
                "import.invalid-value",
                "geen geldige id; gebruik alleen kleine letters, cijfers en streepjes, hooguit "
                f"{SLUG_MAX} tekens, zoals 'buurtzorg-jong'",
            )

    def read_text(self, column: Column, cell: Cell, text: str) -> None:
        """A comment or an open answer, kept exactly as written."""
        if not text.strip():
            return
        if len(text) > TEXT_MAX:
            self.problem(
                column,
                cell,
                "import.text-too-long",
                f"de tekst is {len(text)} tekens lang; hooguit {TEXT_MAX}",
            )
        else:
            self.texts[column.target.kind][column.target.key] = text

    def read_levels(self, column: Column, cell: Cell, text: str) -> None:
        """Intervention levels named in one cell."""
        found, unknown = _levels(text, self.words.levels)
        self.levels.update(found)
        if unknown is not None:
            choices = ", ".join(level.id for level in self.instrument.intervention_levels)
            self.problem(
                column,
                cell,
                "import.invalid-value",
                f"'{unknown}' is geen interventieniveau.{suggest(unknown, self.words.levels)} "
                f"Kies uit: {choices} (of hun namen), gescheiden door spaties, komma's of "
                "puntkomma's",
            )

    def read_level_column(self, column: Column, cell: Cell) -> None:
        """A yes/no column of one intervention level."""
        if cell.empty:
            return
        flag = ("1" if cell.value else "0") if cell.kind == "bool" else _norm(_text(cell))
        if flag in _YES or flag in self.words.levels:
            self.levels.add(column.target.key)
        elif flag not in _NO:
            self.problem(
                column,
                cell,
                "import.invalid-value",
                "verwacht ja of nee (of 1/0, Y/N, x, of leeg) voor dit interventieniveau",
            )

    def read_check(self, column: Column, cell: Cell, text: str) -> None:
        """A hidden field of the XLSForm: the row belongs to this questionnaire and round."""
        key = column.target.key
        want = self.expected[key]
        if text.strip() and text.strip() != want:
            what = {"instrument": "vragenlijst", "municipality": "gemeente", "round": "ronde"}[key]
            self.problem(
                column,
                cell,
                "import.other-form",
                f"deze rij is ingevuld met het formulier van een andere {what}; hier hoort "
                f"'{want}'. Lees de export in bij de goede gemeente en ronde",
            )

    def read_date(self, column: Column, cell: Cell) -> None:
        """The date the answers were given."""
        if cell.empty:
            return
        found, message = _date(cell)
        if message is not None:
            self.problem(column, cell, "import.invalid-date", message)
        elif found is not None:
            self.submitted = found

    def document(self, respondent: str) -> dict[str, Any]:
        """The answer document in the online form's shape: empty parts left out."""
        instrument = self.instrument
        order = [factor.id for factor in instrument.factors()]
        document: dict[str, Any] = {
            "instrument": instrument.ref,
            "municipality": self.expected["municipality"],
            "round": self.expected["round"],
            "respondent": {"id": respondent, "organisation": self.organisation, "role": self.role},
            "submitted": self.submitted.isoformat(),
            "answers": self.answers,
        }
        for part in ("importance", "ambition"):
            values = self.scales[part]
            if values:
                document[part] = {f: values[f] for f in order if f in values}
        if self.levels:
            document["levels_offered"] = [
                level.id for level in instrument.intervention_levels if level.id in self.levels
            ]
        comments = self.texts["comment"]
        if comments:
            document["comments"] = {f: comments[f] for f in order if f in comments}
        answers = self.texts["open"]
        if answers:
            document["open"] = {
                k: answers[k] for k in ("goes_well", "change_first") if k in answers
            }
        return document


def _convert_row(
    number: int,
    cells: list[Cell],
    columns: list[Column],
    constant_null: list[str],
    reader: _RowReader,
) -> _Row | None:
    """The row with its answer document; its problems go to the report."""
    report = reader.report
    before = len(report.problems)
    by_kind: dict[str, Column] = {}
    for column in columns:
        by_kind.setdefault(column.target.kind, column)
        reader.read(column, table_cell(cells, column.index))
    for statement in constant_null:
        reader.answers[statement] = None
        reader.dont_know += 1
    statement_columns = [c for c in columns if c.target.kind == "statement"]
    if statement_columns and reader.filled == 0 and len(report.problems) == before:
        report.at(
            number,
            statement_columns[0].index,
            "import.no-answers",
            f"rij {number} heeft bij geen enkele stelling een antwoord; is de vragenlijst niet "
            "afgemaakt? Haal de rij weg (in LimeSurvey: exporteer alleen volledige antwoorden)",
            field_name="answers",
        )
    org_column = by_kind["organisation"]
    id_column = by_kind.get("respondent-id") if reader.own_id else None
    respondent = reader.own_id or slugify(reader.organisation)
    if reader.organisation and not respondent:
        reader.problem(
            org_column,
            table_cell(cells, org_column.index),
            "import.invalid-value",
            "van deze naam kan geen bestandsnaam worden gemaakt (er staan geen letters of "
            "cijfers in); voeg een kolom met een id toe (respondent.id)",
        )
    if not respondent:
        return None
    column = id_column or org_column
    return _Row(
        number,
        reader.document(respondent) if len(report.problems) == before else None,
        respondent,
        reader.organisation,
        column,
        table_cell(cells, column.index),
        reader.answered,
        reader.dont_know,
    )


# ------------------------------------------------------------------------------ the plan


def _empty_rows(report: _Report, numbers: list[int]) -> None:
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


def _merged_cells(table: Table, columns: list[Column], last_row: int, report: _Report) -> None:
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
    if not workspace.is_dir():
        raise ProblemsError(
            [
                file_problem(
                    workspace.as_posix(),
                    "workspace.missing",
                    "deze map bestaat niet; geef de map van een werkruimte op",
                )
            ]
        )
    questionnaire = questionnaire_for(workspace, load_settings(workspace))
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
    report = _Report(table)
    for index, cell in enumerate(table.header, start=1):
        if cell.kind in ("formula", "error"):
            report.header_cell(index, "import.formula", f"de kolomkop {describe(cell)}; {_FORMULA}")
    if mapping is not None and mapping_doc is not None:
        columns = _resolve_mapping(table, mapping, mapping_doc, report)
        constant_null = [s for s, header in mapping.answers.items() if header is None]
    else:
        columns = _resolve_catalogue(table, questionnaire, report)
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
    words = _Vocabulary.of(questionnaire, mapping)
    expected = {
        "instrument": questionnaire.instrument.ref,
        "municipality": municipality,
        "round": round_slug,
    }
    rows = []
    for number, cells in data_rows:
        reader = _RowReader(
            number, questionnaire, words, report, expected, today or dt.date.today()
        )
        row = _convert_row(number, cells, columns, constant_null, reader)
        if row is not None:
            rows.append(row)
    plan = ImportPlan(display, table.sheet)
    plan.files = _plan_files(
        rows, round_dir / ANSWERS_DIR, replace, questionnaire, report, expected
    )
    if any(p.severity == "error" for p in report.problems):
        raise ProblemsError(report.problems)
    plan.warnings = sorted(report.problems)
    return plan


def _plan_files(
    rows: list[_Row],
    answers_dir: Path,
    replace: bool,
    questionnaire: Questionnaire,
    report: _Report,
    expected: Mapping[str, str],
) -> list[PlannedFile]:
    """The file of every row: one per organisation, never over an existing one unasked."""
    files: list[PlannedFile] = []
    first_row: dict[str, _Row] = {}
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
                f"({_shown(earlier.organisation)}); elke organisatie vult één keer in. Haal de "
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
    row: _Row,
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
