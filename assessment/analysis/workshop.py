"""The workshop's figures (SPEC §9): discussion points, agreement sheets, the agenda, the
agreed levels beside the mean of the individual scores, and the actions over the rounds.

Pure: from the validated `workshop.yaml` files and the scores to tables. Agreed levels are
kept in tables of their own and never mixed into the individual scores (SPEC §4).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from assessment.analysis.frames import KEYS
from assessment.analysis.scoring import Scores
from assessment.formatting import number, signed
from assessment.limits import LEVEL_EDGES, SCALE
from assessment.models import OPEN_STATUSES

if TYPE_CHECKING:
    from assessment.instrument import Questionnaire
    from assessment.workspace import Workspace

# Answers at or below LOW see the chain as weak, at or above HIGH as strong; a point has
# two camps when each side holds at least CAMP_SHARE of the answers.
LOW, HIGH = 2, 4
CAMP_SHARE = 0.25
DEFAULT_IMPORTANCE = 3.0
TOP = 5  # ambition gaps and priorities shown on the Workshop page


@dataclass(frozen=True)
class AgendaItem:
    """One part of the workshop, minutes counted from the start."""

    start: int
    minutes: int
    title: str
    detail: str

    @property
    def end(self) -> int:
        """Minutes from the start when this part ends."""
        return self.start + self.minutes


# The parts of a 2½-hour workshop: (title, minutes). The discussion points and the
# agreement on levels take most of the time: that is where consensus is made.
AGENDA = (
    ("Welkom en resultaten", 20),
    ("Gesprekspunten", 45),
    ("Pauze", 10),
    ("Samen de niveaus vaststellen", 40),
    ("Acties kiezen", 25),
    ("Afsluiting", 10),
)


def agenda(points: int, factors: int, recommendations: int, open_actions: int) -> list[AgendaItem]:
    """The time plan of a 150-minute workshop for this many points, factors and actions."""
    details = {
        "Welkom en resultaten": "Kennismaking, doel van vandaag, de uitkomsten in het kort "
        "(Overzicht en radar).",
        "Gesprekspunten": (
            f"{points} gesprekspunten, ongeveer {number(45 / points, 0)} minuten per punt; "
            "begin bij het meest verdeelde punt."
            if points
            else "Geen gesprekspunten: bespreek de grootste ambitiekloof en de prioriteiten."
        ),
        "Pauze": "",
        "Samen de niveaus vaststellen": f"{factors} factoren en voorwaarden, ongeveer "
        f"{number(40 / factors if factors else 0)} minuut per stuk; begin bij de "
        "gesprekspunten, kies per factor één niveau en schrijf de onderbouwing op.",
        "Acties kiezen": f"{recommendations} aanbevelingen als kandidaat-acties"
        + (f" en {open_actions} open acties uit de vorige ronde" if open_actions else "")
        + "; per actie een eigenaar, een datum en hoe we zien dat het werkt.",
        "Afsluiting": "Wie doet wat, wanneer zien we elkaar weer, wat nemen we mee naar "
        "de volgende ronde.",
    }
    items = []
    start = 0
    for title, minutes in AGENDA:
        items.append(AgendaItem(start, minutes, title, details[title]))
        start += minutes
    return items


def clock(minutes: int) -> str:
    """Minutes from the start as h:mm (0:00, 1:15)."""
    return f"{minutes // 60}:{minutes % 60:02d}"


# ---------------------------------------------------------------- tables from files

AGREED_COLUMNS = [*KEYS, "factor", "score", "rationale"]
NOTE_COLUMNS = [*KEYS, "point", "text"]
ACTION_COLUMNS = [
    *KEYS, "order", "action", "title", "factors", "recommendation", "owner", "due", "status",
    "measure",
]  # fmt: skip
SESSION_COLUMNS = [*KEYS, "date", "participants"]


@dataclass(frozen=True)
class WorkshopInput:
    """What the `workshop.yaml` files of a workspace say, as tidy tables."""

    agreed: pd.DataFrame  # municipality, round, factor, score (1..5), rationale
    notes: pd.DataFrame  # municipality, round, point, text
    actions: pd.DataFrame  # municipality, round, order, action, title, factors, ...
    sessions: pd.DataFrame  # municipality, round, date, participants
    reference: pd.DataFrame  # municipality, reference: the latest date the data know


def workshop_frames(workspace: Workspace) -> WorkshopInput:
    """The tidy tables of every `workshop.yaml` of a validated workspace."""
    agreed: list[tuple[Any, ...]] = []
    notes: list[tuple[Any, ...]] = []
    actions: list[tuple[Any, ...]] = []
    sessions: list[tuple[Any, ...]] = []
    reference: list[tuple[str, str | None]] = []
    for municipality in workspace.municipalities.values():
        dates: list[dt.date] = []
        for round_ in municipality.rounds:
            dates += [a.response.submitted for a in round_.answers if a.response.submitted]
            if round_.workshop is None:
                continue
            w = round_.workshop.workshop
            key = (municipality.slug, round_.slug)
            if w.date is not None:
                dates.append(w.date)
            sessions.append(
                (*key, w.date.isoformat() if w.date else None, tuple(dict.fromkeys(w.participants)))
            )
            agreed += [
                (*key, factor, a.score, a.rationale)
                for factor, a in w.consensus.items()
                if a.score is not None
            ]
            notes += [(*key, point, text) for point, text in w.notes.items() if text]
            actions += [
                (
                    *key,
                    order,
                    a.id,
                    a.title,
                    tuple(dict.fromkeys(a.factors)),
                    a.recommendation,
                    a.owner,
                    a.due.isoformat(),
                    a.status,
                    a.measure,
                )
                for order, a in enumerate(w.actions)
            ]
        reference.append((municipality.slug, max(dates).isoformat() if dates else None))
    return WorkshopInput(
        agreed=pd.DataFrame(agreed, columns=AGREED_COLUMNS),
        notes=pd.DataFrame(notes, columns=NOTE_COLUMNS),
        actions=pd.DataFrame(actions, columns=ACTION_COLUMNS),
        sessions=pd.DataFrame(sessions, columns=SESSION_COLUMNS),
        reference=pd.DataFrame(reference, columns=["municipality", "reference"]),
    )


# ---------------------------------------------------------------- figures


@dataclass(frozen=True)
class WorkshopTables:
    """Every workshop figure of every municipality and round."""

    agreed: pd.DataFrame  # agreed level beside the mean of the individual scores
    notes: pd.DataFrame
    actions: pd.DataFrame  # with `overdue` against the municipality's reference date
    sessions: pd.DataFrame
    review: pd.DataFrame  # per round and factor: the previous round's actions and the change
    carried: pd.DataFrame  # the previous round's actions with their status then and now
    points: pd.DataFrame  # discussion points with their answer distribution
    bands: pd.DataFrame  # partners per maturity level, per factor (agreement sheets)


def level_counts(respondent_factors: pd.DataFrame) -> pd.DataFrame:
    """Per municipality, round and factor: how many partners' factor scores lie at each
    maturity level (the bands of SPEC §4), as columns level_1..level_5."""
    scored = respondent_factors.dropna(subset=["score"])
    levels = np.searchsorted(LEVEL_EDGES, scored["score"].round(6).to_numpy(), side="right") + 1
    frame = scored[[*KEYS, "section", "factor"]].assign(level=levels)
    counts = (
        frame.pivot_table(
            index=[*KEYS, "section", "factor"], columns="level", aggfunc="size", fill_value=0
        )
        .reindex(columns=list(SCALE), fill_value=0)
        .reset_index()
    )
    counts.columns = [*KEYS, "section", "factor", *(f"level_{v}" for v in SCALE)]
    counts.columns.name = None
    return counts


def agreed_beside_mean(agreed: pd.DataFrame, factor_scores: pd.DataFrame) -> pd.DataFrame:
    """Each agreed level beside the mean, spread and n of the individual scores."""
    scored = factor_scores[[*KEYS, "factor", "mean", "std", "min", "max", "n"]]
    frame = agreed.merge(scored, on=[*KEYS, "factor"], how="left")
    frame["difference"] = frame["score"] - frame["mean"]
    return frame


def discussion_points(
    statement_scores: pd.DataFrame,
    factor_scores: pd.DataFrame,
    bands: pd.DataFrame,
    order: dict[str, int],
) -> pd.DataFrame:
    """Statements and factors with low consensus (the `discussion` flag of the scores),
    with how many partners see the chain as weak (1–2) or strong (4–5).

    For a factor the partners' factor scores are counted per maturity level instead of
    answers per scale value. Sorted per round from the least agreement up.
    """
    counts = [f"count_{v}" for v in SCALE]
    statements = statement_scores[statement_scores["discussion"]]
    rows = statements[[*KEYS, "factor", "statement", "n", "mean", "consensus", "dont_know"]].copy()
    rows = rows.rename(columns={"statement": "point"})
    rows[counts] = statements[counts].to_numpy()
    rows["kind"] = "statement"
    factors = factor_scores[factor_scores["discussion"]][
        [*KEYS, "factor", "n", "mean", "consensus"]
    ]
    level_columns = [f"level_{v}" for v in SCALE]
    factors = factors.merge(bands[[*KEYS, "factor", *level_columns]], on=[*KEYS, "factor"])
    factors = factors.rename(columns=dict(zip(level_columns, counts, strict=True)))
    factors["point"] = factors["factor"]
    factors["kind"] = "factor"
    factors["dont_know"] = 0
    frame = pd.concat([rows, factors], ignore_index=True)
    columns = [
        *KEYS, "kind", "point", "factor", "n", "mean", "consensus", *counts, "dont_know",
        "low", "high", "lowest", "highest", "camps",
    ]  # fmt: skip
    if frame.empty:
        return pd.DataFrame(columns=columns)
    values = frame[counts].to_numpy(dtype="int64")
    frame["low"] = values[:, :LOW].sum(axis=1)
    frame["high"] = values[:, HIGH - 1 :].sum(axis=1)
    given = values > 0
    frame["lowest"] = np.where(given.any(axis=1), given.argmax(axis=1) + 1, 0)
    frame["highest"] = np.where(given.any(axis=1), len(SCALE) - given[:, ::-1].argmax(axis=1), 0)
    answered = values.sum(axis=1)
    frame["camps"] = (frame["low"] >= CAMP_SHARE * answered) & (
        frame["high"] >= CAMP_SHARE * answered
    )
    frame["_order"] = frame["point"].map(order)
    frame = frame.sort_values([*KEYS, "consensus", "_order"]).reset_index(drop=True)
    return frame[columns]


def _with_first_round(actions: pd.DataFrame) -> pd.DataFrame:
    """Each action of each round, with the round its id first appeared in."""
    frame = actions.sort_values([*KEYS, "order"]).copy()
    frame["first_round"] = frame.groupby(["municipality", "action"])["round"].transform("min")
    return frame


def action_tables(
    actions: pd.DataFrame,
    reference: pd.DataFrame,
    factor_scores: pd.DataFrame,
    rounds: pd.DataFrame,
    titles: dict[str, str],
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Actions with `overdue`; the previous round's actions with their status now; and per
    round and factor how many of them are done and how far the factor moved.

    The status "now" of an action agreed in round P, seen from the next round R, is its
    status in R's file when R lists it, else the status P recorded. An action is overdue
    when it is open and its due date lies before the municipality's reference date: the
    latest date the data know (a workshop or a submitted answer), so that a site built
    twice from the same files is the same.
    """
    frame = _with_first_round(actions).merge(reference, on="municipality", how="left")
    frame["overdue"] = frame["status"].isin(OPEN_STATUSES) & (
        frame["due"] < frame["reference"].fillna("")
    )
    ordered = rounds[KEYS].drop_duplicates().sort_values(KEYS)
    ordered["previous"] = ordered.groupby("municipality")["round"].shift(1)
    pairs = ordered.dropna(subset=["previous"])
    carried_columns = [
        *KEYS, "previous", "order", "action", "title", "factors", "recommendation", "owner",
        "due", "status_then", "status_now", "overdue", "measure",
    ]  # fmt: skip
    then = frame.rename(columns={"round": "previous", "status": "status_then"})
    carried = pairs.merge(then, on=["municipality", "previous"])
    now = frame[[*KEYS, "action", "status", "due"]].rename(
        columns={"status": "status_now", "due": "due_now"}
    )
    carried = carried.merge(now, on=[*KEYS, "action"], how="left")
    carried["status_now"] = carried["status_now"].fillna(carried["status_then"])
    # A later file may have moved the due date: the latest one counts.
    carried["due"] = carried["due_now"].fillna(carried["due"])
    carried["overdue"] = carried["status_now"].isin(OPEN_STATUSES) & (
        carried["due"] < carried["reference"].fillna("")
    )
    carried = carried.sort_values([*KEYS, "order"]).reset_index(drop=True)[carried_columns]
    review_columns = [*KEYS, "previous", "factor", "actions", "done", "trend", "summary"]
    if carried.empty:
        return frame, carried, pd.DataFrame(columns=review_columns)
    per_factor = carried.explode("factors").rename(columns={"factors": "factor"})
    review = (
        per_factor.assign(done=per_factor["status_now"] == "klaar")
        .groupby([*KEYS, "previous", "factor"], sort=False)
        .agg(actions=("action", "nunique"), done=("done", "sum"))
        .reset_index()
    )
    review = review.merge(
        factor_scores[[*KEYS, "factor", "trend"]], on=[*KEYS, "factor"], how="left"
    )
    review["summary"] = [
        f"{int(done)} van {int(total)} "
        + ("actie" if total == 1 else "acties")
        + f" klaar; {titles.get(factor, factor)} "
        + (signed(trend) if trend == trend else "zonder vergelijking")
        for done, total, factor, trend in zip(
            review["done"], review["actions"], review["factor"], review["trend"], strict=True
        )
    ]
    order = {factor: index for index, factor in enumerate(titles)}
    review = review.assign(_order=review["factor"].map(order)).sort_values([*KEYS, "_order"])
    return frame, carried, review.reset_index(drop=True)[review_columns]


def workshop_tables(
    data: WorkshopInput,
    scores: Scores,
    questionnaire: Questionnaire,
) -> WorkshopTables:
    """Every workshop figure from the workshop files and the scores."""
    titles = {f.id: f.title for f in questionnaire.instrument.factors()}
    order = {
        **{f.id: index * 100 for index, f in enumerate(questionnaire.instrument.factors())},
        **{
            s.id: index * 100 + number_ + 1
            for index, f in enumerate(questionnaire.instrument.factors())
            for number_, s in enumerate(f.statements)
        },
    }
    bands = level_counts(scores.respondent_factors)
    points = discussion_points(scores.statement_scores, scores.factor_scores, bands, order)
    rounds = scores.factor_scores[KEYS].drop_duplicates()
    actions, carried, review = action_tables(
        data.actions, data.reference, scores.factor_scores, rounds, titles
    )
    return WorkshopTables(
        agreed=agreed_beside_mean(data.agreed, scores.factor_scores),
        notes=data.notes,
        actions=actions,
        sessions=data.sessions,
        review=review,
        carried=carried,
        points=points,
        bands=bands,
    )


def priorities(factor_scores: pd.DataFrame, target: float) -> pd.DataFrame:
    """Factors ranked by priority = (ambition or target − score) × mean importance (SPEC §5),
    highest first; only factors with a score and a positive priority."""
    frame = factor_scores[factor_scores["mean"].notna()].copy()
    goal = frame["ambition"].fillna(target)
    weight = frame["importance"].fillna(DEFAULT_IMPORTANCE)
    frame["goal"] = goal
    frame["priority"] = ((goal - frame["mean"]) * weight).round(2)
    frame = frame[frame["priority"] > 0]
    return frame.sort_values("priority", ascending=False, kind="stable").head(TOP)


def ambition_gaps(factor_scores: pd.DataFrame) -> pd.DataFrame:
    """The factors whose mean ambition lies furthest above their score, largest first."""
    frame = factor_scores[factor_scores["ambition_gap"] > 0]
    return frame.sort_values("ambition_gap", ascending=False, kind="stable").head(TOP)
