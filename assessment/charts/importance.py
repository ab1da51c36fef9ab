"""The importance-performance chart: score against importance in four quadrants."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import altair as alt

from assessment.charts import canvas
from assessment.charts.engine import chart_kind, render_svg
from assessment.charts.figure import Figure, Row, Table, join_words, plain_value, wrap
from assessment.charts.style import (
    IMPORTANCE_HEIGHT,
    IMPORTANCE_WIDTH,
    LABEL_SIZE,
    MUTED,
    SERIES_COLOURS,
    configure,
)
from assessment.formatting import number


@chart_kind("importance", texts=canvas.text_fields("importance"))
def _importance_chart() -> Any:
    """Score against importance with the two split lines, quadrant names and labels.

    Drawn in pixels (see `canvas`): Python zooms the axes to the points (see
    `importance_datasets`), places the labels and draws the axes' numbers and names.
    """
    *under, texts = canvas.pixel_layers("importance")
    position = {"x": alt.X("x:Q", scale=None), "y": alt.Y("y:Q", scale=None)}
    splits = (
        alt.Chart(alt.NamedData(name="importance_splits"))
        .mark_rule(color=MUTED, strokeDash=[6, 4], strokeWidth=1.5)
        .encode(**position, x2="x2:Q", y2="y2:Q")
    )
    points = (
        alt.Chart(alt.NamedData(name="importance_points"))
        .mark_point(filled=True, size=80, opacity=1, color=SERIES_COLOURS[0])
        .encode(**position)
    )
    return configure(alt.layer(*under, splits, points, texts).properties(width=1, height=1))


# ------------------------------------------------------------------ importance

PLOT_LEFT = 52  # room for the importance axis: its name, numbers and ticks
PLOT_TOP = 8
X_TITLE = "Score (1–5)"
Y_TITLE = "Belang (1–5)"
GRID_LINE = "#E3E3E3"

# Quadrant names in the plot's corners: (name, right edge?, top edge?).
_QUADRANT_CORNERS = (
    ("Prioriteit", False, True),
    ("Vasthouden", True, True),
    ("Later", False, False),
    ("Minder aandacht nodig", True, False),
)


# Candidate label spots around a point: (dx, dy) in pixels (y down), align, baseline;
# first the close ones, then farther ones that get a leader line to their point.
_NEAR = 9.0
_LABEL_SPOTS = tuple(
    (dx * distance, dy * distance, align, baseline)
    for distance in (_NEAR, 26.0, 48.0, 72.0)
    for dx, dy, align, baseline in (
        (1, 0, "left", "middle"),
        (-1, 0, "right", "middle"),
        (0, -1, "center", "bottom"),
        (0, 1, "center", "top"),
        (0.75, -0.75, "left", "bottom"),
        (-0.75, -0.75, "right", "bottom"),
        (0.75, 0.75, "left", "top"),
        (-0.75, 0.75, "right", "top"),
    )
)


Box = tuple[float, float, float, float]  # left, top, right, bottom in pixels


def _text_box(
    x: float, y: float, text: str, align: str, baseline: str, size: float, em: float = 0.6
) -> Box:
    """The pixel box a (multi-line) text anchored at x, y will cover, estimated with a
    mean glyph width of `em` times the font size."""
    lines = text.split("\n")
    width = max(len(line) for line in lines) * size * em
    height = len(lines) * (size + 2)
    left = {"left": x, "center": x - width / 2, "right": x - width}[align]
    top = {"top": y, "middle": y - height / 2, "bottom": y - height}[baseline]
    return (left, top, left + width, top + height)


def _overlap(a: Box, b: Box) -> float:
    width = min(a[2], b[2]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[1], b[1])
    return width * height if width > 0 and height > 0 else 0.0


def _inside(point: tuple[float, float], box: Box) -> bool:
    return box[0] <= point[0] <= box[2] and box[1] <= point[1] <= box[3]


def _place_labels(
    points: Sequence[tuple[float, float, str]], blocked: Sequence[Box], lines: Sequence[Box]
) -> list[tuple[float, float, str, str]]:
    """Greedy label placement in pixels: the first spot around each point that overlaps
    nothing placed so far (else the least overlapping one), inside the plot.

    Labels farther out get a leader line and pay for their distance; a leader through
    another label, or a label on top of another leader, counts as an overlap too. Crossing
    a split line (`lines`) costs a little: better than a label far from its point.
    """
    taken = list(blocked) + [(x - 7, y - 7, x + 7, y + 7) for x, y, _ in points]
    leaders: list[tuple[float, float]] = []  # points sampled along placed leader lines
    placed = []
    for x, y, text in points:
        best: tuple[float, tuple[float, float, str, str], Box, list[tuple[float, float]]]
        best = (math.inf, (x, y, "left", "middle"), (x, y, x, y), [])
        for dx, dy, align, baseline in _LABEL_SPOTS:
            box = _text_box(x + dx, y + dy, text, align, baseline, LABEL_SIZE)
            outside = (
                max(0.0, -box[0])
                + max(0.0, box[2] - IMPORTANCE_WIDTH)
                + max(0.0, -box[1])
                + max(0.0, box[3] - IMPORTANCE_HEIGHT)
            )
            cost = sum(_overlap(box, other) for other in taken) + 1000 * outside
            cost += 0.1 * sum(_overlap(box, line) for line in lines)
            cost += 40 * sum(1 for sample in leaders if _inside(sample, box))
            samples = []
            distance = math.hypot(dx, dy)
            if distance > 2 * _NEAR:
                samples = [(x + dx * t / 10, y + dy * t / 10) for t in range(3, 10)]
                cost += 40 * sum(1 for p in samples for other in taken if _inside(p, other))
                cost += 2 * distance
            if cost < best[0]:
                best = (cost, (x + dx, y + dy, align, baseline), box, samples)
            if cost == 0:
                break
        placed.append(best[1])
        taken.append(best[2])
        leaders += best[3]
    return placed


def _extent(values: Sequence[float], split: float) -> tuple[float, float]:
    """Axis extent around the values and the split, in half points, at least 2 wide.

    It may reach 0.2 beyond the scale so that a point at 1 or 5 is not cut by the
    plot's edge; the ticks (every half point) stay within 1..5.
    """
    low = max(0.8, math.floor((min([*values, split]) - 0.3) * 2) / 2)
    high = min(5.2, math.ceil((max([*values, split]) + 0.3) * 2) / 2)
    while high - low < 2:
        low, high = max(0.8, low - 0.5), min(5.2, high + 0.5)
    return low, high


def importance_datasets(
    points: Sequence[tuple[str, str, float, float, str]],
    score_split: float,
    importance_split: float,
) -> dict[str, list[Row]]:
    """Pixels of the importance–performance chart, zoomed to the points, labels apart."""
    known = [
        (title, s, i)
        for _, title, score, importance, _ in points
        if (s := plain_value(score)) is not None and (i := plain_value(importance)) is not None
    ]
    x0, x1 = _extent([s for _, s, _ in known], score_split)
    y0, y1 = _extent([i for _, _, i in known], importance_split)

    def pixels(score: float, importance: float) -> tuple[float, float]:
        return (
            (score - x0) / (x1 - x0) * IMPORTANCE_WIDTH,
            (y1 - importance) / (y1 - y0) * IMPORTANCE_HEIGHT,
        )

    # Everything is placed in the plot's own pixels, then moved right and down by the
    # room the axes need.
    texts: list[Row] = []
    blocked: list[Box] = []
    for text, right, top in _QUADRANT_CORNERS:
        # Six pixels in from the plot's edges, so the names never touch the axes.
        corner_x = IMPORTANCE_WIDTH - 6.0 if right else 6.0
        corner_y = 6.0 if top else IMPORTANCE_HEIGHT - 6.0
        align, baseline = ("right" if right else "left"), ("top" if top else "bottom")
        texts.append(
            canvas.text(
                PLOT_LEFT + corner_x,
                PLOT_TOP + corner_y,
                text,
                align=align,
                baseline=baseline,
                size=13,
                colour=MUTED,
                style="italic",
            )
        )
        blocked.append(_text_box(corner_x, corner_y, text, align, baseline, 13))
    split_x, split_y = pixels(score_split, importance_split)
    lines = [
        (split_x - 2, 0, split_x + 2, IMPORTANCE_HEIGHT),
        (0, split_y - 2, IMPORTANCE_WIDTH, split_y + 2),
    ]
    anchors = [(*pixels(s, i), wrap(title, 20)) for title, s, i in known]
    # The most crowded points go first: they have the fewest free spots.
    crowding = sorted(
        range(len(anchors)),
        key=lambda k: (
            -sum(
                1
                for other in anchors
                if abs(other[0] - anchors[k][0]) < 100 and abs(other[1] - anchors[k][1]) < 50
            )
        ),
    )
    placed = _place_labels([anchors[k] for k in crowding], blocked, lines)
    rules: list[Row] = []
    for k, (x, y, align, baseline) in zip(crowding, placed, strict=True):
        text = anchors[k][2]
        texts.append(
            canvas.text(
                PLOT_LEFT + x,
                PLOT_TOP + y,
                text,
                align=align,
                baseline=baseline,
                size=LABEL_SIZE,
                line_height=LABEL_SIZE + 2,
            )
            | {"label": True}
        )
        px, py = anchors[k][0], anchors[k][1]
        if math.hypot(x - px, y - py) > _NEAR + 1:
            # A leader from just outside the point to just before the label.
            fraction = 6 / math.hypot(x - px, y - py)
            rules.append(
                canvas.rule(
                    PLOT_LEFT + px + (x - px) * fraction,
                    PLOT_TOP + py + (y - py) * fraction,
                    PLOT_LEFT + x - (x - px) * fraction / 2,
                    PLOT_TOP + y - (y - py) * fraction / 2,
                    MUTED,
                )
            )
    grid, axes = _axes(x0, x1, y0, y1, texts)
    datasets = {
        "importance_grid": grid,
        "importance_rules": axes + rules,
        "importance_texts": texts,
        "importance_splits": [
            _shifted(split_x, 0, split_x, IMPORTANCE_HEIGHT),
            _shifted(0, split_y, IMPORTANCE_WIDTH, split_y),
        ],
        "importance_points": [
            {"x": round(PLOT_LEFT + x, 2), "y": round(PLOT_TOP + y, 2)} for x, y, _ in anchors
        ],
    }
    return {"importance_frame": canvas.fitted_frame(datasets, "importance")} | datasets


def _shifted(x: float, y: float, x2: float, y2: float) -> Row:
    """A line in the plot's pixels, placed in the chart."""
    return {
        "x": round(PLOT_LEFT + x, 2),
        "y": round(PLOT_TOP + y, 2),
        "x2": round(PLOT_LEFT + x2, 2),
        "y2": round(PLOT_TOP + y2, 2),
    }


def _axes(
    x0: float, x1: float, y0: float, y1: float, texts: list[Row]
) -> tuple[list[Row], list[Row]]:
    """Grid and axes (lines, ticks every half point, numbers, names); adds the texts."""
    grid: list[Row] = []
    axes: list[Row] = []
    left, top = PLOT_LEFT, PLOT_TOP
    right, bottom = left + IMPORTANCE_WIDTH, top + IMPORTANCE_HEIGHT
    for value in _half_points(x0, x1):
        x = left + (value - x0) / (x1 - x0) * IMPORTANCE_WIDTH
        grid.append(canvas.rule(x, top, x, bottom, GRID_LINE))
        axes.append(canvas.rule(x, bottom, x, bottom + 5, MUTED))
        texts.append(canvas.text(x, bottom + 7, number(value), align="center", baseline="top"))
    for value in _half_points(y0, y1):
        y = top + (y1 - value) / (y1 - y0) * IMPORTANCE_HEIGHT
        grid.append(canvas.rule(left, y, right, y, GRID_LINE))
        axes.append(canvas.rule(left - 5, y, left, y, MUTED))
        texts.append(canvas.text(left - 8, y, number(value), align="right"))
    axes.append(canvas.rule(left, bottom, right, bottom, MUTED))
    axes.append(canvas.rule(left, top, left, bottom, MUTED))
    texts.append(
        canvas.text((left + right) / 2, bottom + 24, X_TITLE, align="center", baseline="top")
    )
    texts.append(
        canvas.text(2, (top + bottom) / 2, Y_TITLE, align="center", baseline="top", angle=-90)
    )
    return grid, axes


def _half_points(low: float, high: float) -> list[float]:
    """Every half point from `low` to `high`, within the scale 1..5."""
    first = math.ceil(max(low, 1.0) * 2 - 1e-9)
    last = math.floor(min(high, 5.0) * 2 + 1e-9)
    return [k / 2 for k in range(first, last + 1)]


def importance_figure(
    fig_id: str,
    title: str,
    points: list[tuple[str, str, float, float, str]],
    score_split: float,
    importance_split: float,
) -> Figure:
    """Score against importance, split into the four quadrants of SPEC §4."""
    datasets = importance_datasets(points, score_split, importance_split)
    svg = render_svg("importance", datasets, title)
    by_quadrant: dict[str, list[str]] = {}
    for _, factor_title, _, _, quadrant in points:
        if quadrant:
            by_quadrant.setdefault(quadrant, []).append(factor_title)
    priority = join_words(by_quadrant.get("prioriteit", [])) or "geen"
    keep = join_words(by_quadrant.get("vasthouden", [])) or "geen"
    summary = f"Prioriteit (belangrijk, lage score): {priority}; vasthouden: {keep}."
    rows = [
        [factor_title, number(plain_value(score)), number(plain_value(importance)), quadrant or "–"]
        for _, factor_title, score, importance, quadrant in points
    ]
    columns = ["Factor", "Score", "Belang", "Kwadrant"]
    return Figure(fig_id, title, summary, svg, Table(title, columns, rows))
