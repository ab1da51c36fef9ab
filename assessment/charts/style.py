"""The look every chart shares: colours, sizes, fonts and the altair configuration."""

from __future__ import annotations

import math
from typing import Any, Final

import altair as alt

from assessment.limits import LEVEL_NAMES

FORMAT_LOCALE: Final = "nl-NL"  # decimal comma, thousands dot in every axis label

# Okabe-Ito colours, chosen for colour-blind readers; each series also differs by dash
# and marker, so that it reads in black and white too. Every colour has at least 3:1
# contrast on white (graphical objects). The level the group agreed on in the workshop
# ("consensus") is a series of its own, never mixed into the partners' scores.
SERIES = ("current", "previous", "ambition", "consensus")
SERIES_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7")
SERIES_DASHES = ([1, 0], [2, 3], [8, 4], [10, 3, 2, 3])
SERIES_SHAPES = ("circle", "square", "triangle-up", "diamond")

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
LABEL_SIZE = 11


def text_colour(background: str) -> str:
    """Black or white text, whichever contrasts more with the background (≥ 4.5:1)."""
    return "#000000" if _luminance(background) > 0.179 else "#FFFFFF"


def _luminance(colour: str) -> float:
    """WCAG relative luminance of a #RRGGBB colour."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def sequential(share: float) -> str:
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


def configure(chart: Any) -> Any:
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


def px_scale(extent: float) -> Any:
    """A linear scale whose data values are pixels from the centre."""
    return alt.Scale(domain=[-extent / 2, extent / 2], nice=False, zero=False)


# Key figures: a bullet chart and a small trend chart per key figure (SPEC §10), drawn in
# pixels from the top left (see `canvas`).
# 360 px: with the chart's padding it keeps 0.7 × 376 = 263 px on a phone (see
# `engine.accessible_svg`), inside the 328 px content column of a 360 px screen.
BULLET_WIDTH = 360
BULLET_HEIGHT = 92
BULLET_TRACK = (40.0, 62.0)  # top and bottom of the grey track
BULLET_BAR = (44.0, 58.0)  # top and bottom of the value bar inside it
BULLET_TICK = (30.0, 70.0)  # reference ticks reach above and below the track
BULLET_LABEL_ROWS = (22.0, 8.0)  # rows of reference labels above the track
BULLET_BELOW = 82.0  # the row under the track: the end of the scale, or the value
TICK_HALF = 1.5  # half the width of a reference tick
TRACK = "#E0E0E0"  # the value bar (#0072B2) has 3.8:1 on it
SMALL_TREND_WIDTH = 340
SMALL_TREND_HEIGHT = 72
SMALL_TREND_PLOT = (10.0, 62.0)  # top and bottom of the plotted values
SMALL_TREND_MARGIN = 64.0  # left and right of the first and last round: room for a value
SPREAD_STEP = 36  # pixels per row (a factor) of the comparison chart
# 320 px, 80 per point: with short factor names beside it the chart keeps less than 328 px
# on a phone (0.7 × its width, see `engine.accessible_svg`) and does not scroll sideways.
SPREAD_WIDTH = 320
SPREAD_LABEL_WIDTH = 34  # characters per line of a factor name beside it
