"""Charts (SPEC §6): altair specs built once per process, filled with each page's numbers
and rendered to accessible inline SVG with vl-convert.

Every figure comes with a one-sentence Dutch summary and the same numbers as a table, so
the SVG itself may stay decorative for screen readers.

Each kind of chart is an altair chart over *named* datasets without values. It is built,
turned into a Vega-Lite dict and compiled to Vega once per process (`vega_lite_spec`,
`vega_spec`); a figure only puts its rows into the named data sources of a shallow copy
and renders it, so that building hundreds of municipality sites never rebuilds altair
objects nor recompiles Vega-Lite. Geometry that altair cannot express
(the radar's polar coordinates, label positions) is computed here in Python and travels
as data, which is what keeps the spec the same for every municipality.
"""

from __future__ import annotations

import functools
import html
import math
import re
import textwrap
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import altair as alt
import vl_convert

from assessment.formatting import number
from assessment.scoring import LEVEL_NAMES

Row = dict[str, Any]
Spec = dict[str, Any]

FORMAT_LOCALE: Final = "nl-NL"  # decimal comma, thousands dot in every axis label

# Okabe-Ito colours, chosen for colour-blind readers; each series also differs by dash
# and marker. Every colour has at least 3:1 contrast on white (graphical objects).
SERIES = ("current", "previous", "ambition")
SERIES_COLOURS = ("#0072B2", "#D55E00", "#009E73")
SERIES_DASHES = ([1, 0], [2, 3], [8, 4])
SERIES_SHAPES = ("circle", "square", "triangle-up")
# Answers 1..5: viridis, light to dark, readable in every form of colour blindness.
ANSWER_COLOURS = ("#FDE725", "#5EC962", "#21918C", "#3B528B", "#440154")
ANSWER_KEYS = tuple(f"{value} {name}" for value, name in enumerate(LEVEL_NAMES, start=1))
DONT_KNOW_COLOUR = "#C4C4C4"
# Sequential blues for the heatmap and the coverage matrix (ColorBrewer Blues).
BLUES = ("#F7FBFF", "#DEEBF7", "#C6DBEF", "#9ECAE1", "#6BAED6", "#4292C6", "#2171B5", "#084594")
TEXT = "#1A1A1A"  # 17:1 on white
MUTED = "#595959"  # 7:1 on white, for secondary labels
GRID = "#C8C8C8"  # decorative: rings, spokes, split lines
GAP = "#A04000"  # 6.5:1 on white: the "gat" mark of the coverage matrix
FONT = "sans-serif"  # the reader's own font; the site loads no web fonts

# Radar geometry in pixels, origin at the centre, y pointing up.
RADAR_WIDTH = 720
RADAR_HEIGHT = 450
RADAR_UNIT = 32.0  # pixels per scale point: level 5 lies 160 px from the centre
RADAR_LABEL_GAP = 14.0
RADAR_POINT_SIZE = 70  # marker area in px² (Vega's symbol size)
RADAR_POINT_STROKE = 1
# Every marker shape lies within this distance of its point: the square is the widest.
RADAR_POINT_REACH = math.sqrt(RADAR_POINT_SIZE / 2) + RADAR_POINT_STROKE / 2
RADAR_RING_FONT = 11
RADAR_RING_HALO = 3  # width of the white stroke under each ring number
RADAR_WRAP = 22  # characters per line of an axis label
IMPORTANCE_WIDTH = 560
IMPORTANCE_HEIGHT = 420
DISTRIBUTION_WIDTH = 420
DONT_KNOW_WIDTH = 90
CHAR_WIDTH = 7.0  # generous mean glyph width at 12 px, for layout estimates
LINE_HEIGHT = 14.0
ROLE_LABEL_WIDTH = 30  # characters per line of a role name beside a matrix
EMPTY_CELL = "#F5F5F5"  # a matrix cell without partners: light, and without a number
CELL_LINE_HEIGHT = 14
HEADER_LINES = 3
HEADER_LINE_HEIGHT = 14


@dataclass(frozen=True)
class Table:
    """The numbers of a figure as an HTML table; the first column holds row headers."""

    caption: str
    columns: list[str]
    rows: list[list[str]]


@dataclass(frozen=True)
class Figure:
    """A rendered chart with everything a page needs to show it accessibly."""

    id: str
    title: str
    summary: str
    svg: str
    table: Table


# --------------------------------------------------------------------------- helpers


def _value(value: float | None) -> float | None:
    """A score as JSON can carry it: NaN (from pandas) becomes None."""
    if value is None or math.isnan(value):
        return None
    return float(value)


def _wrap(text: str, width: int) -> str:
    """Text broken into lines of at most `width` characters, joined by newlines."""
    lines = textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)
    return "\n".join(lines) or text


def _header(text: str, width: int) -> str:
    """A column header of exactly HEADER_LINES lines, bottom-aligned by empty lines above.

    Vega does not lift multi-line labels of a top axis above the axis, so every header
    gets the same number of lines and the axis a padding of that many lines.
    """
    lines = textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)
    if len(lines) > HEADER_LINES:
        lines = [*lines[: HEADER_LINES - 1], " ".join(lines[HEADER_LINES - 1 :])]
    return "\n".join([""] * (HEADER_LINES - len(lines)) + lines)


def _lift(text: str, baseline: str, line_height: float) -> float:
    """Vertical offset (dy) that makes a multi-line text honour its baseline.

    Vega anchors only the first line of a multi-line text; the others hang below it.
    """
    extra = text.count("\n") * line_height
    return -extra if baseline == "bottom" else (-extra / 2 if baseline == "middle" else 0.0)


def _join(items: Sequence[str]) -> str:
    """'a', 'a en b', 'a, b en c'."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " en " + items[-1]


def _signed(value: float) -> str:
    """A change with its sign: +0,4 or −0,2."""
    return ("+" if round(value, 1) > 0 else "") + number(value)


def _text_colour(background: str) -> str:
    """Black or white text, whichever contrasts more with the background (≥ 4.5:1)."""
    return "#000000" if _luminance(background) > 0.179 else "#FFFFFF"


def _luminance(colour: str) -> float:
    """WCAG relative luminance of a #RRGGBB colour."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _sequential(share: float) -> str:
    """A colour of the blues scale for a share 0..1, interpolated between the stops."""
    position = min(max(share, 0.0), 1.0) * (len(BLUES) - 1)
    low = min(int(position), len(BLUES) - 2)
    t = position - low
    a, b = BLUES[low], BLUES[low + 1]
    mixed = [round(int(a[i : i + 2], 16) * (1 - t) + int(b[i : i + 2], 16) * t) for i in (1, 3, 5)]
    return "#" + "".join(f"{c:02X}" for c in mixed)


# --------------------------------------------------------------- specs, built once

_AXIS_CONFIG = {
    "labelColor": TEXT,
    "titleColor": TEXT,
    "labelFontSize": 12,
    "titleFontSize": 12,
    "titleFontWeight": "normal",
    "domainColor": MUTED,
    "tickColor": MUTED,
    "gridColor": "#E3E3E3",
}


def _configure(chart: Any) -> Any:
    """Shared look: the reader's font, dark text, no ARIA noise (the page describes it)."""
    return (
        chart.configure(font=FONT, aria=False, background="white", padding=8)
        .configure_view(stroke=None)
        .configure_axis(**_AXIS_CONFIG)
        .configure_legend(
            labelColor=TEXT,
            titleColor=TEXT,
            labelFontSize=12,
            titleFontSize=12,
            titleFontWeight="normal",
            labelLimit=0,
        )
        .configure_header(labelColor=TEXT, labelFontSize=12, titleColor=TEXT)
        .configure_title(color=TEXT, fontSize=13, fontWeight="normal", anchor="start")
    )


def _px_scale(extent: float) -> Any:
    """A linear scale whose data values are pixels from the centre."""
    return alt.Scale(domain=[-extent / 2, extent / 2], nice=False, zero=False)


def _radar_chart() -> Any:
    """Rings, spokes, labels, three series and a legend, all positioned by the data."""
    x_scale = _px_scale(RADAR_WIDTH)
    y_scale = _px_scale(RADAR_HEIGHT)

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
    def ring_numbers(**style: Any) -> Any:
        return (
            alt.Chart(alt.NamedData(name="radar_ring_labels"))
            .mark_text(fontSize=RADAR_RING_FONT, align="center", baseline="middle", **style)
            .encode(**position(), text="text:N")
        )

    ring_halo = ring_numbers(
        color="white", stroke="white", strokeWidth=RADAR_RING_HALO, strokeJoin="round"
    )
    ring_labels = ring_numbers(color=MUTED)
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
    return _configure(
        alt.layer(
            grid, lines, points, ring_halo, ring_labels, axis_labels, legend_labels
        ).properties(width=RADAR_WIDTH, height=RADAR_HEIGHT)
    )


def _distribution_chart() -> Any:
    """Stacked answers 1..5 per statement, and 'weet niet' apart in a narrow grey panel."""
    y = alt.Y(
        "label:N",
        sort=alt.EncodingSortField("order", op="min"),
        title=None,
        axis=alt.Axis(labelLimit=0, ticks=False, domain=False, labelPadding=6),
    )
    colours = alt.Scale(domain=list(ANSWER_KEYS), range=list(ANSWER_COLOURS))
    answers = alt.Chart(alt.NamedData(name="distribution_segments"))
    bars = answers.mark_bar(stroke="white", strokeWidth=1).encode(
        y=y,
        x=alt.X(
            "start:Q",
            title="Aantal antwoorden (1–5)",
            scale=alt.Scale(nice=False, zero=True),
            # Few labels: the counts are printed in the bars, the axis only gives the scale.
            # Counts are whole numbers: a tick between two (Vega can ignore tickMinStep
            # here) gets no label.
            axis=alt.Axis(
                format="d",
                grid=True,
                labelExpr="datum.value % 1 ? '' : datum.label",
                tickCount=4,
                tickMinStep=1,
            ),
        ),
        x2="end:Q",
        color=alt.Color(
            "answer:N",
            scale=colours,
            title=None,  # the entries say it: "1 startend" ... "5 voorbeeldig"
            legend=alt.Legend(orient="top", direction="horizontal", symbolType="square"),
        ),
    )
    counts = answers.mark_text(fontSize=11, baseline="middle").encode(
        y=y,
        x="middle:Q",
        text="text:N",
        color=alt.Color("text_colour:N", scale=None),
    )
    dont_know = alt.Chart(alt.NamedData(name="distribution_dont_know"))
    grey_bars = dont_know.mark_bar(color=DONT_KNOW_COLOUR).encode(
        y=y.axis(None),
        x=alt.X(
            "count:Q",
            title="Weet niet",
            scale=alt.Scale(nice=False, zero=True),
            # The count stands after each bar; the axis keeps only its name and grid.
            axis=alt.Axis(grid=True, labels=False, ticks=False),
        ),
    )
    grey_counts = dont_know.mark_text(fontSize=11, align="left", dx=4, color=TEXT).encode(
        y=y.axis(None), x="count:Q", text="text:N"
    )
    # An invisible mark at `room` widens the scale so the count after the longest bar fits.
    room = dont_know.mark_point(opacity=0).encode(x="room:Q")
    left = alt.layer(bars, counts).properties(width=DISTRIBUTION_WIDTH, height=alt.Step(30))
    right = alt.layer(grey_bars, grey_counts, room).properties(
        width=DONT_KNOW_WIDTH, height=alt.Step(30)
    )
    return _configure(alt.hconcat(left, right, spacing=24))


def _matrix_chart(name: str, step_x: int, step_y: int) -> Any:
    """Coloured cells with their value printed; colours and text colours come as data."""
    x = alt.X(
        "column:N",
        sort=alt.EncodingSortField("column_order", op="min"),
        title=None,
        axis=alt.Axis(
            orient="top",
            labelAngle=0,
            labelLimit=0,
            labelExpr="split(datum.label, '\\n')",
            labelBaseline="top",
            labelLineHeight=HEADER_LINE_HEIGHT,
            labelPadding=HEADER_LINES * HEADER_LINE_HEIGHT + 6,
            ticks=False,
            domain=False,
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
    cells = alt.Chart(alt.NamedData(name=name))
    fill = cells.mark_rect(stroke="white", strokeWidth=2).encode(
        x=x,
        y=y,
        color=alt.Color("fill:N", scale=None),
        stroke=alt.Stroke("outline:N", scale=None),
        strokeWidth=alt.StrokeWidth("outline_width:Q", scale=None),
    )
    values = [
        cells.transform_filter(alt.datum.weight == weight)
        .mark_text(
            fontSize=12,
            lineBreak="\n",
            lineHeight=CELL_LINE_HEIGHT,
            fontWeight=weight,
            dy=alt.ExprRef("datum.dy"),
        )
        .encode(x=x, y=y, text="text:N", color=alt.Color("text_colour:N", scale=None))
        for weight in ("normal", "bold")
    ]
    return _configure(
        alt.layer(fill, *values).properties(width=alt.Step(step_x), height=alt.Step(step_y))
    )


def _heatmap_chart() -> Any:
    """Factors × roles, the mean score and group size in each cell."""
    return _matrix_chart("heatmap_cells", 132, 44)


def _coverage_chart() -> Any:
    """Roles × intervention levels, the number of partners in each cell, totals below."""
    return _matrix_chart("coverage_cells", 84, 30)


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
    return _configure(
        alt.layer(splits, quadrants, leaders, points, labels).properties(
            width=IMPORTANCE_WIDTH, height=IMPORTANCE_HEIGHT
        )
    )


def _trend_chart() -> Any:
    """One small panel per factor: its score over the rounds."""
    x = alt.X(
        "round:N",
        sort=alt.EncodingSortField("round_order", op="min"),
        title=None,
        axis=alt.Axis(labelAngle=-40, labelFontSize=11),
    )
    y = alt.Y(
        "score:Q",
        scale=alt.Scale(domain=[1, 5], nice=False, zero=False),
        title="Score",
        axis=alt.Axis(tickCount=5, format="d"),
    )
    base = alt.Chart().encode(x=x, y=y)
    line = base.mark_line(color=SERIES_COLOURS[0], strokeWidth=2.5)
    points = base.mark_point(filled=True, size=50, opacity=1, color=SERIES_COLOURS[0])
    return _configure(
        alt.layer(line, points, data=alt.NamedData(name="trend_scores"))
        .properties(width=130, height=110)
        .facet(
            facet=alt.Facet(
                "title:N",
                sort=alt.EncodingSortField("order", op="min"),
                header=alt.Header(
                    title=None, labelExpr="split(datum.label, '\\n')", labelFontSize=12
                ),
            ),
            columns=4,
            spacing={"row": 16, "column": 24},
        )
    )


_BUILDERS: dict[str, Callable[[], Any]] = {
    "radar": _radar_chart,
    "distribution": _distribution_chart,
    "heatmap": _heatmap_chart,
    "coverage": _coverage_chart,
    "importance": _importance_chart,
    "trend": _trend_chart,
}


@functools.cache
def vega_lite_spec(kind: str) -> Spec:
    """The Vega-Lite dict of a kind of chart, without data; built once per process.

    The dict is shared by every caller: copy it before changing anything.
    """
    spec: Spec = _BUILDERS[kind]().to_dict()
    return spec


@functools.cache
def vega_spec(kind: str) -> Spec:
    """The same chart compiled to Vega once, so that a figure skips the compile step."""
    spec: Spec = vl_convert.vegalite_to_vega(vega_lite_spec(kind))
    return spec


def with_data(spec: Spec, datasets: Mapping[str, list[Row]]) -> Spec:
    """A compiled Vega spec with `values` filled into its named data sources.

    Only the top level and the `data` list are copied; the cached spec is not touched.
    """
    names = {entry["name"] for entry in spec["data"]}
    unknown = set(datasets) - names
    if unknown:
        raise KeyError(f"unknown datasets {sorted(unknown)}")
    data = [
        {**entry, "values": datasets[entry["name"]]} if entry["name"] in datasets else entry
        for entry in spec["data"]
    ]
    return {**spec, "data": data}


def render_svg(kind: str, datasets: Mapping[str, list[Row]], title: str) -> str:
    """Fill a cached spec with rows and render it to accessible inline SVG."""
    svg: str = vl_convert.vega_to_svg(
        with_data(vega_spec(kind), datasets), format_locale=FORMAT_LOCALE
    )
    return accessible_svg(svg, title)


_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>\s*")
_TAG = re.compile(r"<[^>]*>")  # text content has its '>' escaped by Vega
_INNER_ARIA = re.compile(r'\s(?:role|aria-[a-z]+)="[^"]*"')
_SIZE = re.compile(r'\s(width|height)="([0-9.]+)"')


def accessible_svg(svg: str, title: str) -> str:
    """An SVG as one image with a name: role="img", aria-label, <title>; scales down.

    Newlines become spaces (the same to SVG): a blank line would end the raw HTML block
    of the Markdown page the figure is written into.
    """
    svg = _XML_DECLARATION.sub("", svg).replace("\r", " ").replace("\n", " ")
    # role="img" makes the children presentational; Vega's own roles and English
    # descriptions would only be noise (and are off through `aria: false` anyway).
    svg = _TAG.sub(lambda tag: _INNER_ARIA.sub("", tag.group(0)), svg)
    match = re.match(r"<svg\b([^>]*)>", svg)
    if match is None:
        raise ValueError("vl-convert gaf geen SVG terug")
    attributes = match.group(1)
    sizes = dict(_SIZE.findall(attributes))
    attributes = _SIZE.sub("", attributes)
    name = html.escape(" ".join(title.split()), quote=True)
    width = sizes.get("width", "")
    # Never below 70% of its size, so that its labels stay legible on a phone: a narrower
    # screen scrolls the chart sideways instead (its numbers are in the table below it).
    style = (
        f"width:100%;height:auto;max-width:{width}px;min-width:{round(float(width) * 0.7)}px"
        if width
        else "width:100%;height:auto"
    )
    root = f'<svg{attributes} role="img" aria-label="{name}" style="{style}"><title>{name}</title>'
    return root + svg[match.end() :]


# ------------------------------------------------------------------------- radar


def _radar_geometry(n: int) -> list[tuple[float, float]]:
    """(sin, cos) of each axis, the first pointing up, going clockwise."""
    return [(math.sin(2 * math.pi * i / n), math.cos(2 * math.pi * i / n)) for i in range(n)]


def _radar_label(text: str, sin: float, cos: float) -> Row:
    """An axis label outside the outer ring, aligned away from the centre."""
    radius = 5 * RADAR_UNIT + RADAR_LABEL_GAP
    align = "center" if abs(sin) < 0.2 else ("left" if sin > 0 else "right")
    baseline = "bottom" if cos > 0.8 else ("top" if cos < -0.8 else "middle")
    wrapped = _wrap(text, RADAR_WRAP)
    return {
        "x": round(radius * sin, 2),
        "y": round(radius * cos, 2),
        "text": wrapped,
        "align": align,
        "baseline": baseline,
        "dy": _lift(wrapped, baseline, LINE_HEIGHT),
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
    top = RADAR_HEIGHT / 2 - 12
    ring = [*axes, axes[0]] if axes else []
    # Drawn in reverse so that this round, the first series, lies on top.
    for key, _, values in reversed(series):
        for order, (axis_id, _) in enumerate(ring):
            value = _value(values.get(axis_id))
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


def _mean(values: Iterable[float | None]) -> float | None:
    known = [v for v in (_value(v) for v in values) if v is not None]
    return sum(known) / len(known) if known else None


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

    known = [(name, v) for key, name in axes if (v := _value(current.get(key))) is not None]
    if known:
        strongest = max(known, key=lambda item: item[1])
        weakest = min(known, key=lambda item: item[1])
        summary = (
            f"Sterkste {noun}: {strongest[0]} ({number(strongest[1])}); "
            f"zwakste: {weakest[0]} ({number(weakest[1])}). "
            f"Gemiddeld {number(_mean(v for _, v in known))}"
        )
        if previous is not None:
            summary += f", vorige ronde {number(_mean(previous.get(key) for key, _ in axes))}"
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
        row = [name, number(_value(current.get(key)))]
        if previous is not None:
            row.append(number(_value(previous.get(key))))
        if ambition is not None:
            row.append(number(_value(ambition.get(key))))
        rows.append(row)
    return Figure(fig_id, title, summary, svg, Table(title, columns, rows))


# ------------------------------------------------------------------ distribution


def distribution_datasets(
    statements: Sequence[tuple[str, str]],
    counts: Mapping[str, tuple[int, int, int, int, int, int]],
) -> dict[str, list[Row]]:
    """Rows of the distribution spec: one segment per answer value, 'weet niet' apart."""
    segments: list[Row] = []
    dont_know: list[Row] = []
    known = [sum(counts.get(s, (0,) * 6)[:5]) for s, _ in statements]
    most = max(known, default=0) or 1
    pixels_per_answer = DISTRIBUTION_WIDTH / most
    for order, (statement, _) in enumerate(statements):
        label = f"Stelling {order + 1}"
        row = counts.get(statement, (0, 0, 0, 0, 0, 0))
        start = 0
        for value in range(5):
            count = row[value]
            if count:
                # A count only fits inside a segment that is wide enough for its digits.
                wide = count * pixels_per_answer >= 8 + CHAR_WIDTH * len(str(count))
                segments.append(
                    {
                        "label": label,
                        "order": order,
                        "answer": ANSWER_KEYS[value],
                        "start": start,
                        "end": start + count,
                        "middle": start + count / 2,
                        "text": str(count) if wide else "",
                        "text_colour": _text_colour(ANSWER_COLOURS[value]),
                    }
                )
            start += count
        dont_know.append({"label": label, "order": order, "count": row[5], "text": str(row[5])})
    # Room after the longest 'weet niet' bar for its count: about 22 of DONT_KNOW_WIDTH px.
    most_unknown = max((entry["count"] for entry in dont_know), default=0)
    room = max(most_unknown, 1) * DONT_KNOW_WIDTH / (DONT_KNOW_WIDTH - 22)
    for entry in dont_know:
        entry["room"] = round(room, 3)
    return {"distribution_segments": segments, "distribution_dont_know": dont_know}


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


# --------------------------------------------------------------------- heatmap


def role_heatmap_figure(
    fig_id: str,
    title: str,
    factors: list[tuple[str, str]],
    roles: list[tuple[str, str]],
    values: dict[tuple[str, str], tuple[int, float]],
) -> Figure | None:
    """Mean score per factor and role, only for the groups allowed to be shown.

    The longer of the two lists runs down, so that many roles (or many factors) make the
    chart taller rather than too wide to read.
    """
    role_names = dict(roles)
    shown = {
        (factor, role): value
        for (factor, role), value in values.items()
        if role in role_names and _value(value[1]) is not None
    }
    role_ids = [r for r, _ in roles if any((f, r) in shown for f, _ in factors)]
    if not role_ids:
        return None
    transpose = len(role_ids) > len(factors)
    cells: list[Row] = []
    for factor_order, (factor, factor_title) in enumerate(factors):
        for role_order, role in enumerate(role_ids):
            cell = shown.get((factor, role))
            if cell is None:
                fill, text, colour = "#FFFFFF", "–", MUTED
            else:
                fill = _sequential((cell[1] - 1) / 4)
                text, colour = f"{number(cell[1])}\nn = {cell[0]}", _text_colour(fill)
            factor_cell = (factor_title, factor_order)
            role_cell = (role_names[role], role_order)
            (row, row_order), (column, column_order) = (
                (role_cell, factor_cell) if transpose else (factor_cell, role_cell)
            )
            cells.append(
                {
                    "row": _wrap(row, 34),
                    "row_order": row_order,
                    "column": _header(column, 17),
                    "column_order": column_order,
                    "fill": fill,
                    "outline": "#FFFFFF",
                    "outline_width": 2,
                    "text": text,
                    "text_colour": colour,
                    "dy": _lift(text, "middle", CELL_LINE_HEIGHT),
                    "weight": "normal",
                }
            )
    svg = render_svg("heatmap", {"heatmap_cells": cells}, title)

    spreads = []
    for factor, factor_title in factors:
        group = [(shown[(factor, r)][1], role_names[r]) for r in role_ids if (factor, r) in shown]
        if len(group) >= 2:
            spreads.append((max(group)[0] - min(group)[0], factor_title, min(group), max(group)))
    if spreads:
        _, factor_title, low, high = max(spreads, key=lambda item: item[0])
        summary = (
            f"Grootste verschil tussen rollen bij {factor_title}: "
            f"van {number(low[0])} ({low[1]}) tot {number(high[0])} ({high[1]})."
        )
    elif len(role_ids) == 1:
        summary = f"Alleen {role_names[role_ids[0]]} is een groep die groot genoeg is om te tonen."
    else:
        summary = "Per factor is hooguit één rol groot genoeg om apart te tonen."
    table_rows = [
        [factor_title]
        + [
            f"{number(shown[(factor, r)][1])} (n = {shown[(factor, r)][0]})"
            if (factor, r) in shown
            else "–"
            for r in role_ids
        ]
        for factor, factor_title in factors
    ]
    columns = ["Factor", *(role_names[r] for r in role_ids)]
    return Figure(fig_id, title, summary, svg, Table(title, columns, table_rows))


# -------------------------------------------------------------------- coverage


def coverage_figure(
    fig_id: str,
    title: str,
    levels: list[tuple[str, str]],
    roles: list[tuple[str, str]],
    providers: dict[tuple[str, str], int],
) -> Figure:
    """Partners per role and intervention level; a level nobody offers is marked a gap."""
    totals = {level: sum(providers.get((r, level), 0) for r, _ in roles) for level, _ in levels}
    most = max(providers.values(), default=0) or 1
    cells: list[Row] = []
    for column_order, (level, level_title) in enumerate(levels):
        column = _header(level_title, 14)
        for row_order, (role, role_label) in enumerate(roles):
            count = providers.get((role, level), 0)
            fill = _sequential(0.15 + 0.85 * count / most) if count else EMPTY_CELL
            cells.append(
                {
                    # Long role names on two lines, so that the matrix fits the page.
                    "row": _wrap(role_label, ROLE_LABEL_WIDTH),
                    "row_order": row_order,
                    "column": column,
                    "column_order": column_order,
                    "fill": fill,
                    "outline": "#FFFFFF",
                    "outline_width": 2,
                    # An empty cell stays empty: the numbers stand out, and the table
                    # under the chart has every 0.
                    "text": str(count) if count else "",
                    "text_colour": _text_colour(fill) if count else MUTED,
                    "dy": 0,
                    "weight": "normal",
                }
            )
        gap = totals[level] == 0
        cells.append(
            {
                "row": "Totaal",
                "row_order": len(roles),
                "column": column,
                "column_order": column_order,
                "fill": "#FFFFFF" if gap else "#F0F0F0",
                "outline": GAP if gap else "#FFFFFF",
                "outline_width": 3 if gap else 2,
                "text": "0 – gat" if gap else str(totals[level]),
                "text_colour": GAP if gap else TEXT,
                "dy": 0,
                "weight": "bold",
            }
        )
    svg = render_svg("coverage", {"coverage_cells": cells}, title)
    gaps = [level_title for level, level_title in levels if totals[level] == 0]
    if gaps:
        summary = f"Geen partner biedt: {_join(gaps)}."
    else:
        summary = "Alle niveaus worden door minstens één partner aangeboden."
    rows = [
        [role_label, *(str(providers.get((role, level), 0)) for level, _ in levels)]
        for role, role_label in roles
    ]
    rows.append(
        ["Totaal", *(str(totals[level]) if totals[level] else "0 (gat)" for level, _ in levels)]
    )
    columns = ["Rol", *(level_title for _, level_title in levels)]
    return Figure(fig_id, title, summary, svg, Table(title, columns, rows))


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
LABEL_SIZE = 11
Box = tuple[float, float, float, float]  # left, top, right, bottom in pixels


def _text_box(x: float, y: float, text: str, align: str, baseline: str, size: float) -> Box:
    """The pixel box a (multi-line) text anchored at x, y will cover, estimated."""
    lines = text.split("\n")
    width = max(len(line) for line in lines) * size * 0.6
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
        if (s := _value(score)) is not None and (i := _value(importance)) is not None
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
    anchors = [(*pixels(s, i), _wrap(title, 20)) for title, s, i in known]
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
                "dy": _lift(text, baseline, LABEL_SIZE + 2),
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
    priority = _join(by_quadrant.get("prioriteit", [])) or "geen"
    keep = _join(by_quadrant.get("vasthouden", [])) or "geen"
    summary = f"Prioriteit (belangrijk, lage score): {priority}; vasthouden: {keep}."
    rows = [
        [factor_title, number(_value(score)), number(_value(importance)), quadrant or "–"]
        for _, factor_title, score, importance, quadrant in points
    ]
    columns = ["Factor", "Score", "Belang", "Kwadrant"]
    return Figure(fig_id, title, summary, svg, Table(title, columns, rows))


# ----------------------------------------------------------------------- trend


def trend_figure(
    fig_id: str,
    title: str,
    factors: list[tuple[str, str]],
    rounds: list[str],
    scores: dict[tuple[str, str], float | None],
) -> Figure:
    """Each factor's score over the rounds, one small panel per factor."""
    rows_data: list[Row] = [
        {
            "title": _wrap(factor_title, 22),
            "order": order,
            "round": round_,
            "round_order": round_order,
            "score": _value(scores.get((factor, round_))),
        }
        for order, (factor, factor_title) in enumerate(factors)
        for round_order, round_ in enumerate(rounds)
    ]
    svg = render_svg("trend", {"trend_scores": rows_data}, title)

    changes = []
    if len(rounds) >= 2:
        last, before = rounds[-1], rounds[-2]
        for factor, factor_title in factors:
            now, then = _value(scores.get((factor, last))), _value(scores.get((factor, before)))
            if now is not None and then is not None:
                changes.append((now - then, factor_title))
    if changes:
        rise = max(changes)
        fall = min(changes)
        rise_text = f"{rise[1]} ({_signed(rise[0])})" if rise[0] > 0 else "geen"
        fall_text = f"{fall[1]} ({_signed(fall[0])})" if fall[0] < 0 else "geen"
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
        values = [_value(scores.get((factor, r))) for r in rounds]
        row = [factor_title, *(number(v) for v in values)]
        if len(rounds) >= 2:
            a, b = values[-1], values[-2]
            row.append(_signed(a - b) if a is not None and b is not None else "–")
        table_rows.append(row)
    return Figure(fig_id, title, summary, svg, Table(title, columns, table_rows))
