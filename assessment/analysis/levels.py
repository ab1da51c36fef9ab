"""Maturity levels: the five level names and the score bands that lead to them (SPEC §4)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from assessment.limits import LEVEL_EDGES, LEVEL_NAMES


def level_name(score: pd.Series) -> pd.Series:
    """Maturity level name of each score (SPEC §4 bands; lower bound inclusive)."""
    rounded = score.round(6)
    codes = np.searchsorted(LEVEL_EDGES, rounded.to_numpy(dtype="float64"), side="right")
    names = np.array(LEVEL_NAMES, dtype=object)[np.clip(codes, 0, len(LEVEL_NAMES) - 1)]
    return pd.Series(names, index=score.index, dtype="object").where(rounded.notna(), None)


def level_index(score: float) -> int:
    """0-based maturity level of a score (the bands of `level_name`)."""
    return sum(1 for edge in LEVEL_EDGES if round(score, 6) >= edge)
