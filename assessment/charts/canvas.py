"""Charts drawn in pixels: Python places every mark, Vega only draws them.

Vega lays out the labels of its axes, legends and facet headers itself, measuring each
label (often more than once), and vl-convert's text measurement is what a chart costs.
A chart built from these layers has no axis, legend or header: its labels are text marks
at positions computed here, inside an invisible frame that fixes the chart's size. No text
can then change the layout, so every text is drawn as a placeholder (see `engine`), and
the geometry is plain data that tests can check.

Coordinates are pixels from the top left of the frame, y pointing down.
"""

from __future__ import annotations

import math
from typing import Any

import altair as alt

from assessment.charts.figure import Row, lift
from assessment.charts.style import CHAR_WIDTH, LINE_HEIGHT, TEXT


def _pixels(ends: bool = True) -> dict[str, Any]:
    """Encodings of the fields x, y (and x2, y2) that hold pixels: no scale."""
    position = {"x": alt.X("x:Q", scale=None), "y": alt.Y("y:Q", scale=None)}
    return position | ({"x2": alt.X2("x2"), "y2": alt.Y2("y2")} if ends else {})


LAYERS = ("frame", "grid", "rects", "rules", "texts")


def pixel_layers(name: str, kinds: tuple[str, ...] = LAYERS) -> list[Any]:
    """The layers of a pixel chart, bottom to top: frame, lines under the rectangles
    (grid), rectangles, lines and texts; or only the `kinds` a chart draws (in that
    order): every layer costs render time, also when it is empty."""
    frame = alt.Chart(alt.NamedData(name=f"{name}_frame")).mark_rect(opacity=0).encode(**_pixels())

    def lines(layer: str) -> Any:
        return (
            alt.Chart(alt.NamedData(name=f"{name}_{layer}"))
            .mark_rule()
            .encode(
                **_pixels(),
                color=alt.Color("colour:N", scale=None),
                strokeWidth=alt.StrokeWidth("width:Q", scale=None),
            )
        )

    rects = (
        alt.Chart(alt.NamedData(name=f"{name}_rects"))
        .mark_rect()
        .encode(
            **_pixels(),
            color=alt.Color("fill:N", scale=None),
            stroke=alt.Stroke("stroke:N", scale=None),
            strokeWidth=alt.StrokeWidth("stroke_width:Q", scale=None),
        )
    )
    texts = (
        alt.Chart(alt.NamedData(name=f"{name}_texts"))
        .mark_text(
            lineBreak="\n",
            align=alt.ExprRef("datum.align"),
            baseline=alt.ExprRef("datum.baseline"),
            dy=alt.ExprRef("datum.dy"),
            angle=alt.ExprRef("datum.angle"),
            lineHeight=alt.ExprRef("datum.line_height"),
            fontWeight=alt.ExprRef("datum.weight"),
            fontStyle=alt.ExprRef("datum.style"),
        )
        .encode(
            **_pixels(ends=False),
            text="text:N",
            size=alt.Size("size:Q", scale=None),
            color=alt.Color("colour:N", scale=None),
        )
    )
    layers = {"frame": frame, "rects": rects, "texts": texts}
    return [layers[kind] if kind in layers else lines(kind) for kind in kinds]


def text_fields(name: str) -> dict[str, list[str]]:
    """The placeholder texts of a pixel chart (for `chart_kind`)."""
    return {f"{name}_texts": ["text"]}


# ------------------------------------------------------------------------- rows


def rect(
    x: float,
    y: float,
    x2: float,
    y2: float,
    fill: str,
    stroke: str = "#FFFFFF",
    stroke_width: float = 0,
) -> Row:
    return {
        "x": round(x, 2),
        "y": round(y, 2),
        "x2": round(x2, 2),
        "y2": round(y2, 2),
        "fill": fill,
        "stroke": stroke,
        "stroke_width": stroke_width,
    }


def rule(x: float, y: float, x2: float, y2: float, colour: str, width: float = 1) -> Row:
    return {
        "x": round(x, 2),
        "y": round(y, 2),
        "x2": round(x2, 2),
        "y2": round(y2, 2),
        "colour": colour,
        "width": width,
    }


def text(
    x: float,
    y: float,
    value: str,
    *,
    align: str = "left",
    baseline: str = "middle",
    size: float = 12,
    colour: str = TEXT,
    weight: str = "normal",
    style: str = "normal",
    angle: float = 0,
    line_height: float = LINE_HEIGHT,
) -> Row:
    """A text; extra lines hang below the first, lifted so that `baseline` holds."""
    return {
        "x": round(x, 2),
        "y": round(y, 2),
        "text": value,
        "align": align,
        "baseline": baseline,
        "dy": lift(value, baseline, line_height),
        "angle": angle,
        "size": size,
        "colour": colour,
        "weight": weight,
        "style": style,
        "line_height": line_height,
    }


def text_width(value: str, size: float = 12, em: float = CHAR_WIDTH / 12) -> float:
    """An estimate of the widest line of a text in pixels, with a mean glyph width of
    `em` times the size: generous by default, so that the text surely fits."""
    lines = value.split("\n") or [""]
    return max(len(line) for line in lines) * em * size


# A mean glyph width close to that of common sans-serif fonts, for spacing (in em).
SPACING_EM = 0.53


def text_box(row: Row) -> tuple[float, float, float, float]:
    """The box (left, top, right, bottom) a text row covers at most, rotation included."""
    value = str(row["text"])
    width = text_width(value, row["size"])
    height = (value.count("\n") + 1) * row["line_height"]
    left = {"left": 0.0, "center": -width / 2, "right": -width}[row["align"]]
    # The block's top relative to its anchor, extra lines lifted as `lift` does.
    top = {"top": 0.0, "middle": -height / 2, "bottom": -height}.get(row["baseline"], -height)
    corners = [(left, top), (left + width, top), (left, top + height), (left + width, top + height)]
    turn = math.radians(row["angle"])
    cos, sin = math.cos(turn), math.sin(turn)
    xs = [row["x"] + cx * cos - cy * sin for cx, cy in corners]
    ys = [row["y"] + cx * sin + cy * cos for cx, cy in corners]
    return min(xs), min(ys), max(xs), max(ys)


def fitted_frame(datasets: dict[str, list[Row]], name: str, margin: float = 2) -> list[Row]:
    """The frame around everything drawn in a pixel chart (texts at their widest), from
    the origin or wherever something reaches further."""
    left = top = right = bottom = 0.0
    for key, rows in datasets.items():
        if not key.startswith(f"{name}_") or key == f"{name}_frame":
            continue
        for row in rows:
            if "text" in row:
                box = text_box(row)
            else:
                box = (
                    min(row["x"], row.get("x2", row["x"])),
                    min(row["y"], row.get("y2", row["y"])),
                    max(row["x"], row.get("x2", row["x"])),
                    max(row["y"], row.get("y2", row["y"])),
                )
            left, top = min(left, box[0]), min(top, box[1])
            right, bottom = max(right, box[2]), max(bottom, box[3])
    return [
        {
            "x": round(min(left - margin, 0), 2),
            "y": round(min(top - margin, 0), 2),
            "x2": round(right + margin, 2),
            "y2": round(bottom + margin, 2),
        }
    ]


def nice_ticks(stop: float, count: int, min_step: float = 1) -> list[float]:
    """Round tick values from 0 to `stop`, about `count` of them (as d3's `ticks`)."""
    if stop <= 0:
        return [0]
    step = stop / count
    power = math.floor(math.log10(step))
    error = step / 10**power
    factor = next(f for f, edge in ((10, 50), (5, 10), (2, 2), (1, 0)) if error >= math.sqrt(edge))
    step = max(factor * 10**power, min_step)
    return [k * step for k in range(math.floor(stop / step + 1e-9) + 1)]
