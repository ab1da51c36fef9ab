"""Small multiples of each factor's score over the rounds.

Drawn in pixels (see `canvas`): one panel per factor in a grid of four columns, with its
title above it, the score axis on the left of each row and the rounds under the lowest
panel of each column, as a faceted Vega-Lite chart would draw them, without Vega laying
out (and measuring) any label.
"""

from __future__ import annotations

from typing import Any

import altair as alt

from assessment.charts import canvas
from assessment.charts.engine import chart_kind, render_svg
from assessment.charts.figure import Figure, Row, Table, plain_value, signed, wrap
from assessment.charts.style import MUTED, SERIES_COLOURS, configure
from assessment.formatting import number

COLUMNS = 4
PANEL_WIDTH = 130
PANEL_HEIGHT = 110
COLUMN_GAP = 24
ROW_GAP = 16
LEFT = 52  # the score axis: its name, numbers and ticks
HEADER_LINE = 15  # pixels per line of a panel title
ROUND_LABEL_SIZE = 11
ROUND_ANGLE = -40
GRID_LINE = "#E3E3E3"


@chart_kind("trend", texts=canvas.text_fields("trend"))
def _trend_chart() -> Any:
    """One small panel per factor: its score over the rounds."""
    *under, texts = canvas.pixel_layers("trend")
    position = {"x": alt.X("x:Q", scale=None), "y": alt.Y("y:Q", scale=None)}
    line = (
        alt.Chart(alt.NamedData(name="trend_lines"))
        .mark_line(color=SERIES_COLOURS[0], strokeWidth=2.5)
        .encode(**position, detail="path:N", order="order:Q")
    )
    points = (
        alt.Chart(alt.NamedData(name="trend_points"))
        .mark_point(filled=True, size=50, opacity=1, color=SERIES_COLOURS[0])
        .encode(**position)
    )
    return configure(alt.layer(*under, line, points, texts).properties(width=1, height=1))


# ----------------------------------------------------------------------- trend


def trend_datasets(
    factors: list[tuple[str, str]],
    rounds: list[str],
    scores: dict[tuple[str, str], float | None],
) -> dict[str, list[Row]]:
    """Pixels of every panel: grid, axes, title, line and points."""
    titles = [wrap(title, 22) for _, title in factors]
    grid_rows = [titles[i : i + COLUMNS] for i in range(0, len(titles), COLUMNS)]
    headers = [(max(t.count("\n") for t in row) + 1) * HEADER_LINE + 6 for row in grid_rows]
    step = PANEL_WIDTH / max(len(rounds), 1)  # a point scale with half a step at each end
    round_x = [step * (k + 0.5) for k in range(len(rounds))]

    def panel_top(grid_row: int) -> float:
        return sum(headers[: grid_row + 1]) + grid_row * (PANEL_HEIGHT + ROW_GAP)

    def score_y(value: float) -> float:
        return (5 - value) / 4 * PANEL_HEIGHT

    grid: list[Row] = []
    rules: list[Row] = []
    texts: list[Row] = []
    lines: list[Row] = []
    points: list[Row] = []
    for grid_row in range(len(grid_rows)):
        top = panel_top(grid_row)
        # The score axis on the left of each row: name, numbers, ticks and a line.
        texts.append(
            canvas.text(
                2, top + PANEL_HEIGHT / 2, "Score", align="center", baseline="top", angle=-90
            )
        )
        rules.append(canvas.rule(LEFT, top, LEFT, top + PANEL_HEIGHT, MUTED))
        for level in range(1, 6):
            y = top + score_y(level)
            rules.append(canvas.rule(LEFT - 5, y, LEFT, y, MUTED))
            texts.append(canvas.text(LEFT - 8, y, str(level), align="right"))
    bottom = panel_top(len(grid_rows) - 1) + PANEL_HEIGHT if grid_rows else 0
    for index, ((factor, _), title) in enumerate(zip(factors, titles, strict=True)):
        grid_row, column = divmod(index, COLUMNS)
        left = LEFT + column * (PANEL_WIDTH + COLUMN_GAP)
        top = panel_top(grid_row)
        texts.append(
            canvas.text(left + PANEL_WIDTH / 2, top - 6, title, align="center", baseline="bottom")
        )
        for level in range(1, 6):
            y = top + score_y(level)
            grid.append(canvas.rule(left, y, left + PANEL_WIDTH, y, GRID_LINE))
        for order, (round_slug, x) in enumerate(zip(rounds, round_x, strict=True)):
            value = plain_value(scores.get((factor, round_slug)))
            if value is None:
                continue
            point = {"x": round(left + x, 2), "y": round(top + score_y(value), 2)}
            lines.append(point | {"path": factor, "order": order})
            points.append(point)
        # The rounds under the lowest panel of each column, at the bottom of the grid.
        if index + COLUMNS >= len(factors):
            rules.append(canvas.rule(left, bottom, left + PANEL_WIDTH, bottom, MUTED))
            for round_slug, x in zip(rounds, round_x, strict=True):
                rules.append(canvas.rule(left + x, bottom, left + x, bottom + 5, MUTED))
                texts.append(
                    canvas.text(
                        left + x,
                        bottom + 7,
                        round_slug,
                        align="right",
                        baseline="top",
                        size=ROUND_LABEL_SIZE,
                        angle=ROUND_ANGLE,
                    )
                )
    datasets = {
        "trend_grid": grid,
        "trend_rules": rules,
        "trend_texts": texts,
        "trend_lines": lines,
        "trend_points": points,
    }
    return {"trend_frame": canvas.fitted_frame(datasets, "trend")} | datasets


def trend_figure(
    fig_id: str,
    title: str,
    factors: list[tuple[str, str]],
    rounds: list[str],
    scores: dict[tuple[str, str], float | None],
) -> Figure:
    """Each factor's score over the rounds, one small panel per factor."""
    svg = render_svg("trend", trend_datasets(factors, rounds, scores), title)

    changes = []
    if len(rounds) >= 2:
        last, before = rounds[-1], rounds[-2]
        for factor, factor_title in factors:
            now, then = (
                plain_value(scores.get((factor, last))),
                plain_value(scores.get((factor, before))),
            )
            if now is not None and then is not None:
                changes.append((now - then, factor_title))
    if changes:
        rise = max(changes)
        fall = min(changes)
        rise_text = f"{rise[1]} ({signed(rise[0])})" if rise[0] > 0 else "geen"
        fall_text = f"{fall[1]} ({signed(fall[0])})" if fall[0] < 0 else "geen"
        summary = (
            f"Grootste stijging sinds {rounds[-2]}: {rise_text}; grootste daling: {fall_text}."
        )
    elif len(rounds) < 2:
        summary = "Er is nog maar één ronde; de ontwikkeling is te zien vanaf de tweede ronde."
    else:
        summary = f"Geen factor heeft een score in zowel {rounds[-2]} als {rounds[-1]}."
    columns = ["Factor", *rounds]
    if len(rounds) >= 2:
        columns.append(f"Verschil met {rounds[-2]}")
    table_rows = []
    for factor, factor_title in factors:
        values = [plain_value(scores.get((factor, r))) for r in rounds]
        row = [factor_title, *(number(v) for v in values)]
        if len(rounds) >= 2:
            a, b = values[-1], values[-2]
            row.append(signed(a - b) if a is not None and b is not None else "–")
        table_rows.append(row)
    return Figure(fig_id, title, summary, svg, Table(title, columns, table_rows))
