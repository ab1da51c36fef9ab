"""Overzicht: the overall level, the radar of the success factors, who took part, the
strongest and weakest factors and the first recommendations."""

from __future__ import annotations

import markupsafe

from assessment.analysis.indicators import meets
from assessment.pages.comparison import COMPARISON_MARKER, render_comparison
from assessment.pages.context import PageContext, one_round, records


def build_overzicht(ctx: PageContext) -> None:
    """The start page of a municipality's site."""
    success = ctx.success
    ranked = sorted(
        (row for row in ctx.rows_of(success) if row["mean"] is not None), key=lambda r: -r["mean"]
    )
    ctx.page(
        "index.md",
        "Overzicht",
        "overzicht.md.j2",
        radar=ctx.radar(
            success, "radar-succesfactoren", f"{success.title}: score per factor", "factor"
        ),
        strengths=ranked[:3],
        weaknesses=list(reversed(ranked[-3:])) if ranked else [],
        participation=ctx.participation,
        missing=ctx.missing,
        recommendations=ctx.recommendations[:5],
        organisations=ctx.organisations,
        goes_well=ctx.comments_on("goes_well"),
        change_first=ctx.comments_on("change_first"),
        comparison=comparison_section(ctx),
        key_figures=key_figure_counts(ctx),
        session=ctx.session_now,
        agreed_count=sum(1 for v in ctx.agreed_levels.values() if v is not None),
        plan_round=ctx.plan_round,
        plan_actions=records(one_round(ctx.data.actions, ctx.plan_round)),
        review=records(one_round(ctx.data.review, ctx.latest)),
    )


def comparison_section(ctx: PageContext) -> markupsafe.Markup:
    """The comparison with municipalities of the same size, or the marker that the site
    build replaces once every municipality of that size is scored."""
    comparison = ctx.data.comparison
    if comparison.opted_in and comparison.group is None:
        text = COMPARISON_MARKER
    else:
        text = render_comparison(ctx.data.own, comparison, ctx.questionnaire, public=ctx.public)
    # Our own template's Markdown, with user text escaped inside it.
    return markupsafe.Markup(text)  # noqa: S704


def key_figure_counts(ctx: PageContext) -> dict[str, int]:
    """How many key figures have a value, and how many reach their first reference value."""
    frame = ctx.data.indicators
    latest: dict[str, float] = {}
    # Oldest round first: the newest value of each key figure stays.
    for indicator, value in zip(frame["indicator"], frame["value"], strict=True):
        latest[str(indicator)] = float(value)
    with_reference = reached = 0
    for indicator, value in latest.items():
        definition = ctx.questionnaire.indicators[indicator]
        if definition.references:
            with_reference += 1
            reached += meets(definition, value, definition.references[0].value)
    return {"values": len(latest), "with_reference": with_reference, "reached": reached}
