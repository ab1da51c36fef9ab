"""Key figures (SPEC §10): a bullet chart of the latest value against its reference values,
and a small chart of the value over the rounds.

Drawn in pixels (see `canvas`): Python places every mark and label (labels apart, so that
they do not overlap), inside a frame of the same size for every key figure whatever its
unit and range; Vega measures no text.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import altair as alt

from assessment.charts import canvas
from assessment.charts.engine import chart_kind, render_svg
from assessment.charts.figure import Figure, Row, Table
from assessment.charts.style import (
    BULLET_BAR,
    BULLET_BELOW,
    BULLET_HEIGHT,
    BULLET_LABEL_ROWS,
    BULLET_TICK,
    BULLET_TRACK,
    BULLET_WIDTH,
    CHAR_WIDTH,
    GRID,
    MUTED,
    SERIES_COLOURS,
    SMALL_TREND_HEIGHT,
    SMALL_TREND_MARGIN,
    SMALL_TREND_PLOT,
    SMALL_TREND_WIDTH,
    TEXT,
    TICK_HALF,
    TRACK,
    configure,
)
from assessment.formatting import number

# The glyph width of the 12 px labels, generous, for placing labels apart.
FONT_SIZE = 12
_GLYPH = CHAR_WIDTH * FONT_SIZE / 12
TREND_POINT_SIZE = 60  # marker area in px² (Vega's symbol size)


@chart_kind("bullet", texts=canvas.text_fields("bullet"))
def _bullet_chart() -> Any:
    """A grey track, the value as a bar, reference values as ticks, their labels."""
    # Only the layers it draws: a page has two charts per key figure, each one its own
    # render, and an empty layer costs about as much as a full one.
    layers = canvas.pixel_layers("bullet", ("frame", "rects", "texts"))
    return configure(alt.layer(*layers).properties(width=1, height=1))


@chart_kind("indicator_trend", texts=canvas.text_fields("indicator_trend"))
def _indicator_trend_chart() -> Any:
    """The value in each round, joined by a line, with the first and last value named."""
    *under, texts = canvas.pixel_layers("indicator_trend", ("frame", "rules", "texts"))
    points = (
        alt.Chart(alt.NamedData(name="indicator_trend_points"))
        .mark_point(filled=True, size=TREND_POINT_SIZE, opacity=1, color=SERIES_COLOURS[0])
        .encode(x=alt.X("x:Q", scale=None), y=alt.Y("y:Q", scale=None))
    )
    return configure(alt.layer(*under, points, texts).properties(width=1, height=1))


def _frame(datasets: dict[str, list[Row]], name: str, width: float, height: float) -> list[Row]:
    """The same frame for every figure of a kind (so that they line up on the page),
    wider only if a label would reach outside it."""
    (fitted,) = canvas.fitted_frame(datasets, name, margin=0)
    return [
        {
            "x": min(fitted["x"], 0),
            "y": min(fitted["y"], 0),
            "x2": max(fitted["x2"], width),
            "y2": max(fitted["y2"], height),
        }
    ]


# ----------------------------------------------------------------- layout helpers


@dataclass(frozen=True)
class Marked:
    """A value on a chart with how it is named: '80%' and 'Streefwaarde Buurtzorg Jong'."""

    label: str  # what it is (in the table)
    value: float
    shown: str  # the value with its unit
    short: str = ""  # what it is in the chart, when shorter than `label`

    @property
    def tag(self) -> str:
        """The name in the chart."""
        return self.short or self.label


def nice_maximum(value: float) -> float:
    """The smallest of 1, 2, 2.5, 5 × 10ⁿ at or above `value` (at least 1)."""
    if value <= 1:
        return 1.0
    power = 10.0 ** math.floor(math.log10(value))
    for step in (1.0, 2.0, 2.5, 5.0, 10.0):
        if value <= step * power + 1e-9:
            return step * power
    return 10.0 * power


def _span(x: float, text: str, align: str) -> tuple[float, float]:
    """The horizontal extent of a label anchored at `x`."""
    width = len(text) * _GLYPH
    if align == "left":
        return x, x + width
    if align == "right":
        return x - width, x
    return x - width / 2, x + width / 2


def _anchor(x: float, text: str, width: float) -> tuple[str, float, float] | None:
    """Align a label at `x` so that it stays inside the chart: (align, start, end), or
    None when it fits nowhere (the table under the chart has it).

    Preferably starting at `x` or ending there, so that it visibly belongs to its mark.
    """
    for align in ("left", "right", "center"):
        start, end = _span(x, text, align)
        if start >= 0 and end <= width:
            return align, start, end
    return None


def _free(spans: list[tuple[float, float]], start: float, end: float, gap: float = 8) -> bool:
    return all(end + gap <= a or start >= b + gap for a, b in spans)


def _text(
    x: float, y: float, text: str, align: str, *, weight: str = "normal", colour: str = TEXT
) -> Row:
    return canvas.text(x, y, text, align=align, size=FONT_SIZE, colour=colour, weight=weight)


# ------------------------------------------------------------------------ bullet


def bullet_x(amount: float, top: float) -> float:
    """Where a value lies on the track from 0 to `top`: 0 at the left end, `top` at the
    right end, outside values at the nearer end."""
    return max(0.0, min(BULLET_WIDTH, amount / top * BULLET_WIDTH))


def bullet_datasets(
    value: Marked, references: Sequence[Marked], top: float, unit: str
) -> dict[str, list[Row]]:
    """Rows of the bullet chart for a value on a scale from 0 to `top`, in pixels from
    the top left of a frame BULLET_WIDTH × BULLET_HEIGHT.

    Every shape is a rectangle, drawn in this order: the track, the value's bar, the
    reference ticks, and white boxes behind the labels of the upper row (so that a longer
    tick passing behind a lower label does not cross its text).
    """
    rects: list[Row] = [
        canvas.rect(0, BULLET_TRACK[0], BULLET_WIDTH, BULLET_TRACK[1], TRACK),
        canvas.rect(0, BULLET_BAR[0], bullet_x(value.value, top), BULLET_BAR[1],
                    SERIES_COLOURS[0]),
    ]  # fmt: skip
    ticks: list[float] = []
    boxes: list[Row] = []
    texts: list[Row] = []
    rows: list[list[tuple[float, float]]] = [[] for _ in BULLET_LABEL_ROWS]
    for reference in sorted(references, key=lambda r: r.value):
        x = bullet_x(reference.value, top)
        text = f"{reference.tag}: {reference.shown}"
        placed = None
        anchored = _anchor(x, text, BULLET_WIDTH)
        align, start, end = anchored or ("left", x, x)
        for row, taken in enumerate(rows):
            if anchored and _free(taken, start, end):
                placed = row
                taken.append((start, end))
                break
        # A tick reaches up to its label.
        top_of_tick = BULLET_TICK[0] if placed is None else BULLET_LABEL_ROWS[placed] + 7
        rects.append(canvas.rect(x - TICK_HALF, top_of_tick, x + TICK_HALF, BULLET_TICK[1], TEXT))
        ticks.append(x)
        if placed is None:  # no room left: the label is in the table below the chart
            continue
        y = BULLET_LABEL_ROWS[placed]
        boxes.append(canvas.rect(start - 2, y - 8, end + 2, y + 7, "#FFFFFF"))
        texts.append(_text(x, y, text, align))
    below: list[tuple[float, float]] = []
    # Only the end of the scale: the track starts at 0, as every bar does.
    end_text = _scale_end(top, unit)
    below.append(_span(BULLET_WIDTH, end_text, "right"))
    texts.append(_text(BULLET_WIDTH, BULLET_BELOW, end_text, "right", colour=MUTED))
    texts.append(_value_label(bullet_x(value.value, top), value.shown, ticks, below))
    datasets = {"bullet_rects": rects + boxes, "bullet_texts": texts}
    return {"bullet_frame": _frame(datasets, "bullet", BULLET_WIDTH, BULLET_HEIGHT)} | datasets


def _scale_end(top: float, unit: str) -> str:
    return f"{number(top, 0 if float(top).is_integer() else 1)}{unit}"


def _value_label(
    end: float, text: str, ticks: list[float], below: list[tuple[float, float]]
) -> Row:
    """The value at the end of its bar: beside it, inside it or under the track."""
    middle = (BULLET_BAR[0] + BULLET_BAR[1]) / 2
    width = len(text) * _GLYPH * 1.1  # bold
    ticks_in = [(t - 2, t + 2) for t in ticks]
    beside = (end + 6, end + 6 + width)
    if beside[1] <= BULLET_WIDTH and _free(ticks_in, *beside, gap=2):
        return _text(end + 6, middle, text, "left", weight="bold")
    inside = (end - 6 - width, end - 6)
    if inside[0] >= 0 and _free(ticks_in, *inside, gap=2):
        return _text(end - 6, middle, text, "right", weight="bold", colour="#FFFFFF")
    anchored = _anchor(end, text, BULLET_WIDTH)
    if anchored and _free(below, anchored[1], anchored[2]):
        return _text(end, BULLET_BELOW, text, anchored[0], weight="bold")
    return _text(min(end + 6, BULLET_WIDTH - width), middle, text, "left", weight="bold")


def bullet_figure(
    fig_id: str,
    title: str,
    value: Marked,
    references: Sequence[Marked],
    *,
    top: float,
    unit: str,
    summary: str,
    fraction: str = "",
) -> Figure:
    """The latest value against its reference values, on a scale from 0 to `top`."""
    svg = render_svg("bullet", bullet_datasets(value, references, top, unit), title)
    rows = [[value.label, value.shown + (f" ({fraction})" if fraction else "")]]
    rows += [[r.label, r.shown] for r in references]
    return Figure(fig_id, title, summary, svg, Table(title, ["", "Waarde"], rows))


# ----------------------------------------------------------------- small trend


def trend_datasets(points: Sequence[Marked], low: float, high: float) -> dict[str, list[Row]]:
    """Rows of the small trend chart: a point per round between `low` and `high` over a
    light base line at `low`, the first and last value beside their points (the rounds
    are in the title, all values in the table)."""
    top, bottom = SMALL_TREND_PLOT
    span = SMALL_TREND_WIDTH - 2 * SMALL_TREND_MARGIN
    step = span / (len(points) - 1) if len(points) > 1 else 0.0

    def y_of(amount: float) -> float:
        if high <= low:
            return (top + bottom) / 2
        return bottom - (amount - low) / (high - low) * (bottom - top)

    xs = [SMALL_TREND_MARGIN + i * step if len(points) > 1 else SMALL_TREND_WIDTH / 2
          for i in range(len(points))]  # fmt: skip
    # The base line first, under the others: the scale starts at `low` (0), as the bullet
    # chart's track does.
    rules: list[Row] = [canvas.rule(xs[0] - 12, bottom, xs[-1] + 12, bottom, GRID)]
    rules += [
        canvas.rule(a, y_of(p.value), b, y_of(q.value), SERIES_COLOURS[0], 2.5)
        for a, b, p, q in zip(xs, xs[1:], points, points[1:], strict=False)
    ]
    marks: list[Row] = [
        {"x": round(x, 2), "y": round(y_of(p.value), 2)} for x, p in zip(xs, points, strict=True)
    ]
    first, last = points[0], points[-1]
    texts = [_text(xs[-1] + 9, y_of(last.value), last.shown, "left", weight="bold")]
    if len(points) > 1:
        texts.insert(0, _text(xs[0] - 9, y_of(first.value), first.shown, "right"))
    datasets = {
        "indicator_trend_rules": rules,
        "indicator_trend_points": marks,
        "indicator_trend_texts": texts,
    }
    frame = _frame(datasets, "indicator_trend", SMALL_TREND_WIDTH, SMALL_TREND_HEIGHT)
    return {"indicator_trend_frame": frame} | datasets


def indicator_trend_figure(
    fig_id: str,
    title: str,
    points: Sequence[Marked],
    *,
    top: float,
    summary: str,
    columns: Sequence[str],
) -> Figure:
    """The value of a key figure in each round that has one (`points`, oldest first), on
    the scale of its bullet chart (0 to `top`): a change looks as large as it is."""
    svg = render_svg("indicator_trend", trend_datasets(points, 0.0, top), title)
    rows = [[p.label, p.shown] for p in points]
    return Figure(fig_id, title, summary, svg, Table(title, list(columns), rows))
