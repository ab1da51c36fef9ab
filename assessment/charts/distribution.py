"""Answer distributions: stacked answers 1..5 per statement, 'weet niet' apart."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import altair as alt

from assessment.charts.engine import chart_kind, render_svg
from assessment.charts.figure import Figure, Row, Table
from assessment.charts.style import (
    ANSWER_COLOURS,
    ANSWER_KEYS,
    CHAR_WIDTH,
    DISTRIBUTION_WIDTH,
    DONT_KNOW_COLOUR,
    DONT_KNOW_WIDTH,
    TEXT,
    configure,
    text_colour,
)
from assessment.formatting import number


@chart_kind("distribution")
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
    return configure(alt.hconcat(left, right, spacing=24))


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
                        "text_colour": text_colour(ANSWER_COLOURS[value]),
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
