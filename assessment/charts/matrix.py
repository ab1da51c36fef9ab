"""Matrix charts: the role comparison (factors x roles) and the coverage of the levels.

Drawn in pixels (see `canvas`): row and column names are text placed beside and above
the cells, never laid out (and measured) by a Vega axis.
"""

from __future__ import annotations

from typing import Any

import altair as alt

from assessment.charts import canvas
from assessment.charts.engine import chart_kind, render_svg
from assessment.charts.figure import (
    Figure,
    Row,
    Table,
    header_text,
    join_words,
    plain_value,
    wrap,
)
from assessment.charts.style import (
    CELL_LINE_HEIGHT,
    EMPTY_CELL,
    GAP,
    HEADER_LINE_HEIGHT,
    HEADER_LINES,
    MUTED,
    ROLE_LABEL_WIDTH,
    TEXT,
    configure,
    sequential,
    text_colour,
)
from assessment.formatting import number


@chart_kind("heatmap", texts=canvas.text_fields("heatmap"))
def _heatmap_chart() -> Any:
    """Factors × roles, the mean score and group size in each cell."""
    return configure(alt.layer(*canvas.pixel_layers("heatmap")).properties(width=1, height=1))


@chart_kind("coverage", texts=canvas.text_fields("coverage"))
def _coverage_chart() -> Any:
    """Roles × intervention levels, the number of partners in each cell, totals below."""
    return configure(alt.layer(*canvas.pixel_layers("coverage")).properties(width=1, height=1))


HEATMAP_STEP = (132, 44)
COVERAGE_STEP = (84, 30)
LABEL_PADDING = 8  # between a row's name and its first cell
HEADER_HEIGHT = HEADER_LINES * HEADER_LINE_HEIGHT + 6


def matrix_datasets(name: str, cells: list[Row], step: tuple[int, int]) -> dict[str, list[Row]]:
    """Pixels of a matrix: a coloured cell with its value at each row and column, the row
    names on the left and the column names (HEADER_LINES lines each) above.

    A cell row names its row and column (and their order), its fill, outline and outline
    width, its text, text colour and weight; the cell's rectangle keeps those names.
    """
    step_x, step_y = step
    row_names = {cell["row_order"]: cell["row"] for cell in cells}
    column_names = {cell["column_order"]: cell["column"] for cell in cells}
    left = max((canvas.text_width(n) for n in row_names.values()), default=0) + LABEL_PADDING
    rects: list[Row] = []
    texts: list[Row] = []
    for order, row_name in sorted(row_names.items()):
        y = HEADER_HEIGHT + (order + 0.5) * step_y
        texts.append(canvas.text(left - LABEL_PADDING, y, row_name, align="right"))
    for order, column_name in sorted(column_names.items()):
        x = left + (order + 0.5) * step_x
        texts.append(
            canvas.text(
                x,
                HEADER_HEIGHT - 6,
                column_name,
                align="center",
                baseline="bottom",
                line_height=HEADER_LINE_HEIGHT,
            )
        )
    # Thick outlines last, so that no neighbour's white border is drawn over them.
    for cell in sorted(cells, key=lambda cell: cell["outline_width"]):
        x = left + cell["column_order"] * step_x
        y = HEADER_HEIGHT + cell["row_order"] * step_y
        rects.append(
            canvas.rect(
                x, y, x + step_x, y + step_y, cell["fill"], cell["outline"], cell["outline_width"]
            )
            | {"row": cell["row"], "column": cell["column"]}
        )
        if cell["text"]:
            texts.append(
                canvas.text(
                    x + step_x / 2,
                    y + step_y / 2,
                    cell["text"],
                    align="center",
                    colour=cell["text_colour"],
                    weight=cell["weight"],
                    line_height=CELL_LINE_HEIGHT,
                )
            )
    datasets = {f"{name}_rects": rects, f"{name}_texts": texts}
    return {f"{name}_frame": canvas.fitted_frame(datasets, name)} | datasets


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
        if role in role_names and plain_value(value[1]) is not None
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
                fill = sequential((cell[1] - 1) / 4)
                text, colour = f"{number(cell[1])}\nn = {cell[0]}", text_colour(fill)
            factor_cell = (factor_title, factor_order)
            role_cell = (role_names[role], role_order)
            (row, row_order), (column, column_order) = (
                (role_cell, factor_cell) if transpose else (factor_cell, role_cell)
            )
            cells.append(
                {
                    "row": wrap(row, 34),
                    "row_order": row_order,
                    "column": header_text(column, 17),
                    "column_order": column_order,
                    "fill": fill,
                    "outline": "#FFFFFF",
                    "outline_width": 2,
                    "text": text,
                    "text_colour": colour,
                    "weight": "normal",
                }
            )
    svg = render_svg("heatmap", matrix_datasets("heatmap", cells, HEATMAP_STEP), title)

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
        column = header_text(level_title, 14)
        for row_order, (role, role_label) in enumerate(roles):
            count = providers.get((role, level), 0)
            fill = sequential(0.15 + 0.85 * count / most) if count else EMPTY_CELL
            cells.append(
                {
                    # Long role names on two lines, so that the matrix fits the page.
                    "row": wrap(role_label, ROLE_LABEL_WIDTH),
                    "row_order": row_order,
                    "column": column,
                    "column_order": column_order,
                    "fill": fill,
                    "outline": "#FFFFFF",
                    "outline_width": 2,
                    # An empty cell stays empty: the numbers stand out, and the table
                    # under the chart has every 0.
                    "text": str(count) if count else "",
                    "text_colour": text_colour(fill) if count else MUTED,
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
                "weight": "bold",
            }
        )
    svg = render_svg("coverage", matrix_datasets("coverage", cells, COVERAGE_STEP), title)
    gaps = [level_title for level, level_title in levels if totals[level] == 0]
    if gaps:
        summary = f"Geen partner biedt: {join_words(gaps)}."
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
