"""Change between rounds: per factor and per statement, on statements present in both.

The work is done on integer codes (see `frames.encode`): each round of a municipality is a
"round group" with a number, and a comparison is a pair of round groups. Every answer row
then belongs to at most two comparisons (as this round of one, as the previous round of
the next), so the per-respondent scores of both sides come from a few `bincount`s instead
of copies of the answers joined on string keys.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from assessment.analysis.frames import KEYS, encode, group_rows, vocabulary

TREND_COLUMNS = [*KEYS, "section", "factor", "previous", "previous_mean", "current_mean", "trend"]


def previous_rounds(rounds: pd.DataFrame) -> pd.DataFrame:
    """municipality, round, previous: the round before each round (rounds sort by slug)."""
    ordered = rounds.drop_duplicates().sort_values(KEYS).reset_index(drop=True)
    ordered["previous"] = ordered.groupby("municipality", sort=False)["round"].shift(1)
    return ordered


def previous_groups(
    group_municipality: np.ndarray,
    group_round: np.ndarray,
    round_municipality: np.ndarray,
    round_round: np.ndarray,
) -> np.ndarray:
    """For each round group, the round group of the round folder before it, or -1.

    Round groups are (municipality, round) codes with answers; the round folders (codes,
    also those without answers) decide which round comes before which. Codes are ranks of
    the sorted ids, so sorting codes sorts the slugs.
    """
    previous = np.full(len(group_municipality), -1, dtype=np.intp)
    if not len(group_municipality) or not len(round_municipality):
        return previous
    folders = np.unique(np.stack([round_municipality, round_round], axis=1), axis=0)
    same = np.r_[False, folders[1:, 0] == folders[:-1, 0]]
    earlier = np.where(same, np.r_[-1, folders[:-1, 1]], -1)
    width = int(max(round_round.max(), group_round.max())) + 2
    folder_key = pd.Index(folders[:, 0].astype(np.int64) * width + folders[:, 1])
    group_key = group_municipality.astype(np.int64) * width + group_round
    at = folder_key.get_indexer(group_key)
    before = np.where(at >= 0, earlier[np.maximum(at, 0)], -1)
    known = pd.Index(group_key).get_indexer(group_municipality.astype(np.int64) * width + before)
    previous[:] = np.where(before >= 0, known, -1)
    return previous


def comparable(previous: np.ndarray, group: np.ndarray, major: np.ndarray) -> np.ndarray:
    """`previous`, kept only where both round groups have one and the same major version.

    `group` is the round group of each respondent and `major` its instrument major version.
    """
    groups = len(previous)
    low = np.full(groups, np.iinfo(np.int64).max)
    high = np.full(groups, np.iinfo(np.int64).min)
    np.minimum.at(low, group, major)
    np.maximum.at(high, group, major)
    single = (low == high) & (np.bincount(group, minlength=groups) > 0)
    before = np.maximum(previous, 0)
    keep = (previous >= 0) & single & single[before] & (low == low[before])
    return np.where(keep, previous, -1)


def factor_trend_arrays(
    round_group: np.ndarray,
    respondent_factor: np.ndarray,
    statement: np.ndarray,
    score: np.ndarray,
    rf_round_group: np.ndarray,
    rf_factor: np.ndarray,
    previous: np.ndarray,
    factors: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per (round group, factor) with a comparison: previous mean and current mean.

    Arguments per answer row: its round group, respondent × factor group, statement code
    and score; per respondent × factor group: its round group and factor code; per round
    group: the comparable previous round group (-1: none). A statement counts as present
    in a round when at least one partner scored it. Returns the round group, factor code,
    previous mean and current mean of every (round group, factor) that has statements
    present in both rounds, sorted by round group and factor.
    """
    groups = len(previous)
    statements = int(statement.max()) + 1 if len(statement) else 0
    known = ~np.isnan(score)
    present = (
        np.bincount(
            round_group * statements + statement, weights=known, minlength=groups * statements
        ).reshape(groups, statements)
        > 0
    )
    before = np.maximum(previous, 0)
    shared = present & present[before] & (previous >= 0)[:, None]
    following = np.full(groups, -1, dtype=np.intp)
    following[previous[previous >= 0]] = np.flatnonzero(previous >= 0)
    rf_count = len(rf_factor)
    value = np.where(known, score, 0.0)
    side_scores = []
    for compared in (round_group, following[round_group]):
        # This side's rows: answers on statements shared by the comparison they are in.
        rows = (compared >= 0) & shared[np.maximum(compared, 0), statement]
        rf = respondent_factor[rows]
        total = np.bincount(rf, minlength=rf_count)
        answered = np.bincount(rf, weights=known[rows], minlength=rf_count)
        sums = np.bincount(rf, weights=value[rows], minlength=rf_count)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = sums / answered
        side_scores.append((total, np.where(answered * 2 >= total, mean, np.nan)))
    (current_total, current), (previous_total, earlier) = side_scores
    # The comparison a respondent × factor group takes part in, per side.
    current_pair = np.where(current_total > 0, rf_round_group, -1)
    previous_pair = np.where(previous_total > 0, following[rf_round_group], -1)
    cells = groups * factors
    key_current = current_pair * factors + rf_factor
    key_previous = previous_pair * factors + rf_factor
    means = []
    for key, scores in ((key_previous, earlier), (key_current, current)):
        rated = (key >= 0) & ~np.isnan(scores)
        # pandas' grouped mean (compensated summation), as the scores elsewhere.
        grouped = pd.Series(scores[rated]).groupby(key[rated]).mean()
        cell_means = np.full(cells, np.nan)
        cell_means[grouped.index.to_numpy()] = grouped.to_numpy()
        means.append(cell_means)
    exists = np.zeros(cells, dtype=bool)
    exists[key_current[key_current >= 0]] = True
    exists[key_previous[key_previous >= 0]] = True
    cell = np.flatnonzero(exists)
    return cell // factors, cell % factors, means[0][cell], means[1][cell]


def trends(answers: pd.DataFrame, respondents: pd.DataFrame, rounds: pd.DataFrame) -> pd.DataFrame:
    """Per factor the change against the previous round, on statements answered in both.

    A statement counts as present in a round when at least one partner scored it. Rounds
    of different instrument major versions are not compared.
    """
    vocab = {
        key: vocabulary(*(frame[key] for frame in tables if key in frame.columns))
        for key, tables in {
            "municipality": (answers, respondents, rounds),
            "round": (answers, respondents, rounds),
            "respondent": (answers, respondents),
            "role": (answers,),
            "section": (answers,),
            "factor": (answers,),
            "statement": (answers,),
        }.items()
    }
    col = {key: encode(answers[key], vocab[key]) for key in vocab}
    score = answers["score"].to_numpy(dtype="float64", na_value=np.nan)
    round_group, round_first = group_rows(col["municipality"], col["round"])
    rf, rf_first = group_rows(
        col["municipality"], col["round"], col["respondent"], col["role"], col["factor"]
    )
    group_m, group_r = col["municipality"][round_first], col["round"][round_first]
    previous = previous_groups(
        group_m,
        group_r,
        encode(rounds["municipality"], vocab["municipality"]),
        encode(rounds["round"], vocab["round"]),
    )
    width = len(vocab["round"]) + 1
    group_of = pd.Index(group_m.astype(np.int64) * width + group_r)
    respondent_group = group_of.get_indexer(
        encode(respondents["municipality"], vocab["municipality"]).astype(np.int64) * width
        + encode(respondents["round"], vocab["round"])
    )
    found = respondent_group >= 0
    previous = comparable(previous, respondent_group[found], respondents["major"].to_numpy()[found])
    groups, factor, previous_mean, current_mean = factor_trend_arrays(
        round_group,
        rf,
        col["statement"],
        score,
        round_group[rf_first],
        col["factor"][rf_first],
        previous,
        len(vocab["factor"]),
    )
    if not len(groups):
        return pd.DataFrame(columns=TREND_COLUMNS)
    section_of = np.full(len(vocab["factor"]), -1, dtype=np.intp)
    section_of[col["factor"]] = col["section"]
    return pd.DataFrame(
        {
            "municipality": vocab["municipality"].take(group_m[groups]),
            "round": vocab["round"].take(group_r[groups]),
            "section": vocab["section"].take(section_of[factor]),
            "factor": vocab["factor"].take(factor),
            "previous": vocab["round"].take(group_r[previous[groups]]),
            "previous_mean": previous_mean,
            "current_mean": current_mean,
            "trend": current_mean - previous_mean,
        }
    )


def statement_trend_array(
    round_group: np.ndarray, statement: np.ndarray, mean: np.ndarray, previous: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Per statement row: its mean minus the same statement's mean in the previous round
    group (`previous`: per round group, or -1), and whether that round has a row for it;
    NaN where it has none."""
    statements = int(statement.max()) + 1 if len(statement) else 0
    cell = round_group * statements + statement
    grid = np.full(len(previous) * statements, np.nan)
    has = np.zeros(len(previous) * statements, dtype=bool)
    grid[cell], has[cell] = mean, True
    before = previous[round_group]
    at = np.maximum(before, 0) * statements + statement
    matched = (before >= 0) & has[at]
    return np.where(matched, mean - grid[at], np.nan), matched


def statement_trends(statements: pd.DataFrame, rounds: pd.DataFrame) -> pd.DataFrame:
    """Per statement the change of its mean against the previous round (both answered)."""
    vocab = {key: vocabulary(statements[key], rounds[key]) for key in ("municipality", "round")} | {
        "statement": vocabulary(statements["statement"])
    }
    col = {key: encode(statements[key], vocab[key]) for key in vocab}
    group, first = group_rows(col["municipality"], col["round"])
    previous = previous_groups(
        col["municipality"][first],
        col["round"][first],
        encode(rounds["municipality"], vocab["municipality"]),
        encode(rounds["round"], vocab["round"]),
    )
    trend, matched = statement_trend_array(
        group, col["statement"], statements["mean"].to_numpy(dtype="float64"), previous
    )
    result = statements.loc[matched, [*KEYS, "statement"]].reset_index(drop=True)
    result["trend"] = trend[matched]
    return result
