"""The instrument as an XLSForm, so that ODK Collect, KoboToolbox and Enketo can run it.

An XLSForm is a workbook with three sheets: `survey` (one row per question, note or
group), `choices` (the answer lists) and `settings`. Field names are the ids of the answer
file, so that an export of the collected data maps back onto answer files without a
mapping (`interop.importing`):

| answer file                 | XLSForm field                  | type                    |
|-----------------------------|--------------------------------|-------------------------|
| respondent.organisation     | `respondent.organisation`      | text                    |
| respondent.role             | `respondent.role`              | select_one rollen       |
| levels_offered              | `levels_offered`               | select_multiple niveaus |
| answers.<statement>         | `<statement>`                  | select_one schaal       |
| importance.<factor>         | `importance.<factor>`          | select_one belang       |
| ambition.<factor>           | `ambition.<factor>`            | select_one ambitie      |
| comments.<factor>           | `comments.<factor>`            | text                    |
| open.goes_well / ...        | `open.goes_well` / ...         | text                    |

Names with a dot or an underscore can never equal an id of the instrument (ids are slugs),
so the fields of the form cannot clash with a statement. Sections and factors become
groups named by their ids; every factor is one screen (`field-list`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from assessment.errors import Problem
from assessment.instrument import Questionnaire
from assessment.limits import SHORT_TEXT_MAX, TEXT_MAX, is_slug

LANGUAGE = "Nederlands (nl)"
DONT_KNOW = "weet_niet"  # the choice name of "weet niet / niet van toepassing"
SCALE_LIST = "schaal"
IMPORTANCE_LIST = "belang"
AMBITION_LIST = "ambitie"
ROLE_LIST = "rollen"
LEVEL_LIST = "niveaus"
# Hidden fields that tell the import which questionnaire, municipality and round a
# submission belongs to.
CHECK_FIELDS = {
    "instrument": "ks_instrument",
    "municipality": "ks_municipality",
    "round": "ks_round",
}
ORGANISATION_GROUP = "ks_organisatie"
CLOSING_GROUP = "ks_slot"

SURVEY_COLUMNS = (
    "type",
    "name",
    f"label::{LANGUAGE}",
    f"hint::{LANGUAGE}",
    "required",
    f"required_message::{LANGUAGE}",
    "constraint",
    f"constraint_message::{LANGUAGE}",
    "appearance",
    "calculation",
)
CHOICE_COLUMNS = ("list_name", "name", f"label::{LANGUAGE}")
SETTINGS_COLUMNS = (
    "form_title",
    "form_id",
    "version",
    "default_language",
    "style",
    "instance_name",
)

FieldKind = Literal[
    "statement",
    "importance",
    "ambition",
    "comment",
    "open",
    "organisation",
    "role",
    "levels",
    "check",
]

_NCNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]*$")


@dataclass(frozen=True)
class FormField:
    """One question of the form and the place of its answer in an answer file."""

    name: str
    kind: FieldKind
    target: tuple[str, ...]  # ("answers", "<statement>"), ("respondent", "role"), ...
    label: str
    groups: tuple[str, ...] = ()  # names of the enclosing groups, outermost first
    group_labels: tuple[str, ...] = ()


@dataclass
class XlsForm:
    """The three sheets of an XLSForm as rows of text, and the fields it asks."""

    survey: list[dict[str, str]] = field(default_factory=list)
    choices: list[dict[str, str]] = field(default_factory=list)
    settings: dict[str, str] = field(default_factory=dict)
    fields: list[FormField] = field(default_factory=list)


def field_name(item_id: str) -> str:
    """An instrument id as an XML element name: ids that start with a digit get a '_'."""
    return item_id if _NCNAME.match(item_id) else f"_{item_id}"


def _lines(*parts: str) -> str:
    return "\n".join(" ".join(part.split()) for part in parts)


class _Builder:
    """Adds survey rows and records every answerable field with its group path."""

    def __init__(self, form: XlsForm) -> None:
        self.form = form
        self.groups: list[tuple[str, str]] = []

    def row(self, kind: str, name: str, label: str = "", **extra: str) -> None:
        values = {"type": kind, "name": name, f"label::{LANGUAGE}": label}
        for key, value in extra.items():
            column = key if key in SURVEY_COLUMNS else f"{key}::{LANGUAGE}"
            values[column] = value
        self.form.survey.append(values)

    def ask(
        self,
        kind: str,
        name: str,
        label: str,
        field_kind: FieldKind,
        target: tuple[str, ...],
        **extra: str,
    ) -> None:
        self.row(kind, name, label, **extra)
        self.form.fields.append(
            FormField(
                name,
                field_kind,
                target,
                label,
                tuple(group for group, _ in self.groups),
                tuple(title for _, title in self.groups),
            )
        )

    def begin(self, name: str, label: str, appearance: str = "") -> None:
        if appearance:
            self.row("begin_group", name, label, appearance=appearance)
        else:
            self.row("begin_group", name, label)
        self.groups.append((name, label))

    def end(self) -> None:
        name, _ = self.groups.pop()
        self.form.survey.append({"type": "end_group", "name": name})


def build_xlsform(
    questionnaire: Questionnaire,
    *,
    municipality: str | None = None,
    municipality_name: str | None = None,
    round_slug: str | None = None,
) -> XlsForm:
    """The XLSForm of the instrument; with a municipality and round, bound to that round."""
    instrument = questionnaire.instrument
    questions = instrument.questions
    form = XlsForm()
    add = _Builder(form)
    add.row("start", "start")
    add.row("end", "end")
    calculations = {"instrument": instrument.ref}
    if municipality is not None and round_slug is not None:
        calculations |= {"municipality": municipality, "round": round_slug}
    for key, constant in calculations.items():
        # Hidden: stored with every submission, checked by the import.
        add.ask(
            "calculate",
            CHECK_FIELDS[key],
            "",
            "check",
            (key,),
            calculation=f"'{constant}'",
        )
    where = (
        f" van {municipality_name or municipality}, ronde {round_slug}"
        if municipality is not None
        else ""
    )
    add.row(
        "note",
        "ks_welkom",
        _lines(
            f"Welkom bij de vragenlijst {instrument.title}{where}.",
            "Vul de vragenlijst in namens uw organisatie. Het invullen duurt 10 tot 15 minuten.",
            "Vul geen namen of e-mailadressen van personen in.",
        ),
    )
    add.begin(ORGANISATION_GROUP, "Over uw organisatie", "field-list")
    add.ask(
        "text",
        "respondent.organisation",
        "Naam van uw organisatie",
        "organisation",
        ("respondent", "organisation"),
        hint="Bijvoorbeeld: Buurtzorg Jong Noord. Geen namen van personen.",
        required="yes",
        required_message="Vul de naam van uw organisatie in.",
        constraint=(
            f"string-length(normalize-space(.)) > 0 and string-length(.) <= {SHORT_TEXT_MAX} "
            "and regex(., '[A-Za-z0-9]')"
        ),
        constraint_message=(
            f"Vul de naam van uw organisatie in, met letters of cijfers en hooguit "
            f"{SHORT_TEXT_MAX} tekens."
        ),
    )
    add.ask(
        f"select_one {ROLE_LIST}",
        "respondent.role",
        "Rol van uw organisatie in de keten",
        "role",
        ("respondent", "role"),
        required="yes",
        required_message="Kies de rol van uw organisatie.",
    )
    add.ask(
        f"select_multiple {LEVEL_LIST}",
        "levels_offered",
        questions.levels_offered,
        "levels",
        ("levels_offered",),
        hint="Niet verplicht.",
    )
    add.end()
    total = len(questionnaire.statement_order)
    number = 0
    for section in instrument.sections:
        add.begin(field_name(section.id), section.title)
        add.row("note", f"intro.{section.id}", _lines(section.intro))
        for factor in section.factors:
            add.begin(field_name(factor.id), factor.title, "field-list")
            levels = [
                f"{step.value} {step.label}: {' '.join(text.split())}"
                for step, text in zip(instrument.scale, factor.level_descriptors, strict=True)
            ]
            add.row(
                "note",
                f"uitleg.{factor.id}",
                _lines(factor.explanation) + "\n\nWat de niveaus betekenen:\n" + "\n".join(levels),
            )
            for statement in factor.statements:
                number += 1
                add.ask(
                    f"select_one {SCALE_LIST}",
                    field_name(statement.id),
                    _lines(statement.text),
                    "statement",
                    ("answers", statement.id),
                    hint=f"Stelling {number} van {total}",
                    required="yes",
                    required_message=(
                        "Kies een antwoord. Weet u het niet, kies dan "
                        f"'{instrument.dont_know_label}'."
                    ),
                )
            add.ask(
                f"select_one {IMPORTANCE_LIST}",
                f"importance.{factor.id}",
                _lines(questions.importance),
                "importance",
                ("importance", factor.id),
                hint="Niet verplicht.",
            )
            add.ask(
                f"select_one {AMBITION_LIST}",
                f"ambition.{factor.id}",
                _lines(questions.ambition),
                "ambition",
                ("ambition", factor.id),
                hint="Niet verplicht.",
            )
            add.ask(
                "text",
                f"comments.{factor.id}",
                _lines(questions.comments),
                "comment",
                ("comments", factor.id),
                hint=(
                    f"Niet verplicht. Hooguit {TEXT_MAX} tekens. Noem geen namen van personen "
                    "of gezinnen."
                ),
                appearance="multiline",
                constraint=f"string-length(.) <= {TEXT_MAX}",
                constraint_message=f"Hooguit {TEXT_MAX} tekens.",
            )
            add.end()
        add.end()
    add.begin(CLOSING_GROUP, "Tot slot", "field-list")
    for key, text in (
        ("goes_well", questions.open.goes_well),
        ("change_first", questions.open.change_first),
    ):
        add.ask(
            "text",
            f"open.{key}",
            _lines(text),
            "open",
            ("open", key),
            hint=f"Niet verplicht. Hooguit {TEXT_MAX} tekens.",
            appearance="multiline",
            constraint=f"string-length(.) <= {TEXT_MAX}",
            constraint_message=f"Hooguit {TEXT_MAX} tekens.",
        )
    add.end()

    def choice(list_name: str, name: str, label: str) -> None:
        form.choices.append(
            {"list_name": list_name, "name": name, f"label::{LANGUAGE}": " ".join(label.split())}
        )

    for step in instrument.scale:
        choice(SCALE_LIST, str(step.value), f"{step.value} – {step.label}")
    choice(SCALE_LIST, DONT_KNOW, instrument.dont_know_label)
    for value, text in enumerate(questions.importance_scale, start=1):
        choice(IMPORTANCE_LIST, str(value), f"{value} – {text}")
    for step in instrument.scale:
        choice(AMBITION_LIST, str(step.value), f"{step.value} – {step.label}")
    for role in questionnaire.roles.values():
        choice(ROLE_LIST, role.id, role.label)
    for level in instrument.intervention_levels:
        choice(LEVEL_LIST, level.id, level.title)

    title = instrument.title
    form_id = f"{instrument.id}-{instrument.major}"
    if municipality is not None and round_slug is not None:
        title = f"{title} – {municipality_name or municipality}, ronde {round_slug}"
        form_id = f"{form_id}-{municipality}-{round_slug}"
    form.settings = {
        "form_title": title,
        "form_id": form_id,
        "version": instrument.version,
        "default_language": LANGUAGE,
        "style": "pages",
        "instance_name": "concat(${respondent.organisation}, ' (', ${respondent.role}, ')')",
    }
    return form


def workspace_xlsform(
    workspace: Path, *, municipality: str | None = None, round_slug: str | None = None
) -> XlsForm:
    """The XLSForm of a workspace's questionnaire, bound to a municipality's round if given."""
    from assessment.errors import ProblemsError
    from assessment.messages import load_model
    from assessment.models import Municipality
    from assessment.paths import MUNICIPALITIES_DIR, MUNICIPALITY_FILE
    from assessment.workspace import load_header, unknown_municipality

    _, questionnaire = load_header(workspace)
    name = None
    if municipality is not None:
        gemeenten = workspace / MUNICIPALITIES_DIR
        info_path = gemeenten / municipality / MUNICIPALITY_FILE
        if not is_slug(municipality) or not info_path.is_file():
            raise ProblemsError([unknown_municipality(gemeenten, municipality)])
        problems: list[Problem] = []
        info, _ = load_model(Municipality, info_path, problems)
        if info is None:
            raise ProblemsError(problems)
        name = info.name
    return build_xlsform(
        questionnaire, municipality=municipality, municipality_name=name, round_slug=round_slug
    )


def form_fields(questionnaire: Questionnaire) -> list[FormField]:
    """Every field of the instrument's XLSForm, the hidden check fields included."""
    return build_xlsform(questionnaire, municipality="m", round_slug="r").fields


def write_xlsform(form: XlsForm, out: Path) -> Path:
    """Write the form as an XLSX workbook with the sheets survey, choices and settings."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheets = (
        ("survey", SURVEY_COLUMNS, form.survey),
        ("choices", CHOICE_COLUMNS, form.choices),
        ("settings", SETTINGS_COLUMNS, [form.settings]),
    )
    first = True
    for title, columns, rows in sheets:
        sheet = book.active if first else book.create_sheet()
        assert sheet is not None
        first = False
        sheet.title = title
        for col, name in enumerate(columns, start=1):
            cell = sheet.cell(row=1, column=col, value=name)
            cell.font = Font(bold=True)
        for row_number, row in enumerate(rows, start=2):
            for col, name in enumerate(columns, start=1):
                text = row.get(name, "")
                if text:
                    cell = sheet.cell(row=row_number, column=col, value=text)
                    # Text, never a formula, whatever it starts with.
                    cell.data_type = "s"
                    if "\n" in text:
                        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.freeze_panes = "A2"
        for col, name in enumerate(columns, start=1):
            longest = max(
                [len(name)]
                + [min(len(line), 80) for row in rows for line in row.get(name, "").split("\n")]
            )
            sheet.column_dimensions[get_column_letter(col)].width = min(longest + 2, 82)
    out.parent.mkdir(parents=True, exist_ok=True)
    book.save(out)
    return out
