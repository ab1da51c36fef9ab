"""Answer distributions: stacked answers 1..5 per statement, 'weet niet' apart.

Drawn in pixels (see `canvas`): the legend, the statement labels and the axes are text
and lines placed here, identical on every site and never measured by Vega.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import altair as alt

from assessment.charts import canvas
from assessment.charts.engine import chart_kind, render_svg
from assessment.charts.figure import Figure, Row, Table
from assessment.charts.style import (
    ANSWER_COLOURS,
    ANSWER_KEYS,
    CHAR_WIDTH,
    DISTRIBUTION_WIDTH,
    DONT_KNOW_COLOUR,
    DONT_KNOW_WIDTH,
    MUTED,
    configure,
    text_colour,
)
from assessment.formatting import number

ROW_STEP = 30  # pixels per statement
BAR_HEIGHT = 27
LEGEND_HEIGHT = 30  # the legend row above the bars
LABEL_GAP = 6  # between a statement label and its bar
PANEL_GAP = 24  # between the answers and the 'weet niet' panel
AXIS_TITLE = "Aantal antwoorden (1–5)"
DONT_KNOW_TITLE = "Weet niet"
GRID_LINE = "#E3E3E3"


@chart_kind("distribution", texts=canvas.text_fields("distribution"))
def _distribution_chart() -> Any:
    """Stacked answers 1..5 per statement, and 'weet niet' apart in a narrow grey panel."""
    return configure(alt.layer(*canvas.pixel_layers("distribution")).properties(width=1, height=1))


# ------------------------------------------------------------------ distribution


def distribution_datasets(
    statements: Sequence[tuple[str, str]],
    counts: Mapping[str, tuple[int, int, int, int, int, int]],
) -> dict[str, list[Row]]:
    """The pixels of every rectangle, line and text: legend, labels, axes, and the bars;
    an answer segment's rectangle also carries its answer and its start and end count, a
    'weet niet' bar its count."""
    labels = [f"Stelling {order + 1}" for order in range(len(statements))]
    left = max((canvas.text_width(label) for label in labels), default=0) + LABEL_GAP
    top = LEGEND_HEIGHT
    bottom = top + ROW_STEP * len(statements)  # the axis line
    rows = [counts.get(statement, (0, 0, 0, 0, 0, 0)) for statement, _ in statements]
    most = max((sum(row[:5]) for row in rows), default=0) or 1
    per_answer = DISTRIBUTION_WIDTH / most
    rects: list[Row] = []
    grid: list[Row] = []
    rules: list[Row] = []
    texts: list[Row] = []

    # The legend: a square and a name per answer, in one row above the bars.
    x = left
    for colour, key in zip(ANSWER_COLOURS, ANSWER_KEYS, strict=True):
        rects.append(canvas.rect(x, top / 2 - 9, x + 10, top / 2 + 1, colour, "#FFFFFF", 1))
        texts.append(canvas.text(x + 15, top / 2 - 4, key))
        x += 15 + canvas.text_width(key, em=canvas.SPACING_EM) + 16

    # Grid lines first, under the bars.
    ticks = canvas.nice_ticks(most, 4)
    for tick in ticks:
        grid.append(
            canvas.rule(left + tick * per_answer, top, left + tick * per_answer, bottom, GRID_LINE)
        )
    unknown_most = max((row[5] for row in rows), default=0)
    # Room after the longest 'weet niet' bar for its count: about 22 of DONT_KNOW_WIDTH px.
    room = max(unknown_most, 1) * DONT_KNOW_WIDTH / (DONT_KNOW_WIDTH - 22)
    per_unknown = DONT_KNOW_WIDTH / room
    right = left + DISTRIBUTION_WIDTH + PANEL_GAP
    for tick in canvas.nice_ticks(room, 2):
        x = right + tick * per_unknown
        grid.append(canvas.rule(x, top, x, bottom, GRID_LINE))

    for order, row in enumerate(rows):
        label = labels[order]
        y = top + ROW_STEP * order
        middle = y + ROW_STEP / 2
        texts.append(canvas.text(left - LABEL_GAP, middle, label, align="right"))
        start = 0
        for value in range(5):
            count = row[value]
            if count:
                x0, x1 = left + start * per_answer, left + (start + count) * per_answer
                segment = {"answer": ANSWER_KEYS[value], "start": start, "end": start + count}
                rects.append(
                    canvas.rect(
                        x0, y + 1.5, x1, y + 1.5 + BAR_HEIGHT, ANSWER_COLOURS[value], "#FFFFFF", 1
                    )
                    | {"label": label, "order": order}
                    | segment
                )
                # A count only fits inside a segment that is wide enough for its digits.
                if x1 - x0 >= 8 + CHAR_WIDTH * len(str(count)):
                    texts.append(
                        canvas.text(
                            (x0 + x1) / 2,
                            middle,
                            str(count),
                            align="center",
                            size=11,
                            colour=text_colour(ANSWER_COLOURS[value]),
                        )
                    )
            start += count
        unknown = row[5]
        end = right + unknown * per_unknown
        rects.append(
            canvas.rect(right, y + 1.5, end, y + 1.5 + BAR_HEIGHT, DONT_KNOW_COLOUR)
            | {"label": label, "order": order, "count": unknown}
        )
        texts.append(canvas.text(end + 4, middle, str(unknown), size=11))

    # Axes: a line, ticks and whole numbers under the answers; only a line and a name
    # under 'weet niet' (its counts stand after the bars).
    rules.append(canvas.rule(left, bottom, left + DISTRIBUTION_WIDTH, bottom, MUTED))
    rules.append(canvas.rule(right, bottom, right + DONT_KNOW_WIDTH, bottom, MUTED))
    for tick in ticks:
        x = left + tick * per_answer
        rules.append(canvas.rule(x, bottom, x, bottom + 5, MUTED))
        align = "left" if tick == 0 else "right" if tick == most else "center"
        texts.append(canvas.text(x, bottom + 7, f"{tick:g}", align=align, baseline="top"))
    texts.append(
        canvas.text(
            left + DISTRIBUTION_WIDTH / 2, bottom + 24, AXIS_TITLE, align="center", baseline="top"
        )
    )
    texts.append(
        canvas.text(
            right + DONT_KNOW_WIDTH / 2, bottom + 7, DONT_KNOW_TITLE, align="center", baseline="top"
        )
    )
    datasets = {
        "distribution_grid": grid,
        "distribution_rects": rects,
        "distribution_rules": rules,
        "distribution_texts": texts,
    }
    return {"distribution_frame": canvas.fitted_frame(datasets, "distribution")} | datasets


def distribution_figure(
    fig_id: str,
    title: str,
    statements: list[tuple[str, str]],
    counts: dict[str, tuple[int, int, int, int, int, int]],
) -> Figure:
    """Stacked answers 1..5 per statement, with 'weet niet' set apart."""
    svg = render_svg("distribution", distribution_datasets(statements, counts), title)
    means: list[tuple[str, float]] = []
    rows: list[list[str]] = []
    total = unknown = 0
    for order, (statement, text) in enumerate(statements):
        row = counts.get(statement, (0, 0, 0, 0, 0, 0))
        answered = sum(row[:5])
        mean = sum((v + 1) * row[v] for v in range(5)) / answered if answered else None
        label = f"Stelling {order + 1}"
        if mean is not None:
            means.append((label, mean))
        total += answered + row[5]
        unknown += row[5]
        # One column for label and text: nine columns do not fit the page at 1280 px.
        rows.append([f"{label}: {text}", *(str(c) for c in row), number(mean)])
    if means:
        high = max(means, key=lambda item: item[1])
        low = min(means, key=lambda item: item[1])
        summary = (
            f"Hoogste gemiddelde: {high[0]} ({number(high[1])}); "
            f"laagste: {low[0]} ({number(low[1])}); "
            f"'weet niet' bij {unknown} van de {total} antwoorden."
        )
    else:
        summary = f"Nog geen antwoorden op een schaal van 1 tot 5; 'weet niet': {unknown}."
    columns = ["Stelling", *ANSWER_KEYS, "Weet niet", "Gemiddeld"]
    return Figure(fig_id, title, summary, svg, Table(title, columns, rows))
