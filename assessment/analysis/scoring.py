"""Scoring (SPEC §4): pure functions from answers to pandas tables. No I/O, no printing.

Everything is computed from a tidy long table of answers; no Python loop runs per answer.
Keys are turned into integer codes once (`_Scoring`), and every group and join works on
those codes: grouping and merging on strings was where the time went (about 24 merges and
as many groupbys per call). The tables returned carry the ids as plain strings.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from assessment.analysis.frames import (
    KEYS,
    ScoringInput,
    encode,
    frames_from_workspace,
    group_rows,
    plain,
    vocabulary,
)
from assessment.analysis.levels import level_name
from assessment.analysis.trends import (
    comparable,
    factor_trend_arrays,
    previous_groups,
    statement_trend_array,
)
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
    return _Scoring(answers).respondent_factors()


def role_scores(respondent_factors: pd.DataFrame, min_group_size: int) -> pd.DataFrame:
    """Factor score per partner role, only for groups of at least `min_group_size`.

    Groups are suppressed further until the respondents not shown are either none or at
    least `min_group_size`, so that no respondent can be isolated by subtracting the shown
    groups from the total.
    """
    keys = [*KEYS, "section", "factor", "role"]
    vocab = {key: vocabulary(respondent_factors[key]) for key in keys}
    codes = {key: encode(respondent_factors[key], vocab[key]) for key in keys}
    score = respondent_factors["score"].to_numpy(dtype="float64", na_value=np.nan)
    return _role_scores(codes, vocab, score, min_group_size)


def _role_scores(
    codes: dict[str, np.ndarray],
    vocab: dict[str, pd.Index],
    score: np.ndarray,
    min_group_size: int,
) -> pd.DataFrame:
    """`role_scores` on key codes (municipality, round, section, factor, role) per row."""
    scored = ~np.isnan(score)
    keys = [*KEYS, "section", "factor", "role"]
    rows = {key: codes[key][scored] for key in keys}
    group, first = group_rows(*(rows[key] for key in keys))
    stats = pd.Series(score[scored]).groupby(group, sort=True).agg(["count", "mean"])
    n = stats["count"].to_numpy(dtype="int64")
    shown = n >= min_group_size
    factor_group, _ = group_rows(*(rows[key][first] for key in keys[:-1]))
    role_rank = rows["role"][first]
    total = np.bincount(factor_group, weights=n, minlength=len(first))
    # Suppress the smallest shown group while the hidden remainder is 1..min-1. Each pass
    # hides at most one group per factor; a factor has at most a few dozen roles.
    for _ in range(len(np.unique(role_rank)) + 1):
        hidden = total - np.bincount(factor_group, weights=n * shown, minlength=len(first))
        unsafe = (hidden > 0) & (hidden < min_group_size)
        candidates = np.flatnonzero(shown & unsafe[factor_group])
        if not len(candidates):
            break
        # Per factor the smallest group; on a tie the first role id.
        candidates = candidates[
            np.lexsort((role_rank[candidates], n[candidates], factor_group[candidates]))
        ]
        starts = np.r_[True, np.diff(factor_group[candidates]) != 0]
        shown[candidates[starts]] = False
    frame = pd.DataFrame({key: vocab[key].take(rows[key][first]) for key in keys})
    frame["n"] = n
    frame["mean"] = np.where(shown, stats["mean"].to_numpy(dtype="float64"), np.nan)
    frame["shown"] = shown
    return frame


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


class _Scoring:
    """The answers as integer codes, and every table of SPEC §4 computed from them.

    Each key column becomes codes into the sorted ids (`frames.encode`); a table of groups
    is the group number of every row (numbered in order of first appearance, as pandas'
    `groupby(sort=False)` orders them) and the first row of each group, which carries the
    group's keys. Aggregates come from `bincount` or from pandas grouping one integer key;
    no string is hashed twice and no table is joined on strings.
    """

    ANSWER_KEYS = ("municipality", "round", "respondent", "role", "section", "factor", "statement")

    def __init__(self, answers: pd.DataFrame, data: ScoringInput | None = None) -> None:
        tables = [answers]
        if data is not None:
            tables += [data.respondents, data.ratings, data.rounds, data.statements]
        self.vocab = {
            key: vocabulary(*(t[key] for t in tables if key in t.columns))
            for key in self.ANSWER_KEYS
        }
        self.answers = answers
        self.col = {key: encode(answers[key], self.vocab[key]) for key in self.ANSWER_KEYS}
        self.score = answers["score"].to_numpy(dtype="float64", na_value=np.nan)
        self.known = ~np.isnan(self.score)
        col = self.col
        self.round_group, self.round_first = group_rows(col["municipality"], col["round"])
        # Respondent × factor: the keys of respondent_factor_scores.
        self.rf, self.rf_first = group_rows(
            *(
                col[key]
                for key in ("municipality", "round", "respondent", "role", "section", "factor")
            )
        )
        rf_total = np.bincount(self.rf, minlength=len(self.rf_first))
        answered = np.bincount(self.rf, weights=self.known, minlength=len(self.rf_first))
        sums = np.bincount(
            self.rf, weights=np.where(self.known, self.score, 0.0), minlength=len(self.rf_first)
        )
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = sums / answered
        self.rf_total = rf_total.astype("int64")
        self.rf_answered = answered.astype("int64")
        self.rf_score = np.where(answered * 2 >= rf_total, mean, np.nan)
        # Municipality × round × factor, from the respondent × factor groups.
        self.fg_of_rf, fg_first_rf = group_rows(
            *(col[key][self.rf_first] for key in ("municipality", "round", "section", "factor"))
        )
        self.fg_first = self.rf_first[fg_first_rf]  # an answer row of each factor group

    def keys(self, rows: np.ndarray, names: list[str]) -> dict[str, pd.Index]:
        """Key columns (plain strings) of the given answer rows."""
        return {name: self.vocab[name].take(self.col[name][rows]) for name in names}

    def respondent_factors(self) -> pd.DataFrame:
        frame = pd.DataFrame(
            self.keys(
                self.rf_first,
                ["municipality", "round", "respondent", "role", "section", "factor"],
            )
        )
        frame["total"] = self.rf_total
        frame["answered"] = self.rf_answered
        frame["score"] = self.rf_score
        return frame

    def statements(self, thresholds: Thresholds) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
        """The statement scores, the statement group of every answer row and the first
        answer row of each statement group."""
        col = self.col
        group, first = group_rows(
            *(col[key] for key in ("municipality", "round", "section", "factor", "statement"))
        )
        groups = len(first)
        frame = pd.DataFrame(
            self.keys(first, ["municipality", "round", "section", "factor", "statement"])
        )
        stats = (
            pd.Series(self.score)
            .groupby(group, sort=True)
            .agg(["count", "mean", "median", "min", "max", "std"])
        )
        total = np.bincount(group, minlength=groups)
        frame["n"] = stats["count"].to_numpy(dtype="int64")
        for name in ("mean", "median", "min", "max", "std"):
            frame[name] = stats[name].to_numpy(dtype="float64")
        frame["dont_know"] = total - frame["n"].to_numpy()
        frame["dont_know_share"] = frame["dont_know"] / total
        with np.errstate(invalid="ignore"):
            value = np.where(self.known, self.score, 0).astype("int64")
        in_scale = self.known & (value >= SCALE[0]) & (value <= SCALE[-1])
        counts = np.bincount(
            group[in_scale] * len(SCALE) + value[in_scale] - SCALE[0],
            minlength=groups * len(SCALE),
        ).reshape(groups, len(SCALE))
        for index, value_name in enumerate(SCALE):
            frame[f"count_{value_name}"] = counts[:, index].astype("int64")
        frame["consensus"] = consensus_from_counts(counts)
        frame["level"] = level_name(frame["mean"])
        frame["discussion"] = (frame["consensus"].round(6) < thresholds.low_consensus) & (
            frame["n"] >= thresholds.min_consensus_n
        )
        return frame, group, first

    def factors(
        self,
        statement_frame: pd.DataFrame,
        statement_first: np.ndarray,
        ratings: pd.DataFrame,
        thresholds: Thresholds,
    ) -> pd.DataFrame:
        fg_of_rf = self.fg_of_rf
        groups = len(self.fg_first)
        frame = pd.DataFrame(
            self.keys(self.fg_first, ["municipality", "round", "section", "factor"])
        )
        stats = (
            pd.Series(self.rf_score)
            .groupby(fg_of_rf, sort=True)
            .agg(["count", "mean", "median", "min", "max", "std"])
        )
        frame["n"] = stats["count"].to_numpy(dtype="int64")
        for name in ("mean", "median", "min", "max", "std"):
            frame[name] = stats[name].to_numpy(dtype="float64")
        fg_of_answer = fg_of_rf[self.rf]
        frame["dont_know_share"] = np.bincount(
            fg_of_answer, weights=~self.known, minlength=groups
        ) / np.bincount(fg_of_answer, minlength=groups)
        # Consensus: the mean over the factor's statements that have one.
        consensus = statement_frame["consensus"].to_numpy()
        fg_of_statement = fg_of_answer[statement_first]
        has = ~np.isnan(consensus)
        with np.errstate(invalid="ignore", divide="ignore"):
            frame["consensus"] = np.bincount(
                fg_of_statement[has], weights=consensus[has], minlength=groups
            ) / np.bincount(fg_of_statement[has], minlength=groups)
        for name, column in self.rated(ratings).items():
            frame[name] = column
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
        frame["quadrant"] = pd.Series(quadrant, index=frame.index, dtype="object").where(
            known, None
        )
        return frame

    def rated(self, ratings: pd.DataFrame) -> dict[str, np.ndarray]:
        """Mean and count of importance and ambition per factor group (as a left join)."""
        keys = ("municipality", "round", "factor")
        rating_codes = [encode(ratings[key], self.vocab[key]) for key in keys]
        group, first = group_rows(*rating_codes) if len(ratings) else (np.zeros(0, np.intp),) * 2
        wanted = self.joint([self.col[key][self.fg_first] for key in keys])
        at = pd.Index(self.joint([codes[first] for codes in rating_codes])).get_indexer(wanted)
        found = at >= 0
        columns: dict[str, np.ndarray] = {}
        for name in ("importance", "ambition"):
            values = ratings[name].to_numpy(dtype="float64", na_value=np.nan)
            has = ~np.isnan(values)
            counts = np.bincount(group[has], minlength=len(first))
            sums = np.bincount(group[has], weights=values[has], minlength=len(first))
            with np.errstate(invalid="ignore", divide="ignore"):
                means = sums / counts
            pick = np.maximum(at, 0)
            columns[name] = np.where(found, means[pick] if len(first) else np.nan, np.nan)
            n = counts[pick] if len(first) else np.zeros(len(at), dtype="int64")
            columns[f"{name}_n"] = n.astype("int64") if found.all() else np.where(found, n, np.nan)
        return {
            "importance": columns["importance"],
            "importance_n": columns["importance_n"],
            "ambition": columns["ambition"],
            "ambition_n": columns["ambition_n"],
        }

    def joint(self, codes: list[np.ndarray]) -> np.ndarray:
        """One int64 key per row from municipality, round and factor codes."""
        m, r, f = codes
        rounds, factors = len(self.vocab["round"]) + 1, len(self.vocab["factor"]) + 1
        key: np.ndarray = (m.astype(np.int64) * rounds + r) * factors + f
        return key


def score_input(data: ScoringInput, thresholds: Thresholds) -> Scores:
    """Compute every table of SPEC §4 from the tidy tables."""
    coded = _Scoring(data.answers, data)
    col, vocab = coded.col, coded.vocab
    respondent_factors = coded.respondent_factors()
    statements, _, statement_first = coded.statements(thresholds)
    factors = coded.factors(statements, statement_first, data.ratings, thresholds)

    # Trends: per round group the comparable previous round group.
    round_m = col["municipality"][coded.round_first]
    round_r = col["round"][coded.round_first]
    folders = (
        encode(data.rounds["municipality"], vocab["municipality"]),
        encode(data.rounds["round"], vocab["round"]),
    )
    previous_any = previous_groups(round_m, round_r, *folders)
    width = len(vocab["round"]) + 1
    respondent_group = pd.Index(round_m.astype(np.int64) * width + round_r).get_indexer(
        encode(data.respondents["municipality"], vocab["municipality"]).astype(np.int64) * width
        + encode(data.respondents["round"], vocab["round"])
    )
    found = respondent_group >= 0
    previous = comparable(
        previous_any,
        respondent_group[found],
        data.respondents["major"].to_numpy(dtype="int64")[found],
    )
    factor_count = len(vocab["factor"])
    trend_group, trend_factor, previous_mean, current_mean = factor_trend_arrays(
        coded.round_group,
        coded.rf,
        col["statement"],
        coded.score,
        coded.round_group[coded.rf_first],
        col["factor"][coded.rf_first],
        previous,
        factor_count,
    )
    # Onto the factor groups: (round group, factor) -> row of the trend arrays.
    fg_cell = coded.round_group[coded.fg_first] * factor_count + col["factor"][coded.fg_first]
    at = pd.Index(trend_group * factor_count + trend_factor).get_indexer(fg_cell)
    # Padded with one empty comparison, so that "no trend" (-1) picks NaN and no round.
    compared_round = np.r_[round_r[previous[trend_group]], -1]
    factors["previous"] = vocab["round"].take(compared_round[at], fill_value=np.nan)
    factors["previous_mean"] = np.r_[previous_mean, np.nan][at]
    factors["current_mean"] = np.r_[current_mean, np.nan][at]
    factors["trend"] = factors["current_mean"] - factors["previous_mean"]

    statements["trend"], _ = statement_trend_array(
        coded.round_group[statement_first],
        col["statement"][statement_first],
        statements["mean"].to_numpy(dtype="float64"),
        previous_any,
    )

    # Questionnaire order within each municipality and round (codes sort as the ids do).
    factor_order = _order_of(data.factors, "factor", vocab["factor"])
    order = np.lexsort(
        (
            factor_order[col["factor"][coded.fg_first]],
            col["round"][coded.fg_first],
            col["municipality"][coded.fg_first],
        )
    )
    factors = factors.iloc[order].reset_index(drop=True)
    statement_order = _order_of(data.statements, "statement", vocab["statement"])
    order = np.lexsort(
        (
            statement_order[col["statement"][statement_first]],
            col["round"][statement_first],
            col["municipality"][statement_first],
        )
    )
    statements = statements.iloc[order].reset_index(drop=True)

    first_section = data.factors["section"].iloc[0] if len(data.factors) else None
    success = factors[factors["section"] == first_section]
    overall = (
        success.groupby(KEYS, sort=False)["mean"].agg(index="mean", factors="count").reset_index()
    )
    respondents = plain(data.respondents)
    counts = respondents.groupby(KEYS, sort=False)["respondent"].nunique()
    overall = overall.merge(counts.rename("respondents").reset_index(), on=KEYS, how="left")
    overall["level"] = level_name(overall["index"])
    rounds = plain(data.rounds)
    per_level, per_role = coverage(plain(data.offered), respondents, data.levels, rounds)
    participation = (
        respondents.groupby([*KEYS, "role"], sort=False)["respondent"]
        .nunique()
        .rename("respondents")
        .reset_index()
    )
    rf_codes = {
        key: col[key][coded.rf_first] for key in ("municipality", "round", "section", "factor")
    } | {"role": col["role"][coded.rf_first]}
    return Scores(
        answers=plain(data.answers),
        respondent_factors=respondent_factors,
        factor_scores=factors,
        statement_scores=statements,
        overall=overall,
        role_scores=_role_scores(rf_codes, vocab, coded.rf_score, thresholds.min_group_size),
        coverage=per_level,
        coverage_roles=per_role,
        missing_partners=missing_partners(plain(data.expected), respondents, rounds),
        participation=participation,
    )


def _order_of(table: pd.DataFrame, key: str, vocab: pd.Index) -> np.ndarray:
    """The `order` column of an instrument table per code of `vocab` (NaN: not in it)."""
    order = np.full(len(vocab), np.nan)
    at = encode(table[key], vocab)
    order[at[at >= 0]] = table["order"].to_numpy(dtype="float64")[at >= 0]
    return order


def score_workspace(workspace: Workspace) -> Scores:
    """Every score of every municipality and round of a validated workspace."""
    return score_input(frames_from_workspace(workspace), workspace.settings.thresholds)
