"""What a rendered chart is (SVG, summary, table) and the text helpers every figure uses."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from assessment.charts.style import HEADER_LINES
from assessment.formatting import is_missing, number

Row = dict[str, Any]


Spec = dict[str, Any]


@dataclass(frozen=True)
class Table:
    """The numbers of a figure as an HTML table; the first column holds row headers."""

    caption: str
    columns: list[str]
    rows: list[list[str]]


@dataclass(frozen=True)
class Figure:
    """A rendered chart with everything a page needs to show it accessibly."""

    id: str
    title: str
    summary: str
    svg: str
    table: Table


# --------------------------------------------------------------------------- helpers


def plain_value(value: float | None) -> float | None:
    """A score as JSON can carry it: a missing value (None, NaN) becomes None."""
    return None if is_missing(value) else float(value)  # type: ignore[arg-type]


def mean_of(values: Iterable[float | None]) -> float | None:
    known = [v for v in (plain_value(v) for v in values) if v is not None]
    return sum(known) / len(known) if known else None


def wrap(text: str, width: int) -> str:
    """Text broken into lines of at most `width` characters, joined by newlines."""
    lines = textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)
    return "\n".join(lines) or text


def header_text(text: str, width: int) -> str:
    """A column header of exactly HEADER_LINES lines, bottom-aligned by empty lines above.

    Vega does not lift multi-line labels of a top axis above the axis, so every header
    gets the same number of lines and the axis a padding of that many lines.
    """
    lines = textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)
    if len(lines) > HEADER_LINES:
        lines = [*lines[: HEADER_LINES - 1], " ".join(lines[HEADER_LINES - 1 :])]
    return "\n".join([""] * (HEADER_LINES - len(lines)) + lines)


def lift(text: str, baseline: str, line_height: float) -> float:
    """Vertical offset (dy) that makes a multi-line text honour its baseline.

    Vega anchors only the first line of a multi-line text; the others hang below it.
    """
    extra = text.count("\n") * line_height
    return -extra if baseline == "bottom" else (-extra / 2 if baseline == "middle" else 0.0)


def join_words(items: Sequence[str]) -> str:
    """'a', 'a en b', 'a, b en c'."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " en " + items[-1]


def signed(value: float) -> str:
    """A change with its sign: +0,4 or −0,2."""
    return ("+" if round(value, 1) > 0 else "") + number(value)
