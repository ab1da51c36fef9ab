"""One row of the sheet read into an answer document."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from assessment.instrument import Questionnaire
from assessment.interop.importing.cells import (
    FORMULA_MESSAGE,
    NO_WORDS,
    YES_WORDS,
    Vocabulary,
    cell_text,
    date_value,
    named_levels,
    scale_value,
)
from assessment.interop.importing.report import Column, Report, normalise
from assessment.interop.sheets import Cell, table_cell
from assessment.limits import SHORT_TEXT_MAX, SLUG_MAX, TEXT_MAX, is_slug
from assessment.messages import suggest


def slugify(text: str) -> str:
    """An id made from an organisation's name, exactly as the online form makes it."""
    text = unicodedata.normalize("NFKD", text)
    text = re.sub("[\u0300-\u036f]", "", text).lower()
    text = re.sub("[^a-z0-9]+", "-", text).strip("-")
    return text[:SLUG_MAX].rstrip("-")


@dataclass
class Row:
    """One row and its answer document (None when the row has problems)."""

    number: int
    document: dict[str, Any] | None
    respondent: str
    organisation: str
    id_column: Column
    id_cell: Cell
    answered: int
    dont_know: int


class RowReader:
    """Reads the cells of one row into the parts of an answer document."""

    def __init__(
        self,
        number: int,
        questionnaire: Questionnaire,
        words: Vocabulary,
        report: Report,
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
            self.problem(column, cell, "import.formula", FORMULA_MESSAGE)
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
            text_readers[kind](column, cell, cell_text(cell))

    def read_scale(self, column: Column, cell: Cell) -> None:
        """A statement, importance or ambition: 1..5 or 'weet niet'."""
        kind, key = column.target.kind, column.target.key
        hint = (
            self.scale_hint
            if kind == "statement"
            else "kies een geheel getal van 1 tot en met 5, of laat de cel leeg"
        )
        value, code, message = scale_value(cell, getattr(self.words, kind), hint)
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
        found = self.words.roles.get(normalise(text))
        if found is None:
            self.problem(
                column,
                cell,
                "import.invalid-value",
                f"dat is geen rol uit de lijst.{suggest(normalise(text), self.words.roles)} "
                "Gebruik de id of de naam uit roles.yaml, of zet de tekst onder 'roles:' in het "
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
        found, unknown = named_levels(text, self.words.levels)
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
        flag = ("1" if cell.value else "0") if cell.kind == "bool" else normalise(cell_text(cell))
        if flag in YES_WORDS or flag in self.words.levels:
            self.levels.add(column.target.key)
        elif flag not in NO_WORDS:
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
        found, message = date_value(cell)
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


def convert_row(
    number: int,
    cells: list[Cell],
    columns: list[Column],
    constant_null: list[str],
    reader: RowReader,
) -> Row | None:
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
    return Row(
        number,
        reader.document(respondent) if len(report.problems) == before else None,
        respondent,
        reader.organisation,
        column,
        table_cell(cells, column.index),
        reader.answered,
        reader.dont_know,
    )
