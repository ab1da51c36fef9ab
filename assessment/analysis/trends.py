"""Change between rounds: per factor and per statement, on statements present in both."""

from __future__ import annotations

import pandas as pd

from assessment.analysis.frames import KEYS


def previous_rounds(rounds: pd.DataFrame) -> pd.DataFrame:
    """municipality, round, previous: the round before each round (rounds sort by slug)."""
    ordered = rounds.drop_duplicates().sort_values(KEYS).reset_index(drop=True)
    ordered["previous"] = ordered.groupby("municipality", sort=False)["round"].shift(1)
    return ordered


def trends(answers: pd.DataFrame, respondents: pd.DataFrame, rounds: pd.DataFrame) -> pd.DataFrame:
    """Per factor the change against the previous round, on statements answered in both.

    A statement counts as present in a round when at least one partner scored it. Rounds
    of different instrument major versions are not compared.
    """
    pairs = previous_rounds(rounds).dropna(subset=["previous"])
    majors = respondents.groupby(KEYS, sort=False)["major"].agg(["min", "max"]).reset_index()
    pairs = pairs.merge(majors, on=KEYS, how="inner").merge(
        majors.rename(columns={"round": "previous", "min": "prev_min", "max": "prev_max"}),
        on=["municipality", "previous"],
        how="inner",
    )
    pairs = pairs[
        (pairs["min"] == pairs["max"])
        & (pairs["prev_min"] == pairs["prev_max"])
        & (pairs["min"] == pairs["prev_min"])
    ][["municipality", "round", "previous"]]
    columns = [*KEYS, "section", "factor", "previous", "previous_mean", "current_mean", "trend"]
    if pairs.empty:
        return pd.DataFrame(columns=columns)
    present = answers.dropna(subset=["score"])[[*KEYS, "statement"]].drop_duplicates()
    both = pairs.merge(present, on=KEYS).merge(
        present.rename(columns={"round": "previous"}), on=["municipality", "previous", "statement"]
    )
    # Each comparison (municipality, round vs previous) gets its own copy of both rounds'
    # answers on the shared statements, labelled with the round it is compared for.
    current = answers.merge(both[[*KEYS, "statement"]], on=[*KEYS, "statement"])
    current["side"] = "current"
    current["pair"] = current["round"]
    earlier = answers.rename(columns={"round": "previous"}).merge(
        both[[*KEYS, "previous", "statement"]], on=["municipality", "previous", "statement"]
    )
    earlier["side"] = "previous"
    earlier["pair"] = earlier["round"]
    stacked = pd.concat(
        [
            current[["municipality", "pair", "side", "respondent", "section", "factor", "score"]],
            earlier[["municipality", "pair", "side", "respondent", "section", "factor", "score"]],
        ],
        ignore_index=True,
    )
    per_respondent = stacked.groupby(
        ["municipality", "pair", "side", "respondent", "section", "factor"], sort=False
    )["score"].agg(total="size", answered="count", mean="mean")
    per_respondent["score"] = per_respondent["mean"].where(
        per_respondent["answered"] * 2 >= per_respondent["total"]
    )
    means = (
        per_respondent.groupby(["municipality", "pair", "section", "factor", "side"], sort=False)[
            "score"
        ]
        .mean()
        .unstack("side")
        .reindex(columns=["previous", "current"])
        .reset_index()
        .rename(columns={"pair": "round", "previous": "previous_mean", "current": "current_mean"})
    )
    means = means.merge(pairs, on=KEYS, how="left")
    means["trend"] = means["current_mean"] - means["previous_mean"]
    result: pd.DataFrame = means[columns]
    return result


def statement_trends(statements: pd.DataFrame, rounds: pd.DataFrame) -> pd.DataFrame:
    """Per statement the change of its mean against the previous round (both answered)."""
    pairs = previous_rounds(rounds).dropna(subset=["previous"])
    current = statements[[*KEYS, "statement", "mean"]].merge(pairs, on=KEYS)
    earlier = statements[[*KEYS, "statement", "mean"]].rename(
        columns={"round": "previous", "mean": "previous_mean"}
    )
    merged = current.merge(earlier, on=["municipality", "previous", "statement"])
    merged["trend"] = merged["mean"] - merged["previous_mean"]
    return merged[[*KEYS, "statement", "trend"]]
