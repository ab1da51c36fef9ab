"""Charts (SPEC §6): altair specs built once per process, filled with each page's numbers
and rendered to accessible inline SVG with vl-convert.

Every figure comes with a one-sentence Dutch summary and the same numbers as a table, so
the SVG itself may stay decorative for screen readers.

Each kind of chart is an altair chart over *named* datasets without values, registered in
`engine` by its module. It is built, turned into a Vega-Lite dict and compiled to Vega once
per process; a figure only puts its rows into the named data sources of a shallow copy
and renders it, so that building hundreds of municipality sites never rebuilds altair
objects nor recompiles Vega-Lite. Geometry that altair cannot express (the radar's polar
coordinates, label positions) is computed in Python and travels as data, which is what
keeps the spec the same for every municipality.
"""

from assessment.charts.comparison import (
    SpreadRow,
    benchmark_heatmap_figure,
    place_words,
    spread_figure,
    table_digits,
)
from assessment.charts.distribution import distribution_datasets, distribution_figure
from assessment.charts.engine import (
    BUILDERS,
    accessible_svg,
    prune_cache,
    render_svg,
    use_cache,
    vega_lite_spec,
    vega_spec,
    with_data,
)
from assessment.charts.figure import Figure, Row, Table
from assessment.charts.importance import importance_datasets, importance_figure
from assessment.charts.indicator import Marked, bullet_figure, indicator_trend_figure, nice_maximum
from assessment.charts.matrix import coverage_figure, role_heatmap_figure
from assessment.charts.radar import radar_datasets, radar_figure
from assessment.charts.trend import trend_figure

__all__ = [
    "BUILDERS",
    "Figure",
    "Marked",
    "Row",
    "SpreadRow",
    "Table",
    "accessible_svg",
    "benchmark_heatmap_figure",
    "bullet_figure",
    "coverage_figure",
    "distribution_datasets",
    "distribution_figure",
    "importance_datasets",
    "importance_figure",
    "indicator_trend_figure",
    "nice_maximum",
    "place_words",
    "prune_cache",
    "radar_datasets",
    "radar_figure",
    "render_svg",
    "role_heatmap_figure",
    "spread_figure",
    "table_digits",
    "trend_figure",
    "use_cache",
    "vega_lite_spec",
    "vega_spec",
    "with_data",
]
