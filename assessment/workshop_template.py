"""The commented `workshop.yaml` template (SPEC §9): the ids of every factor, the round's
discussion points and recommendations as guidance, and the open actions of the previous
workshop carried over with their ids, ready for their status to be updated."""

from __future__ import annotations

import datetime as dt
import os
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from assessment.analysis import analyse
from assessment.errors import ProblemsError, display_path, file_problem
from assessment.formatting import is_missing, number
from assessment.instrument import Questionnaire
from assessment.models import ACTION_STATUSES, OPEN_STATUSES, Action
from assessment.paths import MUNICIPALITIES_DIR, WORKSHOP_FILE
from assessment.schema import SCHEMA_DIR, SCHEMA_FILES
from assessment.workspace import load_workspace
from assessment.yamlio import quote_yaml_string

_WIDTH = 88


@dataclass(frozen=True)
class FactorFigures:
    """What the template says beside a factor: the mean of the partners and its range."""

    mean: float | None
    low: float | None
    high: float | None
    n: int


@dataclass(frozen=True)
class Point:
    """A discussion point as the template lists it."""

    id: str
    label: str
    consensus: float
    low: int
    high: int


@dataclass
class WorkshopValues:
    """What a filled-in template holds (empty for a new one; the demo fills it)."""

    date: dt.date | None = None
    participants: list[str] = field(default_factory=list)
    consensus: dict[str, tuple[int | None, str | None]] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    actions: list[Action] = field(default_factory=list)


def _comment(text: str, indent: str = "", first: str = "") -> list[str]:
    lines = textwrap.wrap(
        " ".join(text.split()),
        width=_WIDTH - len(indent) - 2 - len(first),
        break_long_words=False,
        break_on_hyphens=False,
    )
    return [
        f"{indent}# {first if index == 0 else ' ' * len(first)}{line}".rstrip()
        for index, line in enumerate(lines)
    ]


def _text(value: str | None) -> str:
    return "null" if value is None else quote_yaml_string(value)


def render_workshop_template(
    questionnaire: Questionnaire,
    *,
    municipality: str,
    round_slug: str,
    figures: dict[str, FactorFigures],
    points: list[Point],
    recommendations: list[tuple[str, str, str | None]],
    previous_round: str | None = None,
    values: WorkshopValues | None = None,
    schema: str | None = None,
) -> str:
    """A `workshop.yaml` with every factor id, guidance comments and the given values.

    `recommendations` holds (rule id, title, factor title or None); the actions in
    `values` (for a new file: the open actions of `previous_round`) are written out.
    """
    values = values or WorkshopValues()
    instrument = questionnaire.instrument
    levels = ", ".join(f"{step.value} = {step.label}" for step in instrument.scale)
    out: list[str] = []
    if schema:
        out.append(f"# yaml-language-server: $schema={schema}")
    out += [
        f"# {instrument.title} — verslag van de workshop (vragenlijst versie {instrument.version})",
        "#",
        "# Hierin legt u vast wat de partners in de workshop samen afspraken:",
        "# - date: de datum van de workshop; participants: de rollen die meededen.",
        "# - consensus: per factor het niveau dat de groep samen koos, met een korte",
        "#   onderbouwing. Laat score null staan als de groep het niveau niet besprak.",
        "# - notes: korte notities per gesprekspunt (alleen op de site voor de partners).",
        "# - actions: de afgesproken acties. Een actie houdt haar id in alle volgende rondes.",
        "# - Tekst met een dubbele punt of een # erin zet u tussen dubbele aanhalingstekens.",
        "# - Vul geen namen of e-mailadressen van personen in.",
        "# - Controleer het bestand met: ketenscan validate <werkruimte>",
        "",
        f"instrument: {instrument.ref}",
        f"municipality: {municipality}",
        f"round: {round_slug}",
        f"date: {values.date.isoformat() if values.date else 'null'}"
        "  # datum van de workshop, bijvoorbeeld 2025-11-20",
        "",
        "# Wie deden mee? Schrijf de rol-id's tussen de haken, gescheiden door komma's:",
    ]
    for role in questionnaire.roles.values():
        out += _comment(f"{role.id} = {role.label}", "", "  ")
    out += [f"participants: [{', '.join(values.participants)}]", ""]
    out += _comment(f"Het niveau dat de groep samen vaststelt: {levels}.")
    out.append("consensus:")
    for section in instrument.sections:
        out += ["  # " + "=" * (_WIDTH - 4), *_comment(section.title, "  ")]
        for factor in section.factors:
            shown = figures.get(factor.id)
            if shown is not None and shown.mean is not None:
                out += _comment(
                    f"{factor.title}: gemiddelde van de partners {number(shown.mean)} "
                    f"(van {number(shown.low)} tot {number(shown.high)}; n={shown.n})",
                    "  ",
                )
            else:
                out += _comment(f"{factor.title}: nog geen gemiddelde", "  ")
            score, rationale = values.consensus.get(factor.id, (None, None))
            out.append(
                f"  {factor.id}: {{score: {'null' if score is None else score}, "
                f"rationale: {_text(rationale)}}}"
            )
    out += [""]
    if points:
        out += _comment(
            "Notities per gesprekspunt (id van een stelling of factor). De gesprekspunten van "
            "deze ronde, het meest verdeelde eerst:"
        )
        out.append("notes:")
        for point in points:
            out += _comment(
                f"{point.label} — eensgezindheid {number(point.consensus, 2)}; "
                f"{point.low} laag (1–2), {point.high} hoog (4–5)",
                "  ",
            )
            out.append(f"  {point.id}: {_text(values.notes.get(point.id))}")
        extra = [p for p in values.notes if p not in {point.id for point in points}]
    else:
        out += _comment(
            "Notities per stelling of factor (id). Deze ronde heeft geen gesprekspunten."
        )
        extra = list(values.notes)
        out.append("notes:" if extra else "notes: {}")
    out += [f"  {point}: {_text(values.notes[point])}" for point in extra]
    out += [""]
    out += _comment(
        "Acties. Elke actie heeft: id (kleine letters, cijfers en streepjes; blijft gelijk in "
        "volgende rondes), title, factors (één of meer factor-id's), recommendation (id van de "
        "aanbeveling die u overneemt, of null), owner (rol-id van de trekker), due "
        "(streefdatum), status (" + ", ".join(ACTION_STATUSES) + ") en measure (hoe we zien "
        "dat het werkt)."
    )
    if recommendations:
        out += ["#", "# Aanbevelingen van deze ronde, op volgorde van prioriteit:"]
        for rule, title, factor_title in recommendations:
            out += _comment(
                f"{rule}: {title}" + (f" ({factor_title})" if factor_title else ""), "", "  "
            )
    carried = [a for a in values.actions if a.status in OPEN_STATUSES]
    if previous_round is not None and carried:
        out += [
            "#",
            *_comment(
                f"Open acties uit ronde {previous_round}: werk de status bij en laat id en "
                "factors staan (een actie met een andere betekenis krijgt een nieuwe id)."
            ),
        ]
    if not values.actions:
        out += [
            "# Voorbeeld:",
            "#   - id: vaste-contactpersonen",
            '#     title: "Lijst met vaste contactpersonen bijwerken en delen"',
            "#     factors: [samenwerkingscultuur]",
            "#     recommendation: null",
            "#     owner: gemeente",
            "#     due: 2026-03-01",
            "#     status: gepland",
            '#     measure: "Alle partners hebben de lijst en gebruiken hem."',
            "actions: []",
        ]
    else:
        out.append("actions:")
        for action in values.actions:
            out += [
                f"  - id: {action.id}",
                f"    title: {_text(action.title)}",
                f"    factors: [{', '.join(action.factors)}]",
                f"    recommendation: {action.recommendation or 'null'}",
                f"    owner: {action.owner}",
                f"    due: {action.due.isoformat()}",
                f"    status: {action.status}  # {', '.join(ACTION_STATUSES)}",
                f"    measure: {_text(action.measure)}",
            ]
    return "\n".join(out) + "\n"


def relative_workshop_schema(from_folder: Path, workspace: Path) -> str:
    """Path of the workshop schema as seen from a file in `from_folder`."""
    target = workspace.resolve() / SCHEMA_DIR / SCHEMA_FILES["workshop"]
    return Path(os.path.relpath(target, from_folder.resolve())).as_posix()


def workshop_path(workspace: Path, municipality: str, round_slug: str) -> Path:
    """Where a round's `workshop.yaml` lives."""
    return workspace / MUNICIPALITIES_DIR / municipality / round_slug / WORKSHOP_FILE


def refuse_existing(path: Path) -> None:
    """Raise a problem when the file to write exists already (nothing is overwritten)."""
    if path.exists():
        raise ProblemsError(
            [
                file_problem(
                    display_path(path),
                    "workshop.exists",
                    "dit bestand bestaat al; het sjabloon overschrijft het niet. Kies met "
                    "--output een ander bestand, of haal het oude weg",
                )
            ]
        )


def workshop_template_for(workspace: Path, municipality: str, round_slug: str) -> str:
    """The template of one round of a workspace, with its figures, discussion points,
    recommendations and the previous workshop's open actions."""
    loaded = load_workspace(workspace, only=municipality)
    if municipality in loaded.failed:
        raise ProblemsError([p for p in loaded.failed[municipality] if p.severity == "error"])
    data = loaded.municipalities[municipality]
    rounds = [r.slug for r in data.rounds]
    if round_slug not in rounds:
        folder = workspace / MUNICIPALITIES_DIR / municipality / round_slug
        raise ProblemsError(
            [
                file_problem(
                    display_path(folder),
                    "workshop.unknown-round",
                    f"ronde '{round_slug}' bestaat niet bij {municipality}"
                    + (f"; kies uit {', '.join(rounds)}" if rounds else "")
                    + ". Maak een ronde met 'ketenscan new-round'",
                )
            ]
        )
    analysis = analyse(loaded)
    questionnaire = loaded.questionnaire

    def here(frame: pd.DataFrame) -> list[dict[str, Any]]:
        chosen = frame[(frame["municipality"] == municipality) & (frame["round"] == round_slug)]
        return [{str(k): v for k, v in row.items()} for row in chosen.to_dict("records")]

    figures = {
        str(r["factor"]): FactorFigures(
            _float(r["mean"]), _float(r["min"]), _float(r["max"]), int(r["n"])
        )
        for r in here(analysis.scores.factor_scores)
    }
    texts = {s.id: s.text for s in questionnaire.instrument.statements()}
    titles = {f.id: f.title for f in questionnaire.instrument.factors()}
    points = [
        Point(
            str(p["point"]),
            f"{titles[str(p['point'])]} (factor)"
            if p["kind"] == "factor"
            else f"{texts[str(p['point'])]} (stelling bij {titles[str(p['factor'])]})",
            float(p["consensus"]),
            int(p["low"]),
            int(p["high"]),
        )
        for p in here(analysis.workshop.points)
    ]
    recommendations = [
        (str(r["rule"]), str(r["title"]), titles.get(str(r["factor"])) if r["factor"] else None)
        for r in here(analysis.recommendations)
    ]
    earlier = [r for r in data.rounds if r.slug < round_slug and r.workshop is not None]
    previous = earlier[-1] if earlier else None
    carried = (
        [a for a in previous.workshop.workshop.actions if a.status in OPEN_STATUSES]
        if previous is not None and previous.workshop is not None
        else []
    )
    target = workshop_path(workspace, municipality, round_slug)
    return render_workshop_template(
        questionnaire,
        municipality=municipality,
        round_slug=round_slug,
        figures=figures,
        points=points,
        recommendations=recommendations,
        previous_round=previous.slug if previous is not None else None,
        values=WorkshopValues(actions=carried),
        schema=relative_workshop_schema(target.parent, workspace),
    )


def _float(value: Any) -> float | None:
    return None if is_missing(value) else float(value)
