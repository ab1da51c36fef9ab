"""Which column holds which answer, from a mapping file (LimeSurvey, Microsoft Forms, ...)."""

from __future__ import annotations

from pathlib import Path

from assessment.errors import Problem, ProblemsError
from assessment.instrument import Questionnaire
from assessment.interop.importing.columns import (
    header_columns,
    report_duplicate,
    report_wrong_sheet,
)
from assessment.interop.importing.report import Column, Report, Target, normalise, quote_text
from assessment.interop.sheets import Table
from assessment.messages import load_model, suggest
from assessment.models import ImportMapping
from assessment.yamlio import LoadedYaml


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


def resolve_mapping(
    table: Table, mapping: ImportMapping, doc: LoadedYaml, report: Report
) -> list[Column]:
    """The columns a mapping file names, found in the header row; problems go to the report."""
    headers = header_columns(table)
    wanted = _mapping_targets(mapping)
    if not any(normalise(header) in headers for _, header, _ in wanted):
        report_wrong_sheet(table, report, wanted={normalise(header) for _, header, _ in wanted})
        return []
    columns: list[Column] = []
    used: dict[int, tuple[str | int, ...]] = {}
    known = [report.headers[i] for i in sorted(report.headers) if report.headers[i]]
    for loc, header, target in wanted:
        indexes = headers.get(normalise(header))
        if not indexes:
            report.problems.append(
                doc.problem(
                    list(loc),
                    "mapping.unknown-column",
                    f"de kolom {quote_text(header)} staat niet in rij {table.header_row} van "
                    f"{table.display}.{suggest(header, known)}",
                )
            )
            continue
        if len(indexes) > 1:
            report_duplicate(report, report.headers[indexes[0]], indexes)
            continue
        if indexes[0] in used:
            report.problems.append(
                doc.problem(
                    list(loc),
                    "mapping.same-column",
                    f"de kolom {quote_text(header)} is al gekoppeld aan "
                    f"'{'.'.join(str(step) for step in used[indexes[0]])}'; elke kolom hoort bij "
                    "één antwoord",
                )
            )
            continue
        used[indexes[0]] = loc
        columns.append(Column(indexes[0], report.headers[indexes[0]], target))
    return columns
