"""Numbers and words as Dutch readers expect them on a page, and missing values made plain."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd


def is_missing(value: Any) -> bool:
    """True for None, pandas' NA and NaN: a figure that is not there."""
    if value is None or value is pd.NA:
        return True
    return isinstance(value, (float, np.floating)) and math.isnan(value)


def plain(value: Any) -> Any:
    """A value as plain Python data: a missing value is None, a numpy scalar its Python twin."""
    if is_missing(value):
        return None
    if isinstance(value, np.generic):
        return value.item()
    return value


def number(value: float | None, digits: int = 1) -> str:
    """A number with a decimal comma; a dash when there is none."""
    if is_missing(value):
        return "–"
    assert value is not None
    # A change that rounds to zero is no change: "0,0", not "−0,0".
    rounded = round(float(value), digits) + 0.0
    return f"{rounded:.{digits}f}".replace(".", ",").replace("-", "−")


def percentage(share: float | None) -> str:
    """A share 0..1 as a whole percentage."""
    if is_missing(share):
        return "–"
    assert share is not None
    return f"{round(float(share) * 100):d}%"


def signed(value: float | None, digits: int = 1) -> str:
    """A change with its sign: +0,4, −0,2 or 0,0; a dash when there is none."""
    if is_missing(value):
        return "–"
    assert value is not None
    return ("+" if round(float(value), digits) > 0 else "") + number(value, digits)
