"""Small multiples of each factor's score over the rounds."""

from __future__ import annotations

from typing import Any

import altair as alt

from assessment.charts.engine import chart_kind, render_svg
from assessment.charts.figure import Figure, Row, Table, plain_value, signed, wrap
from assessment.charts.style import SERIES_COLOURS, configure
from assessment.formatting import number


@chart_kind("trend")
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
    return configure(
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
            "title": wrap(factor_title, 22),
            "order": order,
            "round": round_,
            "round_order": round_order,
            "score": plain_value(scores.get((factor, round_))),
        }
        for order, (factor, factor_title) in enumerate(factors)
        for round_order, round_ in enumerate(rounds)
    ]
    svg = render_svg("trend", {"trend_scores": rows_data}, title)

    changes = []
    if len(rounds) >= 2:
        last, before = rounds[-1], rounds[-2]
        for factor, factor_title in factors:
            now, then = (
                plain_value(scores.get((factor, last))),
                plain_value(scores.get((factor, before))),
            )
            if now is not None and then is not None:
                changes.append((now - then, factor_title))
    if changes:
        rise = max(changes)
        fall = min(changes)
        rise_text = f"{rise[1]} ({signed(rise[0])})" if rise[0] > 0 else "geen"
        fall_text = f"{fall[1]} ({signed(fall[0])})" if fall[0] < 0 else "geen"
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
        values = [plain_value(scores.get((factor, r))) for r in rounds]
        row = [factor_title, *(number(v) for v in values)]
        if len(rounds) >= 2:
            a, b = values[-1], values[-2]
            row.append(signed(a - b) if a is not None and b is not None else "–")
        table_rows.append(row)
    return Figure(fig_id, title, summary, svg, Table(title, columns, table_rows))
