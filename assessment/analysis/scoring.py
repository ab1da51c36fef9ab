"""Scoring (SPEC §4): pure functions from answers to pandas tables. No I/O, no printing.

Everything is computed from a tidy long table of answers, grouped and aggregated with
pandas; no Python loop runs per answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from assessment.analysis.frames import KEYS, ScoringInput, frames_from_workspace
from assessment.analysis.levels import level_name
from assessment.analysis.trends import statement_trends, trends
from assessment.limits import SCALE as LIMIT_SCALE
from assessment.limits import SCALE_MAX, SCALE_MIN
from assessment.models import Thresholds

if TYPE_CHECKING:
    from assessment.workspace import Workspace

SCALE = np.array(LIMIT_SCALE)


# Highest minus lowest scale value: d in Tastle & Wierman.
SCALE_WIDTH = float(SCALE_MAX - SCALE_MIN)


QUADRANTS = {
    (True, True): "vasthouden",
    (False, True): "prioriteit",
    (False, False): "later",
    (True, False): "minder aandacht nodig",
}


@dataclass(frozen=True)
class Scores:
    """Every table of SPEC §4 for every municipality and round."""

    answers: pd.DataFrame
    respondent_factors: pd.DataFrame
    factor_scores: pd.DataFrame
    statement_scores: pd.DataFrame
    overall: pd.DataFrame
    role_scores: pd.DataFrame
    coverage: pd.DataFrame
    coverage_roles: pd.DataFrame
    missing_partners: pd.DataFrame
    participation: pd.DataFrame


def consensus_from_counts(counts: np.ndarray) -> np.ndarray:
    """Tastle & Wierman consensus per row of answer counts for scale values 1..5.

    Cns = 1 + Σ p_i · log2(1 − |i − μ| / d), with p_i the share of answers i, μ the mean
    answer and d = 4 the width of the scale. NaN for a row without answers.
    """
    counts = np.asarray(counts, dtype="float64")
    totals = counts.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = counts / totals
        mean = (shares * SCALE).sum(axis=1, keepdims=True)
        inner = 1.0 - np.abs(SCALE - mean) / SCALE_WIDTH
        terms = np.where(shares > 0, shares * np.log2(np.where(inner > 0, inner, 1.0)), 0.0)
    result = 1.0 + terms.sum(axis=1)
    result[totals[:, 0] == 0] = np.nan
    clipped: np.ndarray = np.clip(result, 0.0, 1.0)
    return clipped


def respondent_factor_scores(answers: pd.DataFrame) -> pd.DataFrame:
    """Mean per respondent and factor; missing when fewer than half the statements are answered."""
    grouped = answers.groupby(
        ["municipality", "round", "respondent", "role", "section", "factor"],
        sort=False,
        observed=True,
    )["score"]
    frame = grouped.agg(total="size", answered="count", mean="mean").reset_index()
    frame["score"] = frame["mean"].where(frame["answered"] * 2 >= frame["total"])
    return frame.drop(columns="mean")


def _statement_scores(answers: pd.DataFrame, thresholds: Thresholds) -> pd.DataFrame:
    keys = [*KEYS, "section", "factor", "statement"]
    grouped = answers.groupby(keys, sort=False, observed=True)["score"]
    frame = grouped.agg(
        total="size", n="count", mean="mean", median="median", min="min", max="max", std="std"
    ).reset_index()
    frame["dont_know"] = frame["total"] - frame["n"]
    frame["dont_know_share"] = frame["dont_know"] / frame["total"]
    counts = (
        answers.dropna(subset=["score"])
        .assign(score=lambda f: f["score"].astype("int64"))
        .pivot_table(index=keys, columns="score", values="respondent", aggfunc="count")
        .reindex(columns=SCALE, fill_value=0)
        .fillna(0)
    )
    counts.columns = [f"count_{value}" for value in SCALE]
    frame = frame.merge(counts.reset_index(), on=keys, how="left")
    count_cols = [f"count_{value}" for value in SCALE]
    frame[count_cols] = frame[count_cols].fillna(0).astype("int64")
    frame["consensus"] = consensus_from_counts(frame[count_cols].to_numpy())
    frame["level"] = level_name(frame["mean"])
    frame["discussion"] = (frame["consensus"].round(6) < thresholds.low_consensus) & (
        frame["n"] >= thresholds.min_consensus_n
    )
    return frame.drop(columns="total")


def _factor_scores(
    respondent_factors: pd.DataFrame,
    statement_scores: pd.DataFrame,
    answers: pd.DataFrame,
    ratings: pd.DataFrame,
    thresholds: Thresholds,
) -> pd.DataFrame:
    keys = [*KEYS, "section", "factor"]
    frame = (
        respondent_factors.groupby(keys, sort=False, observed=True)["score"]
        .agg(n="count", mean="mean", median="median", min="min", max="max", std="std")
        .reset_index()
    )
    dont_know = (
        answers.assign(unknown=answers["score"].isna())
        .groupby(keys, sort=False, observed=True)["unknown"]
        .mean()
        .rename("dont_know_share")
        .reset_index()
    )
    consensus = (
        statement_scores.groupby(keys, sort=False, observed=True)["consensus"]
        .mean()
        .rename("consensus")
        .reset_index()
    )
    rated = (
        ratings.groupby([*KEYS, "factor"], sort=False, observed=True)[["importance", "ambition"]]
        .agg(["mean", "count"])
        .reset_index()
    )
    rated.columns = [
        *KEYS,
        "factor",
        "importance",
        "importance_n",
        "ambition",
        "ambition_n",
    ]
    frame = (
        frame.merge(dont_know, on=keys, how="left")
        .merge(consensus, on=keys, how="left")
        .merge(rated, on=[*KEYS, "factor"], how="left")
    )
    frame["level"] = level_name(frame["mean"])
    frame["ambition_gap"] = frame["ambition"] - frame["mean"]
    frame["discussion"] = (frame["consensus"].round(6) < thresholds.low_consensus) & (
        frame["n"] >= thresholds.min_consensus_n
    )
    high_score = frame["mean"] >= thresholds.score_split
    high_importance = frame["importance"] >= thresholds.importance_split
    quadrant = np.select(
        [
            high_score & high_importance,
            ~high_score & high_importance,
            ~high_score & ~high_importance,
        ],
        [QUADRANTS[(True, True)], QUADRANTS[(False, True)], QUADRANTS[(False, False)]],
        default=QUADRANTS[(True, False)],
    )
    known = frame["mean"].notna() & frame["importance"].notna()
    frame["quadrant"] = pd.Series(quadrant, index=frame.index, dtype="object").where(known, None)
    return frame


def role_scores(respondent_factors: pd.DataFrame, min_group_size: int) -> pd.DataFrame:
    """Factor score per partner role, only for groups of at least `min_group_size`.

    Groups are suppressed further until the respondents not shown are either none or at
    least `min_group_size`, so that no respondent can be isolated by subtracting the shown
    groups from the total.
    """
    scored = respondent_factors.dropna(subset=["score"])
    groups = (
        scored.groupby([*KEYS, "section", "factor", "role"], sort=False)["score"]
        .agg(n="count", mean="mean")
        .reset_index()
    )
    if groups.empty:
        return groups.assign(shown=pd.Series(dtype="bool"))
    groups["shown"] = groups["n"] >= min_group_size
    keys = [*KEYS, "section", "factor"]
    # Suppress the smallest shown group while the hidden remainder is 1..min-1. Each pass
    # hides at most one group per factor; a factor has at most a few dozen roles.
    for _ in range(groups["role"].nunique() + 1):
        total = groups.groupby(keys, sort=False)["n"].transform("sum")
        shown_n = groups["n"].where(groups["shown"], 0)
        hidden = total - shown_n.groupby([groups[k] for k in keys], sort=False).transform("sum")
        unsafe = (hidden > 0) & (hidden < min_group_size)
        if not (unsafe & groups["shown"]).any():
            break
        candidates = groups[unsafe & groups["shown"]]
        smallest = candidates.sort_values(["n", "role"]).groupby(keys, sort=False).head(1).index
        groups.loc[smallest, "shown"] = False
    groups["mean"] = groups["mean"].where(groups["shown"])
    return groups


def coverage(
    offered: pd.DataFrame, respondents: pd.DataFrame, levels: pd.DataFrame, rounds: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Providers per intervention level (a level with none is a gap), and per role × level."""
    grid = rounds[KEYS].drop_duplicates().merge(levels[["level", "order"]], how="cross")
    counts = (
        offered.groupby([*KEYS, "level"], sort=False)["respondent"].nunique().rename("providers")
    )
    per_level = grid.merge(counts.reset_index(), on=[*KEYS, "level"], how="left")
    per_level["providers"] = per_level["providers"].fillna(0).astype("int64")
    # Only partners that answered the levels question count: a file without the key says
    # nothing about the levels, an empty list says "none".
    said = (
        respondents.loc[respondents["levels_answered"].astype(bool)]
        if "levels_answered" in respondents.columns
        else respondents
    )
    answered = said.groupby(KEYS, sort=False)["respondent"].nunique().rename("respondents")
    per_level = per_level.merge(answered.reset_index(), on=KEYS, how="left")
    per_level["respondents"] = per_level["respondents"].fillna(0).astype("int64")
    per_level["gap"] = (per_level["providers"] == 0) & (per_level["respondents"] > 0)
    per_role = (
        offered.groupby([*KEYS, "role", "level"], sort=False)["respondent"]
        .nunique()
        .rename("providers")
        .reset_index()
    )
    return per_level.sort_values([*KEYS, "order"]).drop(columns="order"), per_role


def missing_partners(
    expected: pd.DataFrame, respondents: pd.DataFrame, rounds: pd.DataFrame
) -> pd.DataFrame:
    """Expected roles (gemeente.yaml) without any respondent, per round that has answers."""
    answered = respondents[KEYS].drop_duplicates()
    wanted = (
        rounds[KEYS].drop_duplicates().merge(answered, on=KEYS).merge(expected, on="municipality")
    )
    present = respondents[[*KEYS, "role"]].drop_duplicates().assign(present=True)
    merged = wanted.merge(present, on=[*KEYS, "role"], how="left")
    return merged[merged["present"].isna()][[*KEYS, "role"]].reset_index(drop=True)


def score_input(data: ScoringInput, thresholds: Thresholds) -> Scores:
    """Compute every table of SPEC §4 from the tidy tables."""
    answers = data.answers
    respondent_factors = respondent_factor_scores(answers)
    statements = _statement_scores(answers, thresholds)
    factors = _factor_scores(respondent_factors, statements, answers, data.ratings, thresholds)
    trend = trends(answers, data.respondents, data.rounds)
    factors = factors.merge(
        trend[[*KEYS, "factor", "previous", "previous_mean", "current_mean", "trend"]],
        on=[*KEYS, "factor"],
        how="left",
    )
    statement_trend = statement_trends(statements, data.rounds)
    statements = statements.merge(statement_trend, on=[*KEYS, "statement"], how="left")
    order = data.factors.set_index("factor")["order"]
    factors = factors.assign(_order=factors["factor"].map(order)).sort_values([*KEYS, "_order"])
    factors = factors.drop(columns="_order").reset_index(drop=True)
    statement_order = data.statements.set_index("statement")["order"]
    statements = statements.assign(_order=statements["statement"].map(statement_order))
    statements = statements.sort_values([*KEYS, "_order"]).drop(columns="_order")
    statements = statements.reset_index(drop=True)
    first_section = data.factors["section"].iloc[0] if len(data.factors) else None
    success = factors[factors["section"] == first_section]
    overall = (
        success.groupby(KEYS, sort=False)["mean"].agg(index="mean", factors="count").reset_index()
    )
    counts = data.respondents.groupby(KEYS, sort=False)["respondent"].nunique()
    overall = overall.merge(counts.rename("respondents").reset_index(), on=KEYS, how="left")
    overall["level"] = level_name(overall["index"])
    per_level, per_role = coverage(data.offered, data.respondents, data.levels, data.rounds)
    participation = (
        data.respondents.groupby([*KEYS, "role"], sort=False)["respondent"]
        .nunique()
        .rename("respondents")
        .reset_index()
    )
    return Scores(
        answers=answers,
        respondent_factors=respondent_factors,
        factor_scores=factors,
        statement_scores=statements,
        overall=overall,
        role_scores=role_scores(respondent_factors, thresholds.min_group_size),
        coverage=per_level,
        coverage_roles=per_role,
        missing_partners=missing_partners(data.expected, data.respondents, data.rounds),
        participation=participation,
    )


def score_workspace(workspace: Workspace) -> Scores:
    """Every score of every municipality and round of a validated workspace."""
    return score_input(frames_from_workspace(workspace), workspace.settings.thresholds)
