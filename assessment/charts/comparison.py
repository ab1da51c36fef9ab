"""Municipalities side by side (SPEC §10): the spread of a size class per factor (with one
municipality's own score), and a heatmap of factor × municipality.

Drawn in pixels (see `canvas`): the factor and municipality names, the score axis and the
legend are text and lines placed here, never laid out (and measured) by Vega.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import altair as alt

from assessment.charts import canvas
from assessment.charts.engine import chart_kind, render_svg
from assessment.charts.figure import Figure, Row, Table, wrap
from assessment.charts.style import (
    BLUES,
    HEADER_LINE_HEIGHT,
    LABEL_SIZE,
    MUTED,
    SERIES_COLOURS,
    SPREAD_LABEL_WIDTH,
    SPREAD_STEP,
    SPREAD_WIDTH,
    configure,
    sequential,
    text_colour,
)
from assessment.formatting import number

MIDDLE = BLUES[3]  # the middle half of a class: light, the median and own score stand out
MEDIAN = BLUES[7]
OWN = SERIES_COLOURS[1]  # orange, as the other series of this site's charts
OWN_SIZE = 110  # the own score's diamond, area in px² (Vega's symbol size)
# Every part of the diamond (and its white outline) lies within this distance of its point.
OWN_REACH = 9.0
LEGEND_HEIGHT = 26
AXIS_TITLE = "Score (1–5)"
AXIS_TITLE_Y = LEGEND_HEIGHT + 14  # middle of the axis title's line
AXIS_NUMBER_Y = LEGEND_HEIGHT + 30  # middle of the line of numbers 1..5
PLOT_TOP = LEGEND_HEIGHT + 44  # the axis line; the first row starts here
LABEL_PADDING = 8  # between a factor's name and the plot
BAR_HALF = 7  # half the height of the middle half's bar
MEDIAN_HALF = (1.5, 12)  # half the width and height of the median's tick
GRID_LINE = "#E3E3E3"
HEATMAP_STEP = (58, 28)
SIN_HEADER = math.sin(math.radians(40))


@chart_kind("spread", texts=canvas.text_fields("spread"))
def _spread_chart() -> Any:
    """Per factor: the middle half of a size class as a bar, its median as a tick, and
    (on a municipality's own site) its own score as a diamond; a legend above."""
    *under, texts = canvas.pixel_layers("spread")
    own = (
        alt.Chart(alt.NamedData(name="spread_points"))
        .mark_point(
            shape="diamond", filled=True, size=OWN_SIZE, opacity=1, color=OWN, stroke="white"
        )
        .encode(x=alt.X("x:Q", scale=None), y=alt.Y("y:Q", scale=None))
    )
    return configure(alt.layer(*under, own, texts).properties(width=1, height=1))


@chart_kind("benchmark_heatmap", texts=canvas.text_fields("benchmark_heatmap"))
def _benchmark_heatmap_chart() -> Any:
    """Municipalities × factors (and the overall index), the score in each cell."""
    layers = canvas.pixel_layers("benchmark_heatmap", ("frame", "rects", "texts"))
    return configure(alt.layer(*layers).properties(width=1, height=1))


# ---------------------------------------------------------------------- spread


@dataclass(frozen=True)
class SpreadRow:
    """One factor of a size class: its middle half, median, and perhaps one own score."""

    key: str
    title: str  # in the table
    short: str  # in the chart
    n: int | None
    median: float | None
    q1: float | None
    q3: float | None
    own: float | None = None
    position: str | None = None  # boven | midden | onder (own against the middle half)


POSITION_WORDS = {
    "boven": "boven de middelste helft",
    "midden": "in de middelste helft",
    "onder": "onder de middelste helft",
}


def place_words(row: SpreadRow) -> str:
    """Where the own score lies, in words that agree with the chart and the numbers.

    The middle half includes its ends (of five municipalities the second and fourth score
    are the quartiles, KWARTIEL.INC), and `row.position` is decided on the same numbers
    the chart draws. A score on an end of the bar is drawn on that end, half outside the
    bar, so the words say so: otherwise the reader sees a marker that seems to lie left of
    the bar next to 'in de middelste helft'.
    """
    words = POSITION_WORDS.get(row.position or "", "–")
    if row.position == "midden" and row.own is not None and row.q1 != row.q3:
        if row.own == row.q1:
            return f"{words}, op de ondergrens"
        if row.own == row.q3:
            return f"{words}, op de bovengrens"
    return words


def classify(own: float, q1: float, q3: float) -> str:
    """'boven', 'midden' or 'onder': a score against a middle half that includes its ends."""
    return "boven" if own > q3 else ("onder" if own < q1 else "midden")


def table_digits(row: SpreadRow) -> int:
    """Decimals for the own score and the middle half in the table: one, or as many as it
    takes (at most three) for the rounded numbers to give the place the exact ones give,
    so that '2,6' beside '2,6 – 3,2' never reads 'onder de middelste helft' (2,56 against
    2,60)."""
    if row.own is None or row.q1 is None or row.q3 is None:
        return 1
    exact = classify(row.own, row.q1, row.q3)
    for digits in (1, 2):
        if classify(*(round(v, digits) for v in (row.own, row.q1, row.q3))) == exact:
            return digits
    return 3


def plot_x(score: float, left: float) -> float:
    """Where a score 1..5 lies on the plot that starts at `left`: 1 at its left end, 5 at
    its right end (SPREAD_WIDTH pixels further)."""
    return left + (min(max(score, 1.0), 5.0) - 1) / 4 * SPREAD_WIDTH


def spread_datasets(rows: Sequence[SpreadRow], own_name: str | None) -> dict[str, list[Row]]:
    """Pixels of the comparison chart: the legend, the score axis above the plot, the
    factor names on the left and per factor its bar, median tick and own score."""
    labels = [wrap(row.short, SPREAD_LABEL_WIDTH) for row in rows]
    left = max((canvas.text_width(label) for label in labels), default=0) + LABEL_PADDING
    bottom = PLOT_TOP + SPREAD_STEP * len(rows)
    grid: list[Row] = []
    rects: list[Row] = []
    rules: list[Row] = []
    points: list[Row] = []
    texts: list[Row] = []
    _legend(left, own_name, rects, points, texts)
    # The score axis on top: its name, the numbers 1..5 with ticks, a line; grid lines down.
    texts.append(canvas.text(left + SPREAD_WIDTH / 2, AXIS_TITLE_Y, AXIS_TITLE, align="center"))
    for score in range(1, 6):
        x = plot_x(score, left)
        texts.append(canvas.text(x, AXIS_NUMBER_Y, str(score), align="center"))
        rules.append(canvas.rule(x, PLOT_TOP - 5, x, PLOT_TOP, MUTED))
        grid.append(canvas.rule(x, PLOT_TOP, x, bottom, GRID_LINE))
    rules.append(canvas.rule(left, PLOT_TOP, left + SPREAD_WIDTH, PLOT_TOP, MUTED))
    for order, (row, label) in enumerate(zip(rows, labels, strict=True)):
        y = PLOT_TOP + (order + 0.5) * SPREAD_STEP
        texts.append(canvas.text(left - LABEL_PADDING, y, label, align="right"))
        # Without enough scores the row stays, without a bar, so that the factors line up.
        if row.q1 is not None and row.q3 is not None:
            rects.append(
                canvas.rect(plot_x(row.q1, left), y - BAR_HALF, plot_x(row.q3, left),
                            y + BAR_HALF, MIDDLE)
            )  # fmt: skip
        if row.median is not None:
            x = plot_x(row.median, left)
            half_width, half_height = MEDIAN_HALF
            rects.append(
                canvas.rect(x - half_width, y - half_height, x + half_width, y + half_height,
                            MEDIAN)
            )  # fmt: skip
        if own_name is not None and row.own is not None:
            points.append({"x": round(plot_x(row.own, left), 2), "y": round(y, 2)})
    datasets = {
        "spread_grid": grid,
        "spread_rects": rects,
        "spread_rules": rules,
        "spread_points": points,
        "spread_texts": texts,
    }
    (frame,) = canvas.fitted_frame(datasets, "spread")
    # A diamond at either end of the scale reaches beyond its point.
    frame["x2"] = max(frame["x2"], round(left + SPREAD_WIDTH + OWN_REACH, 2))
    frame["y2"] = max(frame["y2"], bottom)
    return {"spread_frame": [frame]} | datasets


def _legend(
    left: float, own_name: str | None, rects: list[Row], points: list[Row], texts: list[Row]
) -> None:
    """The legend above the plot: a swatch, a tick and a diamond, each with its name."""
    y = LEGEND_HEIGHT / 2
    x = left
    entries = ["middelste helft", "mediaan"] + ([own_name] if own_name is not None else [])
    for kind, name in enumerate(entries):
        if kind == 0:
            rects.append(canvas.rect(x, y - 6, x + 16, y + 6, MIDDLE))
        elif kind == 1:
            rects.append(canvas.rect(x + 7, y - 10, x + 10, y + 10, MEDIAN))
        else:
            points.append({"x": round(x + 8, 2), "y": round(y, 2)})
        texts.append(canvas.text(x + 22, y, name, size=LABEL_SIZE))
        x += 22 + canvas.text_width(name, LABEL_SIZE) + 24


def spread_figure(
    fig_id: str,
    title: str,
    rows: Sequence[SpreadRow],
    *,
    summary: str,
    own_name: str | None = None,
) -> Figure:
    """Median and middle half per factor; with `own_name`, that municipality's scores too."""
    svg = render_svg("spread", spread_datasets(rows, own_name), title)
    columns = ["Factor", "Aantal gemeenten", "Mediaan", "Middelste helft"]
    if own_name is not None:
        columns += [own_name, "Plaats"]
    table_rows = []
    for row in rows:
        digits = table_digits(row) if own_name is not None else 1
        cells = [
            row.title,
            str(row.n) if row.n is not None else "–",
            number(row.median),
            f"{number(row.q1, digits)} – {number(row.q3, digits)}" if row.q1 is not None else "–",
        ]
        if own_name is not None:
            cells += [number(row.own, digits), place_words(row)]
        table_rows.append(cells)
    return Figure(fig_id, title, summary, svg, Table(title, columns, table_rows))


# --------------------------------------------------------------------- heatmap

HEADER_ANGLE = -40  # column headings rise to the right, above narrow columns
HEADER_GAP = 6  # between a heading's start and the top of the cells


def heatmap_datasets(
    columns: Sequence[tuple[str, str]], rows: Sequence[tuple[str, dict[str, float | None]]]
) -> dict[str, list[Row]]:
    """Pixels of the side-by-side heatmap: a cell per municipality (row) and column with
    its score, the names on the left and the column headings at an angle above.

    Many municipalities make it long, never wide: the columns stay narrow.
    """
    step_x, step_y = HEATMAP_STEP
    names = [wrap(name, 28) for name, _ in rows]
    left = max((canvas.text_width(name) for name in names), default=0) + LABEL_PADDING
    # The highest heading decides where the cells start: a heading of width w rises
    # w·sin(40°) above its start (and half a line more, as it is centred on its line).
    rise = max((canvas.text_width(h, LABEL_SIZE) * SIN_HEADER for _, h in columns), default=0)
    top = rise + HEADER_LINE_HEIGHT + HEADER_GAP
    rects: list[Row] = []
    texts: list[Row] = []
    for column_order, (_, heading) in enumerate(columns):
        x = left + (column_order + 0.5) * step_x
        texts.append(canvas.text(x, top - HEADER_GAP, heading, size=LABEL_SIZE, angle=HEADER_ANGLE))
    for row_order, (name, (_, scores)) in enumerate(zip(names, rows, strict=True)):
        y = top + row_order * step_y
        texts.append(canvas.text(left - LABEL_PADDING, y + step_y / 2, name, align="right"))
        for column_order, (key, _) in enumerate(columns):
            x = left + column_order * step_x
            score = scores.get(key)
            if score is None:
                fill, value, colour = "#FFFFFF", "–", MUTED
            else:
                fill = sequential((score - 1) / 4)
                value, colour = number(score), text_colour(fill)
            rects.append(canvas.rect(x, y, x + step_x, y + step_y, fill, "#FFFFFF", 2))
            # The overall index (the last column) in bold.
            weight = "bold" if column_order == len(columns) - 1 else "normal"
            texts.append(
                canvas.text(x + step_x / 2, y + step_y / 2, value, align="center",
                            colour=colour, weight=weight)
            )  # fmt: skip
    datasets = {"benchmark_heatmap_rects": rects, "benchmark_heatmap_texts": texts}
    return {"benchmark_heatmap_frame": canvas.fitted_frame(datasets, "benchmark_heatmap")} | (
        datasets
    )


def benchmark_heatmap_figure(
    fig_id: str,
    title: str,
    columns: Sequence[tuple[str, str]],
    rows: Sequence[tuple[str, dict[str, float | None]]],
    *,
    summary: str,
    row_header: str = "Gemeente",
) -> Figure:
    """Scores of municipalities (rows: name and scores by column key) per factor; each
    column is (key, short heading). The table names the columns as the chart does: long
    names would not fit a printed page."""
    svg = render_svg("benchmark_heatmap", heatmap_datasets(columns, rows), title)
    table_rows = [[name, *(number(scores.get(key)) for key, _ in columns)] for name, scores in rows]
    headings = [row_header, *(heading for _, heading in columns)]
    return Figure(fig_id, title, summary, svg, Table(title, headings, table_rows))
