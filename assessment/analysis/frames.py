"""The tidy tables every score is computed from, built from a validated workspace."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from assessment.instrument import Questionnaire
    from assessment.workspace import Workspace


KEYS = ["municipality", "round"]


@dataclass(frozen=True)
class ScoringInput:
    """The tidy tables every score is computed from."""

    answers: (
        pd.DataFrame
    )  # municipality, round, respondent, role, section, factor, statement, score
    respondents: pd.DataFrame  # ..., role, organisation, major, levels_answered
    ratings: pd.DataFrame  # municipality, round, respondent, factor, importance, ambition
    offered: pd.DataFrame  # municipality, round, respondent, role, level
    statements: pd.DataFrame  # statement, factor, section, order
    factors: pd.DataFrame  # factor, section, title, order
    levels: pd.DataFrame  # level, title, order
    expected: pd.DataFrame  # municipality, role
    rounds: pd.DataFrame  # municipality, round (every round folder, also without answers)


def questionnaire_frames(questionnaire: Questionnaire) -> tuple[pd.DataFrame, ...]:
    """Statement, factor and level tables of the instrument, in questionnaire order."""
    instrument = questionnaire.instrument
    statements = pd.DataFrame(
        [
            (s.id, f.id, section.id)
            for section in instrument.sections
            for f in section.factors
            for s in f.statements
        ],
        columns=["statement", "factor", "section"],
    )
    statements["order"] = np.arange(len(statements))
    factors = pd.DataFrame(
        [(f.id, section.id, f.title) for section in instrument.sections for f in section.factors],
        columns=["factor", "section", "title"],
    )
    factors["order"] = np.arange(len(factors))
    levels = pd.DataFrame(
        [(level.id, level.title) for level in instrument.intervention_levels],
        columns=["level", "title"],
    )
    levels["order"] = np.arange(len(levels))
    return statements, factors, levels


def frames_from_workspace(workspace: Workspace) -> ScoringInput:
    """Turn a validated workspace into the tidy tables of ScoringInput."""
    statements, factors, levels = questionnaire_frames(workspace.questionnaire)
    order = statements["statement"].tolist()
    factor_ids = factors["factor"].tolist()
    keys: list[tuple[str, str, str, str, str, int, bool]] = []
    answer_rows: list[dict[str, int | None]] = []
    importance_rows: list[dict[str, int | None]] = []
    ambition_rows: list[dict[str, int | None]] = []
    offered_rows: list[tuple[str, str, str, str, str]] = []
    expected_rows: list[tuple[str, str]] = []
    round_rows: list[tuple[str, str]] = []
    for municipality in workspace.municipalities.values():
        expected_rows += [(municipality.slug, role) for role in municipality.info.expected_roles]
        for round_ in municipality.rounds:
            round_rows.append((municipality.slug, round_.slug))
            for answer in round_.answers:
                r = answer.response
                major = int(r.instrument.partition("@")[2])
                keys.append(
                    (
                        municipality.slug,
                        round_.slug,
                        r.respondent.id,
                        r.respondent.role,
                        r.respondent.organisation,
                        major,
                        r.levels_offered is not None,
                    )
                )
                answer_rows.append(r.answers)
                importance_rows.append(r.importance)
                ambition_rows.append(r.ambition)
                offered_rows += [
                    (municipality.slug, round_.slug, r.respondent.id, r.respondent.role, level)
                    for level in dict.fromkeys(r.levels_offered or [])
                ]
    respondents = pd.DataFrame(
        keys,
        columns=[
            "municipality", "round", "respondent", "role", "organisation", "major",
            "levels_answered",
        ],
    )  # fmt: skip
    wide = pd.DataFrame.from_records(answer_rows, columns=order).astype("float64")
    answers = _melt(respondents, wide, "statement", "score").merge(
        statements[["statement", "factor", "section"]], on="statement", how="left"
    )
    answers = answers[
        ["municipality", "round", "respondent", "role", "section", "factor", "statement", "score"]
    ]
    importance = _melt(
        respondents,
        pd.DataFrame.from_records(importance_rows, columns=factor_ids).astype("float64"),
        "factor",
        "importance",
    )
    ambition = _melt(
        respondents,
        pd.DataFrame.from_records(ambition_rows, columns=factor_ids).astype("float64"),
        "factor",
        "ambition",
    )
    ratings = importance.merge(
        ambition, on=["municipality", "round", "respondent", "role", "factor"]
    )
    offered = pd.DataFrame(
        offered_rows, columns=["municipality", "round", "respondent", "role", "level"]
    )
    return ScoringInput(
        answers=answers,
        respondents=respondents,
        ratings=ratings.drop(columns="role"),
        offered=offered,
        statements=statements,
        factors=factors,
        levels=levels,
        expected=pd.DataFrame(expected_rows, columns=["municipality", "role"]),
        rounds=pd.DataFrame(round_rows, columns=["municipality", "round"]),
    )


def _melt(respondents: pd.DataFrame, wide: pd.DataFrame, name: str, value: str) -> pd.DataFrame:
    """One row per respondent × column of `wide`, keeping respondent keys."""
    base = respondents[["municipality", "round", "respondent", "role"]]
    n_rows, n_cols = wide.shape
    frame = base.loc[base.index.repeat(n_cols)].reset_index(drop=True)
    frame[name] = np.tile(np.asarray(wide.columns, dtype=object), n_rows)
    frame[value] = wide.to_numpy().reshape(-1) if n_rows else np.array([], dtype="float64")
    return frame


RESPONDENT_COLUMNS = [
    "municipality", "round", "respondent", "role", "organisation", "submitted", "levels_offered",
]  # fmt: skip
COMMENT_COLUMNS = ["municipality", "round", "respondent", "role", "question", "text"]


def respondent_tables(
    workspace: Workspace, only: str | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Who took part, and every free text they wrote (of one municipality when `only`)."""
    people: list[tuple[Any, ...]] = []
    texts: list[tuple[str, ...]] = []
    for municipality in workspace.municipalities.values():
        if only is not None and municipality.slug != only:
            continue
        for round_ in municipality.rounds:
            for answer in round_.answers:
                r = answer.response
                key = (municipality.slug, round_.slug, r.respondent.id, r.respondent.role)
                people.append(
                    (
                        *key,
                        r.respondent.organisation,
                        r.submitted.isoformat() if r.submitted else None,
                        ",".join(r.levels_offered or []),
                    )
                )
                texts += [(*key, factor, text) for factor, text in r.comments.items() if text]
                texts += [
                    (*key, question, text)
                    for question, text in (
                        ("goes_well", r.open.goes_well),
                        ("change_first", r.open.change_first),
                    )
                    if text
                ]
    return (
        pd.DataFrame(people, columns=RESPONDENT_COLUMNS),
        pd.DataFrame(texts, columns=COMMENT_COLUMNS),
    )
