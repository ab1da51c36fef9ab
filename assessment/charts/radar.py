"""The radar of factor scores: this round, the previous round and the ambition."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import altair as alt

from assessment.charts.engine import chart_kind, render_svg
from assessment.charts.figure import Figure, Row, Table, lift, mean_of, plain_value, wrap
from assessment.charts.style import (
    GRID,
    LINE_HEIGHT,
    MUTED,
    RADAR_HEIGHT,
    RADAR_LABEL_GAP,
    RADAR_UNIT,
    RADAR_WIDTH,
    RADAR_WRAP,
    SERIES,
    SERIES_COLOURS,
    SERIES_DASHES,
    SERIES_SHAPES,
    TEXT,
    configure,
    px_scale,
)
from assessment.formatting import number


# Every text lies inside the chart (see `_radar_label`): drawn as placeholders.
@chart_kind(
    "radar",
    texts={
        "radar_ring_labels": ["text"],
        "radar_axis_labels": ["text"],
        "radar_legend": ["text"],
    },
)
def _radar_chart() -> Any:
    """Rings, spokes, labels, three series and a legend, all positioned by the data."""
    x_scale = px_scale(RADAR_WIDTH)
    y_scale = px_scale(RADAR_HEIGHT)

    def position() -> dict[str, Any]:
        return {
            "x": alt.X("x:Q", scale=x_scale, axis=None),
            "y": alt.Y("y:Q", scale=y_scale, axis=None),
        }

    series = alt.Scale(domain=list(SERIES), range=list(SERIES_COLOURS))
    grid = (
        alt.Chart(alt.NamedData(name="radar_grid"))
        .mark_rule(color=GRID, strokeWidth=1)
        .encode(**position(), x2="x2:Q", y2="y2:Q")
    )
    ring_labels = (
        alt.Chart(alt.NamedData(name="radar_ring_labels"))
        .mark_text(color=MUTED, fontSize=11, align="left", baseline="middle", dx=3)
        .encode(**position(), text="text:N")
    )
    lines = (
        alt.Chart(alt.NamedData(name="radar_lines"))
        .mark_line(strokeWidth=2.5, strokeJoin="round")
        .encode(
            **position(),
            detail="path:N",
            order="order:Q",
            color=alt.Color("series:N", scale=series, legend=None),
            strokeDash=alt.StrokeDash(
                "series:N",
                scale=alt.Scale(domain=list(SERIES), range=list(SERIES_DASHES)),
                legend=None,
            ),
        )
    )
    points = (
        alt.Chart(alt.NamedData(name="radar_points"))
        .mark_point(filled=True, size=70, opacity=1, stroke="white", strokeWidth=1)
        .encode(
            **position(),
            color=alt.Color("series:N", scale=series, legend=None),
            shape=alt.Shape(
                "series:N",
                scale=alt.Scale(domain=list(SERIES), range=list(SERIES_SHAPES)),
                legend=None,
            ),
        )
    )
    axis_labels = (
        alt.Chart(alt.NamedData(name="radar_axis_labels"))
        .mark_text(
            color=TEXT,
            fontSize=12,
            lineBreak="\n",
            lineHeight=LINE_HEIGHT,
            align=alt.ExprRef("datum.align"),
            baseline=alt.ExprRef("datum.baseline"),
            dy=alt.ExprRef("datum.dy"),
        )
        .encode(**position(), text="text:N")
    )
    legend_labels = (
        alt.Chart(alt.NamedData(name="radar_legend"))
        .mark_text(color=TEXT, fontSize=12, align="left", baseline="middle")
        .encode(**position(), text="text:N")
    )
    return configure(
        alt.layer(grid, ring_labels, lines, points, axis_labels, legend_labels).properties(
            width=RADAR_WIDTH, height=RADAR_HEIGHT
        )
    )


# ------------------------------------------------------------------------- radar


def _radar_geometry(n: int) -> list[tuple[float, float]]:
    """(sin, cos) of each axis, the first pointing up, going clockwise."""
    return [(math.sin(2 * math.pi * i / n), math.cos(2 * math.pi * i / n)) for i in range(n)]


def _radar_label(text: str, sin: float, cos: float) -> Row:
    """An axis label outside the outer ring, aligned away from the centre."""
    radius = 5 * RADAR_UNIT + RADAR_LABEL_GAP
    align = "center" if abs(sin) < 0.2 else ("left" if sin > 0 else "right")
    baseline = "bottom" if cos > 0.8 else ("top" if cos < -0.8 else "middle")
    wrapped = wrap(text, RADAR_WRAP)
    return {
        "x": round(radius * sin, 2),
        "y": round(radius * cos, 2),
        "text": wrapped,
        "align": align,
        "baseline": baseline,
        "dy": lift(wrapped, baseline, LINE_HEIGHT),
    }


def radar_datasets(
    axes: Sequence[tuple[str, str]],
    series: Sequence[tuple[str, str, Mapping[str, float | None]]],
) -> dict[str, list[Row]]:
    """Rows of the radar spec: `series` holds (key, legend label, values per axis)."""
    directions = _radar_geometry(len(axes))
    grid: list[Row] = []
    for level in range(1, 6):
        r = level * RADAR_UNIT
        for i, (sin, cos) in enumerate(directions):
            nsin, ncos = directions[(i + 1) % len(directions)]
            grid.append(
                {
                    "x": round(r * sin, 2),
                    "y": round(r * cos, 2),
                    "x2": round(r * nsin, 2),
                    "y2": round(r * ncos, 2),
                }
            )
    for sin, cos in directions:
        grid.append(
            {
                "x": 0,
                "y": 0,
                "x2": round(5 * RADAR_UNIT * sin, 2),
                "y2": round(5 * RADAR_UNIT * cos, 2),
            }
        )
    # Ring numbers sit halfway between the first two spokes, where no data point lies.
    half = math.pi / len(axes) if axes else 0.0
    ring_labels = [
        {
            "x": round(level * RADAR_UNIT * math.cos(half) * math.sin(half), 2),
            "y": round(level * RADAR_UNIT * math.cos(half) * math.cos(half), 2),
            "text": str(level),
        }
        for level in range(1, 6)
    ]
    lines: list[Row] = []
    points: list[Row] = []
    legend: list[Row] = []
    left = -RADAR_WIDTH / 2 + 6
    top = RADAR_HEIGHT / 2 - 12
    ring = [*axes, axes[0]] if axes else []
    # Drawn in reverse so that this round, the first series, lies on top.
    for key, _, values in reversed(series):
        for order, (axis_id, _) in enumerate(ring):
            value = plain_value(values.get(axis_id))
            sin, cos = directions[order % len(directions)]
            x = None if value is None else round(value * RADAR_UNIT * sin, 2)
            y = None if value is None else round(value * RADAR_UNIT * cos, 2)
            # A missing value leaves a gap in the line: Vega breaks paths at nulls.
            lines.append({"path": key, "series": key, "order": order, "x": x, "y": y})
            if value is not None and order < len(axes):
                points.append({"series": key, "x": x, "y": y})
    # The legend is drawn as data too, so that a missing series leaves no entry.
    for index, (key, label, _) in enumerate(series):
        y_legend = top - 22 * index
        lines += [
            {"path": f"{key}-legend", "series": key, "order": 0, "x": left, "y": y_legend},
            {"path": f"{key}-legend", "series": key, "order": 1, "x": left + 36, "y": y_legend},
        ]
        points.append({"series": key, "x": left + 18, "y": y_legend})
        legend.append({"x": left + 46, "y": y_legend, "text": label})
    return {
        "radar_grid": grid,
        "radar_ring_labels": ring_labels,
        "radar_lines": lines,
        "radar_points": points,
        "radar_axis_labels": [
            _radar_label(title, sin, cos)
            for (_, title), (sin, cos) in zip(axes, directions, strict=True)
        ],
        "radar_legend": legend,
    }


def radar_figure(
    fig_id: str,
    title: str,
    axes: list[tuple[str, str]],
    current: dict[str, float | None],
    current_label: str,
    previous: dict[str, float | None] | None,
    previous_label: str | None,
    ambition: dict[str, float | None] | None,
    *,
    noun: str = "factor",
) -> Figure:
    """Radar of factor scores: this round, the previous round and the ambition."""
    now = f"Deze ronde ({current_label})"
    before = f"Vorige ronde ({previous_label})" if previous_label else "Vorige ronde"
    series: list[tuple[str, str, Mapping[str, float | None]]] = [("current", now, current)]
    if previous is not None:
        series.append(("previous", before, previous))
    if ambition is not None:
        series.append(("ambition", "Ambitie", ambition))
    svg = render_svg("radar", radar_datasets(axes, series), title)

    known = [(name, v) for key, name in axes if (v := plain_value(current.get(key))) is not None]
    if known:
        strongest = max(known, key=lambda item: item[1])
        weakest = min(known, key=lambda item: item[1])
        summary = (
            f"Sterkste {noun}: {strongest[0]} ({number(strongest[1])}); "
            f"zwakste: {weakest[0]} ({number(weakest[1])}). "
            f"Gemiddeld {number(mean_of(v for _, v in known))}"
        )
        if previous is not None:
            summary += f", vorige ronde {number(mean_of(previous.get(key) for key, _ in axes))}"
        summary += "."
    else:
        summary = f"Deze ronde ({current_label}) heeft nog geen scores."

    columns = [noun.capitalize(), now]
    if previous is not None:
        columns.append(before)
    if ambition is not None:
        columns.append("Ambitie")
    rows = []
    for key, name in axes:
        row = [name, number(plain_value(current.get(key)))]
        if previous is not None:
            row.append(number(plain_value(previous.get(key))))
        if ambition is not None:
            row.append(number(plain_value(ambition.get(key))))
        rows.append(row)
    return Figure(fig_id, title, summary, svg, Table(title, columns, rows))
