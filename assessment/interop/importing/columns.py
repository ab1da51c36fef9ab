"""Which column holds which answer, from the XLSForm's field names."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from assessment.instrument import Questionnaire
from assessment.interop.importing.report import Column, Report, Target, normalise, quote_text
from assessment.interop.sheets import Table, column_letter, header_text
from assessment.interop.xlsform import form_fields

# Headers that need no mapping besides the XLSForm's own field names: what a hand-made
# sheet would call the columns, and the submission time that survey tools add.
_ALIASES = {
    ("respondent", "organisation"): ("organisation", "organisatie"),
    ("respondent", "role"): ("role", "rol"),
    ("respondent", "id"): ("respondent.id", "respondent-id", "respondent/id"),
}


# Most telling first: when the partner finished (end) before when the server got it.
_SUBMITTED = ("submitted", "end", "_submission_time", "submissiondate", "submission date")


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
        found.setdefault(normalise(header), set()).add(target)

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


def header_columns(table: Table) -> dict[str, list[int]]:
    """The columns of every header text (compared as `normalise` does); empty headers left out."""
    out: dict[str, list[int]] = {}
    for index, cell in enumerate(table.header, start=1):
        text = header_text(cell)
        if text:
            out.setdefault(normalise(text), []).append(index)
    return out


def report_duplicate(report: Report, header: str, indexes: list[int]) -> None:
    """The problem of a header that stands above more than one column."""
    letters = " en ".join(column_letter(i) for i in indexes)
    report.header_cell(
        indexes[1],
        "import.duplicate-column",
        f"de kolomkop {quote_text(header)} staat in meer dan één kolom ({letters}); Ketenscan weet "
        "niet welke het moet lezen. Geef de kolommen verschillende koppen of haal er één weg",
    )


def resolve_catalogue(table: Table, questionnaire: Questionnaire, report: Report) -> list[Column]:
    """The columns of an XLSForm export, found by their headers; problems go to the report."""
    catalogue = _catalogue(questionnaire)
    headers = header_columns(table)
    columns: list[Column] = []
    taken: dict[Target, Column] = {}
    submitted: list[tuple[int, Column]] = []
    for norm, indexes in headers.items():
        priority = _SUBMITTED.index(norm) if norm in _SUBMITTED else None
        target = catalogue.get(norm)
        if target is None and priority is None:
            continue  # a column the questionnaire does not know: metadata, ignored
        if len(indexes) > 1:
            report_duplicate(report, report.headers[indexes[0]], indexes)
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
                f"de kolommen {column_letter(other.index)} ({quote_text(other.header)}) en "
                f"{column_letter(column.index)} ({quote_text(column.header)}) bevatten allebei "
                f"'{target.field}'; haal er één weg",
            )
            continue
        taken[target] = column
        columns.append(column)
    if submitted:
        columns.append(min(submitted, key=lambda pair: pair[0])[1])
    found = {column.target.key for column in columns if column.target.kind == "statement"}
    if not found:
        report_wrong_sheet(table, report, catalogue=catalogue)
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


def report_wrong_sheet(
    table: Table,
    report: Report,
    *,
    catalogue: Mapping[str, Target] | None = None,
    wanted: set[str] | None = None,
) -> None:
    """The problem of a header row without any column of the questionnaire, and why."""

    def fits(headers: Iterable[str]) -> bool:
        for header in headers:
            norm = normalise(header)
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
            f"het werkblad {quote_text(table.sheet or '')} heeft geen kolommen van de "
            f"vragenlijst; het werkblad {quote_text(others[0])} wel. Kies het met --sheet "
            f"{quote_text(others[0])}"
        )
    else:
        where = f" van werkblad {quote_text(table.sheet)}" if table.sheet else ""
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
