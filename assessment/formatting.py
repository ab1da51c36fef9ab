"""Numbers and words as Dutch readers expect them on a page."""

from __future__ import annotations

import math


def number(value: float | None, digits: int = 1) -> str:
    """A number with a decimal comma; a dash when there is none."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    # A change that rounds to zero is no change: "0,0", not "−0,0".
    rounded = round(value, digits) + 0.0
    return f"{rounded:.{digits}f}".replace(".", ",").replace("-", "−")


def percentage(share: float | None) -> str:
    """A share 0..1 as a whole percentage."""
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return "–"
    return f"{round(share * 100):d}%"
