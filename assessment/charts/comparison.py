"""Municipalities side by side (SPEC §10): the spread of a size class per factor (with one
municipality's own score), and a heatmap of factor × municipality."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import altair as alt

from assessment.charts.engine import chart_kind, render_svg
from assessment.charts.figure import Figure, Row, Table, wrap
from assessment.charts.style import (
    BLUES,
    LABEL_SIZE,
    LINE_HEIGHT,
    MUTED,
    SERIES_COLOURS,
    SPREAD_LABEL_WIDTH,
    SPREAD_STEP,
    SPREAD_WIDTH,
    TEXT,
    box_scale,
    configure,
    sequential,
    text_colour,
)
from assessment.formatting import number

MIDDLE = BLUES[3]  # the middle half of a class: light, the median and own score stand out
MEDIAN = BLUES[7]
OWN = SERIES_COLOURS[1]  # orange, as the other series of this site's charts
LEGEND_HEIGHT = 26


@chart_kind("spread")
def _spread_chart() -> Any:
    """Per factor: the middle half of a size class as a bar, its median as a tick, and
    (on a municipality's own site) its own score as a diamond; a legend above."""
    y = alt.Y(
        "row:N",
        sort=alt.EncodingSortField("order", op="min"),
        title=None,
        axis=alt.Axis(
            labelLimit=0,
            labelExpr="split(datum.label, '\\n')",
            labelLineHeight=LINE_HEIGHT,
            ticks=False,
            domain=False,
            labelPadding=8,
        ),
    )
    x = alt.X(
        "q1:Q",
        scale=alt.Scale(domain=[1, 5], nice=False, zero=False),
        title="Score (1–5)",
        axis=alt.Axis(orient="top", tickCount=5, format="d", grid=True),
    )
    rows = alt.Chart(alt.NamedData(name="spread_rows"))
    middle = rows.mark_bar(height=14, color=MIDDLE).encode(y=y, x=x, x2="q3:Q")
    median = rows.mark_tick(thickness=3, size=24, color=MEDIAN, opacity=1).encode(
        y=y, x=alt.X("median:Q", scale=alt.Scale(domain=[1, 5]))
    )
    own = alt.Chart(alt.NamedData(name="spread_own"))
    marker = own.mark_point(
        shape="diamond", filled=True, size=110, opacity=1, color=OWN, stroke="white"
    ).encode(y=y, x=alt.X("own:Q", scale=alt.Scale(domain=[1, 5])))
    main = alt.layer(middle, median, marker).properties(
        width=SPREAD_WIDTH, height=alt.Step(SPREAD_STEP)
    )
    legend_x, legend_y = box_scale(SPREAD_WIDTH), box_scale(LEGEND_HEIGHT, reverse=True)
    key = alt.Chart(alt.NamedData(name="spread_legend"))
    at = {
        "x": alt.X("x:Q", scale=legend_x, axis=None),
        "y": alt.Y("y:Q", scale=legend_y, axis=None),
    }
    symbols = key.mark_rect().encode(
        **at, x2="x2:Q", y2="y2:Q", color=alt.Color("colour:N", scale=None)
    )
    diamonds = (
        key.transform_filter("datum.shape == 'diamond'")
        .mark_point(shape="diamond", filled=True, size=110, opacity=1, color=OWN)
        .encode(
            x=alt.X("cx:Q", scale=legend_x, axis=None), y=alt.Y("cy:Q", scale=legend_y, axis=None)
        )
    )
    words = key.mark_text(fontSize=LABEL_SIZE, color=TEXT, align="left", baseline="middle").encode(
        x=alt.X("tx:Q", scale=legend_x, axis=None),
        y=alt.Y("cy:Q", scale=legend_y, axis=None),
        text="text:N",
    )
    legend = alt.layer(symbols, diamonds, words).properties(
        width=SPREAD_WIDTH, height=LEGEND_HEIGHT
    )
    return configure(alt.vconcat(legend, main, spacing=6))


@chart_kind("benchmark_heatmap")
def _benchmark_heatmap_chart() -> Any:
    """Municipalities × factors (and the overall index), the score in each cell.

    Many municipalities make it long, never wide: the factor names stand at an angle
    above narrow columns.
    """
    x = alt.X(
        "column:N",
        sort=alt.EncodingSortField("column_order", op="min"),
        title=None,
        axis=alt.Axis(
            orient="top",
            labelAngle=-40,
            labelAlign="left",
            labelBaseline="middle",
            labelLimit=0,
            labelFontSize=LABEL_SIZE,
            ticks=False,
            domain=False,
            labelPadding=6,
        ),
    )
    y = alt.Y(
        "row:N",
        sort=alt.EncodingSortField("row_order", op="min"),
        title=None,
        axis=alt.Axis(
            labelLimit=0,
            labelExpr="split(datum.label, '\\n')",
            labelLineHeight=LINE_HEIGHT,
            ticks=False,
            domain=False,
            labelPadding=8,
        ),
    )
    cells = alt.Chart(alt.NamedData(name="benchmark_cells"))
    fill = cells.mark_rect(stroke="white", strokeWidth=2).encode(
        x=x, y=y, color=alt.Color("fill:N", scale=None)
    )
    values = [
        cells.transform_filter(alt.datum.weight == weight)
        .mark_text(fontSize=12, fontWeight=weight)
        .encode(x=x, y=y, text="text:N", color=alt.Color("text_colour:N", scale=None))
        for weight in ("normal", "bold")
    ]
    return configure(alt.layer(fill, *values).properties(width=alt.Step(58), height=alt.Step(28)))


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


def _legend(own_name: str | None) -> list[Row]:
    entries: list[tuple[str, str]] = [("middle", "middelste helft"), ("median", "mediaan")]
    if own_name is not None:
        entries.append(("own", own_name))
    rows: list[Row] = []
    x = 0.0
    for kind, text in entries:
        cy = LEGEND_HEIGHT / 2
        row: Row = {"x": x, "x2": x, "y": cy, "y2": cy, "cx": x + 8, "cy": cy, "tx": x + 22,
                    "text": text, "colour": "#FFFFFF", "shape": ""}  # fmt: skip
        if kind == "middle":
            row |= {"x2": x + 16, "y": cy - 6, "y2": cy + 6, "colour": MIDDLE}
        elif kind == "median":
            row |= {"x": x + 7, "x2": x + 10, "y": cy - 10, "y2": cy + 10, "colour": MEDIAN}
        else:
            row |= {"shape": "diamond"}
        rows.append(row)
        x += 22 + len(text) * 7.0 + 24
    return rows


def spread_figure(
    fig_id: str,
    title: str,
    rows: Sequence[SpreadRow],
    *,
    summary: str,
    own_name: str | None = None,
) -> Figure:
    """Median and middle half per factor; with `own_name`, that municipality's scores too."""
    data: list[Row] = []
    own: list[Row] = []
    for order, row in enumerate(rows):
        label = wrap(row.short, SPREAD_LABEL_WIDTH)
        if row.median is not None:
            data.append(
                {"row": label, "order": order, "q1": row.q1, "q3": row.q3, "median": row.median}
            )
        else:  # not enough scores: the row stays, empty, so that the factors line up
            data.append({"row": label, "order": order, "q1": None, "q3": None, "median": None})
        if own_name is not None and row.own is not None:
            own.append({"row": label, "order": order, "own": row.own})
    svg = render_svg(
        "spread",
        {"spread_rows": data, "spread_own": own, "spread_legend": _legend(own_name)},
        title,
    )
    columns = ["Factor", "Aantal gemeenten", "Mediaan", "Middelste helft"]
    if own_name is not None:
        columns += [own_name, "Plaats"]
    table_rows = []
    for row in rows:
        cells = [
            row.title,
            str(row.n) if row.n is not None else "–",
            number(row.median),
            f"{number(row.q1)} – {number(row.q3)}" if row.q1 is not None else "–",
        ]
        if own_name is not None:
            cells += [number(row.own), POSITION_WORDS.get(row.position or "", "–")]
        table_rows.append(cells)
    return Figure(fig_id, title, summary, svg, Table(title, columns, table_rows))


# --------------------------------------------------------------------- heatmap


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
    cells: list[Row] = []
    for row_order, (name, scores) in enumerate(rows):
        for column_order, (key, heading) in enumerate(columns):
            score = scores.get(key)
            if score is None:
                fill, text, colour = "#FFFFFF", "–", MUTED
            else:
                fill = sequential((score - 1) / 4)
                text, colour = number(score), text_colour(fill)
            cells.append(
                {
                    "row": wrap(name, 28),
                    "row_order": row_order,
                    "column": heading,
                    "column_order": column_order,
                    "fill": fill,
                    "text": text,
                    "text_colour": colour,
                    "weight": "bold" if column_order == len(columns) - 1 else "normal",
                }
            )
    svg = render_svg("benchmark_heatmap", {"benchmark_cells": cells}, title)
    table_rows = [[name, *(number(scores.get(key)) for key, _ in columns)] for name, scores in rows]
    headings = [row_header, *(heading for _, heading in columns)]
    return Figure(fig_id, title, summary, svg, Table(title, headings, table_rows))
