"""What a live session leaves behind: `workshop.yaml` in the round's folder, and its votes
as CSV.

Ending a session merges what it decided into the round's `workshop.yaml` (the template's
layout, `workshop_template.render_for`): the agreed levels it recorded replace those of the
same factors, its actions are added, the roles that took part join `participants`, and
everything else in an existing file (notes, earlier levels and actions, the date) stays.
The new text is checked with the workshop model before it replaces the file in one
atomic rename; a file that does not validate is never overwritten.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import sqlite3
from pathlib import Path
from typing import Any

from assessment.errors import Problem, ProblemsError, display_path, file_problem
from assessment.interop.tables import neutralise
from assessment.limits import min_group_size
from assessment.messages import load_model, validate_document
from assessment.models import Action, Settings, Workshop
from assessment.paths import MUNICIPALITIES_DIR, MUNICIPALITY_FILE
from assessment.server.files import write_atomically
from assessment.server.invitations import ZONE, slugify
from assessment.server.live import sessions
from assessment.server.store import connect
from assessment.workshop_template import (
    TemplateInputs,
    WorkshopValues,
    render_for,
    template_inputs,
    workshop_path,
)
from assessment.workspace import unknown_municipality
from assessment.yamlio import parse_yaml


def prepare(
    workspace: Path, settings: Settings, municipality: str, round_slug: str
) -> tuple[str, dict[str, Any]]:
    """Check that the round exists; the first factor and, per factor, the mean of the
    questionnaire scores with its n (only from the minimum group size on)."""
    folder = workspace / MUNICIPALITIES_DIR / municipality
    if not (folder / MUNICIPALITY_FILE).is_file():
        raise ProblemsError([unknown_municipality(workspace / MUNICIPALITIES_DIR, municipality)])
    inputs = template_inputs(workspace, municipality, round_slug)
    smallest = min_group_size(settings.thresholds.min_group_size, "internal")
    reference = {
        factor: {"mean": round(figures.mean, 2), "n": figures.n}
        for factor, figures in inputs.figures.items()
        if figures.mean is not None and figures.n >= smallest
    }
    first = inputs.questionnaire.instrument.factors()[0].id
    return first, reference


def merged_values(
    existing: Workshop | None,
    inputs: TemplateInputs,
    session: sessions.Session,
    roles: list[str],
    decided: dict[str, sessions.Decision],
    actions: list[sessions.ActionRow],
) -> WorkshopValues:
    """The values of the merged file: the existing one's, with the session's added."""
    if existing is not None:
        values = WorkshopValues(
            date=existing.date,
            participants=list(existing.participants),
            consensus={f: (a.score, a.rationale) for f, a in existing.consensus.items()},
            notes={p: t for p, t in existing.notes.items() if t},
            actions=list(existing.actions),
        )
    else:
        values = WorkshopValues(actions=list(inputs.carried))
    if values.date is None:
        values.date = session.created_at.astimezone(ZONE).date()
    values.participants = list(dict.fromkeys([*values.participants, *roles]))
    for factor, decision in decided.items():
        if decision.score is not None:
            values.consensus[factor] = (decision.score, decision.rationale)
    taken = {a.id for a in values.actions}
    written = {(a.id, a.title) for a in values.actions}
    for row in actions:
        if (row.slug, row.title) in written:  # merged before (the session was ended twice)
            continue
        base = row.slug or slugify(row.title) or "actie"
        slug, number = base, 2
        while slug in taken:
            slug = f"{base[:60]}-{number}"
            number += 1
        taken.add(slug)
        values.actions.append(
            Action(
                id=slug,
                title=row.title,
                factors=row.factors,
                owner=row.owner,
                due=row.due,
                status="gepland",
            )
        )
    return values


def write_workshop(workspace: Path, db_path: Path, session: sessions.Session) -> Path:
    """Merge the session into the round's workshop.yaml; returns its path.

    Runs in a thread of its own, with a connection of its own (reading only)."""
    conn = connect(db_path)
    try:
        return _write(workspace, conn, session)
    finally:
        conn.close()


def _write(workspace: Path, conn: sqlite3.Connection, session: sessions.Session) -> Path:
    target = workshop_path(workspace, session.municipality, session.round)
    inputs = template_inputs(workspace, session.municipality, session.round)
    existing = None
    if target.exists():
        problems: list[Problem] = []
        existing, _ = load_model(Workshop, target, problems)
        errors = [p for p in problems if p.severity == "error"]
        if errors or existing is None:
            raise ProblemsError(
                errors
                or [file_problem(display_path(target), "live.workshop-invalid", "onleesbaar")]
            )
    values = merged_values(
        existing,
        inputs,
        session,
        sessions.participant_roles(conn, session.id),
        sessions.decisions(conn, session.id),
        sessions.actions(conn, session.id),
    )
    text = render_for(inputs, values)
    problems = []
    shown = display_path(target)
    try:
        document = parse_yaml(text.encode("utf-8"), shown, target)
    except ProblemsError as error:  # pragma: no cover - our own template
        problems = error.problems
    else:
        _, problems = validate_document(Workshop, document)
    if problems:
        raise ProblemsError(
            [
                file_problem(
                    shown,
                    "live.workshop-invalid",
                    "het verslag van de sessie is niet geldig en is niet geschreven: "
                    + problems[0].message,
                )
            ]
        )
    write_atomically(target, text)
    return target


CSV_COLUMNS = ["municipality", "round", "session", "factor", "participant", "role", "value",
               "changes", "at"]  # fmt: skip


def votes_csv(conn: sqlite3.Connection, session: sessions.Session) -> str:
    """Every vote of a session: the participant's random id and role, never a name."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in sessions.vote_rows(conn, session.id):
        at = dt.datetime.fromisoformat(row["at"]).astimezone(ZONE)
        writer.writerow(
            [
                session.municipality,
                session.round,
                session.code,
                row["factor"],
                row["public_id"],
                neutralise(row["role"]),
                "weet niet" if row["value"] is None else row["value"],
                row["changes"],
                at.strftime("%Y-%m-%d %H:%M:%S"),
            ]
        )
    return "\ufeff" + out.getvalue()
