"""The radar of factor scores: this round, the previous round, the ambition and the level
the workshop agreed on."""

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
    RADAR_POINT_REACH,
    RADAR_POINT_SIZE,
    RADAR_POINT_STROKE,
    RADAR_RING_FONT,
    RADAR_RING_HALO,
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


# Every text lies inside the chart (see `_radar_label`): drawn as placeholders, listed in
# the order they are drawn. The ring numbers are drawn twice (halo, then number), each
# time from a dataset of its own, so that every drawn text has its own placeholder.
@chart_kind(
    "radar",
    texts={
        "radar_ring_halo": ["text"],
        "radar_ring_labels": ["text"],
        "radar_axis_labels": ["text"],
        "radar_legend": ["text"],
    },
)
def _radar_chart() -> Any:
    """Rings, spokes, labels, up to four series and a legend, all positioned by the data."""
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

    # The ring numbers lie above the series, on a white halo of their own (a second text
    # layer: Vega has no paint-order): a line passes under a number, never over it.
    def ring_numbers(dataset: str, **style: Any) -> Any:
        return (
            alt.Chart(alt.NamedData(name=dataset))
            .mark_text(fontSize=RADAR_RING_FONT, align="center", baseline="middle", **style)
            .encode(**position(), text="text:N")
        )

    ring_halo = ring_numbers(
        "radar_ring_halo",
        color="white",
        stroke="white",
        strokeWidth=RADAR_RING_HALO,
        strokeJoin="round",
    )
    ring_labels = ring_numbers("radar_ring_labels", color=MUTED)
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
        .mark_point(
            filled=True,
            size=RADAR_POINT_SIZE,
            opacity=1,
            stroke="white",
            strokeWidth=RADAR_POINT_STROKE,
        )
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
        alt.layer(
            grid, lines, points, ring_halo, ring_labels, axis_labels, legend_labels
        ).properties(width=RADAR_WIDTH, height=RADAR_HEIGHT)
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


def _ring_label_box(x: float, y: float, text: str) -> tuple[float, float, float, float]:
    """(left, bottom, right, top) a ring number with its halo covers, generously estimated."""
    width = len(text) * 0.6 * RADAR_RING_FONT + RADAR_RING_HALO
    height = RADAR_RING_FONT + RADAR_RING_HALO
    return (x - width / 2, y - height / 2, x + width / 2, y + height / 2)


def _distance_to_box(px: float, py: float, box: tuple[float, float, float, float]) -> float:
    left, bottom, right, top = box
    dx = max(left - px, 0.0, px - right)
    dy = max(bottom - py, 0.0, py - top)
    return math.hypot(dx, dy)


def _clear_of_spokes(x: float, y: float, text: str, angle: float) -> bool:
    """Whether a ring number at (x, y) keeps clear of any marker on the spokes at 0 and
    `angle` (clockwise from up), at any score from 1 to 5."""
    box = _ring_label_box(x, y, text)
    steps = 400
    for direction in (0.0, angle):
        for step in range(steps + 1):
            radius = (1 + 4 * step / steps) * RADAR_UNIT
            point = (radius * math.sin(direction), radius * math.cos(direction))
            if _distance_to_box(*point, box) < RADAR_POINT_REACH:
                return False
    return True


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
    # Ring numbers sit on their ring, halfway between the first two spokes: data points lie
    # on the spokes only. Near the centre of a radar with many axes the two spokes come too
    # close for a number: it is left out there rather than drawn over a point.
    half = math.pi / len(axes) if axes else 0.0
    ring_labels: list[Row] = []
    for level in range(1, 6):
        radius = level * RADAR_UNIT * math.cos(half)
        at = {"x": round(radius * math.sin(half), 2), "y": round(radius * math.cos(half), 2)}
        if len(axes) > 2 and _clear_of_spokes(at["x"], at["y"], str(level), 2 * half):
            ring_labels.append({**at, "text": str(level)})
    lines: list[Row] = []
    points: list[Row] = []
    legend: list[Row] = []
    left = -RADAR_WIDTH / 2 + 6
    # Four series must stay clear of the upper-left axis label: rows 18 px apart.
    top = RADAR_HEIGHT / 2 - 8
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
        y_legend = top - 18 * index
        lines += [
            {"path": f"{key}-legend", "series": key, "order": 0, "x": left, "y": y_legend},
            {"path": f"{key}-legend", "series": key, "order": 1, "x": left + 36, "y": y_legend},
        ]
        points.append({"series": key, "x": left + 18, "y": y_legend})
        legend.append({"x": left + 46, "y": y_legend, "text": label})
    return {
        "radar_grid": grid,
        "radar_ring_halo": ring_labels,
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
    consensus: dict[str, float | None] | None = None,
) -> Figure:
    """Radar of factor scores: this round, the previous round, the ambition and, when the
    workshop agreed on levels, those levels as a series of their own."""
    now = f"Deze ronde ({current_label})"
    before = f"Vorige ronde ({previous_label})" if previous_label else "Vorige ronde"
    agreed = "Samen vastgesteld (workshop)"
    series: list[tuple[str, str, Mapping[str, float | None]]] = [("current", now, current)]
    if previous is not None:
        series.append(("previous", before, previous))
    if ambition is not None:
        series.append(("ambition", "Ambitie", ambition))
    if consensus is not None:
        series.append(("consensus", agreed, consensus))
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
        if consensus is not None:
            settled = [key for key, _ in axes if plain_value(consensus.get(key)) is not None]
            summary += (
                f" In de workshop stelden de partners samen voor {len(settled)} van de "
                f"{len(axes)} {noun}{'n' if noun.endswith('e') else 'en'} een niveau vast"
                + (
                    f", gemiddeld {number(mean_of(consensus.get(key) for key in settled))}."
                    if settled
                    else "."
                )
            )
    else:
        summary = f"Deze ronde ({current_label}) heeft nog geen scores."

    columns = [noun.capitalize(), now]
    if previous is not None:
        columns.append(before)
    if ambition is not None:
        columns.append("Ambitie")
    if consensus is not None:
        columns.append(agreed)
    rows = []
    for key, name in axes:
        row = [name, number(plain_value(current.get(key)))]
        if previous is not None:
            row.append(number(plain_value(previous.get(key))))
        if ambition is not None:
            row.append(number(plain_value(ambition.get(key))))
        if consensus is not None:
            value = plain_value(consensus.get(key))
            row.append("–" if value is None else str(round(value)))
        rows.append(row)
    return Figure(fig_id, title, summary, svg, Table(title, columns, rows))
