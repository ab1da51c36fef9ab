"""Kengetallen: per key figure its latest value, its reference values and the rounds before
(a bullet chart and a small trend chart), grouped by the factor it belongs to (SPEC §10)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from assessment import charts
from assessment.analysis.indicators import (
    format_change,
    format_fraction,
    format_value,
    meets,
    rounded,
)
from assessment.charts.figure import join_words
from assessment.models import Factor, IndicatorDefinition, Reference
from assessment.pages.context import PageContext, Record, records

# The small trend chart shows the last rounds only (its table has all of them): more
# would crowd the round names.
TREND_ROUNDS = 4


@dataclass(frozen=True)
class ReferenceLine:
    """A reference value and how the latest value stands against it."""

    label: str
    shown: str
    kind: str
    source: str
    meets: bool
    difference: str


@dataclass
class KeyFigure:
    """One key figure as its part of the page shows it."""

    definition: IndicatorDefinition
    rows: list[Record]  # every round with a value, oldest first
    references: list[ReferenceLine]
    bullet: charts.Figure | None
    trend: charts.Figure | None
    status: str
    recommendations: list[Record]

    @property
    def latest(self) -> Record | None:
        """The newest round with a value."""
        return self.rows[-1] if self.rows else None


def short(value: float, definition: IndicatorDefinition) -> str:
    """A value for a small chart: '63,8%', or only the number for other units."""
    return f"{rounded(value)}%" if definition.unit == "procent" else rounded(value)


def chart_label(reference: Reference) -> str:
    """A reference as its tick in the chart names it, short (each letter costs render
    time): 'streefwaarde', 'landelijk', or the practice without its explanation."""
    if reference.kind == "praktijk":
        return reference.label.split(" (")[0]
    return reference.kind


def _top(definition: IndicatorDefinition, values: list[float]) -> float:
    """The end of the scale: a round number a quarter above every value shown."""
    top = charts.nice_maximum(max(values) * 1.25) if values else 1.0
    upper = definition.upper
    return min(top, upper) if upper is not None and max(values) <= upper else top


def _status(
    definition: IndicatorDefinition, latest: Record, references: list[ReferenceLine]
) -> str:
    """The value, which way is better, the references it reaches or not, its change."""
    value = format_value(latest["value"], definition)
    fraction = format_fraction(definition, latest["numerator"], latest["denominator"])
    text = f"In {latest['round']}: **{value}**" + (f" ({fraction})" if fraction else "")
    text += f"; {'hoger' if definition.better == 'hoger' else 'lager'} is beter."
    reached = [r.label for r in references if r.meets]
    missed = [r.label for r in references if not r.meets]
    if reached:
        text += f" Gehaald: {join_words(reached)}."
    if missed:
        text += f" Niet gehaald: {join_words(missed)}."
    if latest["previous_round"] is not None:
        text += f" Sinds {latest['previous_round']}: {format_change(latest['change'], definition)}."
    return text


def key_figure(ctx: PageContext, definition: IndicatorDefinition, rows: list[Record]) -> KeyFigure:
    """Everything the page shows of one key figure."""
    recs = [r for r in ctx.recommendations if r["target"] == definition.id]
    if not rows:
        return KeyFigure(definition, rows, [], None, None, "", recs)
    latest = rows[-1]
    value = float(latest["value"])
    references = [
        ReferenceLine(
            r.label,
            format_value(r.value, definition),
            r.kind,
            r.source,
            meets(definition, value, r.value),
            format_change(value - r.value, definition),
        )
        for r in definition.references
    ]
    status = _status(definition, latest, references)
    shown_rows = rows[-TREND_ROUNDS:]
    values = [float(r["value"]) for r in rows]
    values += [r.value for r in definition.references]
    top = _top(definition, values)
    unit = "%" if definition.unit == "procent" else ""
    fraction = format_fraction(definition, latest["numerator"], latest["denominator"])
    # The rounds before are in the small trend chart beside it, not in the bullet chart.
    bullet = charts.bullet_figure(
        f"kengetal-{definition.id}-waarde",
        f"{definition.name}: {latest['round']}",
        charts.Marked(f"Waarde {latest['round']}", value, short(value, definition)),
        [
            charts.Marked(r.label, r.value, short(r.value, definition), chart_label(r))
            for r in definition.references
        ],
        top=top,
        unit=unit,
        summary=status.replace("**", ""),
        fraction=fraction,
    )
    trend = None
    if len(rows) >= 2:
        first, last = rows[0], rows[-1]
        change = format_change(float(last["value"]) - float(first["value"]), definition)
        trend = charts.indicator_trend_figure(
            f"kengetal-{definition.id}-verloop",
            f"{definition.name} per ronde, {shown_rows[0]['round']} tot {last['round']}",
            [
                charts.Marked(
                    str(r["round"]), float(r["value"]), short(float(r["value"]), definition)
                )
                for r in shown_rows
            ],
            top=top,
            summary=(
                f"Van {format_value(first['value'], definition)} in {first['round']} naar "
                f"{format_value(last['value'], definition)} in {last['round']} ({change}); "
                f"{'hoger' if definition.better == 'hoger' else 'lager'} is beter."
            ),
            columns=["Ronde", f"Waarde ({definition.suffix})"],
        )
        if len(rows) > len(shown_rows):  # the table holds every round, the chart the last
            trend = _with_all_rounds(trend, rows, definition)
    return KeyFigure(definition, rows, references, bullet, trend, status, recs)


def _with_all_rounds(
    figure: charts.Figure, rows: list[Record], definition: IndicatorDefinition
) -> charts.Figure:
    table = charts.Table(
        figure.table.caption,
        figure.table.columns,
        [[str(r["round"]), short(float(r["value"]), definition)] for r in rows],
    )
    return charts.Figure(figure.id, figure.title, figure.summary, figure.svg, table)


def _groups(ctx: PageContext) -> list[tuple[Factor, str, list[KeyFigure]]]:
    """(factor, its section title, key figures) in questionnaire order."""
    by_indicator: dict[str, list[Record]] = {}
    for row in records(ctx.data.indicators):
        by_indicator.setdefault(str(row["indicator"]), []).append(row)
    groups = []
    section_of = {f.id: s.title for s in ctx.instrument.sections for f in s.factors}
    for factor in ctx.instrument.factors():
        figures = [
            key_figure(ctx, d, sorted(by_indicator.get(d.id, []), key=lambda r: r["round"]))
            for d in ctx.questionnaire.indicators.values()
            if d.factor == factor.id
        ]
        if figures:
            groups.append((factor, section_of[factor.id], figures))
    return groups


def build_kengetallen(ctx: PageContext) -> None:
    """The page of key figures."""
    groups = _groups(ctx)
    overview: list[dict[str, Any]] = []
    for factor, _, figures in groups:
        for figure in figures:
            if figure.latest is None:
                continue
            main = figure.references[0] if figure.references else None
            overview.append(
                {
                    "id": figure.definition.id,
                    "name": figure.definition.name,
                    "factor": factor.title,
                    "round": figure.latest["round"],
                    "value": format_value(figure.latest["value"], figure.definition),
                    "reference": f"{main.label}: {main.shown}" if main else "–",
                    "meets": None if main is None else main.meets,
                    "change": format_change(figure.latest["change"], figure.definition),
                }
            )
    ctx.page(
        "kengetallen.md",
        "Kengetallen",
        "kengetallen.md.j2",
        groups=groups,
        overview=overview,
        any_values=bool(overview),
        defined=bool(ctx.questionnaire.indicators),
        meta=ctx.data.indicator_meta,
        scores=_factor_scores(ctx),
    )


def _factor_scores(ctx: PageContext) -> dict[str, dict[str, Any]]:
    """The latest mean and level of each scored factor (read straight from the frame:
    a record per row costs more than the page needs)."""
    now = ctx.factors_now
    if now.empty:
        return {}
    scored = now[now["mean"].notna()]
    return {
        str(factor): {"mean": float(mean), "level": level}
        for factor, mean, level in zip(scored.index, scored["mean"], scored["level"], strict=True)
    }
