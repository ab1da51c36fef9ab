"""Key figures (SPEC §10): a bullet chart of the latest value against its reference values,
and a small chart of the value over the rounds.

Both are laid out in Python in pixels (labels placed so that they do not overlap), so that
the specs are the same for every key figure whatever its unit and range.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import altair as alt

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
    MUTED,
    SERIES_COLOURS,
    SMALL_TREND_HEIGHT,
    SMALL_TREND_MARGIN,
    SMALL_TREND_PLOT,
    SMALL_TREND_WIDTH,
    TEXT,
    TICK_HALF,
    TRACK,
    box_scale,
    configure,
)
from assessment.formatting import number

# The glyph width of the 12 px labels, generous, for placing labels apart.
FONT_SIZE = 12
_GLYPH = CHAR_WIDTH * FONT_SIZE / 12


def _box_layers(prefix: str, width: float, height: float, kinds: tuple[str, ...]) -> list[Any]:
    """Layers of rectangles, rules, points or texts, positioned in pixels by their rows.

    Each layer costs render time, also when empty: a chart asks only for the kinds it
    draws. Within a layer, rows are drawn in their order.
    """
    x, y = box_scale(width), box_scale(height, reverse=True)

    def at(extra: bool = False) -> dict[str, Any]:
        found: dict[str, Any] = {
            "x": alt.X("x:Q", scale=x, axis=None),
            "y": alt.Y("y:Q", scale=y, axis=None),
        }
        if extra:
            found |= {"x2": "x2:Q", "y2": "y2:Q"}
        return found

    colour = alt.Color("colour:N", scale=None)
    layers = {
        "rects": lambda data: data.mark_rect().encode(**at(extra=True), color=colour),
        "rules": lambda data: data.mark_rule(strokeWidth=alt.ExprRef("datum.width")).encode(
            **at(extra=True), color=colour
        ),
        "points": lambda data: data.mark_point(
            filled=True, opacity=1, size=alt.ExprRef("datum.size")
        ).encode(**at(), color=colour, shape=alt.Shape("shape:N", scale=None)),
        "texts": lambda data: data.mark_text(
            fontSize=FONT_SIZE,
            align=alt.ExprRef("datum.align"),
            baseline="middle",
            fontWeight=alt.ExprRef("datum.weight"),
        ).encode(**at(), text="text:N", color=colour),
    }
    return [layers[kind](alt.Chart(alt.NamedData(name=f"{prefix}_{kind}"))) for kind in kinds]


@chart_kind("bullet")
def _bullet_chart() -> Any:
    """A grey track, the value as a bar, reference values as ticks, their labels."""
    return configure(
        alt.layer(
            *_box_layers("bullet", BULLET_WIDTH, BULLET_HEIGHT, ("rects", "texts"))
        ).properties(width=BULLET_WIDTH, height=BULLET_HEIGHT)
    )


@chart_kind("indicator_trend")
def _indicator_trend_chart() -> Any:
    """The value in each round, joined by a line, with the value and the round named."""
    layers = _box_layers(
        "indicator_trend", SMALL_TREND_WIDTH, SMALL_TREND_HEIGHT, ("rules", "points", "texts")
    )
    return configure(
        alt.layer(*layers).properties(width=SMALL_TREND_WIDTH, height=SMALL_TREND_HEIGHT)
    )


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


def _anchor(x: float, text: str, width: float) -> tuple[str, float, float]:
    """Align a label at `x` so that it stays inside the chart: (align, start, end).

    Preferably starting at `x` or ending there, so that it visibly belongs to its mark.
    """
    for align in ("left", "right", "center"):
        start, end = _span(x, text, align)
        if start >= 0 and end <= width:
            return align, start, end
    start, end = _span(x, text, "left" if x < width / 2 else "right")
    return ("left" if x < width / 2 else "right"), start, end


def _free(spans: list[tuple[float, float]], start: float, end: float, gap: float = 8) -> bool:
    return all(end + gap <= a or start >= b + gap for a, b in spans)


def _text(
    x: float, y: float, text: str, align: str, *, weight: str = "normal", colour: str = TEXT
) -> Row:
    return {
        "x": round(x, 2),
        "y": y,
        "text": text,
        "align": align,
        "weight": weight,
        "colour": colour,
    }


# ------------------------------------------------------------------------ bullet


def bullet_datasets(
    value: Marked, references: Sequence[Marked], top: float, unit: str
) -> dict[str, list[Row]]:
    """Rows of the bullet chart for a value on a scale from 0 to `top`.

    Every shape is a rectangle, drawn in this order: the track, the value's bar, the
    reference ticks, and white boxes behind the labels of the upper row (so that a longer
    tick passing behind a lower label does not cross its text).
    """

    def px(amount: float) -> float:
        return max(0.0, min(BULLET_WIDTH, amount / top * BULLET_WIDTH))

    rects: list[Row] = [
        {"x": 0, "x2": BULLET_WIDTH, "y": BULLET_TRACK[0], "y2": BULLET_TRACK[1], "colour": TRACK},
        {"x": 0, "x2": px(value.value), "y": BULLET_BAR[0], "y2": BULLET_BAR[1],
         "colour": SERIES_COLOURS[0]},
    ]  # fmt: skip
    ticks: list[float] = []
    boxes: list[Row] = []
    texts: list[Row] = []
    rows: list[list[tuple[float, float]]] = [[] for _ in BULLET_LABEL_ROWS]
    for reference in sorted(references, key=lambda r: r.value):
        x = px(reference.value)
        text = f"{reference.tag}: {reference.shown}"
        placed = None
        align, start, end = _anchor(x, text, BULLET_WIDTH)
        for row, taken in enumerate(rows):
            if _free(taken, start, end):
                placed = row
                taken.append((start, end))
                break
        # A tick reaches up to its label.
        top_of_tick = BULLET_TICK[0] if placed is None else BULLET_LABEL_ROWS[placed] + 7
        rects.append(
            {"x": x - TICK_HALF, "x2": x + TICK_HALF, "y": top_of_tick, "y2": BULLET_TICK[1],
             "colour": TEXT}
        )  # fmt: skip
        ticks.append(x)
        if placed is None:  # no room left: the label is in the table below the chart
            continue
        y = BULLET_LABEL_ROWS[placed]
        boxes.append({"x": start - 2, "x2": end + 2, "y": y - 8, "y2": y + 7, "colour": "#FFFFFF"})
        texts.append(_text(x, y, text, align))
    below: list[tuple[float, float]] = []
    # Only the end of the scale: the track starts at 0, as every bar does.
    end_text = _scale_end(top, unit)
    below.append(_span(BULLET_WIDTH, end_text, "right"))
    texts.append(_text(BULLET_WIDTH, BULLET_BELOW, end_text, "right", colour=MUTED))
    texts.append(_value_label(px(value.value), value.shown, ticks, below))
    return {"bullet_rects": rects + boxes, "bullet_texts": texts}


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
    align, start, stop = _anchor(end, text, BULLET_WIDTH)
    if _free(below, start, stop):
        return _text(end, BULLET_BELOW, text, align, weight="bold")
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
    """Rows of the small trend chart: a point per round between `low` and `high`, the first
    and last value beside their points (the rounds are in the title, all values in the
    table: every label costs render time)."""
    top, bottom = SMALL_TREND_PLOT
    span = SMALL_TREND_WIDTH - 2 * SMALL_TREND_MARGIN
    step = span / (len(points) - 1) if len(points) > 1 else 0.0

    def y_of(amount: float) -> float:
        if high <= low:
            return (top + bottom) / 2
        return bottom - (amount - low) / (high - low) * (bottom - top)

    xs = [SMALL_TREND_MARGIN + i * step if len(points) > 1 else SMALL_TREND_WIDTH / 2
          for i in range(len(points))]  # fmt: skip
    rules: list[Row] = [
        {"x": a, "x2": b, "y": y_of(p.value), "y2": y_of(q.value), "colour": SERIES_COLOURS[0],
         "width": 2.5}
        for a, b, p, q in zip(xs, xs[1:], points, points[1:], strict=False)
    ]  # fmt: skip
    marks: list[Row] = [
        {"x": x, "y": y_of(p.value), "shape": "circle", "size": 60, "colour": SERIES_COLOURS[0]}
        for x, p in zip(xs, points, strict=True)
    ]
    first, last = points[0], points[-1]
    texts = [_text(xs[-1] + 9, y_of(last.value), last.shown, "left", weight="bold")]
    if len(points) > 1:
        texts.insert(0, _text(xs[0] - 9, y_of(first.value), first.shown, "right"))
    return {
        "indicator_trend_rules": rules,
        "indicator_trend_points": marks,
        "indicator_trend_texts": texts,
    }


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
