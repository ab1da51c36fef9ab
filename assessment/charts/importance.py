"""The importance-performance chart: score against importance in four quadrants."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import altair as alt

from assessment.charts.engine import chart_kind, render_svg
from assessment.charts.figure import Figure, Row, Table, join_words, lift, plain_value, wrap
from assessment.charts.style import (
    IMPORTANCE_HEIGHT,
    IMPORTANCE_WIDTH,
    LABEL_SIZE,
    MUTED,
    SERIES_COLOURS,
    TEXT,
    configure,
)
from assessment.formatting import number


# Labels and quadrant names are placed inside the plot (see `labels_inside`): drawn as
# placeholders when they certainly fit.
@chart_kind("importance", texts={"importance_quadrants": ["text"], "importance_labels": ["text"]})
def _importance_chart() -> Any:
    """Score against importance with the two split lines, quadrant names and labels.

    The scales take their extent from the data: the split lines run from edge to edge,
    so Python decides how far the axes zoom in (see `importance_datasets`).
    """
    scale = alt.Scale(nice=False, zero=False)
    axis = alt.Axis(tickMinStep=0.5, format=".1f")
    x = alt.X("score:Q", scale=scale, title="Score (1–5)", axis=axis)
    y = alt.Y("importance:Q", scale=scale, title="Belang (1–5)", axis=axis)

    def at(field_x: str = "x", field_y: str = "y") -> dict[str, Any]:
        return {"x": alt.X(f"{field_x}:Q", scale=scale), "y": alt.Y(f"{field_y}:Q", scale=scale)}

    splits = (
        alt.Chart(alt.NamedData(name="importance_splits"))
        .mark_rule(color=MUTED, strokeDash=[6, 4], strokeWidth=1.5)
        .encode(**at(), x2="x2:Q", y2="y2:Q")
    )
    quadrants = (
        alt.Chart(alt.NamedData(name="importance_quadrants"))
        .mark_text(
            color=MUTED,
            fontSize=13,
            fontStyle="italic",
            align=alt.ExprRef("datum.align"),
            baseline=alt.ExprRef("datum.baseline"),
        )
        .encode(**at(), text="text:N")
    )
    leaders = (
        alt.Chart(alt.NamedData(name="importance_leaders"))
        .mark_rule(color=MUTED, strokeWidth=1)
        .encode(**at(), x2="x2:Q", y2="y2:Q")
    )
    points = (
        alt.Chart(alt.NamedData(name="importance_points"))
        .mark_point(filled=True, size=80, opacity=1, color=SERIES_COLOURS[0])
        .encode(x=x, y=y)
    )
    labels = (
        alt.Chart(alt.NamedData(name="importance_labels"))
        .mark_text(
            color=TEXT,
            fontSize=LABEL_SIZE,
            lineBreak="\n",
            lineHeight=LABEL_SIZE + 2,
            align=alt.ExprRef("datum.align"),
            baseline=alt.ExprRef("datum.baseline"),
            dy=alt.ExprRef("datum.dy"),
        )
        .encode(**at(), text="text:N")
    )
    return configure(
        alt.layer(splits, quadrants, leaders, points, labels).properties(
            width=IMPORTANCE_WIDTH, height=IMPORTANCE_HEIGHT
        )
    )


# ------------------------------------------------------------------ importance

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
    """Rows of the importance–performance spec, zoomed to the points, labels apart."""
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

    def data(x: float, y: float) -> tuple[float, float]:
        return (
            round(x0 + x / IMPORTANCE_WIDTH * (x1 - x0), 4),
            round(y1 - y / IMPORTANCE_HEIGHT * (y1 - y0), 4),
        )

    corners: list[Row] = []
    blocked: list[Box] = []
    for text, right, top in _QUADRANT_CORNERS:
        # Six pixels in from the plot's edges, so the names never touch the axes.
        corner_x = IMPORTANCE_WIDTH - 6.0 if right else 6.0
        corner_y = 6.0 if top else IMPORTANCE_HEIGHT - 6.0
        align, baseline = ("right" if right else "left"), ("top" if top else "bottom")
        data_x, data_y = data(corner_x, corner_y)
        corners.append(
            {"x": data_x, "y": data_y, "text": text, "align": align, "baseline": baseline}
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
    labels: list[Row] = []
    leaders: list[Row] = []
    for k, (x, y, align, baseline) in zip(crowding, placed, strict=True):
        label_x, label_y = data(x, y)
        text = anchors[k][2]
        labels.append(
            {
                "x": label_x,
                "y": label_y,
                "text": text,
                "align": align,
                "baseline": baseline,
                "dy": lift(text, baseline, LABEL_SIZE + 2),
            }
        )
        px, py = anchors[k][0], anchors[k][1]
        if math.hypot(x - px, y - py) > _NEAR + 1:
            # A leader from just outside the point to just before the label.
            fraction = 6 / math.hypot(x - px, y - py)
            start = data(px + (x - px) * fraction, py + (y - py) * fraction)
            end = data(x - (x - px) * fraction / 2, y - (y - py) * fraction / 2)
            leaders.append({"x": start[0], "y": start[1], "x2": end[0], "y2": end[1]})
    return {
        "importance_splits": [
            {"x": score_split, "x2": score_split, "y": y0, "y2": y1},
            {"x": x0, "x2": x1, "y": importance_split, "y2": importance_split},
        ],
        "importance_quadrants": corners,
        "importance_leaders": leaders,
        "importance_points": [{"score": s, "importance": i} for _, s, i in known],
        "importance_labels": labels,
    }


# A glyph is at most this wide on average in any common sans-serif font (in em).
_WIDEST_EM = 0.75


def labels_inside(datasets: dict[str, list[Row]]) -> bool:
    """Whether every label and quadrant name lies inside the plot, even in a wide font.

    Then no text can widen the chart, and its width need not be measured.
    """
    vertical, horizontal = datasets["importance_splits"]
    x0, x1, y0, y1 = horizontal["x"], horizontal["x2"], vertical["y"], vertical["y2"]
    for name, size in (("importance_labels", LABEL_SIZE), ("importance_quadrants", 13)):
        for row in datasets[name]:
            x = (row["x"] - x0) / (x1 - x0) * IMPORTANCE_WIDTH
            y = (y1 - row["y"]) / (y1 - y0) * IMPORTANCE_HEIGHT
            box = _text_box(x, y, row["text"], row["align"], row["baseline"], size, _WIDEST_EM)
            if box[0] < 0 or box[1] < 0 or box[2] > IMPORTANCE_WIDTH or box[3] > IMPORTANCE_HEIGHT:
                return False
    return True


def importance_figure(
    fig_id: str,
    title: str,
    points: list[tuple[str, str, float, float, str]],
    score_split: float,
    importance_split: float,
) -> Figure:
    """Score against importance, split into the four quadrants of SPEC §4."""
    datasets = importance_datasets(points, score_split, importance_split)
    svg = render_svg("importance", datasets, title, placeholders=labels_inside(datasets))
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
